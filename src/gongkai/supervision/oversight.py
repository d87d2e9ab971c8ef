"""The oversight dashboard (监督检查): figures per unit of a supervisor's subtree, each with the
records behind it, and the monthly trend.

Rows: the chosen agency itself (本级, its own records only) and each of its active direct
subordinate units, whose figures cover that unit's whole subtree (e.g. 兴安盟 = the league's
government, its departments, counties and their units). Clicking a unit opens the dashboard rooted
at it. Counts are aggregated in SQL, grouped by the first ``len(root.path) + 8`` characters of
the agency path (the materialised path has fixed-width segments), so the number of queries does
not grow with the number of units.

Metrics (each a named filter shared by the counts and the drill-down lists):

- requests (依申请公开): open; overdue (open and past the cached reply deadline, as
  ``Application.objects.overdue(today)``); replies of the year judged on time / late (on-time rate);
- columns (网站检查): stale, should-update and blank columns from the inspection cache
  (:mod:`gongkai.supervision.inspection`);
- documents published in the year: normative and other documents needing an interpretation whose
  interpretation is missing or late (三同步, 3 working days); documents published more than 20
  working days after they were formed or changed (条例第二十六条) — computed per document by
  :mod:`gongkai.publications.rules`;
- annual report for the previous year (条例第四十九条), from :func:`gongkai.reports.board.board`;
- supervision tasks where the unit is responsible: open, yellow, red;
- complaints received in the year, and those found substantiated.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Min, Q, QuerySet
from django.db.models.functions import ExtractMonth, Substr
from django.utils.translation import gettext_lazy as _

from gongkai.agencies.models import PATH_SEGMENT_WIDTH, Agency, AgencyKind
from gongkai.supervision.models import (
    ColumnCheck,
    ColumnState,
    Complaint,
    ComplaintFinding,
    SupervisionTask,
    TaskStatus,
    TaskUnit,
)

SEGMENT = PATH_SEGMENT_WIDTH + 1

#: metric code → (label, group) for headings and the drill-down page.
METRICS: dict[str, Any] = {
    "open_requests": _("办理中的申请"),
    "overdue_requests": _("逾期未答复的申请"),
    "late_replies": _("本年逾期答复的申请"),
    "replies": _("本年已答复的申请"),
    "stale_columns": _("未按期更新的栏目"),
    "should_update_columns": _("应更新但长期未更新的栏目"),
    "blank_columns": _("空白栏目"),
    "interpretations": _("政策解读缺失或不及时"),
    "late_publications": _("超过20个工作日公开的信息"),
    "annual_reports": _("未按时发布的年度报告"),
    "tasks_open": _("办理中的督办任务"),
    "tasks_red": _("红灯督办任务"),
    "tasks_yellow": _("黄灯督办任务"),
    "complaints": _("本年收到的投诉举报"),
}


def key_length(root: Agency) -> int:
    return len(root.path) + SEGMENT


def subtree(agency: Agency) -> QuerySet[Agency]:
    return Agency.objects.filter(path__startswith=agency.path)


def scope_agencies(agency: Agency, scope: str) -> QuerySet[Agency]:
    """``self``: the agency alone; ``subtree``: the agency and all its subordinate units."""
    if scope == "self":
        return Agency.objects.filter(pk=agency.pk)
    return subtree(agency)


# --- Named filters --------------------------------------------------------------------------------


def request_q(metric: str, year: int, today: dt.date) -> Q:
    from gongkai.applications.models import OPEN_STATUSES

    open_q = Q(status__in=OPEN_STATUSES)
    replied = Q(closed_on__year=year, on_time__isnull=False)
    return {
        "open_requests": open_q,
        "overdue_requests": open_q & Q(due_on__lt=today),
        "replies": replied,
        "late_replies": replied & Q(on_time=False),
    }[metric]


COLUMN_METRICS = {
    "stale_columns": ColumnState.STALE,
    "should_update_columns": ColumnState.SHOULD_UPDATE,
    "blank_columns": ColumnState.BLANK,
}


def task_q(metric: str) -> Q:
    open_q = Q(task__status=TaskStatus.OPEN)
    return {
        "tasks_open": open_q,
        "tasks_red": open_q & Q(light="red"),
        "tasks_yellow": open_q & Q(light="yellow"),
    }[metric]


# --- Document flags (computed per document) -------------------------------------------------------


@dataclass
class DocumentFlag:
    document_id: int
    agency_id: int
    agency_path: str
    title: str
    published_on: dt.date
    kind: str
    message: str


class _CalendarChooser:
    """The working-day calendar of an agency, sharing one calendar per override region (a
    bounded number of queries however many agencies there are)."""

    def __init__(self) -> None:
        from gongkai.workdays.models import CalendarOverride

        self.regions = sorted(
            set(CalendarOverride.objects.regional().values_list("region__path", flat=True)),
            key=len,
            reverse=True,
        )

    def for_path(self, path: str):
        from types import SimpleNamespace

        from gongkai.workdays.calendar import get_calendar

        region = next((p for p in self.regions if path.startswith(p)), "")
        return get_calendar(SimpleNamespace(path=region) if region else None)


def document_flags(agencies: QuerySet[Agency], year: int, today: dt.date) -> list[DocumentFlag]:
    """Interpretation (三同步) and timeliness (第二十六条) flags of the documents ``agencies``
    published in ``year`` (3 queries plus calendar building)."""
    from gongkai.publications import rules
    from gongkai.publications.models import Document, Interpretation
    from gongkai.workdays.calendar import CalendarYearMissing

    docs = list(
        Document.objects.published_in_year(year)
        .filter(agency__in=agencies)
        .values(
            "id",
            "agency_id",
            "agency__path",
            "title",
            "published_on",
            "formed_or_changed_on",
            "deadline_basis",
            "normative_kind",
            "needs_interpretation",
        )
        .order_by("published_on", "id")
    )
    needing = [d["id"] for d in docs if d["normative_kind"] or d["needs_interpretation"]]
    interpretations: dict[int, list[dt.date]] = defaultdict(list)
    if needing:
        links = Interpretation.objects.filter(
            document_id__in=needing,
            interpretation__status="published",
            interpretation__published_on__isnull=False,
        ).values_list("document_id", "interpretation__published_on")
        for document_id, published_on in links:
            interpretations[document_id].append(published_on)
    chooser = _CalendarChooser()
    flags: list[DocumentFlag] = []
    for doc in docs:
        calendar = chooser.for_path(doc["agency__path"])
        try:
            found = rules.flags_for(
                formed_on=doc["formed_or_changed_on"],
                published_on=doc["published_on"],
                requires_interpretation=bool(doc["normative_kind"] or doc["needs_interpretation"]),
                interpretations_published_on=interpretations.get(doc["id"], []),
                today=today,
                calendar=calendar,
                other_deadline_basis=doc["deadline_basis"],
            )
        except CalendarYearMissing:
            continue
        for flag in found:
            kind = (
                "late_publications"
                if flag.kind == rules.FlagKind.PUBLISHED_LATE
                else "interpretations"
            )
            flags.append(
                DocumentFlag(
                    doc["id"],
                    doc["agency_id"],
                    doc["agency__path"],
                    doc["title"],
                    doc["published_on"],
                    kind,
                    flag.message,
                )
            )
    return flags


def report_agencies(agencies: QuerySet[Agency]) -> QuerySet[Agency]:
    """Agencies bound to publish an annual report (条例第四十九条: 县级以上), i.e. not townships."""
    return agencies.exclude(kind=AgencyKind.TOWNSHIP_GOVERNMENT).filter(is_active=True)


# --- The dashboard --------------------------------------------------------------------------------


@dataclass
class Row:
    agency: Agency
    scope: str
    """``self`` (本级) or ``subtree``."""
    figures: dict[str, int] = field(default_factory=dict)
    report_total: int = 0
    report_published: int = 0
    report_light: str = ""
    vetoes: int = 0

    @property
    def on_time_rate(self) -> float | None:
        judged = self.figures.get("replies", 0)
        if not judged:
            return None
        late = self.figures.get("late_replies", 0)
        return round(100 * (judged - late) / judged, 1)

    def get(self, metric: str) -> int:
        return self.figures.get(metric, 0)


@dataclass
class Dashboard:
    root: Agency
    year: int
    report_year: int
    today: dt.date
    rows: list[Row]
    checked_on: dt.date | None
    ancestors: list[Agency]
    flags: list[DocumentFlag] = field(default_factory=list)

    @property
    def total(self) -> Row:
        total = Row(self.root, "subtree")
        for row in self.rows:
            for metric, value in row.figures.items():
                total.figures[metric] = total.figures.get(metric, 0) + value
            total.report_total += row.report_total
            total.report_published += row.report_published
            total.vetoes += row.vetoes
        return total


def _grouped(queryset: QuerySet, path_field: str, length: int, **aggregates: Any) -> dict:
    rows = (
        queryset.annotate(group_key=Substr(path_field, 1, length))
        .values("group_key")
        .annotate(**aggregates)
        .order_by()
    )
    return {row.pop("group_key"): row for row in rows}


def build(root: Agency, year: int, today: dt.date) -> Dashboard:
    """The dashboard rooted at ``root`` for ``year`` (requests, documents, complaints of that
    year; the annual report of ``year - 1``)."""
    from gongkai.applications.models import Application
    from gongkai.reports.board import board
    from gongkai.supervision import inspection

    length = key_length(root)
    units = list(
        Agency.objects.filter(parent=root, is_active=True).order_by("kind", "pinyin_key", "name")
    )
    rows = {root.path: Row(root, "self")}
    for unit in units:
        rows[unit.path] = Row(unit, "subtree")

    def add(key: str, values: dict[str, int]) -> None:
        row = rows.get(key)
        if row is None:  # an inactive unit's records are not shown as a row
            return
        for metric, value in values.items():
            row.figures[metric] = row.figures.get(metric, 0) + int(value or 0)

    in_tree = {"agency__path__startswith": root.path}
    requests = _grouped(
        Application.objects.filter(**in_tree),
        "agency__path",
        length,
        **{
            m: Count("id", filter=request_q(m, year, today))
            for m in ("open_requests", "overdue_requests", "replies", "late_replies")
        },
    )
    for key, values in requests.items():
        add(key, values)

    columns = _grouped(
        ColumnCheck.objects.filter(**in_tree),
        "agency__path",
        length,
        **{m: Count("id", filter=Q(state=s)) for m, s in COLUMN_METRICS.items()},
    )
    for key, values in columns.items():
        add(key, values)
    checked_on = ColumnCheck.objects.filter(**in_tree).aggregate(first=Min("checked_on"))["first"]
    # Single-veto sites: count per agency, then per row.
    per_site = (
        ColumnCheck.objects.filter(**in_tree)
        .values("agency__path")
        .annotate(**{m: Count("id", filter=Q(state=s)) for m, s in COLUMN_METRICS.items()})
        .order_by()
    )
    for site in per_site:
        counts = {state: site[m] for m, state in COLUMN_METRICS.items()}
        if inspection.vetoes(counts):
            row = rows.get(site["agency__path"][:length])
            if row is not None:
                row.vetoes += 1

    flags = document_flags(subtree(root), year, today)
    for flag in flags:
        add(flag.agency_path[:length], {flag.kind: 1})

    tasks = _grouped(
        TaskUnit.objects.filter(**in_tree),
        "agency__path",
        length,
        **{m: Count("id", filter=task_q(m)) for m in ("tasks_open", "tasks_red", "tasks_yellow")},
    )
    for key, values in tasks.items():
        add(key, values)

    complaints = _grouped(
        Complaint.objects.filter(unit__path__startswith=root.path, received_on__year=year),
        "unit__path",
        length,
        complaints=Count("id"),
        substantiated=Count("id", filter=Q(finding=ComplaintFinding.SUBSTANTIATED)),
    )
    for key, values in complaints.items():
        add(key, values)

    report_year = year - 1
    for entry in board(report_agencies(subtree(root)), report_year, today):
        row = rows.get(entry.agency.path[:length])
        if row is None:
            continue
        row.report_total += 1
        if entry.published_on is not None:
            row.report_published += 1
        if entry.light == "red":
            row.figures["annual_reports"] = row.figures.get("annual_reports", 0) + 1
        if entry.agency.pk == row.agency.pk:
            row.report_light = entry.light
    return Dashboard(
        root=root,
        year=year,
        report_year=report_year,
        today=today,
        rows=list(rows.values()),
        checked_on=checked_on,
        ancestors=list(root.ancestors()),
        flags=flags,
    )


# --- Trend per month ------------------------------------------------------------------------------


def trend(
    root: Agency, year: int, today: dt.date, flags: list[DocumentFlag] | None = None
) -> dict[str, Any]:
    """Per month of ``year`` in ``root``'s subtree: requests received, replies late, documents
    published, documents published late, tasks struck off, complaints received. ``flags`` are the
    subtree's document flags when already computed (the dashboard's)."""
    from gongkai.applications.models import Application
    from gongkai.publications.models import Document

    def monthly(queryset: QuerySet, date_field: str) -> list[int]:
        counts = dict(
            queryset.filter(**{f"{date_field}__year": year})
            .annotate(month=ExtractMonth(date_field))
            .values("month")
            .annotate(n=Count("id"))
            .values_list("month", "n")
            .order_by()
        )
        return [counts.get(m, 0) for m in range(1, 13)]

    requests = Application.objects.filter(agency__path__startswith=root.path)
    late_docs = [0] * 12
    if flags is None:
        flags = document_flags(subtree(root), year, today)
    for flag in flags:
        if flag.kind == "late_publications":
            late_docs[flag.published_on.month - 1] += 1
    return {
        "months": [f"{m}月" for m in range(1, 13)],
        "series": {
            "received": monthly(requests, "received_on"),
            "late_replies": monthly(requests.filter(on_time=False), "closed_on"),
            "published": monthly(
                Document.objects.published().filter(agency__path__startswith=root.path),
                "published_on",
            ),
            "late_publications": late_docs,
            "struck_off": monthly(
                SupervisionTask.objects.filter(
                    supervising_agency__path__startswith=root.path, status=TaskStatus.STRUCK_OFF
                ),
                "struck_off_on",
            ),
            "complaints": monthly(
                Complaint.objects.filter(unit__path__startswith=root.path), "received_on"
            ),
        },
    }
