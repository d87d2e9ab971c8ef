"""Cached due dates follow the working-day calendar (``workdays.signals.calendar_changed``)."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.applications import services
from gongkai.applications.models import Application
from gongkai.core.dates import override_today
from gongkai.workdays.models import CalendarOverride
from gongkai.workdays.overrides import delete_overrides, save_override
from tests.applications.conftest import DUE, make_request

pytestmark = pytest.mark.django_db


def add_holiday(day: dt.date, region=None) -> CalendarOverride:
    return save_override(
        CalendarOverride(date=day, is_workday=False, name="测试休息日", region=region)
    )


def test_a_new_holiday_moves_the_cached_due_date(
    request_in_league, django_capture_on_commit_callbacks
):
    with override_today(dt.date(2026, 3, 10)), django_capture_on_commit_callbacks(execute=True):
        add_holiday(dt.date(2026, 3, 16))
    request_in_league.refresh_from_db()
    assert request_in_league.due_on == DUE + dt.timedelta(days=1), "one working day less in March"


def test_removing_the_holiday_moves_it_back(request_in_league, django_capture_on_commit_callbacks):
    with override_today(dt.date(2026, 3, 10)):
        with django_capture_on_commit_callbacks(execute=True):
            override = add_holiday(dt.date(2026, 3, 16))
        with django_capture_on_commit_callbacks(execute=True):
            delete_overrides([override])
    request_in_league.refresh_from_db()
    assert request_in_league.due_on == DUE


def test_a_regional_holiday_moves_only_the_requests_of_that_region(
    world, django_capture_on_commit_callbacks
):
    league_request = make_request(world.league)
    sibling_request = make_request(world.sibling)
    with override_today(dt.date(2026, 3, 10)), django_capture_on_commit_callbacks(execute=True):
        add_holiday(dt.date(2026, 3, 16), region=world.league)
    league_request.refresh_from_db()
    sibling_request.refresh_from_db()
    assert league_request.due_on == DUE + dt.timedelta(days=1)
    assert sibling_request.due_on == DUE


def test_finished_requests_keep_their_recorded_result(world, django_capture_on_commit_callbacks):
    app = make_request(world.league)
    with override_today(dt.date(2026, 3, 30)):
        services.reply(
            app,
            outcome="disclosed",
            on=dt.date(2026, 3, 30),
            actor=world.officer,
            data={"how_to_obtain": "邮寄"},
        )
        services.record_delivery(app, method="post", on=dt.date(2026, 3, 30), actor=world.officer)
        with django_capture_on_commit_callbacks(execute=True):
            add_holiday(dt.date(2026, 3, 16))
    app.refresh_from_db()
    assert (app.due_on, app.on_time) == (DUE, True)


def test_a_request_whose_year_was_missing_is_recomputed_after_a_change(
    request_in_league, django_capture_on_commit_callbacks
):
    Application.objects.filter(pk=request_in_league.pk).update(
        clock_error="2027年的节假日安排尚未载入"
    )
    with override_today(dt.date(2026, 3, 10)), django_capture_on_commit_callbacks(execute=True):
        add_holiday(dt.date(2026, 12, 31))
    request_in_league.refresh_from_db()
    assert request_in_league.clock_error == ""
