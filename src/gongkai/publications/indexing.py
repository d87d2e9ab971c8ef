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
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial

from django.db import transaction

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


def sync_document(document_id: int) -> None:
    """Index the document if it is published, else remove it from the index."""
    from gongkai import search

    try:
        document = (
            Document.objects.select_related("agency", "column", "category")
            .filter(pk=document_id)
            .first()
        )
        if document is not None and document.is_published:
            search.index(search_record(document))
        else:
            search.remove(document_id)
    except Exception:  # the engine must never break publishing; reindex repairs it
        logger.exception("search index update failed for document %s", document_id)


#: The ids collected by :func:`sync_in_bulk` (None outside such a block).
_collected: ContextVar[array | None] = ContextVar("gongkai_sync_collected", default=None)


def schedule_sync(document_id: int) -> None:
    """Update the search index for this document once the current transaction commits."""
    collected = _collected.get()
    if collected is not None:
        collected.append(document_id)
        return
    transaction.on_commit(partial(sync_document, document_id))


@contextmanager
def sync_in_bulk() -> Iterator[None]:
    """Inside the block, :func:`schedule_sync` collects ids; one callback syncs them after commit.

    For one transaction that publishes many documents (an import of 100,000 rows): Django keeps
    every on-commit callback until the commit, several hundred bytes each, where an id costs 8
    bytes here. Must run inside the transaction. An id whose document a rolled-back savepoint
    removed is synced all the same, which removes it from the index (harmless).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("sync_in_bulk() must run inside transaction.atomic()")
    ids = array("q")
    transaction.on_commit(partial(sync_documents, ids))
    token = _collected.set(ids)
    try:
        yield
    finally:
        _collected.reset(token)


def sync_documents(ids: Sequence[int], chunk_size: int = 200) -> None:
    """:func:`sync_document` for every id, reading the documents a chunk at a time."""
    from gongkai import search

    for start in range(0, len(ids), chunk_size):
        chunk = list(ids[start : start + chunk_size])
        try:
            documents = Document.objects.select_related("agency", "column", "category").in_bulk(
                chunk
            )
        except Exception:  # the engine must never break publishing; reindex repairs it
            logger.exception("search index update failed for documents %s…", chunk[0])
            continue
        for document_id in chunk:
            document = documents.get(document_id)
            try:
                if document is not None and document.is_published:
                    search.index(search_record(document))
                else:
                    search.remove(document_id)
            except Exception:  # as in sync_document
                logger.exception("search index update failed for document %s", document_id)
