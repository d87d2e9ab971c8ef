"""The public portal of proactive disclosure (/documents/): catalogues, columns, documents, search.

条例第二十四条: the platform offers 信息检索、查阅、下载. Only published documents are shown; a
withdrawn document answers 410 Gone; an abolished or expired one says so at the top.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from gongkai import search
from gongkai.agencies.models import Agency
from gongkai.core.dates import today
from gongkai.publications.columns import standard_column_names
from gongkai.publications.models import (
    Attachment,
    Category,
    Column,
    Document,
    DocumentStatus,
    Interpretation,
    Validity,
)
from gongkai.site.pagecache import cache_page

logger = logging.getLogger(__name__)

PER_PAGE = 20
LARGE_TEXT_COOKIE = "gk_large_text"
LARGE_TEXT_MAX_AGE = 365 * 24 * 3600


def portal(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200):
    """Render a portal page with the reader's text-size preference (cookie, set by portal.js)."""
    context.setdefault("large_text", request.COOKIES.get(LARGE_TEXT_COOKIE) == "1")
    return render(request, template, context, status=status)


def _published_agencies():
    return Agency.objects.active().filter(pk__in=Document.objects.published().values("agency_id"))


@cache_page
def index(request: HttpRequest) -> HttpResponse:
    recent = Document.objects.published().for_listing().order_by("-published_at", "-id")[:15]
    agencies = _published_agencies().order_by("path")
    return portal(request, "publications/index.html", {"recent": recent, "agencies": agencies})


@cache_page
def agency_catalogue(request: HttpRequest, code: str) -> HttpResponse:
    agency = get_object_or_404(Agency.objects.active().select_related("parent"), code=code)
    columns = list(
        Column.objects.filter(agency=agency, is_active=True)
        .annotate(
            published=Count("documents", filter=Q(documents__status=DocumentStatus.PUBLISHED))
        )
        .order_by("order", "id")
    )
    tops = [c for c in columns if c.parent_id is None]
    for top in tops:
        top.subcolumns = [c for c in columns if c.parent_id == top.pk]
        top.total = top.published + sum(c.published for c in top.subcolumns)
    recent = agency.documents.published().for_listing().order_by("-published_at", "-id")[:10]
    return portal(
        request,
        "publications/agency.html",
        {
            "agency": agency,
            "national": [c for c in tops if c.is_national],
            "local": [c for c in tops if not c.is_national],
            "recent": recent,
        },
    )


@cache_page(query=("page",))
def column_page(request: HttpRequest, code: str, column: str) -> HttpResponse:
    column_obj = get_object_or_404(
        Column.objects.select_related("agency", "parent"),
        agency__code=code,
        agency__is_active=True,
        code=column,
        is_active=True,
    )
    subcolumns = list(column_obj.children.filter(is_active=True).order_by("order", "id"))
    ids = [column_obj.pk, *(c.pk for c in subcolumns)]
    documents = (
        Document.objects.published()
        .filter(column_id__in=ids)
        .select_related("agency", "column")
        .order_by("-published_on", "-published_at", "-id")
    )
    page = Paginator(documents, PER_PAGE).get_page(request.GET.get("page"))
    return portal(
        request,
        "publications/column.html",
        {
            "agency": column_obj.agency,
            "column": column_obj,
            "subcolumns": subcolumns,
            "page": page,
        },
    )


def _public_document(code: str, pk: int) -> Document:
    document = get_object_or_404(
        Document.objects.select_related(
            "agency", "column", "column__parent", "category", "abolished_by", "abolished_by__agency"
        ),
        pk=pk,
        agency__code=code,
    )
    if document.status not in (DocumentStatus.PUBLISHED, DocumentStatus.WITHDRAWN):
        raise Http404
    return document


def _document_context(document: Document) -> dict[str, Any]:
    published = Q(status=DocumentStatus.PUBLISHED)
    interpretations = [
        link.interpretation
        for link in document.interpretation_links.filter(
            interpretation__status=DocumentStatus.PUBLISHED
        ).select_related("interpretation", "interpretation__agency")
    ]
    interprets = [
        link.document
        for link in Interpretation.objects.filter(interpretation=document)
        .filter(document__in=Document.objects.filter(published))
        .select_related("document", "document__agency")
    ]
    revisions = list(document.revisions.order_by("number").only("number", "published_at", "reason"))
    return {
        "document": document,
        "agency": document.agency,
        "attachments": document.attachments.filter(removed_at__isnull=True),
        "interpretations": interpretations,
        "interprets": interprets,
        "revisions": revisions,
        "last_revision": revisions[-1] if len(revisions) > 1 else None,
    }


