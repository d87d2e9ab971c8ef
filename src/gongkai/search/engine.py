"""The search engine behind :mod:`gongkai.search`: index, remove, query, reindex.

Documents are copied into ``search_entry`` (model :class:`~gongkai.search.models.SearchEntry`)
with a normalised copy of their text when normalising changes it, their bigram tokens and their
"newest first" key (:mod:`gongkai.search.grams`). The database vendor picks the backend that
finds matching ids (SQLite FTS5 over the bigrams / PostgreSQL bigram ``tsvector`` and pg_trgm, see
``backends``); this module then loads only the page's rows and highlights them in Python.

Query semantics (see also docs/decisions.md, "Search"):

- terms are separated by whitespace and all must match; each term matches when any of its
  variants (as typed, NFKC, Traditional → Simplified) is a substring of the title, body, document
  number or index number — original or normalised;
- a query of two or more characters finds every such document (recall 100% against a substring
  scan); fewer than two characters gives no results and a notice asking for two;
- an empty query lists the documents that pass the filters, newest first;
- order: documents whose title contains every term first, then newest ``published_at`` (to the
  second; undated last), then highest id;
- ``total`` is exact up to :data:`TOTAL_CAP`; beyond it ``total`` is the cap and
  ``total_is_lower_bound`` is set (counting every match of a common word would cost a visit to
  each of them).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from gongkai.search import grams
from gongkai.search.backends.base import SqlBackend
from gongkai.search.models import SearchEntry
from gongkai.search.text import (
    Highlighter,
    ParsedQuery,
    Term,
    body_alignment,
    clean,
    normalised_variant,
    parse_query,
)
from gongkai.search.types import IndexedDocument, SearchFilters, SearchHit, SearchResults

MAX_PER_PAGE = 100
TOTAL_CAP = 10_000
"""Matches counted at most; a larger total is reported as "10,000+"."""
REINDEX_BATCH_SIZE = 500
BULK_CACHE_KIB = -65536
"""SQLite ``cache_size`` during a rebuild (negative: KiB, so 64 MB)."""

_UPDATE_FIELDS = [
    "agency_id",
    "agency_path",
    "column",
    "category",
    "validity",
    "published_at",
    "year",
    "indexed_at",
    "title",
    "title_norm",
    "doc_number",
    "index_number",
    "body_norm",
    "body_text",
    "sort_key",
    "grams",
]


def backend() -> SqlBackend:
    """The backend for the default database's vendor."""
    vendor = connection.vendor
    if vendor == "sqlite":
        from gongkai.search.backends.sqlite import SqliteBackend

        return SqliteBackend()
    if vendor == "postgresql":
        from gongkai.search.backends.postgresql import PostgresqlBackend

        return PostgresqlBackend()
    raise NotImplementedError(f"no search backend for database vendor {vendor!r}")


# --- Indexing ----------------------------------------------------------------------------------


def entry_for(record: IndexedDocument, *, indexed_at: dt.datetime | None = None) -> SearchEntry:
    """The unsaved row for ``record``: text cleaned of unstorable characters, norms computed."""
    if not isinstance(record, IndexedDocument):
        raise TypeError(f"expected IndexedDocument, got {type(record).__name__}")
    title = clean(record.title)
    body = clean(record.body_text)
    doc_number = clean(record.doc_number)
    index_number = clean(record.index_number)
    published_at = record.published_at
    if published_at is not None and timezone.is_naive(published_at):
        published_at = timezone.make_aware(published_at)
    year = record.year
    if year is None and published_at is not None:
        year = timezone.localtime(published_at).year
    agency_path = clean(record.agency_path)
    column = clean(record.column)
    category = clean(record.category)
    validity = clean(record.validity)
    title_norm = normalised_variant(title)
    body_norm = normalised_variant(f"{doc_number}\n{index_number}\n{body}")
    return SearchEntry(
        id=int(record.id),
        agency_id=int(record.agency_id),
        agency_path=agency_path,
        column=column,
        category=category,
        validity=validity,
        published_at=published_at,
        year=year,
        indexed_at=indexed_at or timezone.now(),
        title=title,
        title_norm=title_norm,
        doc_number=doc_number,
        index_number=index_number,
        body_norm=body_norm,
        body_text=body,
        sort_key=grams.sort_key(int(record.id), published_at),
        grams=grams.document_grams(
            title=title,
            title_norm=title_norm,
            doc_number=doc_number,
            index_number=index_number,
            body_text=body,
            body_norm=body_norm,
            agency_path=agency_path,
            column=column,
            category=category,
            validity=validity,
            year=year,
        ),
    )


