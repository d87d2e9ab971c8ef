"""RSS 2.0 and Atom feeds of published documents, per agency and per column."""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from gongkai.agencies.models import Agency
from gongkai.publications.models import Column, Document

FEED_ITEMS = 30


class DocumentFeed(Feed):
    """The latest published documents of an agency, or of one of its columns."""

    feed_type = Rss201rev2Feed

    def get_object(self, request: HttpRequest, code: str, column: str | None = None) -> Any:
        agency = get_object_or_404(Agency.objects.active(), code=code)
        column_obj = (
            get_object_or_404(Column, agency=agency, code=column, is_active=True)
            if column
            else None
        )
        return agency, column_obj

    def title(self, obj: tuple[Agency, Column | None]) -> str:
        agency, column = obj
        if column:
            return _("%(agency)s · %(column)s") % {"agency": agency.name, "column": column.name}
        return _("%(agency)s · 主动公开") % {"agency": agency.name}

    def link(self, obj: tuple[Agency, Column | None]) -> str:
        agency, column = obj
        if column:
            return reverse("publications:column", args=[agency.code, column.code])
        return reverse("publications:agency", args=[agency.code])

    def description(self, obj: tuple[Agency, Column | None]) -> str:
        return _("政府信息主动公开的最新内容")

    subtitle = description

    def items(self, obj: tuple[Agency, Column | None]) -> QuerySet[Document]:
        agency, column = obj
        documents = Document.objects.published().filter(agency=agency)
        if column:
            ids = [column.pk, *column.children.values_list("pk", flat=True)]
            documents = documents.filter(column_id__in=ids)
        return documents.select_related("agency", "column").order_by("-published_at", "-id")[
            :FEED_ITEMS
        ]

    def item_title(self, item: Document) -> str:
        return item.title

    def item_description(self, item: Document) -> str:
        parts = [item.doc_number, item.summary or Truncator(item.body_text).chars(200)]
        return " ".join(p for p in parts if p)

    def item_link(self, item: Document) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Document):
        return item.published_at

    def item_updateddate(self, item: Document):
        return item.updated_at

    def item_categories(self, item: Document) -> list[str]:
        return [item.column.name]

    def item_guid(self, item: Document) -> str:
        return item.index_number or str(item.pk)

    item_guid_is_permalink = False


class AtomDocumentFeed(DocumentFeed):
    feed_type = Atom1Feed
