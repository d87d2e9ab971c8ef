"""JSON API of proactive disclosure (主动公开).

Public (/api/v1/documents): the catalogue with the portal's filters, full-text search through
:func:`gongkai.search.query`, and each published document with its metadata (索引号, 发文字号,
有效性 …) and attachment links. Drafts are never shown; a withdrawn document answers 410.

Staff (/api/v1/staff/documents, personal token): the documents in the user's scope and the
workflow steps of :mod:`gongkai.publications.services` (draft, submit, confidentiality review,
publish, withdraw) with the same checks as the console.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from gongkai import search
from gongkai.agencies.api import AgencyRef, absolute
from gongkai.agencies.models import Agency
from gongkai.agencies.scoping import agencies_for, get_in_scope_or_404, scope
from gongkai.apitokens.auth import actor
from gongkai.apitokens.schemas import (
    ApiDate,
    Input,
    PageQuery,
    choice,
    page_schema,
    paginate,
    responses,
)
from gongkai.core.errors import DomainError
from gongkai.publications import services
from gongkai.publications.models import (
    Attachment,
    Category,
    Column,
    Document,
    DocumentStatus,
    NormativeKind,
    ReviewDecision,
    Validity,
)

router = Router(tags=["主动公开（公开）"])
staff_router = Router(tags=["主动公开（工作人员）"])

COLUMN_CODE = r"^[a-z][a-z0-9-]{0,39}$"


class Withdrawn(DomainError):
    code = "withdrawn"
    status = 410


# --- output schemas ---------------------------------------------------------------------------


class NamedRef(Schema):
    code: str
    name: str


class DocumentRef(Schema):
    id: int
    title: str
    url: str

    @staticmethod
    def resolve_url(obj: Document, context: Any) -> str:
        return absolute(context, obj.get_absolute_url())


class DocumentOut(Schema):
    id: int
    index_number: str | None = Field(None, description="索引号（发布时生成）")
    title: str
    summary: str = Field(..., description="内容概述")
    doc_number: str = Field(..., description="发文字号")
    agency: AgencyRef = Field(..., description="发布机构")
    column: NamedRef
    category: NamedRef | None
    subject: str = Field(..., description="主题分类")
    written_on: dt.date | None = Field(None, description="成文日期")
    published_on: dt.date | None = Field(None, description="发布日期")
    validity: Validity = Field(..., description="有效性")
    validity_label: str
    normative_kind: NormativeKind = Field(..., description="规章或规范性文件（空：否）")
    url: str = Field(..., description="门户网站上的页面")

    @staticmethod
    def resolve_validity_label(obj: Document) -> str:
        return str(obj.get_validity_display())

    @staticmethod
    def resolve_url(obj: Document, context: Any) -> str:
        return absolute(context, obj.get_absolute_url())


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    sha256: str
    url: str | None = Field(None, description="下载地址（仅已发布文件）")

    @staticmethod
    def resolve_name(obj: Attachment) -> str:
        return obj.original_name

    @staticmethod
    def resolve_url(obj: Attachment, context: Any) -> str | None:
        document = obj.document
        if document.status != DocumentStatus.PUBLISHED:
            return None
        path = reverse("publications:download", args=[document.agency.code, document.pk, obj.pk])
        return absolute(context, path)


class DocumentDetailOut(DocumentOut):
    body_html: str = Field(..., description="正文（已净化的 HTML）")
    body_text: str = Field(..., description="正文纯文本")
    formed_or_changed_on: dt.date | None = Field(None, description="信息形成或变更日期")
    effective_on: dt.date | None = Field(None, description="施行日期")
    invalid_on: dt.date | None = Field(None, description="废止或失效日期")
    abolished_by_text: str
    mongolian_title: str
    mongolian_body: str
    revision: int = Field(..., description="版本（每次修订加一）")
    attachments: list[AttachmentOut]
    interpretations: list[DocumentRef] = Field(..., description="本文件的政策解读")
    interprets: list[DocumentRef] = Field(..., description="本文件解读的文件")

    @staticmethod
    def resolve_attachments(obj: Document) -> list[Attachment]:
        return list(
            obj.attachments.filter(removed_at__isnull=True).select_related("document__agency")
        )

    @staticmethod
    def resolve_interpretations(obj: Document) -> list[Document]:
        return [
            link.interpretation
            for link in obj.interpretation_links.filter(
                interpretation__status=DocumentStatus.PUBLISHED
            ).select_related("interpretation__agency")
        ]

    @staticmethod
    def resolve_interprets(obj: Document) -> list[Document]:
        return [
            link.document
            for link in obj.interprets_links.filter(
                document__status=DocumentStatus.PUBLISHED
            ).select_related("document__agency")
        ]


DocumentPage = page_schema(DocumentOut)


class SearchHitOut(Schema):
    id: int
    title: str
    title_highlighted: str = Field(..., description="标题，匹配处以 <mark> 标出（已转义 HTML）")
    snippet: str = Field(..., description="正文摘录，匹配处以 <mark> 标出（已转义 HTML）")
    title_match: bool
    published_at: dt.datetime | None
    doc_number: str
    index_number: str
    document: DocumentOut


class SearchOut(Schema):
    query: str
    total: int
    total_is_lower_bound: bool = Field(
        False, description="为 true 时匹配超过 total 条（只计数到上限），total 为下限"
    )
    limit: int
    offset: int
    notice: str = Field(..., description="未执行检索的原因（如少于两个字），否则为空")
    items: list[SearchHitOut]


# --- public endpoints ------------------------------------------------------------------------


class CatalogueFilters(PageQuery):
    """The portal's filters (同门户检索页)."""

    agency: str | None = Field(None, max_length=40, description="机构编码（含其下级机构）")
    column: str | None = Field(None, pattern=COLUMN_CODE, description="栏目编码")
    category: str | None = Field(None, max_length=40, description="信息类别编码")
    year: int | None = Field(None, ge=1949, le=2200, description="发布年度")
    validity: Validity | None = None


