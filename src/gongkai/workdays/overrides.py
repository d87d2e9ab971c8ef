"""Saving and deleting single calendar overrides (national or regional) by hand.

A national override corrects the calendar for one date; a regional one (``region`` set) applies
to that agency's subtree, for the ethnic holidays local governments fix under
《全国年节及纪念日放假办法》第四条. Every change is audited, clears the calendar cache and sends
``calendar_changed`` after the commit, so cached request deadlines are recomputed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy

from gongkai.site import audit
from gongkai.workdays.models import CalendarOverride
from gongkai.workdays.signals import announce_change

_FIELDS = ["date", "is_workday", "name", "region_id", "source", "notice_year"]

audit.register_action("workdays.override_create", gettext_lazy("新增节假日调整"))
audit.register_action("workdays.override_update", gettext_lazy("修改节假日调整"))
audit.register_action("workdays.override_delete", gettext_lazy("删除节假日调整"))


def save_override(override: CalendarOverride, *, user: Any = None) -> CalendarOverride:
    """Create or update ``override`` (already validated), with an audit entry."""
    with transaction.atomic():
        previous = None
        if override.pk is not None:
            previous = CalendarOverride.objects.filter(pk=override.pk).first()
        before = audit.snapshot(previous, _FIELDS) if previous is not None else None
        override.save()
        audit.record(
            user,
            "workdays.override_update" if previous is not None else "workdays.override_create",
            override,
            agency=override.region,
            before=before,
            after=audit.snapshot(override, _FIELDS),
        )
        years = {override.date.year}
        if previous is not None:
            years.add(previous.date.year)
        announce_change(years, CalendarOverride)
    return override


def delete_overrides(overrides: Iterable[CalendarOverride], *, user: Any = None) -> int:
    """Delete the given overrides, each with an audit entry; returns how many were deleted."""
    count = 0
    years: set[int] = set()
    with transaction.atomic():
        for override in overrides:
            audit.record(
                user,
                "workdays.override_delete",
                override,
                agency=override.region,
                before=audit.snapshot(override, _FIELDS),
            )
            years.add(override.date.year)
            override.delete()
            count += 1
        if years:
            announce_change(years, CalendarOverride)
    return count
