"""Engine plumbing: backend choice, query plans, the SQLite FTS index staying consistent."""

from __future__ import annotations

import pytest
from django.db import connection

from gongkai import search
from gongkai.search import grams
from gongkai.search.engine import backend
from gongkai.search.models import SearchEntry
from gongkai.search.text import parse_query
from gongkai.search.types import IndexedDocument, SearchFilters

sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 backend")
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm backend")


def plan(text: str, filters: SearchFilters | None = None) -> str:
    with connection.cursor() as cursor:
        return backend().explain(cursor, parse_query(text).terms, filters)


def test_the_backend_follows_the_database_vendor(db):
    assert backend().vendor == connection.vendor


def test_index_rejects_something_that_is_not_an_indexed_document(db):
    with pytest.raises(TypeError):
        search.index({"id": 1, "title": "公开"})


@sqlite_only
def test_sqlite_answers_three_characters_from_the_fts_table(db):
    assert "VIRTUAL TABLE" in plan("信息公开"), plan("信息公开")


@sqlite_only
def test_sqlite_answers_two_characters_from_the_bigram_index_in_rowid_order(db):
    text_plan = plan("公开")
    assert "VIRTUAL TABLE" in text_plan, text_plan
    assert "B-TREE" not in text_plan, f"the newest-first order should need no sort: {text_plan}"


@sqlite_only
def test_sqlite_narrows_short_terms_by_the_long_ones(db):
    assert "VIRTUAL TABLE" in plan("信息公开 通知")


@sqlite_only
def test_sqlite_fts_index_stays_consistent_through_replace_and_remove(db):
    for n in range(20):
        search.index(IndexedDocument(n, 1, "0001/", f"标题{n}信息公开", f"正文{n}"))
    for n in range(0, 20, 2):
        search.index(IndexedDocument(n, 1, "0001/", f"新标题{n}", f"新正文{n}", validity="有效"))
    for n in range(0, 20, 3):
        search.remove(n)
    SearchEntry.objects.filter(id=19).delete()  # an ORM delete keeps it in sync too
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO search_entry_grams(search_entry_grams) VALUES('integrity-check')"
        )
    assert sorted(h.id for h in search.query("信息公开", per_page=100).hits) == [
        n for n in range(1, 19, 2) if n % 3
    ]


@postgresql_only
def test_postgresql_has_the_trigram_extension(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() == (1,)


@sqlite_only
def test_sqlite_reindex_restores_the_connection_cache_size(db):
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        search.reindex([IndexedDocument(1, 1, "0001/", "标题", "正文")])
        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone()[0] == before


def test_postgresql_uses_case_insensitive_matching_only_for_terms_with_letters():
    from gongkai.search.backends.postgresql import PostgresqlBackend

    backend_ = PostgresqlBackend()
    assert backend_.like_operator("信息公开") == "LIKE"
    assert backend_.like_operator("〔2026〕7号") == "LIKE"
    assert backend_.like_operator("MB1234") == "ILIKE"


@postgresql_only
def test_postgresql_trigram_vector_holds_the_three_character_substrings_of_each_run(db):
    search.index(
        IndexedDocument(7, 1, "0001/", "政府信息 公开", "Ab-c 年度报告\n息公", "国发〔2026〕1号")
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT tsvector_to_array(tri_tsv) FROM search_entry WHERE id = 7")
        stored = set(cursor.fetchone()[0])
    fields = ["政府信息 公开", "Ab-c 年度报告\n息公", "国发〔2026〕1号"]
    expected = {
        escaped[i : i + 3]
        for field in fields
        for run in field.split()
        for escaped in [grams.escape(run)]
        for i in range(len(escaped) - 2)
    }
    assert stored == expected, f"missing {expected - stored}, extra {stored - expected}"


@postgresql_only
def test_postgresql_answers_three_characters_from_the_trigram_index_without_reading_text(db):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the test table is tiny
    text_plan = plan("信息公")
    assert "search_entry_trigrams" in text_plan, text_plan
    assert "strpos" not in text_plan and "~~" not in text_plan, f"no check needed: {text_plan}"
    assert "strpos" in plan("信息公开"), "four characters need the substring check"