@cache_page
def document_page(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    document = _public_document(code, pk)
    if document.status == DocumentStatus.WITHDRAWN:
        return portal(request, "publications/withdrawn.html", {"document": document}, status=410)
    return portal(request, "publications/document.html", _document_context(document))


@cache_page
def print_view(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    document = _public_document(code, pk)
    if document.status == DocumentStatus.WITHDRAWN:
        raise Http404
    return portal(request, "publications/print.html", _document_context(document))


def download(request: HttpRequest, code: str, pk: int, attachment_id: int) -> HttpResponse:
    attachment = get_object_or_404(
        Attachment.objects.select_related("document"),
        pk=attachment_id,
        document_id=pk,
        document__agency__code=code,
        document__status=DocumentStatus.PUBLISHED,
        removed_at__isnull=True,
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


def text_size(request: HttpRequest) -> HttpResponse:
    """Large-text mode without JavaScript: set the cookie and go back."""
    target = request.GET.get("next") or reverse("publications:index")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("publications:index")
    response = HttpResponseRedirect(target)
    if request.GET.get("large") == "1":
        response.set_cookie(
            LARGE_TEXT_COOKIE, "1", max_age=LARGE_TEXT_MAX_AGE, samesite="Lax", httponly=False
        )
    else:
        response.delete_cookie(LARGE_TEXT_COOKIE, samesite="Lax")
    return response


# --- search -------------------------------------------------------------------------------------


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value else default
    except (TypeError, ValueError):
        return default


def search_page(request: HttpRequest) -> HttpResponse:
    """One search box over titles, bodies, 发文字号 and 索引号, with filters and pagination."""
    params = request.GET
    text = " ".join((params.get("q") or "").split())[:100]
    agency = None
    if params.get("agency"):
        agency = Agency.objects.active().filter(code=params["agency"]).first()
    column_names = standard_column_names()
    column = params.get("column") if params.get("column") in column_names else None
    category = params.get("category") or None
    year = _int(params.get("year"))
    validity = params.get("validity") if params.get("validity") in Validity.values else None
    page_number = max(1, _int(params.get("page"), 1) or 1)
    filters = search.SearchFilters(
        agency_path=agency.path if agency else None,
        column=column,
        category=category,
        year=year,
        validity=validity,
    )
    searched = bool(text or agency or column or category or year or validity)
    results = None
    rows: list[dict[str, Any]] = []
    error = ""
    if searched:
        try:
            results = search.query(text, filters, page=page_number, per_page=PER_PAGE)
        except Exception:  # the page must never fail because the engine does
            logger.exception("search query failed: %r", text)
            error = _("检索服务暂时不可用，请稍后再试，或按栏目浏览。")
        if results is not None:
            documents = (
                Document.objects.published()
                .select_related("agency", "column")
                .defer("body_html", "body_text", "summary")  # the hit has the snippet
                .in_bulk([hit.id for hit in results.hits])
            )
            rows = [
                {"hit": hit, "document": documents[hit.id]}
                for hit in results.hits
                if hit.id in documents
            ]
    query = params.copy()
    query.pop("page", None)
    this_year = today().year
    return portal(
        request,
        "publications/search.html",
        {
            "text": text,
            "results": results,
            "rows": rows,
            "error": error,
            "searched": searched,
            "selected": {
                "agency": agency.code if agency else "",
                "column": column or "",
                "category": category or "",
                "year": year,
                "validity": validity or "",
            },
            "agencies": _published_agencies().order_by("path").only("code", "name", "depth"),
            "columns": list(column_names.items()),
            "categories": Category.objects.filter(is_active=True).only("code", "name", "kind"),
            "years": range(this_year, this_year - 10, -1),
            "validities": Validity.choices,
            "query": query.urlencode(),
        },
    )