class SearchFilters(CatalogueFilters):
    q: str = Field("", max_length=100, description="检索词（至少两个字；空格分隔的词须同时出现）")


def _agency_or_404(code: str) -> Agency:
    agency = Agency.objects.active().filter(code=code).first()
    if agency is None:
        raise Http404
    return agency


def _published() -> Any:
    return Document.objects.published().for_listing()


@router.get("", response=responses({200: DocumentPage}), summary="已发布的主动公开信息")
def list_documents(request: HttpRequest, filters: Query[CatalogueFilters]) -> dict[str, Any]:
    documents = _published().filter(agency__is_active=True)
    if filters.agency:
        documents = documents.in_agency_subtree(_agency_or_404(filters.agency))
    if filters.column:
        documents = documents.filter(column__code=filters.column)
    if filters.category:
        documents = documents.filter(category__code=filters.category)
    if filters.year:
        documents = documents.filter(published_on__year=filters.year)
    if filters.validity:
        documents = documents.filter(validity=filters.validity)
    documents = documents.order_by("-published_on", "-published_at", "-id")
    return paginate(documents, filters)


def _search_window(
    text: str, search_filters: search.SearchFilters, offset: int, limit: int
) -> tuple[search.SearchResults, list[search.SearchHit]]:
    """Hits ``offset``…``offset+limit`` of a query, from the engine's page-based interface."""
    first_page = offset // limit + 1
    results = search.query(text, search_filters, page=first_page, per_page=limit)
    hits = list(results.hits)
    if offset % limit and results.total > first_page * limit:
        more = search.query(text, search_filters, page=first_page + 1, per_page=limit)
        hits += list(more.hits)
    start = offset % limit
    return results, hits[start : start + limit]


@router.get("/search", response=responses({200: SearchOut}), summary="全文检索")
def search_documents(request: HttpRequest, filters: Query[SearchFilters]) -> dict[str, Any]:
    text = " ".join(filters.q.split())
    agency = _agency_or_404(filters.agency) if filters.agency else None
    engine_filters = search.SearchFilters(
        agency_path=agency.path if agency else None,
        column=filters.column,
        category=filters.category,
        year=filters.year,
        validity=filters.validity.value if filters.validity else None,
    )
    results, hits = _search_window(text, engine_filters, filters.offset, filters.limit)
    documents = _published().in_bulk([hit.id for hit in hits])
    items = [
        {
            "id": hit.id,
            "title": hit.title,
            "title_highlighted": hit.title_highlighted,
            "snippet": hit.snippet,
            "title_match": hit.title_match,
            "published_at": hit.published_at,
            "doc_number": hit.doc_number,
            "index_number": hit.index_number,
            "document": documents[hit.id],
        }
        for hit in hits
        if hit.id in documents
    ]
    return {
        "query": text,
        "total": results.total,
        "total_is_lower_bound": results.total_is_lower_bound,
        "limit": filters.limit,
        "offset": filters.offset,
        "notice": results.notice,
        "items": items,
    }


