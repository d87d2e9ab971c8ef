"""The read replica: anonymous portal reads of public models go to it, everything else not.

The "replica" here is a second SQLite file, migrated like the primary but holding deliberately
different rows (an agency that exists only there), so the page a request gets shows which
database served it. docs/deployment.md "Read replica".
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections, router, transaction

from gongkai.agencies.models import PATH_SEGMENT_WIDTH, Agency, AgencyKind
from gongkai.applications.models import Application
from gongkai.core.dbrouter import REPLICA_DB_ALIAS, portal_read
from gongkai.publications.models import Document
from gongkai.search.models import SearchEntry
from tests.deploy.helpers import copy_database

REPLICA_ONLY = "rep-only"
REPLICA_ONLY_NAME = "只在副本中的机构"
PRIMARY_ONLY = "152200"  # the world's league: created on the primary by the test

pytestmark = [
    pytest.mark.usefixtures("replica"),
    pytest.mark.django_db(databases=["default", REPLICA_DB_ALIAS]),
]


@pytest.fixture(scope="module")
def replica(
    migrated_sqlite: Path,
    tmp_path_factory: pytest.TempPathFactory,
    django_db_setup,
    django_db_blocker,
) -> Iterator[str]:
    """Register a ``replica`` alias (as GONGKAI_DATABASE_REPLICA_URL would) on its own file."""
    path = copy_database(migrated_sqlite, tmp_path_factory.mktemp("replica") / "replica.sqlite3")
    config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path), "OPTIONS": {"timeout": 20}}
    configured = connections.configure_settings(
        {"default": connections.settings["default"], REPLICA_DB_ALIAS: config}
    )
    connections.settings[REPLICA_DB_ALIAS] = configured[REPLICA_DB_ALIAS]
    settings.DATABASES[REPLICA_DB_ALIAS] = configured[REPLICA_DB_ALIAS]
    with django_db_blocker.unblock():
        (marker,) = Agency.objects.using(REPLICA_DB_ALIAS).bulk_create(
            [Agency(code=REPLICA_ONLY, name=REPLICA_ONLY_NAME, kind=AgencyKind.LEAGUE_GOVERNMENT)]
        )
        Agency.objects.using(REPLICA_DB_ALIAS).filter(pk=marker.pk).update(
            path=f"{marker.pk:0{PATH_SEGMENT_WIDTH}d}/", depth=0
        )
    try:
        yield REPLICA_DB_ALIAS
    finally:
        connections[REPLICA_DB_ALIAS].close()
        del connections[REPLICA_DB_ALIAS]
        connections.settings.pop(REPLICA_DB_ALIAS, None)
        settings.DATABASES.pop(REPLICA_DB_ALIAS, None)


def test_anonymous_agency_page_is_read_from_the_replica(client, world):
    response = client.get(f"/agencies/{REPLICA_ONLY}/")
    assert response.status_code == 200, "an anonymous portal page must read the replica"
    assert REPLICA_ONLY_NAME in response.content.decode()
    assert client.get(f"/agencies/{PRIMARY_ONLY}/").status_code == 404, (
        "an agency that exists only on the primary must not be found by an anonymous portal read"
    )


def test_signed_in_staff_read_the_primary_on_public_pages(client, world):
    client.force_login(world.officer)
    assert client.get(f"/agencies/{PRIMARY_ONLY}/").status_code == 200, (
        "staff who just changed something must see the primary on the public pages"
    )
    assert client.get(f"/agencies/{REPLICA_ONLY}/").status_code == 404


def test_staff_console_reads_the_primary(client, world):
    client.force_login(world.administrator)
    page = client.get("/console/agencies/").content.decode()
    assert world.league.name in page, "the console lists the primary's agencies"
    assert REPLICA_ONLY_NAME not in page, "the console must never read the replica"


def test_request_intake_reads_the_primary(client, world):
    assert client.get(f"/requests/{PRIMARY_ONLY}/new/").status_code == 200, (
        "the public request form must find agencies on the primary"
    )
    assert client.get(f"/requests/{REPLICA_ONLY}/new/").status_code == 404


def test_writes_in_a_portal_read_go_to_the_primary(world):
    with portal_read():
        Agency.objects.create(code="152299", name="写入测试机构", parent=world.league)
    assert Agency.objects.using("default").filter(code="152299").exists()
    assert not Agency.objects.using(REPLICA_DB_ALIAS).filter(code="152299").exists(), (
        "a write must never reach the replica"
    )


def test_reads_inside_a_transaction_go_to_the_primary(world):
    with portal_read():
        assert not Agency.objects.filter(code=PRIMARY_ONLY).exists(), "outside: the replica"
        with transaction.atomic():
            assert Agency.objects.filter(code=PRIMARY_ONLY).exists(), (
                "inside an atomic block a read must see the primary (and its own writes)"
            )


def test_only_public_models_are_routed_to_the_replica(world):
    with portal_read():
        public = {m: router.db_for_read(m) for m in (Agency, Document, SearchEntry)}
        private = {m: router.db_for_read(m) for m in (get_user_model(), Application)}
        assert get_user_model().objects.filter(pk=world.officer.pk).exists()
    assert set(public.values()) == {REPLICA_DB_ALIAS}, public
    assert set(private.values()) == {"default"}, private


def test_outside_a_portal_read_everything_reads_the_primary(world):
    assert router.db_for_read(Agency) == "default"
    assert router.db_for_write(Agency) == "default"
    assert Agency.objects.filter(code=PRIMARY_ONLY).exists()


def test_the_replica_is_never_migrated():
    assert router.allow_migrate(REPLICA_DB_ALIAS, "agencies", model_name="agency") is False
    assert router.allow_migrate("default", "agencies", model_name="agency") is True
