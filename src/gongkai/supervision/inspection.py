"""Website inspection of catalogue columns (栏目不更新): 《政府网站与政务新媒体检查指标》
(国办秘函〔2019〕19号), single-veto item 「栏目不更新」:

    1.监测时间点前2周内的动态、要闻类栏目，以及监测时间点前6个月内的通知公告、政策文件类一级栏目，
    累计超过（含）5个未更新。2.应更新但长期未更新的栏目数量超过（含）10个。3.空白栏目数量超过（含）5个。

and the 2015 note 「未注明信息发布时间的视为不更新」. The thresholds per column kind, the columns
not checked and the veto counts are data (``data/inspection_rules.json``), since supervising
offices often apply stricter local limits.

Definitions (docs/decisions.md, "Stale columns"):

- a column's items are its *published* documents; its last update is the latest 发布日期 among them;
  items without a publication date never count as an update;
- **blank** (空白栏目): an active column with no published item at all;
- **stale** / **should update**: the last update is older than the threshold of the column's kind
  (news: 14 days; notices and policy documents: 6 calendar months; other kinds: 12 months as
  "应更新但长期未更新"), or there is no dated item; exactly at the threshold is still fresh;
- a column with active sub-columns is a container: its sub-columns are checked, not itself;
- columns in ``not_checked`` (guide, request form, annual reports: content kept elsewhere) are
  skipped; columns in ``no_update_expected`` (机构简介 …) only count when blank.

:func:`column_state` is pure; :func:`refresh` stores the result in :class:`ColumnCheck` (the cache
the dashboard counts from), run by ``gongkai supervision tick`` and the dashboard's 「重新检查」.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext as _

from gongkai.agencies.models import Agency
from gongkai.supervision.models import ColumnCheck, ColumnState

RULES_FILE = Path(__file__).resolve().parent / "data" / "inspection_rules.json"


@dataclass(frozen=True)
class Threshold:
    days: int = 0
    months: int = 0
    counts_as: str = ColumnState.STALE

    def oldest_fresh(self, today: dt.date) -> dt.date:
        """The oldest last-update date that still counts as updated on ``today``."""
        return subtract_months(today - dt.timedelta(days=self.days), self.months)

    def describe(self) -> str:
        if self.months:
            return _("%(n)d个月") % {"n": self.months}
        if self.days % 7 == 0:
            return _("%(n)d周") % {"n": self.days // 7}
        return _("%(n)d天") % {"n": self.days}


@dataclass(frozen=True)
class InspectionRules:
    thresholds: dict[str, Threshold]
    no_update_expected: frozenset[str]
    not_checked: frozenset[str]
    veto_at: dict[str, int]


def subtract_months(day: dt.date, months: int) -> dt.date:
    """``day`` minus calendar months, clamped to the month's last day (8-31 − 6 → 2-28/29)."""
    if not months:
        return day
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    last = pycalendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def parse_rules(data: dict) -> InspectionRules:
    thresholds = {
        kind: Threshold(
            days=int(spec.get("days", 0)),
            months=int(spec.get("months", 0)),
            counts_as=spec.get("counts_as", ColumnState.STALE),
        )
        for kind, spec in data.get("update_thresholds", {}).items()
        if spec
    }
    return InspectionRules(
        thresholds=thresholds,
        no_update_expected=frozenset(data.get("no_update_expected", [])),
        not_checked=frozenset(data.get("not_checked", [])),
        veto_at={k: int(v) for k, v in data.get("veto_at", {}).items()},
    )


@cache
def load_rules() -> InspectionRules:
    return parse_rules(json.loads(RULES_FILE.read_text(encoding="utf-8")))


def column_state(
    *,
    kind: str,
    code: str,
    items: int,
    last_updated_on: dt.date | None,
    today: dt.date,
    rules: InspectionRules | None = None,
    is_container: bool = False,
) -> str:
    """The inspection state of one column on ``today`` (a :class:`ColumnState` value)."""
    rules = rules or load_rules()
    if is_container or code in rules.not_checked:
        return ColumnState.NOT_CHECKED
    if items <= 0:
        return ColumnState.BLANK
    if code in rules.no_update_expected:
        return ColumnState.OK
    threshold = rules.thresholds.get(kind)
    if threshold is None:
        return ColumnState.OK
    if last_updated_on is None or last_updated_on < threshold.oldest_fresh(today):
        return threshold.counts_as
    return ColumnState.OK


COUNTED_STATES = (ColumnState.STALE, ColumnState.SHOULD_UPDATE, ColumnState.BLANK)


def vetoes(counts: dict[str, int], rules: InspectionRules | None = None) -> list[str]:
    """The single-veto findings (单项否决) of one site from its per-state column counts."""
    rules = rules or load_rules()
    labels = {
        ColumnState.STALE: _("未按期更新的栏目%(n)d个（达到%(limit)d个即单项否决）"),
        ColumnState.SHOULD_UPDATE: _(
            "应更新但长期未更新的栏目%(n)d个（达到%(limit)d个即单项否决）"
        ),
        ColumnState.BLANK: _("空白栏目%(n)d个（达到%(limit)d个即单项否决）"),
    }
    found = []
    for state in COUNTED_STATES:
        limit = rules.veto_at.get(state)
        n = counts.get(state, 0)
        if limit and n >= limit:
            found.append(labels[state] % {"n": n, "limit": limit})
    return found


@dataclass
class RefreshResult:
    checked: int = 0
    counts: dict[str, int] | None = None


def refresh(agencies: QuerySet[Agency], today: dt.date) -> RefreshResult:
    """Recompute and store the state of every active column of ``agencies`` (3 queries + writes).

    Idempotent: a second run on the same day writes the same rows.
    """
    from gongkai.publications.models import Column, DocumentStatus

    published = Q(documents__status=DocumentStatus.PUBLISHED)
    rows = list(
        Column.objects.filter(agency__in=agencies, is_active=True)
        .values("id", "parent_id", "agency_id", "code", "kind")
        .annotate(
            n=Count("documents", filter=published),
            undated=Count("documents", filter=published & Q(documents__published_on__isnull=True)),
            last=Max("documents__published_on", filter=published),
        )
        .order_by()
    )
    containers = {row["parent_id"] for row in rows if row["parent_id"]}
    rules = load_rules()
    checks = [
        ColumnCheck(
            column_id=row["id"],
            agency_id=row["agency_id"],
            state=column_state(
                kind=row["kind"],
                code=row["code"],
                items=row["n"],
                last_updated_on=row["last"],
                today=today,
                rules=rules,
                is_container=row["id"] in containers,
            ),
            last_updated_on=row["last"],
            items=row["n"],
            undated_items=row["undated"],
            checked_on=today,
        )
        for row in rows
    ]
    ColumnCheck.objects.filter(agency__in=agencies).exclude(
        column_id__in=[c.column_id for c in checks]
    ).delete()
    if checks:
        ColumnCheck.objects.bulk_create(
            checks,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["column"],
            update_fields=[
                "agency",
                "state",
                "last_updated_on",
                "items",
                "undated_items",
                "checked_on",
            ],
        )
    counts: dict[str, int] = {}
    for check in checks:
        counts[check.state] = counts.get(check.state, 0) + 1
    return RefreshResult(len(checks), counts)
