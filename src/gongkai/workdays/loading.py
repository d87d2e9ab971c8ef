"""Loading a year's holiday arrangement into the calendar, and previewing what it changes.

An administrator loads the State Council's notice (legal-rules §7.2) once a year, usually in
November, so that deadlines running into the new year can be computed (legal-rules §7.3 rule 6:
until then they are refused). :func:`preview` shows what the notice says and what would change;
:func:`load_arrangement` writes it in one transaction. The same functions back the admin screen
and ``gongkai workdays load-notice``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.site import audit
from gongkai.workdays.calendar import (
    CalendarYearMissing,
    WorkdayCalendar,
    build_calendar,
    get_calendar,
)
from gongkai.workdays.models import CalendarOverride, LoadedYear
from gongkai.workdays.notice import Arrangement, NoticeDay
from gongkai.workdays.signals import announce_change

ONE_DAY = dt.timedelta(days=1)

audit.register_action("workdays.load_notice", gettext_lazy("载入节假日安排通知"))
audit.register_action("workdays.unload_year", gettext_lazy("删除已载入年份的节假日安排"))


@dataclass(frozen=True)
class DayChange:
    """One date whose status the arrangement changes. ``before`` is ``None`` when not covered."""

    date: dt.date
    before: bool | None
    after: bool
    before_label: str
    after_label: str

    @property
    def weekday(self) -> str:
        return "一二三四五六日"[self.date.weekday()]

    def describe(self) -> str:
        """「2026-10-08（周四）：休息日（国庆节） → 工作日（周一至周五）」."""

        def state(working: bool | None, label: str) -> str:
            if working is None:
                return _("未载入")
            kind = _("工作日") if working else _("休息日")
            return f"{kind}（{label}）" if label else kind

        return (
            f"{self.date.isoformat()}（周{self.weekday}）："
            f"{state(self.before, self.before_label)} → {state(self.after, self.after_label)}"
        )


@dataclass(frozen=True)
class Preview:
    """What loading an arrangement would do (the confirmation screen and the CLI's summary)."""

    arrangement: Arrangement
    rest_days: tuple[NoticeDay, ...]
    make_up_workdays: tuple[NoticeDay, ...]
    changes: tuple[DayChange, ...]
    newly_covered: bool
    previous: LoadedYear | None

    @property
    def year(self) -> int:
        return self.arrangement.year

    @property
    def replaces_previous_load(self) -> bool:
        return self.previous is not None


@dataclass(frozen=True)
class LoadResult:
    loaded_year: LoadedYear
    preview: Preview
    created: int
    deleted: int

    @property
    def year(self) -> int:
        return self.loaded_year.year


def _span(arrangement: Arrangement) -> list[dt.date]:
    first = min([dt.date(arrangement.year, 1, 1), *arrangement.dates])
    last = max([dt.date(arrangement.year, 12, 31), *arrangement.dates])
    return [first + ONE_DAY * i for i in range((last - first).days + 1)]


def _state(calendar: WorkdayCalendar, day: dt.date) -> tuple[bool | None, str]:
    try:
        return calendar.is_workday(day), calendar.reason(day)
    except CalendarYearMissing:
        return None, ""


def preview(arrangement: Arrangement) -> Preview:
    """The derived rest days and make-up days, and the differences from the calendar in force.

    A date is listed as a change when its working-day status differs; for a year not covered
    yet, the dates that differ from the plain weekday rule are listed (before = ``None``).
    """
    current = get_calendar()
    proposed = build_calendar(pending=arrangement)
    changes: list[DayChange] = []
    for day in _span(arrangement):
        before, before_label = _state(current, day)
        after, after_label = _state(proposed, day)
        assert after is not None  # the pending year is covered by construction
        if before is None and after == (day.weekday() < 5):
            continue
        if before is not None and before == after:
            continue
        changes.append(DayChange(day, before, after, before_label, after_label))
    return Preview(
        arrangement=arrangement,
        rest_days=arrangement.rest_days,
        make_up_workdays=arrangement.make_up_workdays,
        changes=tuple(changes),
        newly_covered=not current.covers(arrangement.year),
        previous=LoadedYear.objects.filter(year=arrangement.year).first(),
    )


def _rows(arrangement: Arrangement, source: str) -> list[CalendarOverride]:
    rows = [
        CalendarOverride(
            date=day.date,
            is_workday=False,
            name=day.label[:50],
            source=source,
            notice_year=arrangement.year,
        )
        for day in arrangement.rest_days
    ]
    rows += [
        CalendarOverride(
            date=day.date,
            is_workday=True,
            name=day.work_label[:50],
            source=source,
            notice_year=arrangement.year,
        )
        for day in arrangement.make_up_workdays
    ]
    return rows


def load_arrangement(
    arrangement: Arrangement, *, source: str, notice_text: str, user: Any = None
) -> LoadResult:
    """Make ``arrangement`` the national calendar of its year (atomic).

    Records the :class:`LoadedYear` (replacing an earlier load of the same year), replaces that
    year's national :class:`CalendarOverride` rows with one row per rest day (not a working day)
    and one per make-up day (a working day), drops the built-in data of that year, writes an
    audit entry, clears the calendar cache and sends ``calendar_changed(years={year, …})`` after
    the commit. Either all of it happens or none.
    """
    source = (source or arrangement.source).strip()[:200]
    summary = preview(arrangement)
    with transaction.atomic():
        deleted, _details = CalendarOverride.objects.replaced_by(
            arrangement.year, arrangement.dates
        ).delete()
        created = CalendarOverride.objects.bulk_create(_rows(arrangement, source))
        loaded, was_new = LoadedYear.objects.update_or_create(
            year=arrangement.year,
            defaults={
                "source": source,
                "notice_text": notice_text,
                "loaded_by": user if getattr(user, "is_authenticated", False) else None,
            },
        )
        audit.record(
            user,
            "workdays.load_notice",
            loaded,
            extra={
                "year": arrangement.year,
                "source": source,
                "replaced_previous_load": not was_new,
                "rest_days": [day.date for day in arrangement.rest_days],
                "make_up_workdays": [day.date for day in arrangement.make_up_workdays],
                "changes": [change.describe() for change in summary.changes],
            },
        )
        announce_change({arrangement.year, *(d.year for d in arrangement.dates)}, LoadedYear)
    return LoadResult(loaded_year=loaded, preview=summary, created=len(created), deleted=deleted)


def unload_year(loaded: LoadedYear, *, user: Any = None) -> None:
    """Remove a loaded year: its notice rows go, and the year falls back to the built-in data
    (or is no longer covered at all). Atomic, audited, announced."""
    year = loaded.year
    with transaction.atomic():
        rows = CalendarOverride.objects.national().filter(notice_year=year)
        years = {year, *(d.year for d in rows.values_list("date", flat=True))}
        audit.record(user, "workdays.unload_year", loaded, extra={"year": year})
        rows.delete()
        loaded.delete()
        announce_change(years, LoadedYear)