@router.get(
    "/{int:document_id}",
    response=responses({200: DocumentDetailOut}, extra=(410,)),
    summary="已发布信息的详情",
)
def get_document(request: HttpRequest, document_id: int) -> Document:
    document = (
        Document.objects.for_listing()
        .filter(pk=document_id, agency__is_active=True)
        .filter(status__in=[DocumentStatus.PUBLISHED, DocumentStatus.WITHDRAWN])
        .first()
    )
    if document is None:
        raise Http404
    if document.status == DocumentStatus.WITHDRAWN:
        raise Withdrawn(_("该信息已撤回，不再公开。"))
    return document


# --- staff -----------------------------------------------------------------------------------


class ReviewOut(Schema):
    reviewer_name: str
    decision: ReviewDecision
    note: str
    reviewed_on: dt.date
    for_revision: int


class StaffDocumentOut(DocumentOut):
    status: DocumentStatus
    status_label: str
    created_at: dt.datetime

    @staticmethod
    def resolve_status_label(obj: Document) -> str:
        return str(obj.get_status_display())


class StaffDocumentDetailOut(DocumentDetailOut):
    status: DocumentStatus
    status_label: str
    created_at: dt.datetime
    deadline_basis: str
    needs_interpretation: bool
    withdrawal_reason: str
    reviews: list[ReviewOut]

    @staticmethod
    def resolve_status_label(obj: Document) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_reviews(obj: Document) -> list[Any]:
        return list(obj.reviews.order_by("-created_at", "-id"))


StaffDocumentPage = page_schema(StaffDocumentOut)


class StaffDocumentFilters(PageQuery):
    status: DocumentStatus | None = None
    agency: str | None = Field(None, max_length=40, description="机构编码（仅本机构）")
    q: str | None = Field(None, max_length=100, description="标题或发文字号包含")


class DocumentFields(Input):
    """The fields an officer types in the console's document form."""

    column: str = Field(..., pattern=COLUMN_CODE, description="本机构的栏目编码")
    title: str = Field(..., min_length=1, max_length=300)
    category: str | None = Field(None, max_length=40, description="信息类别编码")
    summary: str = Field("", max_length=2000)
    body_html: str = Field("", max_length=200_000)
    doc_number: str = Field("", max_length=60)
    subject: str = Field("", max_length=60)
    written_on: ApiDate | None = None
    formed_or_changed_on: ApiDate | None = None
    deadline_basis: str = Field("", max_length=200)
    effective_on: ApiDate | None = None
    normative_kind: choice(NormativeKind) = NormativeKind.NONE
    needs_interpretation: bool = False
    mongolian_title: str = Field("", max_length=500)
    mongolian_body: str = Field("", max_length=200_000)


class DocumentCreateIn(DocumentFields):
    agency: str = Field(..., max_length=40, description="发布机构编码")


class ReviewIn(Input):
    decision: choice(ReviewDecision)
    note: str = Field("", max_length=2000)
    reviewed_on: ApiDate | None = None
    publish: bool = Field(False, description="审查通过后立即发布（同工作台“审查并发布”）")


class WithdrawIn(Input):
    reason: str = Field(..., min_length=1, max_length=2000)


def _staff_document(request: HttpRequest, document_id: int) -> Document:
    return get_in_scope_or_404(
        Document.objects.for_listing(),
        actor(request),
        roles=services.READ_ROLES,
        pk=document_id,
    )


