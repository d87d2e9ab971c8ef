"""``calendar_changed`` is sent after a year is loaded or an override changes.

Apps whose cached values depend on the calendar (request due dates) connect to it and recompute.
Arguments: ``years`` (set of affected years).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.dispatch import Signal

calendar_changed = Signal()


def announce_change(years: Iterable[int], sender: object = None) -> None:
    """Forget cached calendars now and send :data:`calendar_changed` once the transaction commits.

    The cache is cleared twice: at once (so the rest of this transaction sees the new data) and
    after the commit (so no calendar built from the data before the commit survives it). On a
    rollback the signal is not sent.
    """
    from gongkai.workdays.calendar import invalidate_cache

    affected = frozenset(years)
    invalidate_cache()

    def after_commit() -> None:
        invalidate_cache()
        calendar_changed.send(sender=sender, years=set(affected))

    transaction.on_commit(after_commit)
