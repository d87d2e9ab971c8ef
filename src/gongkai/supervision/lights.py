"""Traffic lights of supervision tasks (红黄绿灯, DOMAIN §5). Pure: dates and a calendar in,
a light out; no database.

- **red** (盯办): the task is overdue — today is after its due date;
- **yellow** (催办): the due date is within ``yellow_workdays`` working days (default
  ``settings.GONGKAI_SUPERVISION_YELLOW_WORKDAYS``, 5), counted as for request deadlines (today not
  counted, the due date counted; 0 on the due date itself); or the task needs monthly reports
  (月报告) and a lead unit has not reported for the previous month;
- **green**: on track;
- none: the task is struck off (销账).

The monthly report for month *M* is expected from a lead unit when the task was issued on or
before the last day of *M*, i.e. from the month of issue on. It is "missing" from the first day of
*M + 1*; a report filed for *M* at any time clears it. Co-operating units are not required to
report monthly (they may). See docs/decisions.md ("Supervision lights").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings

from gongkai.workdays.calendar import WorkdayCalendar

GREEN, YELLOW, RED = "green", "yellow", "red"
_RANK = {None: 0, "": 0, GREEN: 1, YELLOW: 2, RED: 3}


def default_yellow_workdays() -> int:
    return int(getattr(settings, "GONGKAI_SUPERVISION_YELLOW_WORKDAYS", 5))


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def previous_month(today: dt.date) -> dt.date:
    """The first day of the month before ``today``'s month."""
    return month_start(month_start(today) - dt.timedelta(days=1))


def month_end(month: dt.date) -> dt.date:
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def workdays_left(due_on: dt.date, today: dt.date, calendar: WorkdayCalendar) -> int:
    """Working days from ``today`` (exclusive) to ``due_on`` (inclusive); negative when overdue
    (at least -1 on the day after the due date, even on a rest day)."""
    if today > due_on:
        return -max(1, calendar.workdays_between(due_on, today))
    return calendar.workdays_between(today, due_on)


def monthly_report_missing(
    issued_on: dt.date, reported_months: Iterable[dt.date], today: dt.date
) -> bool:
    """Whether the previous month's report (月报告) is owed and not filed.

    ``reported_months`` are the ``period`` values (first days of months) reported so far.
    """
    month = previous_month(today)
    if issued_on > month_end(month):
        return False
    return month not in {month_start(m) for m in reported_months}


def deadline_light(
    due_on: dt.date, today: dt.date, calendar: WorkdayCalendar, yellow_workdays: int | None = None
) -> str:
    """Red when overdue, yellow when due within ``yellow_workdays`` working days, else green."""
    threshold = default_yellow_workdays() if yellow_workdays is None else yellow_workdays
    left = workdays_left(due_on, today, calendar)
    if left < 0:
        return RED
    if left <= threshold:
        return YELLOW
    return GREEN


def unit_light(
    *,
    due_on: dt.date,
    today: dt.date,
    calendar: WorkdayCalendar,
    struck_off: bool = False,
    monthly: bool = False,
    is_lead: bool = True,
    issued_on: dt.date | None = None,
    reported_months: Iterable[dt.date] = (),
    yellow_workdays: int | None = None,
) -> str | None:
    """The light of one responsible unit of a task (None once the task is struck off)."""
    if struck_off:
        return None
    light = deadline_light(due_on, today, calendar, yellow_workdays)
    if light == GREEN and monthly and is_lead and issued_on is not None:
        if monthly_report_missing(issued_on, reported_months, today):
            return YELLOW
    return light


def worst(lights: Iterable[str | None]) -> str | None:
    """The most urgent of several lights (red > yellow > green); None when all are None."""
    result: str | None = None
    for light in lights:
        if _RANK.get(light, 0) > _RANK.get(result, 0):
            result = light
    return result


def task_light(
    *,
    due_on: dt.date,
    today: dt.date,
    calendar: WorkdayCalendar,
    struck_off: bool = False,
    monthly: bool = False,
    issued_on: dt.date | None = None,
    lead_reports: Iterable[Iterable[dt.date]] = (),
    yellow_workdays: int | None = None,
) -> str | None:
    """The light of a task: its deadline light, yellow when any lead unit (one iterable of
    reported months per lead unit in ``lead_reports``) misses the previous month's report."""
    if struck_off:
        return None
    light = deadline_light(due_on, today, calendar, yellow_workdays)
    if light == GREEN and monthly and issued_on is not None:
        if any(monthly_report_missing(issued_on, months, today) for months in lead_reports):
            return YELLOW
    return light
