"""Console pages of oversight: the dashboard with drill-down and trend, the assessment (indicators,
manual scores, the score table and its export). Supervisors only; agencies outside the user's
supervisor scope are not found (404).
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from gongkai.core import dates
from gongkai.supervision import assessment, indicators, inspection, oversight
from gongkai.supervision.forms import IndicatorForm, ManualScoreForm
from gongkai.supervision.models import (
    ColumnCheck,
    Complaint,
    Indicator,
    IndicatorRule,
    TaskUnit,
)
from gongkai.supervision.views.common import (
    chosen_agency,
    run,
    supervised_agencies,
    supervising_choices,
    supervisor_view,
    year_param,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DRILL_LIMIT = 500


# --- Dashboard ------------------------------------------------------------------------------------


@require_GET
@supervisor_view
def dashboard(request: HttpRequest) -> HttpResponse:
    root = chosen_agency(request, supervised_agencies(request.user))
    if root is None:
        raise Http404
    year = year_param(request)
    today = dates.today()
    board = oversight.build(root, year, today)
    scope_ids = set(supervised_agencies(request.user).values_list("pk", flat=True))
    return render(
        request,
        "supervision/staff/dashboard.html",
        {
            "board": board,
            "total": board.total,
            "trend": oversight.trend(root, year, today, board.flags),
            "years": range(today.year, today.year - 6, -1),
            "ancestors": [a for a in board.ancestors if a.pk in scope_ids],
            "today": today,
        },
    )


@require_POST
@supervisor_view
def recheck(request: HttpRequest) -> HttpResponse:
    """Re-run the website inspection of the root's subtree now (otherwise done by the tick)."""
    root = chosen_agency(request, supervised_agencies(request.user))
    if root is None:
        raise Http404
    result = inspection.refresh(oversight.subtree(root), dates.today())
    messages.success(request, _("已重新检查 %(n)d 个栏目。") % {"n": result.checked})
    return redirect(f"{reverse('supervision_staff:dashboard')}?agency={root.code}")


@require_GET
@supervisor_view
def drill(request: HttpRequest, code: str, metric: str) -> HttpResponse:
    """The records behind one figure of the dashboard."""
    from gongkai.applications.models import Application
    from gongkai.reports.board import board as report_board

    agency = get_object_or_404(supervised_agencies(request.user), code=code)
    if metric not in oversight.METRICS:
        raise Http404
    scope = "self" if request.GET.get("scope") == "self" else "subtree"
    year = year_param(request)
    today = dates.today()
    agencies = oversight.scope_agencies(agency, scope)
    context: dict[str, Any] = {
        "agency": agency,
        "metric": metric,
        "label": oversight.METRICS[metric],
        "scope": scope,
        "year": year,
        "kind": "",
    }
    if metric in ("open_requests", "overdue_requests", "replies", "late_replies"):
        context["kind"] = "requests"
        context["rows"] = (
            Application.objects.filter(agency__in=agencies)
            .filter(oversight.request_q(metric, year, today))
            .select_related("agency")
            .order_by("due_on", "id")[:DRILL_LIMIT]
        )
    elif metric in oversight.COLUMN_METRICS:
        context["kind"] = "columns"
        context["rows"] = (
            ColumnCheck.objects.filter(agency__in=agencies, state=oversight.COLUMN_METRICS[metric])
            .select_related("column", "column__parent", "agency")
            .order_by("agency__path", "column__order")[:DRILL_LIMIT]
        )
        context["rules"] = inspection.load_rules()
    elif metric in ("interpretations", "late_publications"):
        context["kind"] = "documents"
        context["rows"] = [
            f for f in oversight.document_flags(agencies, year, today) if f.kind == metric
        ][:DRILL_LIMIT]
    elif metric == "annual_reports":
        context["kind"] = "reports"
        context["report_year"] = year - 1
        context["rows"] = report_board(oversight.report_agencies(agencies), year - 1, today)
    elif metric.startswith("tasks_"):
        context["kind"] = "tasks"
        context["rows"] = (
            TaskUnit.objects.filter(agency__in=agencies)
            .filter(oversight.task_q(metric))
            .select_related("task", "task__supervising_agency", "agency")
            .order_by("task__due_on", "id")[:DRILL_LIMIT]
        )
    else:
        context["kind"] = "complaints"
        context["rows"] = (
            Complaint.objects.filter(unit__in=agencies, received_on__year=year)
            .select_related("unit")
            .order_by("-received_on", "-id")[:DRILL_LIMIT]
        )
    context["limit"] = DRILL_LIMIT
    return render(request, "supervision/staff/drill.html", context)


# --- Assessment -----------------------------------------------------------------------------------


def _assessment_agency(request: HttpRequest):
    agency = chosen_agency(request, supervising_choices(request.user))
    if agency is None:
        raise Http404
    return agency


def _indicator(request: HttpRequest, pk: int) -> Indicator:
    return get_object_or_404(
        Indicator.objects.filter(
            supervising_agency__in=supervising_choices(request.user)
        ).select_related("supervising_agency"),
        pk=pk,
    )


