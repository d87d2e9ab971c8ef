"""A calendar year without holiday data: the documented refusal everywhere a legal date is computed.

legal-rules §7.3 rule 6: a deadline that needs a year whose State Council notice is not loaded is
refused with :class:`CalendarYearMissing` — 「2027年的节假日安排尚未载入，无法计算工作日……」 —
never guessed. The built-in national calendar covers 2004–2026, so 2027 is the missing year here.
Every place that computes a legal date is checked: the clock and its cache, the staff detail page,
the inbox and the ledger (lights), the public tracking page, the API (staff detail and public
status), a new step recorded through the console, letters, ``gongkai clock explain`` and
``gongkai tick`` — a clear message, a page / 4xx JSON / non-zero exit, never a 500 and never a
date computed on a guessed calendar.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from gongkai.apitokens import tokens
from gongkai.applications import clock, intake, services
from gongkai.applications.models import Channel
from gongkai.core.dates import SHANGHAI, override_today
from gongkai.workdays.calendar import CalendarYearMissing, get_calendar
from tests.applications.conftest import applicant

MISSING = "2027年的节假日安排尚未载入"
DECEMBER = dt.date(2026, 12, 21)  # a Monday: 20 working days later lies in January 2027
TODAY = dt.date(2026, 12, 28)
SECRET = "track-me-123"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with override_today(TODAY):
        yield


@pytest.fixture
def late_request(world, settings, tmp_path):
    """A request handed in on 2026-12-21: its reply deadline needs the 2027 calendar."""
    settings.MEDIA_ROOT = tmp_path / "media"
    with override_today(DECEMBER):
        return intake.create_application(
            world.league,
            applicant=applicant(),
            channel=Channel.IN_PERSON,
            arrived_at=dt.datetime.combine(DECEMBER, dt.time(10), tzinfo=SHANGHAI),
            secret=SECRET,
        )


def test_the_year_really_is_missing(db):
    assert not get_calendar().covers(2027), "the test assumes no 2027 data is installed"


def test_the_clock_refuses_and_its_cache_records_the_reason(late_request):
    with pytest.raises(CalendarYearMissing) as caught:
        services.compute_clock(late_request)
    assert MISSING in caught.value.message and "载入节假日安排通知" in caught.value.message
    late_request.refresh_from_db()
    assert late_request.due_on is None, "no due date may be guessed"
    assert MISSING in late_request.clock_error


def test_the_staff_detail_page_shows_the_refusal(client, world, late_request):
    client.force_login(world.officer)
    response = client.get(reverse("applications_staff:detail", args=[late_request.pk]))
    assert response.status_code == 200
    assert MISSING in response.content.decode()


def test_a_step_that_needs_the_missing_year_is_refused_on_the_form(client, world, late_request):
    """Asking for an extension needs the current due date, which lies in 2027."""
    client.force_login(world.officer)
    response = client.post(
        reverse("applications_staff:act", args=[late_request.pk, "request_extension"]),
        {"workdays": 10, "reason": "需要调取档案"},
    )
    assert response.status_code == 400, "the form comes back with the refusal, not a 500"
    assert MISSING in response.content.decode()
    assert not late_request.events.filter(type="extension_requested").exists()


def test_the_inbox_and_the_ledger_list_the_request_without_a_light(client, world, late_request):
    client.force_login(world.officer)
    for name in ("applications_staff:inbox", "applications_staff:ledger"):
        response = client.get(reverse(name))
        page = response.content.decode()
        assert response.status_code == 200, name
        assert late_request.tracking_code in page, name
    export = client.get(reverse("applications_staff:ledger_export", args=["csv"]))
    assert export.status_code == 200
    assert late_request.tracking_code in export.content.decode("utf-8-sig")


def test_the_public_tracking_page_shows_no_guessed_deadline(client, late_request):
    response = client.post(
        reverse("applications:track"), {"code": late_request.tracking_code, "secret": SECRET}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert late_request.tracking_code in page
    assert "2027年1月" not in page and "2027-01" not in page, "no deadline guessed in 2027"


def test_the_api_gives_the_refusal_in_the_staff_detail_and_no_date_in_the_status(
    client, world, late_request
):
    token = tokens.create_token(world.officer, "令牌")[1]
    detail = client.get(
        f"/api/v1/staff/requests/{late_request.pk}", headers={"Authorization": f"Bearer {token}"}
    )
    assert detail.status_code == 200
    body = detail.json()
    assert MISSING in body["clock_error"] and body["due_on"] is None
    status = client.post(
        "/api/v1/requests/status",
        json.dumps({"tracking_code": late_request.tracking_code, "secret": SECRET}),
        content_type="application/json",
    )
    assert status.status_code == 200 and status.json()["due_on"] is None


def test_an_api_step_that_needs_the_missing_year_is_a_409_with_the_message(
    client, world, late_request
):
    token = tokens.create_token(world.officer, "令牌")[1]
    response = client.post(
        f"/api/v1/staff/requests/{late_request.pk}/extension-request",
        json.dumps({"workdays": 10, "reason": "需要调取档案", "on": TODAY.isoformat()}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code in (400, 409), response.content
    assert response.json()["message"]


def test_the_inbox_light_functions_refuse_rather_than_guess():
    calendar = get_calendar()
    with pytest.raises(CalendarYearMissing):
        clock.workdays_until(dt.date(2027, 1, 20), calendar, today=TODAY)
    with pytest.raises(CalendarYearMissing):
        services.yellow_start(dt.date(2027, 1, 20), calendar, 5)


def test_clock_explain_exits_with_the_refusal(tmp_path):
    path = tmp_path / "events.json"
    path.write_text(json.dumps({"received_on": DECEMBER.isoformat(), "events": []}))
    for extra in ([], ["--national"]):
        with pytest.raises(CommandError) as caught:
            call_command("clock", "explain", str(path), *extra)
        assert MISSING in str(caught.value)


def test_tick_in_the_missing_year_runs_and_keeps_the_refusal(late_request, capsys):
    try:
        call_command("tick", "--today", "2027-01-04", "--no-email")
    except CommandError as exc:  # a clear non-zero exit is acceptable, a traceback is not
        assert str(exc)
    late_request.refresh_from_db()
    assert late_request.due_on is None and MISSING in late_request.clock_error


def test_a_request_received_in_the_missing_year_is_registered_with_the_refusal(world):
    with override_today(dt.date(2027, 1, 4)):
        app = intake.create_application(
            world.league,
            applicant=applicant(),
            channel=Channel.IN_PERSON,
            arrived_at=dt.datetime(2027, 1, 4, 10, tzinfo=SHANGHAI),
        )
    app.refresh_from_db()
    assert app.received_on == dt.date(2027, 1, 4), "the receipt date needs no calendar"
    assert app.due_on is None and MISSING in app.clock_error


def test_a_supervision_task_due_in_the_missing_year_shows_the_refusal(client):
    """Supervision task lights count working days to the due date (督查督办)."""
    from tests.supervision.factories import build_demo_region, make_task

    demo = build_demo_region()
    task = make_task(
        demo.supervisor,
        demo.region,
        [demo.education],
        due_on=dt.date(2027, 1, 29),
        issued_on=dt.date(2026, 12, 1),
        year=2026,
    )
    client.force_login(demo.supervisor)
    response = client.get(reverse("supervision_staff:task", args=[task.pk]))
    assert response.status_code == 200
    assert MISSING in response.content.decode()
    for name in ("supervision_staff:index", "supervision_staff:mine"):
        assert client.get(reverse(name)).status_code == 200, name
    call_command("tick", "--today", "2027-01-04", "--no-email")
