"""Properties of working-day arithmetic over the whole built-in range 2004–2026 (hypothesis).

The calendar is ``get_calendar()`` on an empty override table, i.e. the national data of
``chinese_calendar``; start dates stay far enough from the end of 2026 that no result needs 2027.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.workdays.calendar import get_calendar

pytestmark = pytest.mark.django_db

FIRST = dt.date(2004, 1, 1)
LAST = dt.date(2026, 12, 31)
starts = st.dates(min_value=FIRST, max_value=dt.date(2026, 9, 30))
counts = st.integers(min_value=0, max_value=40)
any_day = st.dates(min_value=FIRST, max_value=LAST)
# The first working day after 2026-12-20 is still in 2026.
until_late_2026 = st.dates(min_value=FIRST, max_value=dt.date(2026, 12, 20))


@settings(max_examples=300, deadline=None)
@given(start=starts, n=counts)
def test_adding_one_more_working_day_always_gives_a_later_date(start, n):
    calendar = get_calendar()
    assert calendar.add_workdays(start, n + 1) > calendar.add_workdays(start, n)


@settings(max_examples=300, deadline=None)
@given(start=starts, n=st.integers(min_value=1, max_value=40))
def test_the_nth_working_day_after_a_date_is_a_working_day(start, n):
    calendar = get_calendar()
    assert calendar.is_workday(calendar.add_workdays(start, n))


@settings(max_examples=300, deadline=None)
@given(start=starts, n=counts)
def test_counting_the_working_days_up_to_the_nth_gives_n(start, n):
    calendar = get_calendar()
    assert calendar.workdays_between(start, calendar.add_workdays(start, n)) == n


@settings(max_examples=300, deadline=None)
@given(a=until_late_2026, b=until_late_2026)
def test_adding_the_working_days_between_two_dates_lands_on_the_last_working_day_up_to_b(a, b):
    calendar = get_calendar()
    if b < a:
        a, b = b, a
    k = calendar.workdays_between(a, b)
    reached = calendar.add_workdays(a, k)
    assert reached <= b
    assert calendar.add_workdays(a, k + 1) > b
    assert calendar.workdays_between(b, a) == -k


@settings(max_examples=500, deadline=None)
@given(day=any_day)
def test_the_national_calendar_agrees_with_chinese_calendar_on_every_day(day):
    assert get_calendar().is_workday(day) == chinese_calendar.is_workday(day)
