"""The monthly dispatch report (月调度): every task of a supervising agency's year, with its units,
due date, light, the progress reported for the month and the month's urging, exported to DOCX
(python-docx, landscape A4, the official font names) and XLSX (openpyxl).

The light shown is the one on the report's day: the last day of the month, or today for the
current month.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from gongkai.agencies.models import Agency
from gongkai.core.dates import format_chinese_date
from gongkai.supervision import lights
from gongkai.supervision.models import (
    ActionKind,
    ProgressReport,
    SupervisionTask,
    TaskAction,
    TaskStatus,
    TaskUnit,
)
from gongkai.workdays.calendar import CalendarYearMissing, get_calendar

LIGHT_TEXT = {"green": "绿灯", "yellow": "黄灯", "red": "红灯", None: "—", "": "—"}


@dataclass
class UnitProgress:
    name: str
    role: str
    light: str | None
    reports: list[str]
    missing: bool


@dataclass
class DispatchRow:
    task: SupervisionTask
    leads: list[str]
    cooperating: list[str]
    light: str | None
    units: list[UnitProgress]
    urged: int = 0
    followed_up: int = 0

    @property
    def status_text(self) -> str:
        if self.task.status == TaskStatus.STRUCK_OFF:
            return _("已销账（%(day)s）") % {"day": format_chinese_date(self.task.struck_off_on)}
        return _("办理中")

    @property
    def progress_text(self) -> str:
        parts = []
        for unit in self.units:
            if unit.reports:
                parts.append(f"{unit.name}：" + "；".join(unit.reports))
            elif unit.missing:
                parts.append(_("%(name)s：本月未报告") % {"name": unit.name})
        return "\n".join(parts) or "—"


@dataclass
class Dispatch:
    agency: Agency
    month: dt.date
    as_of: dt.date
    rows: list[DispatchRow] = field(default_factory=list)

    @property
    def title(self) -> str:
        return _("%(agency)s督办任务月调度表（%(year)d年%(month)d月）") % {
            "agency": self.agency.name,
            "year": self.month.year,
            "month": self.month.month,
        }

    @property
    def counts(self) -> dict[str, int]:
        counts = {"total": len(self.rows), "struck_off": 0, "green": 0, "yellow": 0, "red": 0}
        for row in self.rows:
            if row.task.status == TaskStatus.STRUCK_OFF:
                counts["struck_off"] += 1
            elif row.light:
                counts[row.light] += 1
        return counts

    @property
    def summary(self) -> str:
        c = self.counts
        return _(
            "截至%(day)s，共有督办任务%(total)d项：已销账%(struck)d项，绿灯%(green)d项，"
            "黄灯%(yellow)d项，红灯%(red)d项。"
        ) % {
            "day": format_chinese_date(self.as_of),
            "total": c["total"],
            "struck": c["struck_off"],
            "green": c["green"],
            "yellow": c["yellow"],
            "red": c["red"],
        }


def build(agency: Agency, month: dt.date, today: dt.date) -> Dispatch:
    """The dispatch of ``agency``'s tasks of ``month.year`` for ``month`` (4 queries)."""
    month = lights.month_start(month)
    end = lights.month_end(month)
    as_of = min(end, today)
    tasks = list(
        SupervisionTask.objects.filter(supervising_agency=agency, year=month.year)
        .prefetch_related(
            Prefetch("units", queryset=TaskUnit.objects.select_related("agency").order_by("id"))
        )
        .order_by("id")
    )
    unit_ids = [u.pk for t in tasks for u in t.units.all()]
    reports_in_month: dict[int, list[str]] = defaultdict(list)
    reported: dict[int, set[dt.date]] = defaultdict(set)
    for unit_id, period, text in (
        ProgressReport.objects.filter(unit_id__in=unit_ids, period__lte=month)
        .values_list("unit_id", "period", "text")
        .order_by("created_at", "id")
    ):
        reported[unit_id].add(period)
        if period == month:
            reports_in_month[unit_id].append(text)
    actions: dict[tuple[int, str], int] = defaultdict(int)
    for task_id, kind in TaskAction.objects.filter(
        task__in=[t.pk for t in tasks], on__gte=month, on__lte=end
    ).values_list("task_id", "kind"):
        actions[(task_id, kind)] += 1
    calendar = get_calendar(agency)
    dispatch = Dispatch(agency, month, as_of)
    for task in tasks:
        struck = task.status == TaskStatus.STRUCK_OFF and task.struck_off_on <= as_of
        units = []
        for unit in task.units.all():
            try:
                light = lights.unit_light(
                    due_on=task.due_on,
                    today=as_of,
                    calendar=calendar,
                    struck_off=struck,
                    monthly=task.monthly_reporting,
                    is_lead=unit.is_lead,
                    issued_on=task.issued_on,
                    reported_months=reported.get(unit.pk, ()),
                )
            except CalendarYearMissing:
                light = unit.light or None
            units.append(
                UnitProgress(
                    unit.agency.display_name,
                    unit.role,
                    light,
                    reports_in_month.get(unit.pk, []),
                    missing=bool(
                        task.monthly_reporting
                        and unit.is_lead
                        and not struck
                        and task.issued_on <= end
                        and not reports_in_month.get(unit.pk)
                    ),
                )
            )
        dispatch.rows.append(
            DispatchRow(
                task=task,
                leads=[u.name for u in units if u.role == "lead"],
                cooperating=[u.name for u in units if u.role != "lead"],
                light=None if struck else lights.worst([u.light for u in units]) or None,
                units=units,
                urged=actions[(task.pk, ActionKind.URGE)],
                followed_up=actions[(task.pk, ActionKind.FOLLOW_UP)],
            )
        )
    return dispatch


