"""Two concurrent submissions of the same form create exactly one request (real transactions)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connections

from gongkai.applications import intake
from gongkai.applications.models import Application, Channel, Event
from gongkai.core.dates import SHANGHAI
from tests.applications.test_intake import applicant
from tests.factories import AgencyFactory


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_posts_with_the_same_token_create_one_request(
    settings, tmp_path, monkeypatch
):
    """Both threads pass the "already submitted?" check before either inserts, so one of them
    must hit the unique constraint and return the other's request."""
    settings.MEDIA_ROOT = tmp_path
    agency = AgencyFactory()
    token = "c" * 43
    start = threading.Barrier(2)
    both_checked = threading.Barrier(2)
    real_existing = intake._existing
    local = threading.local()

    def existing_after_both_checked(submission_token, agency):
        if not getattr(local, "checked", False):
            local.checked = True
            both_checked.wait(timeout=10)
            return None
        return real_existing(submission_token, agency)

    monkeypatch.setattr(intake, "_existing", existing_after_both_checked)
    results: list[int] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            start.wait(timeout=10)
            application = intake.create_application(
                agency,
                applicant=applicant(),
                channel=Channel.ONLINE,
                arrived_at=dt.datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI),
                secret="secret-123",
                submission_token=token,
            )
            results.append(application.pk)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert len(results) == 2 and results[0] == results[1], results
    assert Application.objects.count() == 1
    assert Event.objects.count() == 1
