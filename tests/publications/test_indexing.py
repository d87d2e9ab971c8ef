"""Keeping the search index in step after commit: chunks, one transaction each, failures isolated."""

from __future__ import annotations

import logging

from gongkai import search
from gongkai.publications import services
from gongkai.publications.indexing import sync_documents
from gongkai.search import engine
from gongkai.search.models import SearchEntry
from tests.publications.factories import published


def indexed_ids() -> set[int]:
    return set(SearchEntry.objects.values_list("id", flat=True))


def test_sync_indexes_published_documents_and_removes_the_others(world):
    kept = published(world, title="森林防火通告")
    withdrawn = published(world, title="草原防火通告")
    sync_documents([kept.pk, withdrawn.pk])
    services.withdraw(world.reviewer, withdrawn, "误发")
    sync_documents([kept.pk, withdrawn.pk, 987_654])  # an unknown id is removed, harmlessly
    assert indexed_ids() == {kept.pk}
    assert search.query("防火通告").total == 1


def test_a_chunk_is_written_in_one_transaction(world, django_assert_max_num_queries):
    documents = [published(world, title=f"第{i}号防火通告") for i in range(12)]
    ids = [document.pk for document in documents]
    with django_assert_max_num_queries(12) as captured:
        sync_documents(ids, chunk_size=200)
    savepoints = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" in q["sql"].upper()]
    assert len(savepoints) <= 4, f"one transaction per write, not one per document: {savepoints}"
    assert indexed_ids() == set(ids)


def test_a_document_the_engine_refuses_costs_only_its_own_entry(world, monkeypatch, caplog):
    documents = [published(world, title=f"第{i}号防火通告") for i in range(3)]
    refused = documents[1].pk
    entry_for = engine.entry_for

    def refusing(record, **kwargs):
        if record.id == refused:
            raise ValueError("refused by the engine")
        return entry_for(record, **kwargs)

    monkeypatch.setattr(engine, "entry_for", refusing)
    with caplog.at_level(logging.ERROR, logger="gongkai.publications.indexing"):
        sync_documents([document.pk for document in documents])
    assert indexed_ids() == {documents[0].pk, documents[2].pk}
    assert f"document {refused}" in caplog.text, "the refused document is logged by id"