HEADERS = (
    "编号",
    "任务",
    "牵头单位",
    "配合单位",
    "完成时限",
    "本月进展",
    "预警",
    "状态",
    "本月催办/盯办",
)


def _cells(row: DispatchRow) -> list[str]:
    return [
        row.task.number,
        row.task.title,
        "、".join(row.leads),
        "、".join(row.cooperating) or "—",
        format_chinese_date(row.task.due_on),
        row.progress_text,
        LIGHT_TEXT.get(row.light, "—"),
        row.status_text,
        f"{row.urged}/{row.followed_up}",
    ]


def to_xlsx(dispatch: Dispatch) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    sheet = book.active
    sheet.title = _("月调度")
    sheet.append([dispatch.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([dispatch.summary])
    sheet.append(list(HEADERS))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    fills = {"red": "FFC7CE", "yellow": "FFEB9C", "green": "C6EFCE"}
    for row in dispatch.rows:
        sheet.append(_cells(row))
        if row.light in fills:
            sheet.cell(row=sheet.max_row, column=7).fill = PatternFill(
                "solid", fgColor=fills[row.light]
            )
    for column, width in zip("ABCDEFGHI", (10, 40, 24, 24, 14, 60, 8, 18, 12), strict=True):
        sheet.column_dimensions[column].width = width
    for line in sheet.iter_rows(min_row=4):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_docx(dispatch: Dispatch) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    def font(target, name: str, size: float, bold: bool = False) -> None:
        target.font.name = name
        target.font.size = Pt(size)
        target.font.bold = bold
        element = target.element if hasattr(target, "element") else target._element
        element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin = section.right_margin = Mm(20)
    font(doc.styles["Normal"], "仿宋_GB2312", 12)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    font(title.add_run(dispatch.title), "方正小标宋简体", 18)
    doc.add_paragraph(dispatch.summary)
    table = doc.add_table(rows=1, cols=len(HEADERS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, HEADERS, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            font(run, "黑体", 10, bold=True)
    for row in dispatch.rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, _cells(row), strict=True):
            cell.text = text
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    font(run, "仿宋_GB2312", 10)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
