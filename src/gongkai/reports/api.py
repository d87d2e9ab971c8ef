"""JSON API of annual reports (政府信息公开工作年度报告, 条例第四十九条、第五十条).

Public (/api/v1/reports): published reports only, with their locked figures (the JSON grid of
:meth:`gongkai.reports.compute.ReportData.to_json`, keys in docs/reports.md) and section texts.
Drafts and locked-but-unpublished reports are never public.

Staff (/api/v1/staff/reports, personal token): compute a report of an agency in the user's scope
(drafts from current data, locked reports from their snapshot, with the drift since locking),
lock and publish it with the console's role rules (:mod:`gongkai.reports.permissions`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from gongkai.agencies.api import AgencyRef, absolute
from gongkai.agencies.models import Agency
from gongkai.agencies.scoping import agencies_for, has_role
from gongkai.apitokens.auth import actor
from gongkai.apitokens.schemas import PageQuery, page_schema, paginate, responses
from gongkai.core.dates import today
from gongkai.core.errors import DomainError, PermissionDeniedError
from gongkai.reports import compute, locking
from gongkai.reports.models import AnnualReport, ReportStatus, Scope
from gongkai.reports.permissions import EDIT_ROLES, PUBLISH_ROLES, READ_ROLES

router = Router(tags=["年度报告（公开）"])
staff_router = Router(tags=["年度报告（工作人员）"])

FIRST_YEAR = 2019


class ScopeOut(Schema):
    kind: Scope
    label: str
    units: int = Field(..., description="统计的机构数（本级为 1）")


class CheckOut(Schema):
    id: str
    ok: bool
    severity: str = Field(..., description="error（硬性校验）或 warning（提示）")
    message: str
    cells: list[str]


class ReportDataOut(Schema):
    """The report grid (same keys as ``gongkai report compute --json`` and docs/reports.md)."""

    agency: AgencyRef
    year: int
    format: str = Field(..., description="表格格式：2019 或 2021（国办公开办函〔2021〕30号）")
    scope: ScopeOut
    table2: dict[str, int | str] = Field(..., description="表二：单元格 → 数值（金额为字符串）")
    table3: dict[str, dict[str, int]] = Field(..., description="表三：行 → 列 → 件数")
    table4: dict[str, dict[str, int]] = Field(..., description="表四：类别 → 结果 → 件数")
    checks: list[CheckOut]


class SectionsOut(Schema):
    overview: str = Field(..., description="一、总体情况")
    problems: str = Field(..., description="五、存在的主要问题及改进情况")
    other: str = Field(..., description="六、其他需要报告的事项")


class ReportOut(Schema):
    agency: AgencyRef
    year: int
    scope: Scope
    scope_label: str
    published_at: dt.datetime | None
    url: str = Field(..., description="门户网站上的报告页面")
    api_url: str

    @staticmethod
    def resolve_scope_label(obj: AnnualReport) -> str:
        return str(obj.get_scope_display())

    @staticmethod
    def resolve_url(obj: AnnualReport, context: Any) -> str:
        path = reverse("reports:detail", args=[obj.agency.code, obj.year, obj.scope])
        return absolute(context, path)

    @staticmethod
    def resolve_api_url(obj: AnnualReport, context: Any) -> str:
        path = reverse(
            "api:public_report",
            kwargs={"code": obj.agency.code, "year": obj.year, "scope": obj.scope},
        )
        return absolute(context, path)


class ReportDetailOut(ReportOut):
    data: ReportDataOut
    sections: SectionsOut

    @staticmethod
    def resolve_data(obj: AnnualReport) -> dict[str, Any]:
        return dict(obj.snapshot or {})

    @staticmethod
    def resolve_sections(obj: AnnualReport) -> dict[str, str]:
        return _sections(obj)


ReportPage = page_schema(ReportOut)


def _sections(report: AnnualReport | None) -> dict[str, str]:
    if report is None:
        return {"overview": "", "problems": "", "other": ""}
    return {
        "overview": report.section_overview,
        "problems": report.section_problems,
        "other": report.section_other,
    }


class ReportFilters(PageQuery):
    agency: str | None = Field(None, max_length=40, description="机构编码")
    year: int | None = Field(None, ge=FIRST_YEAR, le=2200)
    scope: Scope | None = None


def _published() -> Any:
    return AnnualReport.objects.select_related("agency").filter(
        status=ReportStatus.PUBLISHED, agency__is_active=True, snapshot__isnull=False
    )


@router.get("", response=responses({200: ReportPage}), summary="已发布的年度报告")
def list_reports(request: HttpRequest, filters: Query[ReportFilters]) -> dict[str, Any]:
    reports = _published()
    if filters.agency:
        reports = reports.filter(agency__code=filters.agency)
    if filters.year:
        reports = reports.filter(year=filters.year)
    if filters.scope:
        reports = reports.filter(scope=filters.scope)
    return paginate(reports.order_by("-year", "agency__path", "scope"), filters)


@router.get(
    "/{code}/{int:year}/{scope}",
    response=responses({200: ReportDetailOut}),
    summary="一份已发布的年度报告（表二至表四）",
    url_name="public_report",
)
def get_report(request: HttpRequest, code: str, year: int, scope: Scope) -> AnnualReport:
    report = _published().filter(agency__code=code, year=year, scope=scope).first()
    if report is None:
        raise Http404
    return report


# --- staff -----------------------------------------------------------------------------------


class DriftOut(Schema):
    cell: str
    locked: int | str | None
    current: int | str | None


class StaffReportOut(Schema):
    agency: AgencyRef
    year: int
    scope: Scope
    status: ReportStatus
    status_label: str
    locked_at: dt.datetime | None
    published_at: dt.datetime | None
    data: ReportDataOut = Field(..., description="草稿按当前数据计算；锁定后为锁定时的数据")
    drift: list[DriftOut] = Field(..., description="锁定后数据的变化（草稿为空）")
    sections: SectionsOut
    may_lock: bool
    may_publish: bool


def _staff_agency(request: HttpRequest, code: str) -> Agency:
    agency = agencies_for(actor(request), READ_ROLES).filter(code=code).first()
    if agency is None:
        raise Http404
    return agency


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= today().year:
        raise DomainError(
            _("年度应在%(first)d年至%(last)d年之间。")
            % {"first": FIRST_YEAR, "last": today().year},
            code="invalid_year",
            field="year",
        )


def _staff_out(request: HttpRequest, agency: Agency, year: int, scope: Scope) -> dict[str, Any]:
    report = AnnualReport.objects.filter(agency=agency, year=year, scope=scope).first()
    if report is not None and report.snapshot is not None:
        data = dict(report.snapshot)
        drift = [
            {"cell": d.cell, "locked": d.locked, "current": d.current}
            for d in locking.drift(report)
        ]
    else:
        data = compute.compute(agency, year, scope).to_json()
        drift = []
    status = ReportStatus(report.status) if report is not None else ReportStatus.DRAFT
    user = actor(request)
    return {
        "agency": agency,
        "year": year,
        "scope": scope,
        "status": status,
        "status_label": str(status.label),
        "locked_at": report.locked_at if report else None,
        "published_at": report.published_at if report else None,
        "data": data,
        "drift": drift,
        "sections": _sections(report),
        "may_lock": status == ReportStatus.DRAFT and has_role(user, agency, EDIT_ROLES[scope]),
        "may_publish": status == ReportStatus.LOCKED
        and has_role(user, agency, PUBLISH_ROLES[scope]),
    }


STAFF = {"auth": True}


@staff_router.get(
    "/{code}/{int:year}/{scope}",
    response=responses({200: StaffReportOut}, **STAFF),
    summary="计算年度报告（草稿按当前数据）",
)
def staff_get_report(request: HttpRequest, code: str, year: int, scope: Scope) -> dict[str, Any]:
    agency = _staff_agency(request, code)
    _check_year(year)
    return _staff_out(request, agency, year, scope)


def _report_for_change(request: HttpRequest, code: str, year: int, scope: Scope, roles) -> Any:
    agency = _staff_agency(request, code)
    _check_year(year)
    if not has_role(actor(request), agency, roles[scope]):
        raise PermissionDeniedError(_("您没有该年度报告的此项权限。"))
    report, _created = AnnualReport.objects.get_or_create(agency=agency, year=year, scope=scope)
    return agency, report


@staff_router.post(
    "/{code}/{int:year}/{scope}/lock",
    response=responses({200: StaffReportOut}, **STAFF),
    summary="锁定年度报告（校验通过后冻结数据）",
)
def staff_lock_report(request: HttpRequest, code: str, year: int, scope: Scope) -> dict[str, Any]:
    agency, report = _report_for_change(request, code, year, scope, EDIT_ROLES)
    locking.lock(report, actor(request))
    return _staff_out(request, agency, year, scope)


@staff_router.post(
    "/{code}/{int:year}/{scope}/publish",
    response=responses({200: StaffReportOut}, **STAFF),
    summary="发布已锁定的年度报告",
)
def staff_publish_report(
    request: HttpRequest, code: str, year: int, scope: Scope
) -> dict[str, Any]:
    agency, report = _report_for_change(request, code, year, scope, PUBLISH_ROLES)
    locking.publish(report, actor(request))
    return _staff_out(request, agency, year, scope)
