"""Query parsing, normalisation and highlighting (pure functions, no database)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gongkai.search.text import Highlighter, clean, mark, normalise, parse_query


def test_normalise_converts_traditional_to_simplified_and_full_width_to_half_width():
    assert normalise("內蒙古自治區政務服務局") == "内蒙古自治区政务服务局"
    assert normalise("ＡＢＣ２０２６") == "ABC2026"


def test_parse_query_splits_on_any_whitespace_and_keeps_every_searched_form():
    parsed = parse_query(" 環境\u3000ＡＢ  ")
    assert parsed.text == "环境 AB"
    assert [t.variants for t in parsed.terms] == [("環境", "环境"), ("ＡＢ", "AB")]


def test_parse_query_drops_repeated_terms():
    assert parse_query("公开 公開 公开").text == "公开"


def test_an_empty_query_has_no_terms_and_no_notice():
    parsed = parse_query(" \t ")
    assert (parsed.terms, parsed.notice, parsed.runnable) == ((), "", True)


def test_two_one_character_terms_are_enough():
    assert parse_query("税 费").runnable


def test_clean_removes_nul_and_lone_surrogates_but_keeps_newlines():
    assert clean("a\x00b\ud800c\nd\te") == "abc\nd\te"


def test_mark_escapes_everything_outside_and_inside_marks():
    assert mark("<a>&", [(1, 2)]) == "&lt;<mark>a</mark>&gt;&amp;"


def test_overlapping_matches_merge_into_one_mark():
    highlighter = Highlighter(parse_query("信息公 息公开").terms)
    assert highlighter.title("政府信息公开") == "政府<mark>信息公开</mark>"


@given(st.text(max_size=40), st.text(min_size=2, max_size=5))
def test_highlighting_never_lets_markup_through(text, query):
    highlighter = Highlighter(parse_query(query).terms)
    highlighted = highlighter.title(text)
    without_marks = highlighted.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in without_marks and ">" not in without_marks