def _assessment_url(agency, year: int) -> str:
    return f"{reverse('supervision_staff:assessment')}?agency={agency.code}&year={year}"


@require_GET
@supervisor_view
def assessment_view(request: HttpRequest) -> HttpResponse:
    agency = _assessment_agency(request)
    year = year_param(request)
    table = assessment.score_table(agency, year, dates.today())
    return render(
        request,
        "supervision/staff/assessment.html",
        {
            "table": table,
            "agency": agency,
            "year": year,
            "years": range(dates.today().year, dates.today().year - 6, -1),
            "agencies": supervising_choices(request.user),
            "form": IndicatorForm(),
            "manual": [i for i in table.indicators if i.rule == IndicatorRule.MANUAL],
        },
    )


@require_POST
@supervisor_view
def indicator_new(request: HttpRequest) -> HttpResponse:
    agency = _assessment_agency(request)
    year = year_param(request)
    form = IndicatorForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        if run(
            request,
            lambda: indicators.save_indicator(
                request.user, supervising_agency=agency, year=year, **data
            ),
            form,
        ):
            messages.success(request, _("指标已保存。"))
            return redirect(_assessment_url(agency, year))
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect(_assessment_url(agency, year))


@supervisor_view
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _indicator(request, pk)
    if request.method == "POST":
        form = IndicatorForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if run(
                request,
                lambda: indicators.save_indicator(
                    request.user,
                    supervising_agency=indicator.supervising_agency,
                    year=indicator.year,
                    indicator=indicator,
                    **data,
                ),
                form,
            ):
                messages.success(request, _("指标已保存。"))
                return redirect(_assessment_url(indicator.supervising_agency, indicator.year))
    else:
        form = IndicatorForm(
            initial={
                "name": indicator.name,
                "weight": indicator.weight,
                "rule": indicator.rule,
                "per_item": indicator.per_item,
                "order": indicator.order,
                "description": indicator.description,
            }
        )
    return render(
        request, "supervision/staff/indicator.html", {"form": form, "indicator": indicator}
    )


@require_POST
@supervisor_view
def indicator_delete(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _indicator(request, pk)
    agency, year = indicator.supervising_agency, indicator.year
    if run(request, lambda: indicators.delete_indicator(request.user, indicator)):
        messages.success(request, _("指标已删除。"))
    return redirect(_assessment_url(agency, year))


@require_POST
@supervisor_view
def indicator_defaults(request: HttpRequest) -> HttpResponse:
    agency = _assessment_agency(request)
    year = year_param(request)
    created = run(request, lambda: indicators.load_defaults(request.user, agency, year))
    if created is not None:
        messages.success(request, _("已添加 %(n)d 项默认指标。") % {"n": created})
    return redirect(_assessment_url(agency, year))


@require_POST
@supervisor_view
def manual_score(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    indicator = _indicator(request, pk)
    unit = get_object_or_404(assessment.assessed_units(indicator.supervising_agency), code=code)
    form = ManualScoreForm(request.POST)
    if form.is_valid() and run(
        request,
        lambda: indicators.set_manual_score(
            request.user, indicator, unit, form.cleaned_data["score"], form.cleaned_data["reason"]
        ),
    ):
        messages.success(request, _("已评分：%(unit)s。") % {"unit": unit.name})
    elif not form.is_valid():
        messages.error(request, _("请填写得分。"))
    return redirect(_assessment_url(indicator.supervising_agency, indicator.year))


@require_GET
@supervisor_view
def assessment_export(request: HttpRequest) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    agency = _assessment_agency(request)
    year = year_param(request)
    table = assessment.score_table(agency, year, dates.today())
    book = Workbook()
    sheet = book.active
    sheet.title = _("得分")
    sheet.append(
        [_("%(agency)s %(year)d年度政务公开工作考核得分") % {"agency": agency.name, "year": year}]
    )
    sheet["A1"].font = Font(bold=True, size=14)
    header = [_("排名"), _("单位")]
    header += [f"{i.name}（{i.weight}）" for i in table.indicators]
    header += [_("总分（满分%(n)s）") % {"n": table.full_marks}]
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True)
    for unit in table.units:
        sheet.append(
            [unit.rank, unit.agency.name, *[float(c.score) for c in unit.cells], float(unit.total)]
        )
    sheet.column_dimensions["B"].width = 36
    details = book.create_sheet(_("扣分明细"))
    details.append([_("单位"), _("指标"), _("扣分"), _("理由")])
    for cell in details[1]:
        cell.font = Font(bold=True)
    for unit in table.units:
        for cell in unit.cells:
            for deduction in cell.deductions:
                details.append(
                    [
                        unit.agency.name,
                        cell.indicator.name,
                        float(deduction.points),
                        deduction.reason,
                    ]
                )
    details.column_dimensions["A"].width = 36
    details.column_dimensions["B"].width = 24
    details.column_dimensions["D"].width = 60
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{agency.code}-{year}-assessment.xlsx"'
    return response