def in_index_order(rows: Iterable[Any], sort_key: Callable[[Any], int]) -> list[Any]:
    """``rows`` in ascending ``sort_key`` order, the order to write a batch in.

    SQLite's FTS5 table has the sort key as its rowid, and FTS5 writes its pending tokens out as
    a new segment whenever a rowid is not larger than the previous one: a batch written in random
    key order makes a segment per row or two and leaves FTS5 merging them, which slowed a million
    document load several-fold. Sorted, a batch makes one segment.
    """
    return sorted(rows, key=sort_key)


def _upsert(entries: Sequence[SearchEntry]) -> None:
    # One INSERT … ON CONFLICT (id) DO UPDATE per batch; on SQLite the triggers of migration 0003
    # update the FTS index (only when the tokens or the sort key changed).
    unique: dict[int, SearchEntry] = {entry.id: entry for entry in entries}
    SearchEntry.objects.bulk_create(
        in_index_order(unique.values(), lambda entry: entry.sort_key),
        update_conflicts=True,
        unique_fields=["id"],
        update_fields=_UPDATE_FIELDS,
    )


def index(record: IndexedDocument) -> None:
    """Insert or replace one document in the index."""
    index_many([record])


def index_many(records: Iterable[IndexedDocument]) -> None:
    """Insert or replace several documents in one transaction (all or none)."""
    entries = [entry_for(record) for record in records]
    if entries:
        with transaction.atomic():
            _upsert(entries)


def remove(document_id: int) -> None:
    """Drop a document from the index (withdrawn, unpublished); unknown ids are ignored."""
    remove_many([document_id])


def remove_many(document_ids: Iterable[int]) -> None:
    """Drop several documents from the index in one transaction; unknown ids are ignored."""
    ids = [int(document_id) for document_id in document_ids]
    if ids:
        with transaction.atomic():
            SearchEntry.objects.filter(id__in=ids).delete()


def _batches(records: Iterable[IndexedDocument], size: int) -> Iterator[list[IndexedDocument]]:
    iterator = iter(records)
    while batch := list(islice(iterator, size)):
        yield batch


@contextlib.contextmanager
def _bulk_write_cache() -> Iterator[None]:
    """On SQLite, a 64 MB page cache while rebuilding (FTS5 segment merges are much faster with
    it than with the 2 MB default); the connection's own setting is restored afterwards."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = {BULK_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {previous}")


def reindex(
    records: Iterable[IndexedDocument],
    progress: Callable[[int], None] | None = None,
    *,
    batch_size: int = REINDEX_BATCH_SIZE,
) -> int:
    """Rebuild the index from ``records``; returns how many records were indexed.

    Records are written in batches of ``batch_size``, one transaction per batch, so search keeps
    working during a rebuild (it sees old and new rows, never none). ``progress`` is called with
    the running count after each batch. When all records are through, entries not (re)indexed
    since the rebuild started — documents that no longer exist — are removed. If the records
    raise half-way, nothing is removed.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    started = timezone.now()
    count = 0
    with _bulk_write_cache():
        for batch in _batches(records, batch_size):
            now = timezone.now()
            entries = [entry_for(record, indexed_at=now) for record in batch]
            with transaction.atomic():
                _upsert(entries)
            count += len(batch)
            if progress is not None:
                progress(count)
    with transaction.atomic():
        SearchEntry.objects.filter(indexed_at__lt=started).delete()
    if connection.vendor == "postgresql":
        # Fresh statistics, or the planner may take the rebuilt table for an empty one and scan
        # it instead of using the trigram index.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_entry")
    return count


