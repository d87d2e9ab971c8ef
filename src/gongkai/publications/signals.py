"""Signal receivers: every new agency gets the standard catalogue columns."""

from __future__ import annotations

from typing import Any


def agency_saved(
    sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if created and not raw:
        from gongkai.publications.columns import ensure_standard_columns

        ensure_standard_columns(instance)
