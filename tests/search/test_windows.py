"""PostgreSQL's widening ``sort_key`` windows (``backends/postgresql.py``): whatever the windows
hold, every page has the right rows in the right order and the right total; a window that fills
up spares the wider levels. The ordering tests run on SQLite too (same results, no windows)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection, transaction

from gongkai import search
from gongkai.search import engine
from gongkai.search.text import parse_query
from gongkai.search.types import SearchFilters
from tests.search.conftest import BASE

#: Lines of an EXPLAIN text up to the next CTE (a node of the same CTE follows).
WITHIN_CTE = r"(?:(?!\s*CTE )[^\n]*\n)*?"

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="windows")


def analyze() -> None:
    """Table statistics, as after a reindex (without them the windows are not used at all)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_entry")


def explain_first_page(text: str, *, limit: int) -> str:
    """EXPLAIN ANALYZE of the page statement for ``text`` (first page), as the search runs it."""
    statement = engine.backend().page_sql(
        parse_query(text).terms, None, offset=0, limit=limit, cap=engine.TOTAL_CAP
    )
    sql = connection.ops.compose_sql(statement.sql, statement.params)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def never_scanned(level: int) -> str:
    """A pattern: the table scan of level ``level`` of the non-title part never ran."""
    return rf"CTE p1w{level}\n{WITHIN_CTE}[^\n]*Scan[^\n]* on search_entry[^\n]*never"


def every_page(text: str, per_page: int, filters: SearchFilters | None = None):
    ids, totals, page = [], set(), 1
    while True:
        results = search.query(text, filters, page=page, per_page=per_page)
        totals.add(results.total)
        ids += [(hit.id, hit.title_match) for hit in results.hits]
        if page >= results.pages:
            return ids, totals
        page += 1


@pytest.fixture
def old_matches_under_new_noise(make_doc):
    """Matches only among the oldest documents, title matches among them, under many newer
    documents without the term: the first windows hold (almost) nothing."""
    title, rest = [], []
    for n in range(30):
        at = BASE - dt.timedelta(days=400 - n)
        if n % 4 == 0:
            title.append(make_doc(title=f"政务公开{n}", body_text="正文", published_at=at).id)
        else:
            rest.append(make_doc(title=f"标题{n}", body_text=f"{n}政务公开", published_at=at).id)
    for n in range(90):
        make_doc(title=f"通知{n}", body_text="无关", published_at=BASE + dt.timedelta(hours=n))
    analyze()
    return [(i, True) for i in reversed(title)] + [(i, False) for i in reversed(rest)]


@pytest.mark.parametrize("text", ["政务", "政务公开"])
@pytest.mark.parametrize("first_window", [1, 2])
def test_pages_are_complete_and_in_order_when_the_first_windows_are_nearly_empty(
    old_matches_under_new_noise, monkeypatch, text, first_window
):
    if connection.vendor == "postgresql":
        from gongkai.search.backends import postgresql

        monkeypatch.setattr(postgresql, "FIRST_WINDOW", first_window)
        monkeypatch.setattr(postgresql, "WINDOW_GROWTH", 2)
    ids, totals = every_page(text, per_page=7)
    assert ids == old_matches_under_new_noise, "title matches newest first, then the others"
    assert totals == {30}, f"every page reports the total: {totals}"


def test_a_window_holding_part_of_a_page_is_widened(make_doc, monkeypatch):
    if connection.vendor == "postgresql":
        from gongkai.search.backends import postgresql

        monkeypatch.setattr(postgresql, "FIRST_WINDOW", 1)  # 50 documents: the 5 new, noise
    # The newest matches fill half a page; the rest are far older.
    new = [
        make_doc(body_text="政务公开", published_at=BASE + dt.timedelta(hours=n)).id
        for n in range(5)
    ]
    noise = [
        make_doc(body_text="无关", published_at=BASE - dt.timedelta(days=n)) for n in range(60)
    ]
    old = [
        make_doc(body_text="政务公开", published_at=BASE - dt.timedelta(days=300 + n)).id
        for n in range(10)
    ]
    analyze()
    assert noise
    ids = [hit.id for hit in search.query("政务", per_page=10).hits]
    assert ids == list(reversed(new)) + old[:5]


def test_the_year_filter_finds_its_year_under_newer_documents(make_doc):
    in_year = [
        make_doc(
            body_text="政务公开",
            published_at=dt.datetime(2024, 6, 1, tzinfo=dt.UTC) + dt.timedelta(hours=n),
        ).id
        for n in range(12)
    ]
    for n in range(80):
        make_doc(body_text="政务公开", published_at=BASE + dt.timedelta(hours=n))
    # Filed under 2024 though published later: above every window's top, still found.
    late = make_doc(body_text="政务公开", published_at=BASE + dt.timedelta(days=30), year=2024)
    analyze()
    ids, totals = every_page("政务", per_page=5, filters=SearchFilters(year=2024))
    assert [i for i, _ in ids] == [late.id, *reversed(in_year)]
    assert totals == {13}


@postgresql_only
def test_a_first_window_that_fills_up_spares_the_wider_levels(make_doc):
    for n in range(200):
        make_doc(body_text="政务公开", published_at=BASE + dt.timedelta(hours=n))
    analyze()
    text = explain_first_page("政务", limit=5)
    first = re.search(r"CTE p1w0\n\s*->\s*Limit \(actual[^\n]*rows=5 ", text)
    widest = re.search(never_scanned(2), text)
    assert first, f"the first window should give the page's 5 rows:\n{text}"
    assert widest, f"the all-documents level should not run:\n{text}"


@postgresql_only
def test_a_page_filled_by_title_matches_never_reads_the_other_matches(make_doc):
    # A word found mostly in titles ("…的实施方案"): proving it has no other match would read
    # every match; with the title part full, the other part is not needed for the page.
    for n in range(40):
        make_doc(title=f"政务方案{n}", body_text="正文", published_at=BASE + dt.timedelta(hours=n))
    analyze()
    text = explain_first_page("政务", limit=5)
    for level in range(3):
        skipped = re.search(never_scanned(level), text)
        assert skipped, f"level {level} of the non-title part should not run:\n{text}"


def test_title_matches_then_the_others_when_titles_fill_the_first_pages(make_doc):
    title = [
        make_doc(title=f"政务{n}", body_text="正文", published_at=BASE - dt.timedelta(hours=n)).id
        for n in range(12)
    ]
    rest = [
        make_doc(title=f"通知{n}", body_text="政务", published_at=BASE + dt.timedelta(hours=n)).id
        for n in range(5)
    ]
    analyze()
    ids, totals = every_page("政务", per_page=5)
    assert ids == [(i, True) for i in title] + [(i, False) for i in reversed(rest)]
    assert totals == {17}


@postgresql_only
def test_the_search_statement_has_its_own_work_mem(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT proconfig FROM pg_proc WHERE proname = 'search_entry_run'")
        (config,) = cursor.fetchone()
    assert "work_mem=32MB" in config, f"bitmaps must stay exact as the table grows: {config}"
