"""Without GONGKAI_DATABASE_REPLICA_URL (the default) the router and its middleware do nothing."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import router

from gongkai.agencies.models import Agency
from gongkai.core.dbrouter import REPLICA_DB_ALIAS, in_portal_read, portal_read


def test_no_replica_alias_by_default():
    assert REPLICA_DB_ALIAS not in settings.DATABASES


def test_router_leaves_every_read_and_write_to_the_default():
    with portal_read():
        assert router.db_for_read(Agency) == "default"
        assert router.db_for_write(Agency) == "default"


@pytest.mark.django_db
def test_portal_pages_work_without_a_replica(client, world):
    assert client.get(f"/agencies/{world.league.code}/").status_code == 200
    assert not in_portal_read(), "the flag must not leak out of a request"
