"""search.bulk: a load of many new entries ends with the same index as one entry at a time."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from gongkai import search
from gongkai.search import bulk, engine
from gongkai.search.models import SearchEntry
from tests.search.conftest import build_doc

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the FTS5 trigger and options are SQLite's"
)


class Failure(Exception):
    pass


def insert_new(records) -> None:
    """What gongkai synth does: insert rows with new consecutive ids inside indexing_after."""
    entries = [engine.entry_for(record) for record in records]
    ids = [entry.id for entry in entries]
    with transaction.atomic(), bulk.indexing_after(min(ids), max(ids)):
        SearchEntry.objects.bulk_create(entries)


def fts_option(name: str) -> int:
    with connection.cursor() as cursor:
        return bulk._fts5_options(cursor, [name])[name]


def trigger_sql() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s",
            [bulk.INSERT_TRIGGER],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def records(first_id: int, titles: list[str]):
    return [build_doc(id=first_id + i, title=title) for i, title in enumerate(titles)]


def test_entries_inserted_in_bulk_are_found_like_entries_indexed_one_by_one(db):
    insert_new(records(50_000, ["森林防火通告", "草原防火通告", "无关标题"]))
    search.index(build_doc(id=60_000, title="河道防火通告"))
    results = search.query("防火通告", per_page=10)
    assert sorted(hit.id for hit in results.hits) == [50_000, 50_001, 60_000]


@sqlite_only
def test_the_insert_trigger_is_back_after_a_bulk_insert_and_indexes_later_rows(db):
    before = trigger_sql()
    insert_new(records(50_000, ["森林防火通告"]))
    assert trigger_sql() == before, "the trigger is re-created exactly as the migration made it"
    search.index(build_doc(id=50_100, title="草原防火通告"))
    assert search.query("草原防火").total == 1


@sqlite_only
def test_a_failure_inside_the_block_rolls_back_the_rows_and_keeps_the_trigger(db):
    before = trigger_sql()
    with pytest.raises(Failure), transaction.atomic():
        with bulk.indexing_after(50_000, 50_000):
            SearchEntry.objects.bulk_create([engine.entry_for(build_doc(id=50_000))])
            raise Failure
    assert trigger_sql() == before
    assert not SearchEntry.objects.filter(id=50_000).exists()


@sqlite_only
def test_the_index_of_a_bulk_insert_passes_the_fts5_integrity_check(db):
    insert_new(records(50_000, [f"第{i}号防火通告" for i in range(50)]))
    with connection.cursor() as cursor:
        # Raises (SQLITE_CORRUPT_VTAB) when the index and the content table disagree.
        cursor.execute(
            f"INSERT INTO {bulk.FTS_TABLE}({bulk.FTS_TABLE}, rank) VALUES ('integrity-check', 1)"
        )


@sqlite_only
def test_indexing_after_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError, match=r"transaction\.atomic"), bulk.indexing_after(1, 1):
        pass


def test_a_load_inside_bulk_load_is_searchable_afterwards(db):
    with bulk.bulk_load():
        insert_new(records(50_000, ["森林防火通告", "草原防火通告"]))
        insert_new(records(50_100, ["河道防火通告"]))
    assert search.query("防火通告").total == 3


@sqlite_only
def test_bulk_load_restores_the_merge_options_and_leaves_one_segment(db):
    before = {name: fts_option(name) for name in bulk.FTS5_LOAD}
    with bulk.bulk_load():
        assert {name: fts_option(name) for name in bulk.FTS5_LOAD} == bulk.FTS5_LOAD
        for start in (50_000, 50_100, 50_200):
            insert_new(records(start, ["森林防火通告", "草原防火通告"]))
    assert {name: fts_option(name) for name in bulk.FTS5_LOAD} == before
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(DISTINCT segid) FROM {bulk.FTS_TABLE}_idx")
        assert cursor.fetchone()[0] == 1, "optimize merged the load's segments into one"
    assert search.query("防火通告").total == 6


@sqlite_only
def test_bulk_load_restores_the_merge_options_after_an_error(db):
    before = {name: fts_option(name) for name in bulk.FTS5_LOAD}
    with pytest.raises(Failure), bulk.bulk_load():
        raise Failure
    assert {name: fts_option(name) for name in bulk.FTS5_LOAD} == before
