"""Staff console for annual reports: overview, the report page, typed cells, sections, lock,
publish, exports, drill-down, and the publication deadline board. Thin: rules live elsewhere."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongkai.agencies.models import Agency
from gongkai.agencies.scoping import agencies_for, has_role
from gongkai.core.dates import today
from gongkai.core.errors import DomainError
from gongkai.reports import board as board_mod
from gongkai.reports import (
    compute,
    document,
    formats,
    forms,
    locking,
    statistics,
    suggestions,
    trends,
)
from gongkai.reports.models import AnnualReport, ReportStatus, Scope
from gongkai.reports.permissions import EDIT_ROLES, PUBLISH_ROLES, READ_ROLES
from gongkai.reports.renderers import RENDERERS
from gongkai.site import audit

CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _agency(request: HttpRequest, code: str) -> Agency:
    """An agency the user may read reports of; 404 otherwise (existence not revealed)."""
    return get_object_or_404(agencies_for(request.user, READ_ROLES), code=code)


def _scope(value: str) -> str:
    if value not in Scope.values:
        raise Http404
    return value


def _report(agency: Agency, year: int, scope: str) -> AnnualReport:
    if not 2019 <= year <= today().year:
        raise Http404
    report, _ = AnnualReport.objects.get_or_create(agency=agency, year=year, scope=scope)
    return report


def _require(request: HttpRequest, agency: Agency, roles) -> None:
    if not has_role(request.user, agency, roles):
        raise PermissionDenied("您没有编辑该年度报告的权限。")


def _data(report: AnnualReport) -> dict:
    """Locked reports show their snapshot; drafts are computed from current data."""
    if report.snapshot is not None:
        return dict(report.snapshot)
    return compute.compute(report.agency, report.year, report.scope).to_json()


def _texts(report: AnnualReport) -> dict[str, str]:
    return {
        "overview": report.section_overview,
        "problems": report.section_problems,
        "other": report.section_other,
    }


@login_required
def index(request: HttpRequest) -> HttpResponse:
    agencies = agencies_for(request.user, READ_ROLES).in_pinyin_order()
    if not agencies.exists():
        raise PermissionDenied("您的账号尚未分配任何机构岗位。")
    year = today().year - 1
    reports = {
        (r.agency_id, r.scope): r
        for r in AnnualReport.objects.filter(agency__in=agencies, year=year)
    }
    rows = [
        {
            "agency": a,
            "self": reports.get((a.pk, Scope.SELF)),
            "subtree": reports.get((a.pk, Scope.SUBTREE)),
        }
        for a in agencies[:200]
    ]
    return render(
        request,
        "reports/staff/index.html",
        {"rows": rows, "year": year, "years": range(today().year, 2018, -1)},
    )


@login_required
def detail(request: HttpRequest, code: str, year: int, scope: str) -> HttpResponse:
    agency = _agency(request, code)
    report = _report(agency, year, _scope(scope))
    data = _data(report)
    can_edit = has_role(request.user, agency, EDIT_ROLES[scope]) and not report.is_locked
    drift = locking.drift(report) if report.is_locked else []
    doc = document.build(data, _texts(report))
    typed_form = forms.typed_table2_form(year, initial=report.typed.get("table2", {}))
    chart = trends.yearly(compute.scope_agencies(agency, scope), year)
    return render(
        request,
        "reports/staff/detail.html",
        {
            "agency": agency,
            "report": report,
            "data": data,
            "doc": doc,
            "checks": data["checks"],
            "drift": drift,
            "drift_keys": {d.cell for d in drift},
            "can_edit": can_edit,
            "can_lock": can_edit,
            "can_publish": (
                report.status == ReportStatus.LOCKED
                and has_role(request.user, agency, PUBLISH_ROLES[scope])
            ),
            "sections_form": forms.SectionsForm(initial=_texts(report)),
            "typed_form": typed_form,
            "chart": chart,
            "formats": [f for f in RENDERERS],
            "drill_url": reverse("reports_staff:drill", args=[code, year, scope]),
        },
    )


@login_required
@require_POST
def save_sections(request: HttpRequest, code: str, year: int, scope: str) -> HttpResponse:
    agency = _agency(request, code)
    _require(request, agency, EDIT_ROLES[_scope(scope)])
    report = _report(agency, year, scope)
    form = forms.SectionsForm(request.POST)
    if report.is_locked:
        messages.error(request, "年度报告已锁定，不能修改。")
    elif form.is_valid():
        before = audit.snapshot(report, ["section_overview", "section_problems", "section_other"])
        report.section_overview = form.cleaned_data["overview"]
        report.section_problems = form.cleaned_data["problems"]
        report.section_other = form.cleaned_data["other"]
        report.save()
        audit.record(
            request.user,
            "report.sections",
            report,
            agency=agency,
            before=before,
            after=audit.snapshot(report, list(before)),
        )
        messages.success(request, "正文已保存。")
    return redirect("reports_staff:detail", code, year, scope)


@login_required
@require_POST
def suggest(request: HttpRequest, code: str, year: int, scope: str) -> HttpResponse:
    """Fill empty sections 一 and 六 with a starting text carrying the current figures."""
    agency = _agency(request, code)
    _require(request, agency, EDIT_ROLES[_scope(scope)])
    report = _report(agency, year, scope)
    if report.is_locked:
        messages.error(request, "年度报告已锁定，不能修改。")
        return redirect("reports_staff:detail", code, year, scope)
    data = compute.compute(agency, year, scope)
    if not report.section_overview.strip():
        report.section_overview = suggestions.overview(data)
    if not report.section_other.strip():
        report.section_other = suggestions.other_matters(
            data, compute.scope_agencies(agency, scope)
        )
    report.save()
    messages.success(request, "已在空白的第一、六部分填入参考文字，请修改完善。")
    return redirect("reports_staff:detail", code, year, scope)


@login_required
@require_POST
def save_typed(request: HttpRequest, code: str, year: int, scope: str) -> HttpResponse:
    agency = _agency(request, code)
    if scope != Scope.SELF:
        raise Http404
    _require(request, agency, EDIT_ROLES[scope])
    report = _report(agency, year, scope)
    form = forms.typed_table2_form(year, data=request.POST)
    if report.is_locked:
        messages.error(request, "年度报告已锁定，不能修改。")
    elif form.is_valid():
        values = {
            k: (str(v) if v is not None and not isinstance(v, int) else v)
            for k, v in form.cleaned_data.items()
            if v is not None
        }
        before = dict(report.typed)
        report.typed = {**report.typed, "table2": values}
        report.save()
        audit.record(
            request.user,
            "report.typed",
            report,
            agency=agency,
            before={"typed": before},
            after={"typed": report.typed},
        )
        messages.success(request, "填报数据已保存。")
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}：{'；'.join(errors)}")
    return redirect("reports_staff:detail", code, year, scope)


@login_required
def manual(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """在线填报: an agency that does not use the request module types its whole table 3."""
    agency = _agency(request, code)
    can_edit = has_role(request.user, agency, EDIT_ROLES[Scope.SELF])
    report = _report(agency, year, Scope.SELF)
    initial = {
        f"{row}__{col}": v
        for row, cols in report.typed.get("table3", {}).items()
        for col, v in cols.items()
    }
    form = forms.manual_table3_form(
        year, initial=initial, data=request.POST if request.method == "POST" else None
    )
    result_checks = []
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("您没有编辑该年度报告的权限。")
        if report.is_locked:
            messages.error(request, "年度报告已锁定，不能修改。")
        elif form.is_valid():
            table3: dict[str, dict[str, int]] = {}
            for key, value in form.cleaned_data.items():
                row, column = key.split("__")
                table3.setdefault(row, {})[column] = value or 0
            with transaction.atomic():
                before = dict(report.typed)
                report.typed = {**report.typed, "table3": table3}
                report.manual_table3 = request.POST.get("enabled") == "1"
                report.save()
                audit.record(
                    request.user,
                    "report.manual_table3",
                    report,
                    agency=agency,
                    before={"typed": before},
                    after={"typed": report.typed},
                )
            grid = compute.typed_table3(report.typed, year)
            from gongkai.reports import checks as checks_mod

            result_checks = [c for c in checks_mod.check_table3(grid, year) if not c.ok]
            if result_checks:
                messages.warning(request, "已保存，但表三校验未通过，请核对标红的单元格。")
            else:
                messages.success(request, "表三已保存，校验通过。")
    rows = [
        {"row": r, "fields": [form[f"{r.id}__{c}"] for c in formats.TABLE3_COLUMNS]}
        for r in formats.table3_rows(year)
    ]
    return render(
        request,
        "reports/staff/manual.html",
        {
            "agency": agency,
            "report": report,
            "rows": rows,
            "form": form,
            "year": year,
            "columns": [formats.COLUMN_LABELS[c] for c in formats.TABLE3_COLUMNS],
            "failed": result_checks,
            "can_edit": can_edit,
        },
    )


@login_required
@require_POST
def lock(request: HttpRequest, code: str, year: int, scope: str) -> HttpResponse:
    agency = _agency(request, code)
    _require(request, agency, EDIT_ROLES[_scope(scope)])
    try:
        locking.lock(_report(agency, year, scope), request.user)
        messages.success(request, "年度报告已锁定，数据已冻结。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("reports_staff:detail", code, year, scope)


@login_required
@require_POST
def publish(request: HttpRequest, code: str, year: int, scope: str) -> HttpResponse:
    agency = _agency(request, code)
    if not has_role(request.user, agency, PUBLISH_ROLES[_scope(scope)]):
        raise PermissionDenied("只有负责人可以发布年度报告。")
    try:
        locking.publish(_report(agency, year, scope), request.user)
        messages.success(request, "年度报告已发布到政府信息公开年报栏目。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("reports_staff:detail", code, year, scope)


@login_required
def export(request: HttpRequest, code: str, year: int, scope: str, fmt: str) -> HttpResponse:
    agency = _agency(request, code)
    if fmt not in RENDERERS:
        raise Http404
    report = _report(agency, year, _scope(scope))
    data = _data(report)
    data["sections"] = _texts(report)
    response = HttpResponse(RENDERERS[fmt](data), content_type=CONTENT_TYPES[fmt])
    filename = f"{agency.code}-{year}-{scope}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def drill(request: HttpRequest, code: str, year: int, scope: str) -> HttpResponse:
    """From a computed table-3 cell to the contributing units and the requests behind it."""
    agency = _agency(request, code)
    parts = request.GET.get("cell", "").split(".")
    if len(parts) != 3 or parts[0] != "table3":
        raise Http404
    _, row, column = parts
    if row not in {r.id for r in formats.table3_rows(year)} or column not in formats.TABLE3_COLUMNS:
        raise Http404
    agencies = compute.scope_agencies(agency, _scope(scope))
    requests_qs = statistics.table3_queryset(agencies, year, row, column)
    from django.db.models import Count

    units = (
        requests_qs.values("agency__code", "agency__name")
        .annotate(n=Count("id"))
        .order_by("-n", "agency__name")
    )
    row_label = next(r.label for r in formats.table3_rows(year) if r.id == row)
    return render(
        request,
        "reports/staff/drill.html",
        {
            "agency": agency,
            "year": year,
            "scope": scope,
            "row_label": row_label,
            "column_label": formats.COLUMN_LABELS[column],
            "units": units,
            "requests": requests_qs.select_related("agency").order_by("received_on", "id")[:500],
            "total": requests_qs.count(),
        },
    )


@login_required
def board(request: HttpRequest, year: int | None = None) -> HttpResponse:
    year = year or today().year - 1
    agencies = agencies_for(request.user, READ_ROLES)
    if not agencies.exists():
        raise PermissionDenied("您的账号尚未分配任何机构岗位。")
    rows = board_mod.board(agencies, year, today())
    counts = {
        light: sum(1 for r in rows if r.light == light) for light in ("green", "yellow", "red")
    }
    return render(
        request, "reports/staff/board.html", {"rows": rows, "year": year, "counts": counts}
    )


def chart_json(chart: dict) -> str:
    return json.dumps(chart, ensure_ascii=False)
