"""Fuzzing the search query parser and the search itself (gongkai.search).

Any query string — control characters, lone surrogates, NUL, LIKE/FTS5/tsquery syntax, very long
input — gives results or a Chinese notice, on SQLite FTS5 and on PostgreSQL alike; highlighting
always yields escaped HTML.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai import search
from gongkai.search.text import Highlighter, parse_query
from tests.fuzz.strategies import DB_FUZZ, FUZZ, SPECIAL, any_text, from_pieces

QUERY_PIECES = [
    "信息公开", "預算", "国办发〔2026〕7号", "2026", " ", "\u3000", '"', "'", "*", "%", "_", "\\",
    "(", ")", "AND", "OR", "NOT", "NEAR", "^", ":", "-", "|", "&", "!", "<->", "title:", "{", "}",
    "\x00", "\ud800", "；", "ｐｄｆ", "<script>", "&amp;", "政府信息公开条例第二十条",
]  # fmt: skip
queries = st.one_of(any_text, from_pieces(QUERY_PIECES, max_pieces=12), st.text(max_size=400))


@FUZZ
@given(queries)
def test_queries_parse_to_terms_or_a_notice(text):
    parsed = parse_query(text)
    assert parsed.runnable or parsed.notice
    for term in parsed.terms:
        assert term.text and "\x00" not in term.text


@FUZZ
@given(queries, st.text(alphabet=st.sampled_from([*SPECIAL, "信", "息", "<", ">", "&"])))
def test_highlighting_escapes_whatever_matches(query, body):
    highlighter = Highlighter(parse_query(query).terms)
    html = highlighter.snippet(body) + highlighter.title(body)
    stripped = html.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in stripped and ">" not in stripped, html


@pytest.fixture
def indexed(db):
    from gongkai.search import IndexedDocument

    for pk, title in enumerate(["关于公开2026年部门预算的通知", "政府信息公开工作年度报告"], 1):
        search.index(
            IndexedDocument(
                id=pk,
                title=title,
                agency_id=1,
                agency_path="0000001/",
                body_text=f"{title}。正文内容，内政办发〔2026〕{pk}号。",
                doc_number=f"内政办发〔2026〕{pk}号",
                index_number=f"011234567/2026-0000{pk}",
                validity="in_force",
                published_at=dt.datetime(2026, 3, pk, tzinfo=dt.UTC),
                year=2026,
            )
        )


@DB_FUZZ
@given(queries, st.integers(-5, 10**6), st.one_of(st.integers(-5, 500), st.text(max_size=3)))
def test_search_runs_any_query_on_the_database(indexed, text, page, per_page):
    results = search.query(text, page=page, per_page=per_page)
    assert results.total >= len(results.hits)
    assert 1 <= results.per_page <= 100


@DB_FUZZ
@given(queries)
def test_the_public_search_page_answers_any_query(indexed, client, text):
    # The raw bytes a browser could send, lone surrogates and NUL included.
    raw = quote(text.encode("utf-8", "surrogatepass"))
    response = client.get(f"/documents/search/?q={raw}")
    if "\x00" in text:  # refused before any view by gongkai.site.nulbytes
        assert response.status_code == 400, response.status_code
        return
    assert response.status_code in (200, 301, 302, 404), response.status_code
