"""What the search engine indexes, and keeping the index in step with the catalogue.

Publications owns the *content* of a search record (:func:`search_record`); the search app owns the
engine behind ``gongkai.search.index`` / ``remove``. Every workflow step that changes what the
public sees calls :func:`schedule_sync`, which runs after the transaction commits and by id
(a rolled-back publication never reaches the index). A failing engine never undoes a publication:
the error is logged and ``gongkai search reindex`` repairs the index.
"""

from __future__ import annotations

import logging
from array import array
from collections.abc import Iterator, Sequence

from gongkai.core.commitbatch import CommitBatch
from gongkai.publications.models import Document
from gongkai.search.types import IndexedDocument

logger = logging.getLogger(__name__)


def search_record(document: Document) -> IndexedDocument:
    """The search record of one published document (title, plain body, numbers, filters)."""
    body_parts = [document.summary, document.body_text]
    if document.mongolian_title:
        body_parts.append(document.mongolian_title)
    if document.mongolian_body:
        from gongkai.publications.sanitize import html_to_text

        body_parts.append(html_to_text(document.mongolian_body))
    return IndexedDocument(
        id=document.pk,
        agency_id=document.agency_id,
        agency_path=document.agency.path,
        title=document.title,
        body_text="\n".join(part for part in body_parts if part),
        doc_number=document.doc_number,
        index_number=document.index_number or "",
        column=document.column.code,
        category=document.category.code if document.category_id else "",
        validity=document.validity,
        published_at=document.published_at,
        year=document.published_on.year if document.published_on else None,
    )


def count_search_records() -> int:
    """How many records :func:`iter_search_records` yields (for the reindex progress bar)."""
    return Document.objects.published().count()


def iter_search_records(chunk_size: int = 500) -> Iterator[IndexedDocument]:
    """Search records of every published document (for ``gongkai search reindex``)."""
    documents = (
        Document.objects.published()
        .select_related("agency", "column", "category")
        .order_by("pk")
        .iterator(chunk_size=chunk_size)
    )
    for document in documents:
        yield search_record(document)


def schedule_sync(document_id: int) -> None:
    """Update the search index for this document once the current transaction commits.

    However many documents a transaction touches (an import of 100,000 rows), it registers one
    on-commit callback, which syncs them all (:class:`gongkai.core.commitbatch.CommitBatch`).
    """
    _SYNC.add(document_id)


def sync_documents(ids: Sequence[int], chunk_size: int = 200) -> None:
    """Index each document that is published, remove every other one (deleted, withdrawn…).

    Reads the committed state a chunk of documents at a time and writes each chunk's index
    changes in one transaction, so it may run for any id at any time (an id given twice is synced
    twice, harmlessly; not within one chunk). If a chunk's write fails, its documents are tried
    one by one, so one document the engine refuses costs only its own entry. A failing engine
    never raises: the error is logged and ``gongkai search reindex`` repairs the index.
    """
    for start in range(0, len(ids), chunk_size):
        chunk = list(dict.fromkeys(ids[start : start + chunk_size]))
        try:
            _sync_chunk(chunk)
        except Exception:  # the engine must never break publishing; reindex repairs it
            logger.exception("search index update failed for documents %s…; one by one", chunk[0])
            for document_id in chunk:
                try:
                    _sync_chunk([document_id])
                except Exception:
                    logger.exception("search index update failed for document %s", document_id)


def _sync_chunk(ids: list[int]) -> None:
    from gongkai import search

    documents = Document.objects.select_related("agency", "column", "category").in_bulk(ids)
    records, gone = [], []
    for document_id in ids:
        document = documents.get(document_id)
        if document is not None and document.is_published:
            records.append(search_record(document))
        else:
            gone.append(document_id)
    search.index_many(records)
    search.remove_many(gone)


_SYNC = CommitBatch("search-sync", sync_documents, new=lambda: array("q"))
"""The ids :func:`schedule_sync` collects in a transaction (8 bytes each)."""
