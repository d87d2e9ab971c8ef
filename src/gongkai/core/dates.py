"""Legal time: today's date in Asia/Shanghai, injectable for tests and demos.

Instants are stored in UTC (``USE_TZ = True``); legal dates are ``datetime.date`` values in the
Asia/Shanghai calendar. Nothing computes "today" at import time: call :func:`today`.

``GONGKAI_TODAY=2026-03-01`` in the environment, or :func:`override_today` in tests, pins the date.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from gongkai.core.errors import DomainError

SHANGHAI = ZoneInfo("Asia/Shanghai")
_override: dt.date | None = None


def today() -> dt.date:
    """The current legal date in Asia/Shanghai (or the pinned date)."""
    if _override is not None:
        return _override
    pinned = os.environ.get("GONGKAI_TODAY")
    if pinned:
        return parse_date(pinned)
    return dt.datetime.now(SHANGHAI).date()


def now() -> dt.datetime:
    """The current instant, timezone-aware (UTC)."""
    return dt.datetime.now(dt.UTC)


def local_date(instant: dt.datetime) -> dt.date:
    """The Asia/Shanghai calendar date of an aware instant."""
    return instant.astimezone(SHANGHAI).date()


def end_of_day(day: dt.date) -> dt.datetime:
    """24:00 of ``day`` in Asia/Shanghai, as an aware instant (the start of the next day)."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=SHANGHAI)


@contextlib.contextmanager
def override_today(day: dt.date) -> Iterator[None]:
    """Pin :func:`today` inside a ``with`` block (tests, demo data generation)."""
    global _override
    previous = _override
    _override = day
    try:
        yield
    finally:
        _override = previous


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(text: str, *, field: str | None = None) -> dt.date:
    """Parse ``YYYY-MM-DD`` strictly, raising a :class:`DomainError` with a Chinese message."""
    value = (text or "").strip()
    if not _ISO.match(value):
        raise DomainError(
            _("日期格式不正确：“%(value)s”，应为 YYYY-MM-DD，例如 2026-02-13。") % {"value": text},
            code="invalid_date",
            field=field,
        )
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise DomainError(
            _("日期不存在：“%(value)s”。") % {"value": text}, code="invalid_date", field=field
        ) from exc


def format_chinese_date(day: dt.date) -> str:
    """``2026年1月5日``: Arabic numerals, no leading zeros (GB/T 9704 §7.3.5)."""
    return f"{day.year}年{day.month}月{day.day}日"