def _document_input(agency: Agency, payload: DocumentFields) -> services.DocumentInput:
    column = Column.objects.filter(agency=agency, code=payload.column).first()
    if column is None:
        raise DomainError(_("请选择本机构的栏目。"), code="invalid_column", field="column")
    category = None
    if payload.category:
        category = Category.objects.filter(code=payload.category, is_active=True).first()
        if category is None:
            raise DomainError(_("信息类别不存在。"), code="invalid_category", field="category")
    values = payload.model_dump(exclude={"agency", "column", "category"})
    return services.DocumentInput(column=column, category=category, **values)


STAFF = {"auth": True}


@staff_router.get(
    "", response=responses({200: StaffDocumentPage}, **STAFF), summary="本人范围内的文件"
)
def staff_list_documents(
    request: HttpRequest, filters: Query[StaffDocumentFilters]
) -> dict[str, Any]:
    user = actor(request)
    documents = scope(Document.objects.for_listing(), user, services.READ_ROLES)
    if filters.agency:
        agency = agencies_for(user, services.READ_ROLES).filter(code=filters.agency).first()
        if agency is None:
            raise Http404
        documents = documents.filter(agency=agency)
    if filters.status:
        documents = documents.filter(status=filters.status)
    if filters.q and filters.q.strip():
        text = filters.q.strip()
        documents = documents.filter(Q(title__icontains=text) | Q(doc_number__icontains=text))
    return paginate(documents.order_by("-updated_at", "-id"), filters)


@staff_router.get(
    "/{int:document_id}",
    response=responses({200: StaffDocumentDetailOut}, **STAFF),
    summary="文件详情",
)
def staff_get_document(request: HttpRequest, document_id: int) -> Document:
    return _staff_document(request, document_id)


@staff_router.post(
    "", response=responses({201: StaffDocumentDetailOut}, **STAFF), summary="起草（保存草稿）"
)
def staff_create_document(request: HttpRequest, payload: DocumentCreateIn) -> Status:
    user = actor(request)
    agency = agencies_for(user, services.READ_ROLES).filter(code=payload.agency).first()
    if agency is None:
        raise Http404
    document = services.create_draft(user, agency, _document_input(agency, payload))
    return Status(201, document)


@staff_router.put(
    "/{int:document_id}",
    response=responses({200: StaffDocumentDetailOut}, **STAFF),
    summary="修改草稿",
)
def staff_update_document(
    request: HttpRequest, document_id: int, payload: DocumentFields
) -> Document:
    document = _staff_document(request, document_id)
    return services.update_draft(
        actor(request), document, _document_input(document.agency, payload)
    )


@staff_router.post(
    "/{int:document_id}/submit",
    response=responses({200: StaffDocumentDetailOut}, **STAFF),
    summary="提交审核",
)
def staff_submit_document(request: HttpRequest, document_id: int) -> Document:
    return services.submit(actor(request), _staff_document(request, document_id))


@staff_router.post(
    "/{int:document_id}/review",
    response=responses({200: StaffDocumentDetailOut}, **STAFF),
    summary="保密审查（可同时发布）",
)
def staff_review_document(request: HttpRequest, document_id: int, payload: ReviewIn) -> Document:
    user = actor(request)
    document = _staff_document(request, document_id)
    if payload.publish:
        if payload.decision != ReviewDecision.PASSED:
            raise DomainError(
                _("只有审查通过的文件才能发布。"), code="review_not_passed", field="publish"
            )
        return services.review_and_publish(user, document, payload.note, payload.reviewed_on)
    services.record_review(user, document, payload.decision, payload.note, payload.reviewed_on)
    return _staff_document(request, document_id)


@staff_router.post(
    "/{int:document_id}/publish",
    response=responses({200: StaffDocumentDetailOut}, **STAFF),
    summary="发布（须已通过保密审查）",
)
def staff_publish_document(request: HttpRequest, document_id: int) -> Document:
    return services.publish(actor(request), _staff_document(request, document_id))


@staff_router.post(
    "/{int:document_id}/withdraw",
    response=responses({200: StaffDocumentDetailOut}, **STAFF),
    summary="撤回已发布信息",
)
def staff_withdraw_document(
    request: HttpRequest, document_id: int, payload: WithdrawIn
) -> Document:
    return services.withdraw(actor(request), _staff_document(request, document_id), payload.reason)
