"""Public pages: the agency directory and each agency's page with its disclosure guide."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from gongkai.agencies.directory import directory
from gongkai.agencies.models import Agency, AgencyKind
from gongkai.agencies.profile import EDIT_ROLES
from gongkai.agencies.scoping import has_role
from gongkai.site.pagecache import cache_page


@cache_page
def directory_view(request: HttpRequest) -> HttpResponse:
    groups = directory()
    return render(
        request,
        "agencies/directory.html",
        {"groups": groups, "total": sum(len(g.agencies) for g in groups)},
    )


@cache_page
def detail(request: HttpRequest, code: str) -> HttpResponse:
    """One agency: contact details, disclosure guide (公开指南, 条例第十二条), sub-agencies."""
    agency = get_object_or_404(Agency.objects.active().select_related("parent"), code=code)
    children = list(agency.children.active().in_pinyin_order())
    return render(
        request,
        "agencies/detail.html",
        {
            "agency": agency,
            "ancestors": list(agency.ancestors()),
            "sub_governments": [c for c in children if c.kind != AgencyKind.DEPARTMENT],
            "departments": [c for c in children if c.kind == AgencyKind.DEPARTMENT],
            "can_edit": request.user.is_authenticated
            and has_role(request.user, agency, EDIT_ROLES),
        },
    )
