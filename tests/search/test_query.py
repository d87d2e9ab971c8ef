"""Query behaviour: ordering, filters, pagination, highlighting, index maintenance, syntax."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai import search
from gongkai.search.models import SearchEntry
from gongkai.search.types import SearchFilters
from tests.search.conftest import BASE


def ids(text, filters=None, **kwargs):
    return [hit.id for hit in search.query(text, filters, **kwargs).hits]


# --- ordering ----------------------------------------------------------------------------------


def test_title_matches_come_first_then_newest(make_doc):
    old_title = make_doc(title="草原防火通知", published_at=BASE - dt.timedelta(days=30))
    new_body = make_doc(body_text="关于草原防火的说明", published_at=BASE)
    new_title = make_doc(title="再谈草原防火", published_at=BASE - dt.timedelta(days=1))
    undated_body = make_doc(body_text="草原防火", published_at=None)
    older_body = make_doc(body_text="草原防火！", published_at=BASE - dt.timedelta(days=90))

    results = search.query("草原防火")

    assert [h.id for h in results.hits] == [
        new_title.id,
        old_title.id,
        new_body.id,
        older_body.id,
        undated_body.id,
    ], "title matches (newest first), then body matches (newest first, undated last)"
    assert [h.title_match for h in results.hits] == [True, True, False, False, False]


def test_title_first_also_holds_for_two_character_queries(make_doc):
    body = make_doc(body_text="公开", published_at=BASE)
    title = make_doc(title="公开目录", published_at=BASE - dt.timedelta(days=9))
    assert ids("公开") == [title.id, body.id]


def test_same_date_ties_are_broken_by_higher_id(make_doc):
    first = make_doc(title="牧民补贴")
    second = make_doc(title="牧民补贴发放")
    assert ids("牧民补贴") == [second.id, first.id]


# --- filters -----------------------------------------------------------------------------------


def test_agency_filter_keeps_the_agency_and_its_subtree(make_doc):
    own = make_doc(agency_path="0001/", title="财政预算公开")
    child = make_doc(agency_path="0001/0002/", title="财政预算公开")
    other = make_doc(agency_path="0003/", title="财政预算公开")
    lookalike = make_doc(agency_path="00010/", title="财政预算公开")

    found = set(ids("财政预算", SearchFilters(agency_path="0001/")))

    assert found == {own.id, child.id}, f"other={other.id} lookalike={lookalike.id}"
    assert set(ids("财政预算", SearchFilters(agency_path="0001/0002/"))) == {child.id}


@pytest.mark.parametrize(
    ("field", "value", "other"),
    [
        ("column", "fdzdgknr", "gknb"),
        ("category", "财政", "环保"),
        ("validity", "已废止", "有效"),
        ("year", 2024, 2025),
    ],
)
def test_each_metadata_filter_keeps_only_matching_documents(make_doc, field, value, other):
    wanted = make_doc(title="年度报告", **{field: value})
    make_doc(title="年度报告", **{field: other})
    make_doc(title="年度报告")
    assert ids("年度报告", SearchFilters(**{field: value})) == [wanted.id]


def test_filters_combine(make_doc):
    wanted = make_doc(title="环境保护", column="a", category="b", year=2024, validity="有效")
    make_doc(title="环境保护", column="a", category="b", year=2023, validity="有效")
    make_doc(title="环境保护", column="a", category="c", year=2024, validity="有效")
    filters = SearchFilters(agency_path="0001/", column="a", category="b", year=2024)
    assert ids("环境保护", filters) == [wanted.id]


def test_year_defaults_to_the_publication_year_in_china(make_doc):
    # 2025-12-31 17:00 UTC is already 2026-01-01 in Asia/Shanghai.
    record = make_doc(title="跨年文件", published_at=dt.datetime(2025, 12, 31, 17, tzinfo=dt.UTC))
    assert ids("跨年文件", SearchFilters(year=2026)) == [record.id]


def test_empty_filter_values_are_ignored(make_doc):
    record = make_doc(title="公开指南", column="gkzn")
    assert ids("公开指南", SearchFilters(column="", category="", validity="")) == [record.id]


# --- pagination --------------------------------------------------------------------------------


def test_pages_split_the_results_and_total_counts_them_all(make_doc):
    made = [make_doc(body_text=f"第{n}号 信息公开") for n in range(45)]
    pages = [search.query("信息公开", page=page, per_page=20) for page in (1, 2, 3)]

    assert [r.total for r in pages] == [45, 45, 45]
    assert [r.pages for r in pages] == [3, 3, 3]
    assert [len(r.hits) for r in pages] == [20, 20, 5]
    seen = [hit.id for r in pages for hit in r.hits]
    assert sorted(seen) == sorted(d.id for d in made), "each document on exactly one page"


def test_a_page_past_the_end_is_empty_but_keeps_the_total(make_doc):
    make_doc(title="公开指南")
    results = search.query("公开指南", page=5)
    assert (results.total, results.hits, results.page) == (1, [], 5)


def test_per_page_is_limited_and_bad_paging_values_fall_back(make_doc):
    make_doc(title="公开指南")
    assert search.query("公开指南", per_page=10_000).per_page == 100
    results = search.query("公开指南", page=-3, per_page=0)
    assert (results.page, results.per_page, len(results.hits)) == (1, 1, 1)


def test_a_query_takes_two_statements_whatever_the_page_size(make_doc, django_assert_num_queries):
    for n in range(30):
        make_doc(body_text=f"{n} 政务公开", title=f"政务公开{n}")
    with django_assert_num_queries(2):  # page ids with the total, page rows
        results = search.query("政务公开", per_page=25)
    assert (len(results.hits), results.total) == (25, 30)


def test_a_results_page_never_reads_the_token_column(make_doc):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_doc(title="政务公开指南", body_text="政务公开")
    with CaptureQueriesContext(connection) as captured:
        assert search.query("政务公开").total == 1
    loading = captured.captured_queries[-1]["sql"]
    assert "body_text" in loading and "grams" not in loading, (
        f"the hits are loaded without the large token column: {loading}"
    )


def test_a_query_without_results_takes_one_statement(make_doc, django_assert_num_queries):
    make_doc(title="政务公开")
    with django_assert_num_queries(1):
        assert search.query("没有的词").total == 0


# --- highlighting ------------------------------------------------------------------------------


def test_title_is_escaped_and_matches_are_marked(make_doc):
    make_doc(title="<script>alert('信息公开')</script>", body_text="<b>信息公开</b> & more")
    hit = search.query("信息公开").hits[0]
    assert hit.title_highlighted == (
        "&lt;script&gt;alert(&#x27;<mark>信息公开</mark>&#x27;)&lt;/script&gt;"
    )
    assert hit.snippet == "&lt;b&gt;<mark>信息公开</mark>&lt;/b&gt; &amp; more"
    assert hit.title == "<script>alert('信息公开')</script>", "the plain title stays unescaped"


def test_snippet_is_cut_around_the_first_body_match(make_doc):
    make_doc(body_text="甲" * 500 + "阿尔山林" + "乙" * 500 + "阿尔山林")
    snippet = search.query("阿尔山林").hits[0].snippet
    assert snippet.startswith("…甲") and snippet.endswith("乙…"), snippet
    assert snippet.count("<mark>阿尔山林</mark>") == 1
    assert len(snippet) < 200


def test_snippet_collapses_whitespace_and_marks_every_term(make_doc):
    make_doc(body_text="第一段 牧区\n\n\n第二段 发展")
    assert (
        search.query("牧区 发展").hits[0].snippet
        == "第一段 <mark>牧区</mark> 第二段 <mark>发展</mark>"
    )


def test_snippet_is_the_start_of_the_body_when_only_the_number_matches(make_doc):
    make_doc(doc_number="兴署发〔2026〕9号", body_text="正文开头")
    hit = search.query("兴署发").hits[0]
    assert (hit.snippet, hit.doc_number) == ("正文开头", "兴署发〔2026〕9号")


def test_traditional_text_in_a_document_is_highlighted_for_a_simplified_query(make_doc):
    make_doc(title="資訊公開目錄", body_text="本機關資訊公開")
    hit = search.query("资讯公开").hits[0]
    assert hit.title_highlighted == "<mark>資訊公開</mark>目錄"
    assert hit.snippet == "本機關<mark>資訊公開</mark>"


# --- index maintenance -------------------------------------------------------------------------


def test_indexing_again_replaces_the_document(make_doc):
    record = make_doc(title="旧的标题文字", body_text="旧正文内容")
    make_doc(id=record.id, title="新的标题文字", body_text="新正文内容")

    assert ids("旧的标题") == [] and ids("旧正文") == []
    assert ids("新的标题") == [record.id] and ids("新正文") == [record.id]
    assert SearchEntry.objects.count() == 1


def test_a_metadata_change_is_searchable_immediately(make_doc):
    record = make_doc(title="实施方案", validity="有效")
    make_doc(id=record.id, title="实施方案", validity="已废止")
    assert ids("实施方案", SearchFilters(validity="已废止")) == [record.id]
    assert ids("实施方案", SearchFilters(validity="有效")) == []


def test_remove_drops_the_document(make_doc):
    kept = make_doc(title="决算公开")
    gone = make_doc(title="决算公开")
    search.remove(gone.id)
    assert ids("决算公开") == [kept.id]
    assert ids("决算") == [kept.id], "the two-character path sees the removal too"


def test_removing_an_unknown_document_does_nothing(db):
    search.remove(123456789)


def test_unstorable_characters_are_dropped_when_indexing(make_doc):
    record = make_doc(title="空\x00字符标题", body_text="正文\x07内容")
    assert ids("空字符") == [record.id]


# --- normalisation -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["環境保護", "環境", "環境 保護"])
def test_a_traditional_query_finds_simplified_text(make_doc, text):
    record = make_doc(title="关于加强环境保护的通知")
    assert ids(text) == [record.id]


def test_the_results_report_the_normalised_query(db):
    assert search.query("  環境　保護  ").query == "环境 保护"


def test_a_simplified_query_finds_traditional_text(make_doc):
    record = make_doc(body_text="政務公開工作要點")
    assert ids("政务公开") == [record.id]
    assert ids("政务") == [record.id]


def test_full_width_and_half_width_digits_find_each_other(make_doc):
    wide = make_doc(doc_number="内政办发〔２０２６〕７号")
    narrow = make_doc(doc_number="内政办发〔2026〕8号")
    assert set(ids("２０２６")) == {wide.id, narrow.id}
    assert set(ids("〔2026〕")) == {wide.id, narrow.id}


def test_every_term_of_a_multi_word_query_must_match(make_doc):
    both = make_doc(title="草原生态", body_text="牧区发展")
    make_doc(title="草原生态")
    make_doc(body_text="牧区发展")
    assert ids("草原 牧区") == [both.id]
    assert ids("草原生态  牧区发展") == [both.id]


def test_the_index_number_is_searched(make_doc):
    record = make_doc(index_number="11150000MB1234/2026-00007")
    assert ids("MB1234/2026-00007") == [record.id]
    assert ids("mb1234") == [record.id], "ASCII matching ignores case"


# --- short and empty queries -------------------------------------------------------------------


@pytest.mark.parametrize("text", ["公", " 公 ", "a", "\u3000x"])
def test_a_one_character_query_asks_for_two(make_doc, text):
    make_doc(title="公开")
    results = search.query(text)
    assert (results.total, results.hits) == (0, [])
    assert results.notice == "请输入至少两个字的搜索词。"


def test_an_over_long_query_is_refused_with_a_notice(make_doc):
    results = search.query("公开" * 150)
    assert results.total == 0 and "过长" in results.notice


def test_an_empty_query_lists_the_filtered_documents_newest_first(make_doc):
    older = make_doc(column="gknb", published_at=BASE - dt.timedelta(days=1))
    newer = make_doc(column="gknb", published_at=BASE)
    make_doc(column="other")
    results = search.query("   ", SearchFilters(column="gknb"))
    assert [h.id for h in results.hits] == [newer.id, older.id]
    assert results.notice == "" and results.total == 2
    assert not any(h.title_match for h in results.hits)


# --- syntax in queries -------------------------------------------------------------------------

SYNTAX = [
    '"',
    '""',
    '"信息',
    '信息"公开',
    "*",
    "信息*",
    "AND",
    "信息 AND 公开",
    "信息 OR 公开",
    "NOT 公开",
    "NEAR(信息 公开)",
    "NEAR(信息公开, 5)",
    "(信息",
    "信息)",
    "()",
    "title:信息",
    "{title}:公开",
    "^公开",
    "-公开",
    "+公开",
    "%%",
    "__",
    "\\\\",
    "'; DROP TABLE search_entry; --",
]


@pytest.mark.parametrize("text", SYNTAX)
def test_search_syntax_in_a_query_is_taken_literally(make_doc, text):
    make_doc(title="信息公开", body_text="政府信息公开")
    results = search.query(text)
    assert results.notice in ("", "请输入至少两个字的搜索词。")
    assert SearchEntry.objects.count() == 1


def test_documents_containing_syntax_characters_are_found_by_it(make_doc):
    near = make_doc(body_text="见 NEAR(信息公开 一节")
    quoted = make_doc(body_text='所谓"公开"是指')
    percent = make_doc(body_text="增长5%以上")
    fifty = make_doc(body_text="增长50以上")
    assert ids("NEAR(信息") == [near.id]
    assert ids('"公开"') == [quoted.id]
    assert ids("5%") == [percent.id], f"% must not be a wildcard (would also find {fifty.id})"
    assert ids("5%以") == [percent.id]
    assert ids("5_") == []


def test_underscore_is_not_a_wildcard(make_doc):
    underscore = make_doc(body_text="代码a_b")
    make_doc(body_text="代码axb")
    assert ids("a_b") == [underscore.id]
    assert ids("_b") == [underscore.id]
