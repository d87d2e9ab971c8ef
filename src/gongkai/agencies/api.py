"""Public JSON API of the agency tree (/api/v1/agencies): list with parent codes, detail with the
disclosure guide (政府信息公开指南, 条例第十二条). Only active agencies are shown."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from gongkai.agencies.models import Agency, AgencyKind
from gongkai.apitokens.schemas import PageQuery, page_schema, paginate, responses

router = Router(tags=["机构（公开）"])


def absolute(context: Any, path: str) -> str:
    """``path`` as an absolute URL of this site (relative when there is no request)."""
    request = (context or {}).get("request")
    return request.build_absolute_uri(path) if request is not None else path


class AgencyRef(Schema):
    code: str
    name: str


class AgencyOut(Schema):
    code: str = Field(..., description="机构编码")
    name: str
    short_name: str
    kind: AgencyKind
    kind_label: str
    parent_code: str | None = Field(None, description="上级机构编码（根机构为 null）")
    depth: int = Field(..., description="层级，根机构为 0")
    is_government: bool
    url: str = Field(..., description="门户网站上的机构页面")

    @staticmethod
    def resolve_kind_label(obj: Agency) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_parent_code(obj: Agency) -> str | None:
        return obj.parent.code if obj.parent_id else None

    @staticmethod
    def resolve_url(obj: Agency, context: Any) -> str:
        return absolute(context, obj.get_absolute_url())


class AgencyDetailOut(AgencyOut):
    division_code: str
    credit_code: str
    office_name: str = Field(..., description="政府信息公开工作机构")
    address: str
    postcode: str
    office_hours: str
    phone: str
    fax: str
    email: str
    website: str
    guide_text: str = Field(..., description="政府信息公开指南正文")
    ancestors: list[AgencyRef] = Field(..., description="上级机构，自根机构起")
    children: list[AgencyRef] = Field(..., description="直属下级机构")

    @staticmethod
    def resolve_ancestors(obj: Agency) -> list[Agency]:
        return list(obj.ancestors().active())

    @staticmethod
    def resolve_children(obj: Agency) -> list[Agency]:
        return list(obj.children.active().in_pinyin_order())


AgencyPage = page_schema(AgencyOut)


class AgencyQuery(PageQuery):
    parent: str | None = Field(None, max_length=40, description="只列出该机构的直属下级")
    kind: AgencyKind | None = None
    q: str | None = Field(None, max_length=50, description="名称包含")


@router.get("", response=responses({200: AgencyPage}), summary="机构列表（树序）")
def list_agencies(request: HttpRequest, query: Query[AgencyQuery]) -> dict[str, Any]:
    agencies = Agency.objects.active().select_related("parent").order_by("path")
    if query.parent:
        parent = Agency.objects.active().filter(code=query.parent).first()
        if parent is None:
            raise Http404
        agencies = agencies.filter(parent=parent)
    if query.kind:
        agencies = agencies.filter(kind=query.kind)
    if query.q and query.q.strip():
        text = query.q.strip()
        agencies = agencies.filter(Q(name__icontains=text) | Q(short_name__icontains=text))
    return paginate(agencies, query)


@router.get("/{code}", response=responses({200: AgencyDetailOut}), summary="机构详情与公开指南")
def get_agency(request: HttpRequest, code: str) -> Agency:
    agency = Agency.objects.active().select_related("parent").filter(code=code).first()
    if agency is None:
        raise Http404
    return agency
