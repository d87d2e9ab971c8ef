"""Public pages: an agency's published annual reports (政府信息公开年报 column) and each report
in the official table layout, with downloads. Only published reports, only their locked figures."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from gongkai.agencies.models import Agency
from gongkai.reports import document
from gongkai.reports.models import AnnualReport, ReportStatus
from gongkai.reports.renderers import RENDERERS
from gongkai.reports.views.staff import CONTENT_TYPES


def _published(code: str, year: int, scope: str) -> AnnualReport:
    return get_object_or_404(
        AnnualReport.objects.select_related("agency"),
        agency__code=code,
        year=year,
        scope=scope,
        status=ReportStatus.PUBLISHED,
        agency__is_active=True,
    )


def agency_reports(request: HttpRequest, code: str) -> HttpResponse:
    agency = get_object_or_404(Agency.objects.active(), code=code)
    reports = AnnualReport.objects.filter(agency=agency, status=ReportStatus.PUBLISHED)
    return render(request, "reports/public/list.html", {"agency": agency, "reports": reports})


def _texts(report: AnnualReport) -> dict[str, str]:
    return {
        "overview": report.section_overview,
        "problems": report.section_problems,
        "other": report.section_other,
    }


def detail(request: HttpRequest, code: str, year: int, scope: str) -> HttpResponse:
    report = _published(code, year, scope)
    doc = document.build(report.snapshot, _texts(report))
    return render(
        request,
        "reports/public/detail.html",
        {
            "agency": report.agency,
            "report": report,
            "doc": doc,
            "formats": [f for f in RENDERERS if f != "json"] + ["json"],
        },
    )


def download(request: HttpRequest, code: str, year: int, scope: str, fmt: str) -> HttpResponse:
    report = _published(code, year, scope)
    if fmt not in RENDERERS:
        raise Http404
    data = dict(report.snapshot)
    data["sections"] = _texts(report)
    response = HttpResponse(RENDERERS[fmt](data), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{code}-{year}-{scope}.{fmt}"'
    return response
