"""``national_calendar()``: the package's national calendar without the database, and the names
of special days carried by :class:`WorkdayCalendar`.

The tests without the ``django_db`` mark prove that no query is made: pytest-django refuses any
database access in them.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest

from gongkai.workdays.calendar import (
    CalendarYearMissing,
    WorkdayCalendar,
    get_calendar,
    national_calendar,
)
from tests.workdays.conftest import d, notice


def test_the_national_calendar_is_built_without_the_database():
    national_calendar.cache_clear()
    calendar = national_calendar()
    assert calendar.add_workdays(d("2026-02-13"), 20) == d("2026-03-19")


def test_the_national_calendar_covers_exactly_the_packages_years():
    years = {day.year for day in chinese_calendar.constants.holidays}
    assert national_calendar().covered_years == frozenset(range(min(years), max(years) + 1))


def test_the_national_calendar_agrees_with_chinese_calendar_on_every_day_it_covers():
    calendar = national_calendar()
    day, wrong = dt.date(min(calendar.covered_years), 1, 1), []
    while day.year <= max(calendar.covered_years):
        if calendar.is_workday(day) != chinese_calendar.is_workday(day):
            wrong.append(day.isoformat())
        day += dt.timedelta(days=1)
    assert wrong == [], f"days that differ from chinese_calendar: {wrong[:20]}"


def test_the_national_calendar_refuses_a_year_the_package_does_not_ship():
    with pytest.raises(CalendarYearMissing, match="2027年"):
        national_calendar().add_workdays(d("2026-12-20"), 20)


@pytest.mark.parametrize(
    ("day", "name"),
    [
        ("2026-02-16", "春节"),
        ("2026-02-14", "春节调休上班"),
        ("2025-10-01", "国庆节"),
        ("2026-01-04", "元旦调休上班"),
        ("2026-03-02", ""),
    ],
)
def test_the_national_calendar_names_holidays_and_make_up_days_in_chinese(day, name):
    assert national_calendar().name(d(day)) == name


def test_the_national_calendar_explains_a_make_up_day_by_its_holiday():
    assert national_calendar().explain_day(d("2026-02-14")) == (
        True,
        "2026-02-14（周六）：工作日（春节调休上班）",
    )


def test_the_national_calendar_is_shared_and_cannot_be_changed_through_its_names():
    calendar = national_calendar()
    assert national_calendar() is calendar
    with pytest.raises(TypeError):
        calendar.names[d("2026-03-02")] = "改名"  # type: ignore[index]


@pytest.mark.django_db
def test_the_national_calendar_ignores_loaded_years_and_overrides(superuser):
    from gongkai.workdays.loading import load_arrangement
    from gongkai.workdays.models import CalendarOverride
    from gongkai.workdays.notice import parse_notice

    CalendarOverride.objects.create(date=d("2026-03-02"), is_workday=False, name="测试休息")
    arrangement = parse_notice(notice("2027-sample"))
    load_arrangement(arrangement, source=arrangement.source, notice_text="", user=superuser)

    assert not get_calendar().is_workday(d("2026-03-02")), "the database override is in force"
    assert national_calendar().is_workday(d("2026-03-02")), "the package calendar ignores it"
    assert get_calendar().covers(2027)
    assert not national_calendar().covers(2027)


# --- names on a hand-built calendar ------------------------------------------------------------


def test_a_calendar_built_from_overrides_and_years_alone_still_works():
    calendar = WorkdayCalendar({d("2030-02-04"): False}, [2030])
    assert calendar.name(d("2030-02-04")) == ""
    assert calendar.explain_day(d("2030-02-04")) == (
        False,
        "2030-02-04（周一）：休息日（节假日调整休息）",
    )


def test_names_given_to_a_calendar_appear_in_the_explanation():
    calendar = WorkdayCalendar(
        {d("2030-02-04"): False, d("2030-02-09"): True},
        [2030],
        names={d("2030-02-04"): "春节", d("2030-02-09"): "春节调休上班"},
    )
    assert calendar.explain_day(d("2030-02-04"))[1] == "2030-02-04（周一）：休息日（春节）"
    assert calendar.explain_day(d("2030-02-09"))[1] == "2030-02-09（周六）：工作日（春节调休上班）"


def test_the_older_labels_keyword_is_still_accepted():
    calendar = WorkdayCalendar({d("2030-02-04"): False}, [2030], labels={d("2030-02-04"): "春节"})
    assert calendar.name(d("2030-02-04")) == "春节"
    assert calendar.label(d("2030-02-04")) == "春节"
