"""Annual assessment (考核) of subordinate units on disclosure work (DOMAIN §5: at least 4% of the
performance assessment; indicators on timeliness, interpretations, request handling, website
inspection items).

A supervising agency defines :class:`Indicator` rows for a year, each with a weight (分值) and a
rule. The units assessed are the active agencies directly under the supervising agency (for a
government: its departments and the next level's governments); each unit is judged on its whole
subtree, with the figures of the oversight dashboard (:mod:`gongkai.supervision.oversight`).

Arithmetic (docs/decisions.md, "Assessment arithmetic"), in ``Decimal`` rounded half-up to 0.01:

- proportional rules: score = weight × rate (no cases → full weight);
- per-item rules: score = max(0, weight − per_item × count);
- 栏目更新: a unit with any single-veto site (单项否决) scores 0 on that indicator;
- manual rules: the supervisor's score, clamped to [0, weight]; not yet scored → 0, flagged;
- total = sum of the indicator scores; ranking by total, ties share a rank (1, 1, 3).

Every deduction comes with its reason and the drill-down metric behind it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from gongkai.agencies.models import Agency
from gongkai.supervision import oversight
from gongkai.supervision.models import (
    Indicator,
    IndicatorRule,
    ManualScore,
    TaskStatus,
    TaskUnit,
    UnitRole,
)

CENT = Decimal("0.01")


def q(value: Decimal | int | float) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Deduction:
    points: Decimal
    reason: str
    metric: str = ""


@dataclass
class Cell:
    indicator: Indicator
    score: Decimal
    deductions: list[Deduction] = field(default_factory=list)
    pending: bool = False


@dataclass
class UnitScore:
    agency: Agency
    cells: list[Cell]
    rank: int = 0

    @property
    def total(self) -> Decimal:
        return q(sum((c.score for c in self.cells), Decimal(0)))

    @property
    def pending(self) -> bool:
        return any(c.pending for c in self.cells)


@dataclass
class ScoreTable:
    supervising_agency: Agency
    year: int
    indicators: list[Indicator]
    units: list[UnitScore]

    @property
    def full_marks(self) -> Decimal:
        return q(sum((i.weight for i in self.indicators), Decimal(0)))


def per_item(weight: Decimal, each: Decimal, count: int, reason: str, metric: str) -> Cell:
    """Deduct ``each`` per item, never below zero."""
    deducted = min(weight, q(each * count))
    deductions = [Deduction(deducted, reason, metric)] if count and deducted else []
    return Cell(None, q(weight - deducted), deductions)  # type: ignore[arg-type]


def proportional(
    weight: Decimal, good: int, total: int, reason: str, metric: str, *, empty_full: bool = True
) -> Cell:
    """``weight × good / total``; no cases → full weight."""
    if total <= 0:
        return Cell(None, q(weight) if empty_full else Decimal(0))  # type: ignore[arg-type]
    score = q(weight * Decimal(good) / Decimal(total))
    deducted = q(weight - score)
    deductions = [Deduction(deducted, reason, metric)] if deducted else []
    return Cell(None, score, deductions)  # type: ignore[arg-type]


def late_lead_tasks(root: Agency, year: int, today: dt.date) -> dict[str, int]:
    """Per row key: lead responsibilities for tasks of ``year`` not done on time (still open
    after the due date, or struck off after it)."""
    late = Q(task__status=TaskStatus.OPEN, task__due_on__lt=today) | Q(
        task__status=TaskStatus.STRUCK_OFF, task__struck_off_on__gt=F("task__due_on")
    )
    grouped = oversight._grouped(
        TaskUnit.objects.filter(
            agency__path__startswith=root.path, role=UnitRole.LEAD, task__year=year
        ),
        "agency__path",
        oversight.key_length(root),
        late=Count("id", filter=late),
    )
    return {key: row["late"] for key, row in grouped.items()}


def score_cell(
    indicator: Indicator,
    row: oversight.Row,
    *,
    late_tasks: int,
    manual: ManualScore | None,
) -> Cell:
    weight = q(indicator.weight)
    each = q(indicator.per_item)
    rule = indicator.rule
    if rule == IndicatorRule.REQUESTS_ON_TIME:
        replies, late = row.get("replies"), row.get("late_replies")
        cell = proportional(
            weight,
            replies - late,
            replies,
            _("本年答复%(n)d件，逾期答复%(late)d件") % {"n": replies, "late": late},
            "late_replies",
        )
    elif rule == IndicatorRule.REQUESTS_OVERDUE:
        n = row.get("overdue_requests")
        cell = per_item(
            weight,
            each,
            n,
            _("逾期未答复的申请%(n)d件，每件扣%(each)s分") % {"n": n, "each": each},
            "overdue_requests",
        )
    elif rule == IndicatorRule.STALE_COLUMNS:
        if row.vetoes:
            cell = Cell(
                indicator,
                Decimal("0.00"),
                [
                    Deduction(
                        weight,
                        _("%(n)d个网站栏目达到单项否决标准，本项不得分") % {"n": row.vetoes},
                        "stale_columns",
                    )
                ],
            )
        else:
            parts = [
                ("stale_columns", _("未按期更新的栏目")),
                ("should_update_columns", _("应更新但长期未更新的栏目")),
                ("blank_columns", _("空白栏目")),
            ]
            n = sum(row.get(m) for m, _label in parts)
            detail = "，".join(f"{label}{row.get(m)}个" for m, label in parts if row.get(m))
            cell = per_item(
                weight,
                each,
                n,
                _("%(detail)s，每个扣%(each)s分") % {"detail": detail, "each": each},
                "stale_columns",
            )
    elif rule == IndicatorRule.INTERPRETATIONS:
        n = row.get("interpretations")
        cell = per_item(
            weight,
            each,
            n,
            _("政策解读缺失或不及时%(n)d件，每件扣%(each)s分") % {"n": n, "each": each},
            "interpretations",
        )
    elif rule == IndicatorRule.PUBLICATION_TIMELINESS:
        n = row.get("late_publications")
        cell = per_item(
            weight,
            each,
            n,
            _("超过20个工作日公开的信息%(n)d件，每件扣%(each)s分") % {"n": n, "each": each},
            "late_publications",
        )
    elif rule == IndicatorRule.ANNUAL_REPORT:
        total, late = row.report_total, row.get("annual_reports")
        cell = proportional(
            weight,
            total - late,
            total,
            _("应发布年度报告%(n)d个，未按时发布%(late)d个") % {"n": total, "late": late},
            "annual_reports",
        )
    elif rule == IndicatorRule.TASKS:
        cell = per_item(
            weight,
            each,
            late_tasks,
            _("牵头的督办任务逾期%(n)d项，每项扣%(each)s分") % {"n": late_tasks, "each": each},
            "tasks_red",
        )
    elif rule == IndicatorRule.COMPLAINTS:
        n = row.get("substantiated")
        cell = per_item(
            weight,
            each,
            n,
            _("投诉举报查证属实%(n)d件，每件扣%(each)s分") % {"n": n, "each": each},
            "complaints",
        )
    else:  # manual
        if manual is None:
            cell = Cell(indicator, Decimal("0.00"), [Deduction(weight, _("尚未评分"))], True)
        else:
            score = max(Decimal(0), min(weight, q(manual.score)))
            deducted = q(weight - score)
            reason = manual.reason or _("人工评分")
            cell = Cell(indicator, score, [Deduction(deducted, reason)] if deducted else [])
    cell.indicator = indicator
    return cell


def assessed_units(supervising_agency: Agency) -> QuerySet[Agency]:
    return Agency.objects.filter(parent=supervising_agency, is_active=True).order_by(
        "kind", "pinyin_key", "name"
    )


def rank(units: list[UnitScore]) -> list[UnitScore]:
    """Order by total (highest first); equal totals share a rank, the next rank skips (1, 1, 3)."""
    ordered = sorted(units, key=lambda u: (-u.total, u.agency.pinyin_key, u.agency.name))
    previous: Decimal | None = None
    for position, unit in enumerate(ordered, start=1):
        if previous is None or unit.total != previous:
            unit.rank = position
        else:
            unit.rank = ordered[position - 2].rank
        previous = unit.total
    return ordered


def score_table(supervising_agency: Agency, year: int, today: dt.date) -> ScoreTable:
    """Scores of every assessed unit on every indicator of ``year``, ranked."""
    indicators = list(Indicator.objects.filter(supervising_agency=supervising_agency, year=year))
    dashboard = oversight.build(supervising_agency, year, today)
    rows = {row.agency.pk: row for row in dashboard.rows if row.scope == "subtree"}
    late = late_lead_tasks(supervising_agency, year, today)
    manual = {
        (m.indicator_id, m.unit_id): m
        for m in ManualScore.objects.filter(indicator__in=[i.pk for i in indicators])
    }
    units = []
    for agency in assessed_units(supervising_agency):
        row = rows.get(agency.pk) or oversight.Row(agency, "subtree")
        cells = [
            score_cell(
                indicator,
                row,
                late_tasks=late.get(agency.path, 0),
                manual=manual.get((indicator.pk, agency.pk)),
            )
            for indicator in indicators
        ]
        units.append(UnitScore(agency, cells))
    return ScoreTable(supervising_agency, year, indicators, rank(units))
