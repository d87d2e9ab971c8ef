"""Timeliness flags of proactive disclosure: pure functions over dates and a working-day calendar.

- 条例第二十六条: 「属于主动公开范围的政府信息，应当自该政府信息形成或者变更之日起20个工作日内及时公开。
  法律、法规对政府信息公开的期限另有规定的，从其规定。」 → :data:`PUBLICATION_WORKDAYS`.
- 政策解读「三同步」 (DOMAIN §2): a document and its interpretation are prepared, approved and
  released together; the interpretation must appear within 3 working days of the document →
  :data:`INTERPRETATION_WORKDAYS`. No interpretation once that window has passed is "missing".

Working days are counted as everywhere else (legal-rules §7.3): the start day is not counted,
day 1 is the first working day after it; 调休 weekend working days count, holidays do not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _

from gongkai.core.dates import format_chinese_date
from gongkai.workdays.calendar import WorkdayCalendar

PUBLICATION_WORKDAYS = 20
INTERPRETATION_WORKDAYS = 3


class FlagKind(StrEnum):
    PUBLISHED_LATE = "published_late"
    INTERPRETATION_MISSING = "interpretation_missing"
    INTERPRETATION_LATE = "interpretation_late"


@dataclass(frozen=True)
class Flag:
    kind: FlagKind
    message: str
    due_on: dt.date
    workdays: int | None = None
    """Working days actually taken (None for a missing interpretation)."""


def publication_deadline(formed_on: dt.date, calendar: WorkdayCalendar) -> dt.date:
    """The last day to publish information formed or changed on ``formed_on`` (第二十六条)."""
    return calendar.add_workdays(formed_on, PUBLICATION_WORKDAYS)


def publication_flag(
    formed_on: dt.date | None,
    published_on: dt.date | None,
    calendar: WorkdayCalendar,
    *,
    other_deadline_basis: str = "",
) -> Flag | None:
    """A flag when a document was published more than 20 working days after it was formed or
    changed (条例第二十六条); none when another legal deadline applies (「从其规定」)."""
    if formed_on is None or published_on is None or other_deadline_basis:
        return None
    due = publication_deadline(formed_on, calendar)
    if published_on <= due:
        return None
    taken = calendar.workdays_between(formed_on, published_on)
    return Flag(
        FlagKind.PUBLISHED_LATE,
        _(
            "信息于%(formed)s形成或变更，%(published)s才公开，用时%(taken)d个工作日，"
            "超过条例第二十六条规定的20个工作日（应于%(due)s前公开）。"
        )
        % {
            "formed": format_chinese_date(formed_on),
            "published": format_chinese_date(published_on),
            "taken": taken,
            "due": format_chinese_date(due),
        },
        due,
        taken,
    )


def interpretation_deadline(published_on: dt.date, calendar: WorkdayCalendar) -> dt.date:
    """The last day for the interpretation of a document published on ``published_on``."""
    return calendar.add_workdays(published_on, INTERPRETATION_WORKDAYS)


def interpretation_flag(
    published_on: dt.date,
    interpretations_published_on: Iterable[dt.date],
    today: dt.date,
    calendar: WorkdayCalendar,
) -> Flag | None:
    """The 三同步 flag of a document that needs an interpretation.

    Missing: no interpretation published and the 3-working-day window has passed by ``today``.
    Late: the first interpretation appeared more than 3 working days after the document.
    An interpretation released before the document is on time.
    """
    due = interpretation_deadline(published_on, calendar)
    dates = sorted(interpretations_published_on)
    if not dates:
        if today <= due:
            return None
        return Flag(
            FlagKind.INTERPRETATION_MISSING,
            _("文件于%(published)s公开，至今未发布政策解读（应于%(due)s前与文件同步发布）。")
            % {"published": format_chinese_date(published_on), "due": format_chinese_date(due)},
            due,
        )
    first = dates[0]
    if first <= due:
        return None
    taken = calendar.workdays_between(published_on, first)
    return Flag(
        FlagKind.INTERPRETATION_LATE,
        _(
            "文件于%(published)s公开，政策解读%(first)s才发布，晚了%(taken)d个工作日，"
            "超过3个工作日（应于%(due)s前发布）。"
        )
        % {
            "published": format_chinese_date(published_on),
            "first": format_chinese_date(first),
            "taken": taken,
            "due": format_chinese_date(due),
        },
        due,
        taken,
    )


def flags_for(
    *,
    formed_on: dt.date | None,
    published_on: dt.date | None,
    requires_interpretation: bool,
    interpretations_published_on: Iterable[dt.date],
    today: dt.date,
    calendar: WorkdayCalendar,
    other_deadline_basis: str = "",
) -> list[Flag]:
    """Every timeliness flag of one published document."""
    flags: list[Flag] = []
    if published_on is None:
        return flags
    late = publication_flag(
        formed_on, published_on, calendar, other_deadline_basis=other_deadline_basis
    )
    if late:
        flags.append(late)
    if requires_interpretation:
        interp = interpretation_flag(published_on, interpretations_published_on, today, calendar)
        if interp:
            flags.append(interp)
    return flags
