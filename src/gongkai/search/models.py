"""Models of gongkai.search: the stored copy of every indexed document.

The engine structures around this table (SQLite: an FTS5 table over ``grams`` kept in sync by
triggers; PostgreSQL: a GIN index over ``grams`` as a ``tsvector`` and a pg_trgm GIN index) are
created by raw SQL in the migrations, per vendor (``0002_engine``, ``0003_bigrams``).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentIdField(models.BigIntegerField):
    """A 64-bit integer primary key that is SQLite's rowid.

    On SQLite the column type is exactly ``integer`` so the column aliases the rowid, which the
    FTS5 table uses as ``content_rowid`` (Django's ``bigint`` would not alias it). Elsewhere it is
    a plain ``bigint``.
    """

    def db_type(self, connection: Any) -> str | None:
        if connection.vendor == "sqlite":
            return "integer"
        return super().db_type(connection)


class SearchEntry(models.Model):
    """One indexed document (the fields of :class:`gongkai.search.types.IndexedDocument`).

    ``title_norm`` and ``body_norm`` hold the normalised text (NFKC, Traditional → Simplified)
    only when it differs from the original, so a Simplified query also finds Traditional or
    full-width text without doubling the storage of ordinary documents. ``body_norm`` normalises
    ``doc_number + "\\n" + index_number + "\\n" + body_text``.

    ``grams`` is the bigram token text of :func:`gongkai.search.grams.document_grams` and
    ``sort_key`` the "newest first" key of :func:`gongkai.search.grams.sort_key` (both computed
    by :func:`gongkai.search.engine.entry_for`).

    On SQLite, triggers on this table keep the FTS5 table ``search_entry_grams`` in sync. A later
    migration that makes Django rebuild this table on SQLite (most ALTERs) drops the triggers:
    such a migration must create them again (see ``0003_bigrams``).
    """

    # Small columns first, large text last: SQLite stores a row's columns in order, and reading a
    # column that follows a large body walks the body's overflow pages.
    id = DocumentIdField(primary_key=True, verbose_name=_("文件编号"))
    agency_id = models.BigIntegerField(_("发布机构"))
    agency_path = models.CharField(_("机构路径"), max_length=255, db_index=True)
    column = models.TextField(_("栏目"), blank=True, default="")
    category = models.TextField(_("主题分类"), blank=True, default="")
    validity = models.TextField(_("有效性"), blank=True, default="")
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    year = models.IntegerField(_("年份"), null=True, blank=True)
    indexed_at = models.DateTimeField(_("索引时间"))
    title = models.TextField(_("标题"))
    title_norm = models.TextField(blank=True, default="")
    doc_number = models.TextField(_("发文字号"), blank=True, default="")
    index_number = models.TextField(_("索引号"), blank=True, default="")
    body_norm = models.TextField(blank=True, default="")
    body_text = models.TextField(_("正文"), blank=True, default="")
    sort_key = models.BigIntegerField(unique=True, null=True, editable=False)
    grams = models.TextField(blank=True, default="", editable=False)

    class Meta:
        db_table = "search_entry"
        verbose_name = _("搜索索引条目")
        verbose_name_plural = _("搜索索引条目")
        indexes = [
            models.Index(fields=["column"], name="search_entry_column"),
            models.Index(fields=["category"], name="search_entry_category"),
            models.Index(fields=["year"], name="search_entry_year"),
            models.Index(fields=["validity"], name="search_entry_validity"),
            models.Index(fields=["indexed_at"], name="search_entry_indexed_at"),
        ]

    def __str__(self) -> str:
        return self.title
