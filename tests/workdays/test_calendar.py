"""The national calendar of 2025 and 2026 (legal-rules §7.2), the worked examples of §7.4, the
refusal of years without data, and the explanation of a day."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.core.errors import DomainError
from gongkai.workdays.calendar import (
    CalendarYearMissing,
    WorkdayCalendar,
    add_workdays,
    get_calendar,
    is_workday,
    workdays_between,
)
from tests.workdays.conftest import d

pytestmark = pytest.mark.django_db

# legal-rules §7.2, 2025 (国务院办公厅关于2025年部分节假日安排的通知), every rest day listed.
REST_2025 = [
    "2025-01-01",  # 元旦
    "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31",  # 春节
    "2025-02-01", "2025-02-02", "2025-02-03", "2025-02-04",
    "2025-04-04", "2025-04-05", "2025-04-06",  # 清明节
    "2025-05-01", "2025-05-02", "2025-05-03", "2025-05-04", "2025-05-05",  # 劳动节
    "2025-05-31", "2025-06-01", "2025-06-02",  # 端午节
    "2025-10-01", "2025-10-02", "2025-10-03", "2025-10-04",  # 国庆节、中秋节
    "2025-10-05", "2025-10-06", "2025-10-07", "2025-10-08",
]  # fmt: skip
MAKE_UP_2025 = ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"]

# legal-rules §7.2, 2026 (dated 2025-11-04).
REST_2026 = [
    "2026-01-01", "2026-01-02", "2026-01-03",  # 元旦
    "2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19",  # 春节
    "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23",
    "2026-04-04", "2026-04-05", "2026-04-06",  # 清明节
    "2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05",  # 劳动节
    "2026-06-19", "2026-06-20", "2026-06-21",  # 端午节
    "2026-09-25", "2026-09-26", "2026-09-27",  # 中秋节
    "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04",  # 国庆节
    "2026-10-05", "2026-10-06", "2026-10-07",
]  # fmt: skip
MAKE_UP_2026 = [
    "2026-01-04",
    "2026-02-14",
    "2026-02-28",
    "2026-05-09",
    "2026-09-20",
    "2026-10-10",
]


@pytest.mark.parametrize("day", REST_2025 + REST_2026)
def test_every_rest_day_of_2025_and_2026_is_not_a_working_day(day):
    assert not get_calendar().is_workday(d(day)), f"{day} is a rest day in the State Council notice"


@pytest.mark.parametrize("day", MAKE_UP_2025 + MAKE_UP_2026)
def test_every_make_up_day_of_2025_and_2026_is_a_working_day(day):
    assert d(day).weekday() >= 5, f"{day} should be a weekend day in the notice"
    assert get_calendar().is_workday(d(day)), f"{day} is a 调休上班 day in the State Council notice"


@pytest.mark.parametrize(
    ("year", "rest", "make_up"), [(2025, REST_2025, MAKE_UP_2025), (2026, REST_2026, MAKE_UP_2026)]
)
def test_every_other_day_of_the_year_follows_the_weekday_rule(year, rest, make_up):
    calendar = get_calendar()
    rest_days, work_days = {d(x) for x in rest}, {d(x) for x in make_up}
    day = dt.date(year, 1, 1)
    wrong = []
    while day.year == year:
        expected = day in work_days or (day.weekday() < 5 and day not in rest_days)
        if calendar.is_workday(day) != expected:
            wrong.append(day.isoformat())
        day += dt.timedelta(days=1)
    assert wrong == [], f"days whose status differs from §7.2: {wrong}"


# legal-rules §7.4
WORKED_EXAMPLES = [
    ("2025-09-26", 20, "2025-10-30"),
    ("2025-09-26", 7, "2025-10-13"),
    ("2025-01-20", 20, "2025-02-21"),
    ("2025-04-25", 7, "2025-05-08"),
    ("2025-12-31", 20, "2026-01-29"),
    ("2026-02-13", 7, "2026-03-02"),
    ("2026-02-13", 20, "2026-03-19"),
    ("2026-09-18", 20, "2026-10-22"),
]


@pytest.mark.parametrize(("start", "n", "due"), WORKED_EXAMPLES)
def test_the_worked_examples_of_the_legal_rules_give_the_documented_due_dates(start, n, due):
    assert add_workdays(d(start), n) == d(due)


@pytest.mark.parametrize(("start", "n", "due"), WORKED_EXAMPLES)
def test_counting_back_the_worked_examples_gives_the_number_of_working_days(start, n, due):
    assert workdays_between(d(start), d(due)) == n


def test_a_period_running_into_2027_is_refused_naming_2027():
    with pytest.raises(CalendarYearMissing) as caught:
        add_workdays(d("2026-12-20"), 20)
    error = caught.value
    assert isinstance(error, DomainError)
    assert error.year == 2027
    assert "2027年的节假日安排尚未载入" in error.message
    assert "gongkai workdays load-notice" in error.message, "the message says how to load"
    assert "载入节假日安排通知" in error.message, "the message names the admin screen"


def test_a_year_before_the_built_in_data_is_refused():
    with pytest.raises(CalendarYearMissing, match="2003年"):
        is_workday(d("2003-06-02"))


def test_the_start_date_is_never_counted_even_when_it_is_a_working_day():
    # Mon 2026-03-02 + 1 → Tue 2026-03-03
    assert add_workdays(d("2026-03-02"), 1) == d("2026-03-03")


def test_counting_from_a_rest_day_starts_on_the_next_working_day():
    # Sun 2026-02-15 (春节) + 1 → Tue 2026-02-24 (02-16…02-23 off)
    assert add_workdays(d("2026-02-15"), 1) == d("2026-02-24")


def test_adding_zero_working_days_returns_the_start_date():
    assert add_workdays(d("2026-02-15"), 0) == d("2026-02-15")


def test_a_negative_number_of_working_days_is_refused():
    with pytest.raises(ValueError):
        add_workdays(d("2026-02-13"), -1)


def test_working_days_between_a_later_and_an_earlier_date_are_negative():
    assert workdays_between(d("2026-03-19"), d("2026-02-13")) == -20


@pytest.mark.parametrize(
    ("day", "text"),
    [
        ("2026-02-14", "2026-02-14（周六）：工作日（春节调休上班）"),
        ("2026-02-16", "2026-02-16（周一）：休息日（春节）"),
        ("2026-02-15", "2026-02-15（周日）：休息日（春节）"),
        ("2025-10-06", "2025-10-06（周一）：休息日（中秋节）"),  # the package names the day itself
        ("2026-01-04", "2026-01-04（周日）：工作日（元旦调休上班）"),
        ("2026-03-02", "2026-03-02（周一）：工作日（周一至周五）"),
        ("2026-03-07", "2026-03-07（周六）：休息日（周末）"),
    ],
)
def test_a_day_is_explained_with_the_chinese_holiday_name(day, text):
    working, explanation = get_calendar().explain_day(d(day))
    assert explanation == text
    assert working is ("工作日" in text)


def test_the_calendar_is_cached_until_invalidated():
    from gongkai.workdays.calendar import invalidate_cache

    first = get_calendar()
    assert get_calendar() is first
    invalidate_cache()
    assert get_calendar() is not first


def test_the_pure_calendar_needs_no_database_and_refuses_uncovered_years():
    calendar = WorkdayCalendar({d("2030-01-01"): False}, [2030])
    assert not calendar.is_workday(d("2030-01-01"))
    assert calendar.add_workdays(d("2030-01-01"), 1) == d("2030-01-02")
    with pytest.raises(CalendarYearMissing):
        calendar.add_workdays(d("2030-12-31"), 1)
