"""Traffic lights of supervision tasks across the 2025 and 2026 holidays (pure, no database).

Holidays used (chinese_calendar, as published by the State Council): 2025 National Day Oct 1–8
with make-up working days Sun Sep 28 and Sat Oct 11; 2026 New Year Jan 1–3 with make-up Sun Jan 4;
2026 Mid-autumn Sep 25–27; 2026 National Day Oct 1–7 with make-up Sun Sep 20 and Sat Oct 10.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.supervision import lights
from gongkai.workdays.calendar import national_calendar

D = dt.date


@pytest.fixture(scope="module")
def calendar():
    return national_calendar()


def light(calendar, due, today, **kwargs):
    return lights.unit_light(due_on=due, today=today, calendar=calendar, **kwargs)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 9, 18), "green"),  # 10 working days left (Sun Sep 20 is one of them)
        (D(2026, 9, 23), "green"),  # 6 left
        (D(2026, 9, 24), "yellow"),  # 5 left: Sep 28, 29, 30, Oct 8, 9
        (D(2026, 9, 30), "yellow"),  # 2 left: the National Day holiday is not counted
        (D(2026, 10, 9), "yellow"),  # the due date itself
        (D(2026, 10, 10), "red"),  # the day after, a make-up working day
    ],
)
def test_the_2026_national_day_holiday_brings_the_deadline_closer(calendar, today, expected):
    assert light(calendar, D(2026, 10, 9), today) == expected, today


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2025, 9, 25), "green"),  # 6 working days left
        (D(2025, 9, 26), "yellow"),  # 5: Sun Sep 28 (make-up), Sep 29, 30, Oct 9, 10
        (D(2025, 9, 30), "yellow"),  # 2: Oct 1–8 are holidays
        (D(2025, 10, 11), "red"),
    ],
)
def test_the_2025_national_day_holiday_counts_make_up_days(calendar, today, expected):
    assert light(calendar, D(2025, 10, 10), today) == expected, today


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2025, 12, 25), "green"),  # 6 left
        (D(2025, 12, 26), "yellow"),  # 5: Dec 29, 30, 31, Sun Jan 4 (make-up), Jan 5
        (D(2026, 1, 1), "yellow"),  # on the holiday itself: 2 left
        (D(2026, 1, 6), "red"),
    ],
)
def test_lights_cross_the_new_year_between_2025_and_2026(calendar, today, expected):
    assert light(calendar, D(2026, 1, 5), today) == expected, today


def test_a_task_is_red_on_a_holiday_after_its_due_date(calendar):
    assert light(calendar, D(2026, 9, 30), D(2026, 10, 1)) == "red"


def test_the_yellow_threshold_is_configurable(calendar):
    assert light(calendar, D(2026, 10, 9), D(2026, 9, 30), yellow_workdays=2) == "yellow"
    assert light(calendar, D(2026, 10, 9), D(2026, 9, 30), yellow_workdays=1) == "green"


def test_the_default_threshold_comes_from_the_settings(calendar, settings):
    settings.GONGKAI_SUPERVISION_YELLOW_WORKDAYS = 10
    assert light(calendar, D(2026, 10, 9), D(2026, 9, 18)) == "yellow"


def test_a_struck_off_task_has_no_light(calendar):
    assert light(calendar, D(2026, 1, 5), D(2026, 3, 1), struck_off=True) is None


def test_a_missing_report_for_the_previous_month_turns_a_lead_unit_yellow(calendar):
    common = {"monthly": True, "issued_on": D(2026, 3, 2)}
    due, today = D(2026, 12, 31), D(2026, 5, 6)
    assert light(calendar, due, today, reported_months=[D(2026, 3, 1)], **common) == "yellow"
    assert light(calendar, due, today, reported_months=[D(2026, 4, 1)], **common) == "green"


def test_no_report_is_owed_for_a_month_before_the_task_was_issued(calendar):
    due = D(2026, 12, 31)
    kwargs = {"monthly": True, "issued_on": D(2026, 4, 20), "reported_months": []}
    assert light(calendar, due, D(2026, 4, 30), **kwargs) == "green"
    assert light(calendar, due, D(2026, 5, 1), **kwargs) == "yellow"


def test_co_operating_units_owe_no_monthly_report(calendar):
    kwargs = {"monthly": True, "issued_on": D(2026, 3, 2), "is_lead": False}
    assert light(calendar, D(2026, 12, 31), D(2026, 6, 1), **kwargs) == "green"


def test_an_overdue_task_stays_red_whatever_its_reports(calendar):
    kwargs = {"monthly": True, "issued_on": D(2026, 3, 2), "reported_months": [D(2026, 4, 1)]}
    assert light(calendar, D(2026, 4, 30), D(2026, 5, 6), **kwargs) == "red"


def test_the_task_light_is_yellow_when_any_lead_unit_misses_its_report(calendar):
    result = lights.task_light(
        due_on=D(2026, 12, 31),
        today=D(2026, 5, 6),
        calendar=calendar,
        monthly=True,
        issued_on=D(2026, 3, 2),
        lead_reports=[[D(2026, 4, 1)], []],
    )
    assert result == "yellow"


def test_worst_picks_the_most_urgent_light():
    assert lights.worst(["green", None, "red", "yellow"]) == "red"
    assert lights.worst([None, None]) is None


def test_previous_month_wraps_the_year():
    assert lights.previous_month(D(2026, 1, 15)) == D(2025, 12, 1)
    assert lights.month_end(D(2026, 2, 1)) == D(2026, 2, 28)


RANK = {"green": 0, "yellow": 1, "red": 2}
DAYS = st.dates(min_value=D(2025, 1, 1), max_value=D(2026, 12, 31))


@settings(max_examples=300, deadline=None)
@given(due=DAYS, first=DAYS, second=DAYS)
def test_a_deadline_light_never_improves_as_time_passes(due, first, second):
    calendar = national_calendar()
    early, late = sorted([first, second])
    before = lights.deadline_light(due, early, calendar, 5)
    after = lights.deadline_light(due, late, calendar, 5)
    assert RANK[before] <= RANK[after], (due, early, late, before, after)