# --- Querying ----------------------------------------------------------------------------------


def _clamp_page(page: Any, per_page: Any) -> tuple[int, int]:
    try:
        page = int(page)
    except (TypeError, ValueError):
        page = 1
    try:
        per_page = int(per_page)
    except (TypeError, ValueError):
        per_page = 20
    return max(1, page), min(max(1, per_page), MAX_PER_PAGE)


def _valid_filters(filters: SearchFilters | None) -> SearchFilters | None:
    if filters is None:
        return None
    if not isinstance(filters, SearchFilters):
        raise TypeError(f"expected SearchFilters, got {type(filters).__name__}")
    year = filters.year
    if year not in (None, ""):
        try:
            year = int(year)
        except (TypeError, ValueError):
            year = -1  # not a year: matches nothing rather than failing
    return SearchFilters(
        agency_path=filters.agency_path or None,
        column=filters.column or None,
        category=filters.category or None,
        year=year if year not in (None, "") else None,
        validity=filters.validity or None,
    )


def query(
    text: str,
    filters: SearchFilters | None = None,
    *,
    page: int = 1,
    per_page: int = 20,
) -> SearchResults:
    """Search the index; see the module docstring for the semantics.

    ``total`` is exact up to :data:`TOTAL_CAP` (then ``total_is_lower_bound``). A page past the
    last one has no hits (``total`` still counts them). ``per_page`` is limited to 100.
    """
    parsed = parse_query(text)
    page, per_page = _clamp_page(page, per_page)
    results = SearchResults(query=parsed.text, total=0, page=page, per_page=per_page)
    if not parsed.runnable:
        results.notice = parsed.notice
        return results
    filters = _valid_filters(filters)
    engine = backend()
    with connection.cursor() as cursor:
        total, rows = engine.page(
            cursor,
            parsed.terms,
            filters,
            offset=(page - 1) * per_page,
            limit=per_page,
            cap=TOTAL_CAP,
        )
    results.total = min(total, TOTAL_CAP)
    results.total_is_lower_bound = total > TOTAL_CAP
    if rows:
        results.hits = hits_for(rows, parsed)
    return results


#: The columns a hit is made of. The rest — above all ``grams``, the largest column, stored last
#: — is never read for a results page: on SQLite a row's overflow pages are read only up to the
#: last selected column, so leaving ``grams`` out roughly halves the pages a page of hits reads.
HIT_FIELDS = (
    "id",
    "agency_id",
    "published_at",
    "title",
    "title_norm",
    "doc_number",
    "index_number",
    "body_norm",
    "body_text",
)


def hits_for(rows: Sequence[tuple[int, bool]], parsed: ParsedQuery) -> list[SearchHit]:
    """Load the page's entries (one query, :data:`HIT_FIELDS` only) and highlight them."""
    entries = SearchEntry.objects.only(*HIT_FIELDS).in_bulk(
        [document_id for document_id, _ in rows]
    )
    highlighter = Highlighter(parsed.terms)
    hits: list[SearchHit] = []
    for document_id, title_match in rows:
        entry = entries.get(document_id)
        if entry is None:  # removed between the two statements
            continue
        hits.append(_hit(entry, title_match, highlighter, parsed.terms))
    return hits


def _hit(
    entry: SearchEntry, title_match: bool, highlighter: Highlighter, terms: Sequence[Term]
) -> SearchHit:
    aligned = body_alignment(entry.doc_number, entry.index_number, entry.body_text, entry.body_norm)
    return SearchHit(
        id=entry.id,
        title=entry.title,
        title_highlighted=highlighter.title(entry.title, entry.title_norm),
        snippet=highlighter.snippet(entry.body_text, aligned),
        published_at=entry.published_at,
        title_match=title_match and bool(terms),
        agency_id=entry.agency_id,
        doc_number=entry.doc_number,
        index_number=entry.index_number,
    )
