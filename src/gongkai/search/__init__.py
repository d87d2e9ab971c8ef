"""Full-text search behind one interface.

CONTRACT (stable; the search issue implements it, publications calls it):

    from gongkai import search
    search.index(record: IndexedDocument) -> None        # insert or replace one document
    search.remove(document_id: int) -> None              # drop it (withdrawn, unpublished)
    search.index_many(records: Iterable[IndexedDocument]) -> None   # several, one transaction
    search.remove_many(document_ids: Iterable[int]) -> None         # several, one transaction
    search.query(text: str, filters: SearchFilters | None = None, *, page: int = 1,
                 per_page: int = 20) -> SearchResults
    search.reindex(records: Iterable[IndexedDocument], progress=None) -> int

Semantics: a query of two or more Chinese characters finds *every* indexed document containing it
as a substring of title, body, document number or index number (recall 100% against a plain
substring scan); title matches rank first, then newest ``published_at``. Backends: SQLite FTS5
over character bigrams (default) and PostgreSQL (production: bigram ``tsvector`` and pg_trgm GIN
indexes), chosen from the database vendor; see :mod:`gongkai.search.grams`.

Details (implemented in :mod:`gongkai.search.engine`):

- the query is trimmed, whitespace-collapsed, NFKC-normalised and converted Traditional →
  Simplified (OpenCC t2s); space-separated terms must all match;
- an empty query lists the documents passing the filters, newest first; a query of fewer than two
  characters is not run: no hits, and ``SearchResults.notice`` asks for at least two (in Chinese);
- ``per_page`` is at most 100; ``total`` is exact up to 10,000 (``engine.TOTAL_CAP``), beyond
  that it is the cap and ``total_is_lower_bound`` is True ("10,000+"); highlighting is
  HTML-escaped with ``<mark>``;
- ``reindex`` writes in batches (one transaction each), calls ``progress(count)`` after each batch
  and finally drops entries of documents that were not in ``records``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from gongkai.search.types import (  # noqa: F401
    IndexedDocument,
    SearchFilters,
    SearchHit,
    SearchResults,
)


def index(record: IndexedDocument) -> None:
    from gongkai.search import engine

    return engine.index(record)


def remove(document_id: int) -> None:
    from gongkai.search import engine

    return engine.remove(document_id)


def index_many(records: Iterable[IndexedDocument]) -> None:
    from gongkai.search import engine

    return engine.index_many(records)


def remove_many(document_ids: Iterable[int]) -> None:
    from gongkai.search import engine

    return engine.remove_many(document_ids)


def query(
    text: str, filters: SearchFilters | None = None, *, page: int = 1, per_page: int = 20
) -> SearchResults:
    from gongkai.search import engine

    return engine.query(text, filters, page=page, per_page=per_page)


def reindex(
    records: Iterable[IndexedDocument],
    progress: Callable[[int], None] | None = None,
    *,
    batch_size: int | None = None,
) -> int:
    from gongkai.search import engine

    if batch_size is None:
        batch_size = engine.REINDEX_BATCH_SIZE
    return engine.reindex(records, progress=progress, batch_size=batch_size)
