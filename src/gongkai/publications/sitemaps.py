"""sitemap.xml sections: published documents and the catalogue pages that list them."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet
from django.urls import reverse

from gongkai.agencies.models import Agency
from gongkai.publications.models import Column, Document, DocumentStatus


class DocumentSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6
    limit = 10000

    def items(self) -> QuerySet[Document]:
        return (
            Document.objects.published()
            .select_related("agency")
            .only("pk", "updated_at", "agency__code")
            .order_by("pk")
        )

    def location(self, item: Document) -> str:
        return reverse("publications:document", args=[item.agency.code, item.pk])

    def lastmod(self, item: Document):
        return item.updated_at


class CatalogueSitemap(Sitemap):
    """Each agency's catalogue page and every column with published documents."""

    changefreq = "daily"
    priority = 0.8

    def items(self) -> list[tuple[str, str | None, object]]:
        published = Document.objects.filter(status=DocumentStatus.PUBLISHED)
        agencies = (
            Agency.objects.active()
            .filter(pk__in=published.values("agency_id"))
            .annotate(last=Max("documents__updated_at"))
            .order_by("path")
        )
        entries: list[tuple[str, str | None, object]] = []
        for agency in agencies:
            entries.append((agency.code, None, agency.last))
        columns = (
            Column.objects.filter(is_active=True, documents__status=DocumentStatus.PUBLISHED)
            .select_related("agency")
            .annotate(last=Max("documents__updated_at"))
            .order_by("agency__path", "order")
        )
        for column in columns:
            entries.append((column.agency.code, column.code, column.last))
        return entries

    def location(self, item: tuple[str, str | None, object]) -> str:
        code, column, _last = item
        if column:
            return reverse("publications:column", args=[code, column])
        return reverse("publications:agency", args=[code])

    def lastmod(self, item: tuple[str, str | None, object]):
        return item[2]


SITEMAPS = {"documents": DocumentSitemap, "catalogues": CatalogueSitemap}
