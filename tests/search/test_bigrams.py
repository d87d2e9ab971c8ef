"""The bigram index: exact substring recall and precision, script and ASCII handling, capped
totals, title-first paging, facet filters and keeping the index in step with edits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai import search
from gongkai.search import engine, grams
from gongkai.search.engine import backend
from gongkai.search.text import parse_query
from gongkai.search.types import IndexedDocument, SearchFilters
from tests.search.conftest import BASE
from tests.search.corpus import all_ids, scan, scan_variants, simplified_pool

# --- tokens ------------------------------------------------------------------------------------


def test_a_run_becomes_its_overlapping_bigrams():
    assert grams.bigrams("政府信息公开") == ["政府", "府信", "信息", "息公", "公开"]


def test_runs_are_separated_by_a_gap_token_so_no_phrase_spans_two_runs():
    tokens = grams.text_grams(["公开 开放"])
    assert tokens == ["公开", grams.GAP, "开放"]


@given(
    st.text(
        st.one_of(
            st.characters(max_codepoint=0x7F),
            st.characters(min_codepoint=0xFF00, max_codepoint=0xFF65),
            st.sampled_from("政府信息\u3000\xa0\x85\u2028"),
        )
    )
)
def test_escaping_a_whole_text_gives_the_escaped_runs_of_its_split(text):
    assert grams.escaped_runs(text) == [grams.escape(run) for run in text.split()]
    assert grams.escape(text) == text.translate(grams._TEXT_TABLE), "escape is the table's map"


def test_ascii_letters_are_lower_cased_and_punctuation_kept_as_token_characters():
    assert grams.bigrams("Ab(") == ["ab", "b" + chr(0xF0000 + ord("("))]


def test_the_sort_key_orders_newer_first_then_higher_id_and_undated_last():
    newer = grams.sort_key(1, BASE + dt.timedelta(seconds=1))
    older_high_id = grams.sort_key(9, BASE)
    older_low_id = grams.sort_key(8, BASE)
    undated = grams.sort_key(999, None)
    assert newer > older_high_id > older_low_id > undated
    assert grams.document_id(older_high_id) == 9


def test_a_document_id_too_large_for_the_sort_key_is_refused():
    with pytest.raises(ValueError):
        grams.sort_key(grams.MAX_DOCUMENT_ID + 1, BASE)


# --- recall and precision against a substring scan ---------------------------------------------

POOL = simplified_pool()[:40] + "政府信息公开"
texts = st.text(alphabet=POOL + " ，。（）〔〕2026AbC", min_size=0, max_size=40)


@st.composite
def corpus_and_substring(draw):
    rows = draw(st.lists(st.tuples(texts, texts), min_size=1, max_size=8))
    documents = [
        IndexedDocument(
            id=number,
            agency_id=1,
            agency_path="0001/",
            title=title,
            body_text=body,
            published_at=BASE + dt.timedelta(days=number % 3),
        )
        for number, (title, body) in enumerate(rows, start=1)
    ]
    source = draw(st.sampled_from([d.title + " " + d.body_text for d in documents]))
    runs = [r for r in source.split() if len(r) >= 2]
    length = draw(st.integers(2, 6))
    if runs and draw(st.integers(0, 3)):
        run = draw(st.sampled_from(runs))
        length = min(length, len(run))
        start = draw(st.integers(0, len(run) - length))
        query = run[start : start + length]
    else:
        query = "".join(draw(st.sampled_from(POOL)) for _ in range(length))
    return documents, query


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=corpus_and_substring())
def test_substrings_of_two_to_six_characters_find_exactly_the_documents_containing_them(db, case):
    documents, text = case
    with transaction.atomic():
        search.reindex(documents)
        found = all_ids(text, per_page=3)
        assert len(found) == len(set(found)), f"{text!r}: a document appears twice: {found}"
        missing = scan(documents, text) - set(found)
        assert not missing, f"{text!r}: containing documents not found (recall): {missing}"
        extra = set(found) - scan_variants(documents, text)
        assert not extra, f"{text!r}: documents found that do not contain it (precision): {extra}"
        transaction.set_rollback(True)


def test_a_traditional_query_finds_simplified_text(make_doc):
    doc = make_doc(body_text="关于政府信息公开的通知")
    assert [h.id for h in search.query("政府資訊").hits] == [], "different words stay apart"
    assert [h.id for h in search.query("政府").hits] == [doc.id]
    assert [h.id for h in search.query("資訊公開").hits] == [], "資訊 is 资讯, not 信息"
    assert [h.id for h in search.query("信息公開").hits] == [doc.id]


def test_a_simplified_query_finds_traditional_text(make_doc):
    doc = make_doc(title="政府資訊公開指南")
    assert [h.id for h in search.query("资讯公开").hits] == [doc.id]


@pytest.mark.parametrize("text", ["abc", "ABC", "Bc", "2026", "〔2026〕", "(1)", "a.b"])
def test_ascii_and_punctuation_substrings_match_ignoring_ascii_case(make_doc, text):
    doc = make_doc(body_text="xx aBc 内政办发〔2026〕7号 第(1)条 a.b yy")
    assert [h.id for h in search.query(text).hits] == [doc.id], text


def test_a_full_width_query_finds_half_width_text(make_doc):
    doc = make_doc(body_text="第(1)条")
    assert [h.id for h in search.query("（1）").hits] == [doc.id]


@pytest.mark.parametrize("query", ["公开，信息", "公开,信息", "开，信", "开,信"])
def test_full_width_and_half_width_punctuation_find_each_other(make_doc, query):
    full = make_doc(body_text="政务公开，信息公开")
    half = make_doc(body_text="政务公开,信息公开")
    assert {h.id for h in search.query(query).hits} == {full.id, half.id}, query


def test_full_width_forms_are_the_tokens_of_their_ascii_characters():
    assert grams.escape("，（Ａ１）") == grams.escape(",(a1)")


def test_a_normalised_copy_changing_only_full_width_punctuation_adds_no_tokens():
    body = "政务公开，依法公开；公开（试行）！"
    entry = engine.entry_for(
        IndexedDocument(id=1, agency_id=1, agency_path="1/", title="指南", body_text=body)
    )
    assert entry.body_norm, "NFKC changes the full-width punctuation, so a normalised copy is kept"
    assert entry.grams.split().count("政务") == 1, entry.grams


def test_a_normalised_copy_with_traditional_characters_keeps_its_own_tokens():
    entry = engine.entry_for(
        IndexedDocument(
            id=1, agency_id=1, agency_path="1/", title="指南", body_text="政府資訊，公開"
        )
    )
    tokens = entry.grams.split()
    assert "资讯" in tokens and "資訊" in tokens, entry.grams


def test_a_query_spanning_whitespace_in_the_text_finds_nothing(make_doc):
    make_doc(body_text="政务 公开")
    assert search.query("务公").total == 0, "a term never matches across whitespace"


def test_a_one_character_term_next_to_another_term_is_still_matched(make_doc):
    both = make_doc(title="政务公开", body_text="乙")
    make_doc(title="政务公开", body_text="丙")
    assert [h.id for h in search.query("政务 乙").hits] == [both.id]


# --- totals ------------------------------------------------------------------------------------


def test_a_total_above_the_cap_is_the_cap_and_flagged_as_a_lower_bound(make_doc, monkeypatch):
    monkeypatch.setattr(engine, "TOTAL_CAP", 5)
    for _ in range(8):
        make_doc(body_text="政务公开")
    results = search.query("政务", per_page=2)
    assert (results.total, results.total_is_lower_bound) == (5, True)
    assert len(results.hits) == 2


def test_a_total_at_the_cap_is_exact(make_doc, monkeypatch):
    monkeypatch.setattr(engine, "TOTAL_CAP", 5)
    for _ in range(5):
        make_doc(body_text="政务公开")
    results = search.query("政务", per_page=2)
    assert (results.total, results.total_is_lower_bound) == (5, False)


def test_pages_beyond_the_cap_still_hold_results(make_doc, monkeypatch):
    monkeypatch.setattr(engine, "TOTAL_CAP", 3)
    for _ in range(8):
        make_doc(body_text="政务公开")
    assert len(search.query("政务", page=4, per_page=2).hits) == 2


# --- order and paging --------------------------------------------------------------------------


def test_pages_list_title_matches_newest_first_then_the_others_newest_first(make_doc):
    expected_title, expected_rest = [], []
    for n in range(13):
        in_title = n % 3 == 0
        doc = make_doc(
            title="政务公开" if in_title else "无关",
            body_text="政务" if not in_title else "正文",
            published_at=BASE + dt.timedelta(hours=n % 5),
        )
        (expected_title if in_title else expected_rest).append(doc)

    def newest(docs):
        return [d.id for d in sorted(docs, key=lambda d: (d.published_at, d.id), reverse=True)]

    expected = newest(expected_title) + newest(expected_rest)
    for per_page in (1, 2, 4, 5, 20):
        assert all_ids("政务", per_page=per_page) == expected, f"per_page={per_page}"


def test_a_page_past_the_end_is_empty_and_keeps_the_total(make_doc):
    for _ in range(3):
        make_doc(title="政务", body_text="政务")
    results = search.query("政务", page=5, per_page=2)
    assert (results.hits, results.total) == ([], 3)


# --- filters (facet tokens on SQLite, columns on PostgreSQL) -----------------------------------


@pytest.fixture
def filtered(make_doc):
    return {
        "league": make_doc(body_text="政务", agency_path="0001/0002/", year=2025),
        "county": make_doc(body_text="政务", agency_path="0001/0002/0005/", column="Zcwj"),
        "other": make_doc(body_text="政务", agency_path="0001/0003/", category="k1"),
        "region": make_doc(body_text="政务", agency_path="0001/", validity="有效"),
    }


@pytest.mark.parametrize(
    ("filters", "names"),
    [
        (SearchFilters(agency_path="0001/0002/"), {"league", "county"}),
        (SearchFilters(agency_path="0001/000"), {"league", "county", "other"}),
        (SearchFilters(year=2025), {"league"}),
        (SearchFilters(column="Zcwj"), {"county"}),
        (SearchFilters(column="zcwj"), set()),
        (SearchFilters(category="k1"), {"other"}),
        (SearchFilters(validity="有效"), {"region"}),
    ],
)
def test_filters_keep_exactly_the_documents_that_pass_them(filtered, filters, names):
    expected = {filtered[name].id for name in names}
    assert set(all_ids("政务", filters)) == expected, filters
    assert set(all_ids("", filters)) == expected, f"empty query, {filters}"


# --- keeping the index in step -----------------------------------------------------------------


def test_an_edit_replaces_the_old_bigrams(make_doc):
    doc = make_doc(title="草原防火")
    search.index(IndexedDocument(doc.id, 1, "0001/", "牧民补贴", "", published_at=BASE))
    assert search.query("防火").total == 0, "the old title's bigrams must be gone"
    assert [h.id for h in search.query("补贴").hits] == [doc.id]


def test_a_new_publication_date_moves_the_document_in_the_order(make_doc):
    first = make_doc(body_text="政务", published_at=BASE)
    second = make_doc(body_text="政务", published_at=BASE + dt.timedelta(days=1))
    assert all_ids("政务") == [second.id, first.id]
    search.index(
        IndexedDocument(
            first.id, 1, "0001/", "无关标题", "政务", published_at=BASE.replace(year=2027)
        )
    )
    assert all_ids("政务") == [first.id, second.id]


def test_removed_documents_are_no_longer_found(make_doc):
    doc = make_doc(body_text="政务")
    kept = make_doc(body_text="政务")
    search.remove(doc.id)
    assert all_ids("政务") == [kept.id]


# --- plans -------------------------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL tsvector index")
def test_postgresql_answers_two_characters_from_the_bigram_index(db):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")  # the sort_key walk, on a tiny table
        text_plan = backend().explain(cursor, parse_query("公开").terms, None)
    assert "search_entry_grams" in text_plan, text_plan
