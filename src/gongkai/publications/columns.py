"""The standard catalogue columns (栏目) every agency gets (国办公开办函〔2019〕61号 + Inner Mongolia).

The template is ``data/columns.json``. :func:`ensure_standard_columns` creates the columns an
agency lacks (by code) and never changes existing ones, so agencies may rename or reorder them.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from gongkai.agencies.models import Agency

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def standard_columns() -> list[dict[str, Any]]:
    """The column template: ``[{code, name, kind, national, children: [...]}, …]``."""
    with open(DATA_DIR / "columns.json", encoding="utf-8") as handle:
        return json.load(handle)["columns"]


def standard_column_names() -> dict[str, str]:
    """``{code: name}`` of every standard column, first-level and sub-columns."""
    names: dict[str, str] = {}
    for entry in standard_columns():
        names[entry["code"]] = entry["name"]
        for child in entry.get("children", []):
            names[child["code"]] = child["name"]
    return names


def ensure_standard_columns(agency: Agency, column_model: Any = None) -> int:
    """Create the standard columns ``agency`` does not have yet; return how many were created.

    ``column_model`` lets a data migration pass its historical model.
    """
    if column_model is None:
        from gongkai.publications.models import Column as column_model
    existing = dict(column_model.objects.filter(agency_id=agency.pk).values_list("code", "pk"))
    template = standard_columns()
    tops = [
        column_model(
            agency_id=agency.pk,
            code=entry["code"],
            name=entry["name"],
            kind=entry["kind"],
            is_national=bool(entry.get("national")),
            is_standard=True,
            order=order * 10,
        )
        for order, entry in enumerate(template, start=1)
        if entry["code"] not in existing
    ]
    if tops:
        column_model.objects.bulk_create(tops)
        existing.update({c.code: c.pk for c in tops})
    children = [
        column_model(
            agency_id=agency.pk,
            parent_id=existing[entry["code"]],
            code=child["code"],
            name=child["name"],
            kind=child["kind"],
            is_standard=True,
            order=order * 10 + index,
        )
        for order, entry in enumerate(template, start=1)
        for index, child in enumerate(entry.get("children", []), start=1)
        if child["code"] not in existing
    ]
    if children:
        column_model.objects.bulk_create(children)
    return len(tops) + len(children)
