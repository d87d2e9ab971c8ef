"""Body HTML is sanitised with an allow-list: nothing that runs code survives."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.publications.sanitize import html_to_text, sanitize_html, text_to_html

DANGEROUS = [
    ("<p>正文</p><script>alert(1)</script>", "<script"),
    ('<img src="x.png" onerror="alert(1)">', "onerror"),
    ('<a href="javascript:alert(1)">链接</a>', "javascript:"),
    ('<a href="JaVaScRiPt:alert(1)">链接</a>', "javascript:"),
    ('<p style="background:url(javascript:alert(1))">正文</p>', "style"),
    ('<iframe src="https://example.com"></iframe>', "<iframe"),
    ('<img src="data:image/svg+xml;base64,PHN2Zz4=">', "data:"),
    ('<svg onload="alert(1)"><circle/></svg>', "onload"),
    ('<form action="/steal"><input name="x"></form>', "<form"),
    ("<p onclick='x()'>点击</p>", "onclick"),
    ("<style>body{display:none}</style><p>正文</p>", "<style"),
    ('<object data="x.swf"></object>', "<object"),
]


@pytest.mark.parametrize(("raw", "forbidden"), DANGEROUS)
def test_dangerous_markup_is_removed(raw, forbidden):
    cleaned = sanitize_html(raw)
    assert forbidden not in cleaned.lower(), cleaned


def test_script_content_is_dropped_not_shown_as_text():
    assert "alert" not in sanitize_html("<p>正文</p><script>alert(1)</script>")


def test_structure_of_an_official_document_survives():
    raw = (
        "<h2>一、总体要求</h2><p align='center'><strong>加强</strong>政务公开</p>"
        "<table><tr><td colspan='2'>表格</td></tr></table><ol><li>第一项</li></ol>"
        '<a href="https://www.gov.cn/">中国政府网</a>'
    )
    cleaned = sanitize_html(raw)
    for kept in ("<h2>", "<strong>", 'colspan="2"', "<li>", 'href="https://www.gov.cn/"', "align"):
        assert kept in cleaned, (kept, cleaned)


def test_links_get_noopener():
    assert 'rel="noopener noreferrer"' in sanitize_html('<a href="https://a.example/">a</a>')


def test_h1_becomes_h2_so_the_page_keeps_one_h1():
    assert sanitize_html("<h1>标题</h1>") == "<h2>标题</h2>"


def test_plain_text_is_extracted_one_line_per_block():
    assert (
        html_to_text("<p>第一段</p><p>第二段&nbsp;内容</p><br>末尾") == "第一段\n第二段 内容\n末尾"
    )


def test_text_becomes_escaped_paragraphs():
    assert (
        text_to_html("第一段\n\n<b>第二段</b>") == "<p>第一段</p>\n<p>&lt;b&gt;第二段&lt;/b&gt;</p>"
    )


@given(st.text(max_size=200))
def test_sanitising_is_idempotent(raw):
    once = sanitize_html(raw)
    assert sanitize_html(once) == once


@given(st.text(alphabet=st.sampled_from(list("<>\"'=/ aonerrscipt:javascript()")), max_size=80))
def test_no_event_handler_attribute_ever_survives(raw):
    cleaned = sanitize_html(raw).lower()
    assert " onerror=" not in cleaned and "<script" not in cleaned
