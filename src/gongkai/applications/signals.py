"""Receivers of the applications app: the cached request clocks follow calendar changes.

``workdays.signals.calendar_changed`` is sent after a year's holiday arrangement is loaded or an
override changes (after the commit). Open requests whose deadlines may involve the changed years
are recomputed, so a corrected calendar reaches every cached due date (ARCHITECTURE "Requests are
event logs"). Finished requests keep their recorded result.
"""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import receiver

from gongkai.workdays.signals import calendar_changed

logger = logging.getLogger(__name__)


@receiver(calendar_changed, dispatch_uid="applications.recompute_on_calendar_change")
def recompute_on_calendar_change(sender: Any, years: set[int] | None = None, **kwargs: Any) -> None:
    from gongkai.applications.services import recompute_for_years

    count = recompute_for_years(years or set())
    logger.info("calendar changed (%s): recomputed %d requests", sorted(years or ()), count)
