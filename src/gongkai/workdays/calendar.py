"""Working-day arithmetic (工作日) for legal deadlines.

Counting rule (legal-rules §7.3, after 民事诉讼法 art. 85 via 行政诉讼法 art. 101): the start date
is never counted; day 1 is the first *working day after* the start date. A working day is
Monday–Friday unless it is a holiday or rest day, plus any weekend day announced as a make-up
working day (调休上班). Years with no data are refused with :class:`CalendarYearMissing`, never
guessed (ARCHITECTURE "Time is legal time").

:class:`WorkdayCalendar` is a pure object (no database); :func:`get_calendar` builds one from the
national baseline (``chinese_calendar``) plus the override table, cached until the calendar changes.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import metadata
from types import MappingProxyType
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from gongkai.core.errors import DomainError

if TYPE_CHECKING:
    from gongkai.workdays.notice import Arrangement

ONE_DAY = dt.timedelta(days=1)
WEEKDAY_NAMES = "一二三四五六日"

#: ``chinese_calendar``'s English holiday names → the names used in the notices.
HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


class CalendarYearMissing(DomainError):
    """A computation needed a year whose holiday arrangement is not loaded."""

    code = "calendar_year_missing"
    status = 409

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            _(
                "%(year)d年的节假日安排尚未载入，无法计算工作日。请系统管理员依据国务院办公厅"
                "关于%(year)d年部分节假日安排的通知载入：在管理后台“节假日日历 › 已载入年份”中"
                "点击“载入节假日安排通知”并粘贴通知全文，或运行 gongkai workdays load-notice "
                "通知文件。"
            )
            % {"year": year},
        )


class WorkdayCalendar:
    """A working-day calendar over a set of covered years.

    ``overrides`` maps a date to ``True`` (working day) or ``False`` (rest day); other dates in a
    covered year follow the weekday rule. Any date outside ``covered_years`` raises.
    ``names`` (optional) gives special days their Chinese name — 「春节」 for a rest day,
    「春节调休上班」 for a make-up working day — so that explanations can name them
    (``labels`` is the older spelling of the same argument).
    """

    def __init__(
        self,
        overrides: Mapping[dt.date, bool],
        covered_years: Iterable[int],
        names: Mapping[dt.date, str] | None = None,
        *,
        labels: Mapping[dt.date, str] | None = None,
    ) -> None:
        self._overrides = dict(overrides)
        self._years = frozenset(covered_years)
        self._labels = {**(labels or {}), **(names or {})}

    @property
    def covered_years(self) -> frozenset[int]:
        return self._years

    @property
    def names(self) -> Mapping[dt.date, str]:
        """The names of special days (a read-only view)."""
        return MappingProxyType(self._labels)

    def covers(self, year: int) -> bool:
        return year in self._years

    def name(self, day: dt.date) -> str:
        """The name of a special day (「春节」, 「春节调休上班」), or ``""``."""
        return self._labels.get(day, "")

    label = name

    def _check(self, day: dt.date) -> None:
        if day.year not in self._years:
            raise CalendarYearMissing(day.year)

    def is_workday(self, day: dt.date) -> bool:
        self._check(day)
        status = self._overrides.get(day)
        if status is not None:
            return status
        return day.weekday() < 5

    def reason(self, day: dt.date) -> str:
        """Why ``day`` is (not) a working day: 「春节调休上班」, 「春节」, 「周末」, 「周一至周五」."""
        working = self.is_workday(day)
        label = self._labels.get(day, "")
        if day in self._overrides and self._overrides[day] != (day.weekday() < 5):
            if label:
                return label
            return _("调休上班") if working else _("节假日调整休息")
        if label and not working:
            return label  # a holiday that falls on a weekend
        return _("周一至周五") if working else _("周末")

    def explain_day(self, day: dt.date) -> tuple[bool, str]:
        """Whether ``day`` is a working day, and why, in Chinese.

        ``2026-02-14（周六）：工作日（春节调休上班）``, ``2026-02-16（周一）：休息日（春节）``.
        """
        working = self.is_workday(day)
        weekday = WEEKDAY_NAMES[day.weekday()]
        kind = _("工作日") if working else _("休息日")
        return working, f"{day.isoformat()}（周{weekday}）：{kind}（{self.reason(day)}）"

    def add_workdays(self, start: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``start`` (``start`` itself is never counted).

        ``n == 0`` returns ``start`` unchanged.
        """
        if n < 0:
            raise ValueError("n must be non-negative")
        self._check(start)
        day, counted = start, 0
        while counted < n:
            day += ONE_DAY
            if self.is_workday(day):
                counted += 1
        return day

    def workdays_between(self, a: dt.date, b: dt.date) -> int:
        """Working days in the half-open interval (a, b]: ``add_workdays(a, n) == b`` gives n.

        Negative when ``b < a``.
        """
        if b < a:
            return -self.workdays_between(b, a)
        self._check(a)
        self._check(b)
        count, day = 0, a
        while day < b:
            day += ONE_DAY
            if self.is_workday(day):
                count += 1
        return count

    def next_workday(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        return self.add_workdays(day, 1)


def _baseline() -> tuple[dict[dt.date, bool], set[int]]:
    """The national calendar shipped by ``chinese_calendar``: (overrides, covered years)."""
    from chinese_calendar import constants

    overrides: dict[dt.date, bool] = {}
    for day in constants.holidays:
        if day.weekday() < 5:
            overrides[day] = False
    for day in constants.workdays:
        overrides[day] = True
    # Holidays that fall on weekends stay rest days: nothing to record.
    years = {d.year for d in constants.holidays}
    covered = set(range(min(years), max(years) + 1))
    return overrides, covered


@functools.lru_cache(maxsize=1)
def national_calendar() -> WorkdayCalendar:
    """The national calendar from the package data of ``chinese_calendar`` alone (no database).

    It covers the years the installed ``chinesecalendar`` ships (2004–2026 for 1.11.0), with the
    Chinese names of holidays and make-up working days (「春节」, 「春节调休上班」). It ignores loaded
    years and overrides: use :func:`get_calendar` for the calendar in force. Meant for pure
    computations and tests that must not touch the database (``gongkai clock explain --national``).
    The result is immutable and shared.
    """
    overrides, covered = _baseline()
    return WorkdayCalendar(overrides, covered, _baseline_labels())


def _baseline_labels() -> dict[dt.date, str]:
    """Chinese names of the baseline's special days (weekend holidays included)."""
    from chinese_calendar import constants

    labels: dict[dt.date, str] = {}
    for day, name in constants.holidays.items():
        labels[day] = HOLIDAY_NAMES_ZH.get(name, name)
    for day, name in constants.workdays.items():
        labels[day] = _("%(name)s调休上班") % {"name": HOLIDAY_NAMES_ZH.get(name, name)}
    return labels


def _notice_year(day: dt.date, label: str) -> int:
    """Which year's notice a baseline date belongs to.

    The New Year's Day holiday of year Y (and its make-up day) may fall in December of Y-1, and
    is then part of the notice for Y.
    """
    if day.month == 12 and label.startswith(HOLIDAY_NAMES_ZH["New Year's Day"]):
        return day.year + 1
    return day.year


def baseline_version() -> str:
    """The installed ``chinesecalendar`` version (shown as the source of built-in years)."""
    try:
        return metadata.version("chinesecalendar")
    except metadata.PackageNotFoundError:  # pragma: no cover - the package is a dependency
        return ""


def _region_prefixes(path: str) -> list[str]:
    """``0000001/0000003/`` → ``["0000001/", "0000001/0000003/"]`` (the region and its parents)."""
    segments = [segment for segment in path.split("/") if segment]
    return ["".join(f"{segment}/" for segment in segments[: i + 1]) for i in range(len(segments))]


def build_calendar(
    region: object | None = None, *, pending: Arrangement | None = None
) -> WorkdayCalendar:
    """Build a calendar from the database (uncached; :func:`get_calendar` caches it).

    Layers, each replacing the one before: the ``chinese_calendar`` baseline (2004–2026); for
    every loaded year, the baseline of that year is dropped and the year counts as covered;
    national :class:`CalendarOverride` rows; then the regional rows of ``region``'s ancestors and
    of ``region`` itself, the nearest last. ``pending`` is an arrangement not yet loaded: the
    calendar shows what loading it would give (the confirmation screen's comparison).
    """
    from gongkai.workdays.models import CalendarOverride, LoadedYear

    overrides, covered = _baseline()
    labels = _baseline_labels()
    loaded = set(LoadedYear.objects.values_list("year", flat=True))
    if pending is not None:
        loaded.add(pending.year)
    if loaded:
        for day in set(overrides) | set(labels):
            if _notice_year(day, labels.get(day, "")) in loaded:
                overrides.pop(day, None)
                labels.pop(day, None)
    covered |= loaded

    national = CalendarOverride.objects.national()
    if pending is not None:
        replaced = CalendarOverride.objects.replaced_by(pending.year, pending.dates)
        national = national.exclude(pk__in=replaced.values("pk"))
    for day, working, name in national.values_list("date", "is_workday", "name"):
        overrides[day] = working
        labels[day] = name
    if pending is not None:
        overrides.update(pending.overrides())
        labels.update(pending.labels())

    path = getattr(region, "path", None) or ""
    if path:
        regional = (
            CalendarOverride.objects.regional()
            .filter(region__path__in=_region_prefixes(path))
            .values_list("region__path", "date", "is_workday", "name")
        )
        for _path, day, working, name in sorted(regional, key=lambda row: len(row[0])):
            overrides[day] = working
            labels[day] = name
    return WorkdayCalendar(overrides, covered, {d: n for d, n in labels.items() if n})


_lock = threading.Lock()
_cache: dict[object, WorkdayCalendar] = {}


def invalidate_cache() -> None:
    """Forget built calendars (called when overrides or loaded years change)."""
    with _lock:
        _cache.clear()


def get_calendar(region: object | None = None) -> WorkdayCalendar:
    """The calendar for ``region`` (an Agency, or ``None`` for the national calendar).

    A regional override (《全国年节及纪念日放假办法》第四条: ethnic holidays fixed by local
    governments) applies to its agency's whole subtree.
    """
    key = getattr(region, "path", None) or ""
    with _lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    calendar = build_calendar(region)
    with _lock:
        _cache[key] = calendar
    return calendar


def is_workday(day: dt.date, region: object | None = None) -> bool:
    return get_calendar(region).is_workday(day)


def add_workdays(start: dt.date, n: int, region: object | None = None) -> dt.date:
    return get_calendar(region).add_workdays(start, n)


def workdays_between(a: dt.date, b: dt.date, region: object | None = None) -> int:
    return get_calendar(region).workdays_between(a, b)


@dataclass(frozen=True)
class YearSource:
    """Where the calendar of one covered year comes from (``gongkai workdays years``)."""

    year: int
    source: str
    loaded_at: dt.datetime | None = None
    loaded_by: str = ""

    @property
    def is_loaded(self) -> bool:
        return self.loaded_at is not None


def year_sources() -> list[YearSource]:
    """Every covered year with its source: a loaded notice, or the built-in package data."""
    from gongkai.workdays.models import LoadedYear

    _overrides, builtin = _baseline()
    version = baseline_version()
    builtin_source = _("内置数据（chinesecalendar %(version)s）") % {"version": version}
    result = {year: YearSource(year, builtin_source) for year in builtin}
    for row in LoadedYear.objects.select_related("loaded_by"):
        by = row.loaded_by.get_username() if row.loaded_by else ""
        result[row.year] = YearSource(row.year, row.source, row.loaded_at, by)
    return [result[year] for year in sorted(result)]
