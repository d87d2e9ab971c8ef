"""Extracting documents from pages saved from an old government website (no database)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.publications.importing import pages
from gongkai.publications.importing.pages import (
    UndecodableText,
    decode,
    extract,
    extract_html,
    site_boilerplate,
    strip_pinyin,
)

SAMPLES = Path(__file__).resolve().parent / "samples"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


@pytest.fixture(scope="module")
def site_blocks():
    return site_boilerplate(
        sample(f"pages/{n}") for n in ("notice-2024.html", "traditional.html", "reading-aid.html")
    )


def test_metadata_comes_from_the_metadata_box(site_blocks):
    page = extract("notice-2024.html", sample("pages/notice-2024.html"), site_blocks)
    assert page.title == "关于做好2024年政府信息公开工作的通知"
    assert page.metadata["index_number"] == "011234567/2024-00031"
    assert page.metadata["doc_number"] == "兴署办发[2024]7号"
    assert page.metadata["subject"] == "综合政务"
    assert str(page.published_on) == "2024-03-05" and str(page.written_on) == "2024-03-01"


def test_navigation_share_buttons_disclaimers_and_footers_are_dropped(site_blocks):
    page = extract("notice-2024.html", sample("pages/notice-2024.html"), site_blocks)
    for boilerplate in ("当前位置", "互动交流", "分享到", "打印本页", "关闭窗口", "免责声明",
                        "版权所有", "ICP备", "网站标识码", "乌兰浩特市兴安北大路", "索引号"):  # fmt: skip
        assert boilerplate not in page.body_html, boilerplate
    assert "<script" not in page.body_html and "_hmt" not in page.body_text


def test_the_body_and_signature_are_kept(site_blocks):
    page = extract("notice-2024.html", sample("pages/notice-2024.html"), site_blocks)
    assert "一、提高思想认识" in page.body_text and "二、加强平台建设" in page.body_text
    assert page.body_text.endswith("兴安盟行政公署办公室\n2024年3月1日")
    assert page.title not in page.body_text


def test_content_the_page_repeats_is_kept_once(site_blocks):
    page = extract("notice-2024.html", sample("pages/notice-2024.html"), site_blocks)
    assert page.body_text.count("为进一步做好政府信息公开工作") == 1
    assert page.body_text.count("一、提高思想认识") == 1


def test_a_repeated_block_without_any_class_hint_is_kept_once():
    raw = (
        "<html><body><div><p>第一条 为了规范管理，制定本办法。</p><p>第二条 本办法适用于全盟。</p>"
        "<p>第一条 为了规范管理，制定本办法。</p></div></body></html>"
    ).encode()
    page = extract_html(raw)
    assert page.body_text == "第一条 为了规范管理，制定本办法。\n第二条 本办法适用于全盟。"


def test_traditional_text_is_converted_and_the_original_kept(site_blocks):
    page = extract("traditional.html", sample("pages/traditional.html"), site_blocks)
    assert page.encoding == "big5hkscs"
    assert page.title == "关于进一步做好政务公开工作的通知"
    assert "严格落实主动公开制度" in page.body_text
    assert page.converted and page.original_title == "關於進一步做好政務公開工作的通知"
    assert "嚴格落實主動公開制度" in page.original_text
    assert page.metadata["doc_number"] == "兴署发〔2023〕12号"
    assert "繁体字已转换为简体字（原文已保留）" in page.notes


def test_simplified_pages_are_not_marked_converted(site_blocks):
    page = extract("notice-2024.html", sample("pages/notice-2024.html"), site_blocks)
    assert not page.converted and page.original_text == ""


def test_pinyin_annotations_of_a_reading_aid_mode_are_removed(site_blocks):
    page = extract("reading-aid.html", sample("pages/reading-aid.html"), site_blocks)
    assert page.body_text.splitlines() == [
        "政务公开网站已提供读屏和拼音辅助服务。",
        "为方便群众阅读，本网站提供拼音标注。",
        "政府信息公开服务热线：0482-8211234，支持Excel和PDF格式下载。",
    ]
    assert any("拼音注音" in note for note in page.notes)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("政(zhèng)府(fǔ)", "政府"),
        ("政（zheng4）府（fu3）", "政府"),
        ("绿(lǜ)色(sè)", "绿色"),
        ("文件(PDF)下载", "文件(PDF)下载"),
        ("附件(an)", "附件(an)"),
    ],
)
def test_parenthesised_pinyin_is_removed_only_when_it_reads_the_character(text, expected):
    assert strip_pinyin(text, bare=False)[0] == expected


def test_bare_pinyin_is_removed_only_when_enabled(site_blocks):
    assert strip_pinyin("政zhèng府fǔ", bare=True)[0] == "政府"
    assert strip_pinyin("政zhèng府fǔ", bare=False)[0] == "政zhèng府fǔ"
    assert strip_pinyin("使用app下载", bare=True)[0] == "使用app下载"


def test_a_text_page_has_its_title_metadata_and_body(site_blocks):
    page = extract("statistics.txt", sample("pages/statistics.txt"), site_blocks)
    assert page.encoding == "gb18030"
    assert page.title == "兴安盟2024年国民经济和社会发展统计公报"
    assert page.metadata["index_number"] == "011234567/2024-00120"
    assert str(page.published_on) == "2024-04-02"
    assert page.body_text.splitlines() == [
        "2024年，全盟地区生产总值保持稳定增长。",
        "一、农牧业生产稳中有进。",
        "二、工业生产平稳运行。",
    ]


def test_bytes_that_cannot_be_decoded_are_reported_with_their_position():
    with pytest.raises(UndecodableText) as caught:
        extract("broken.html", sample("bad_pages/broken.html"))
    message = caught.value.message
    assert "UTF-8" in message and "字节" in message and "18:00" in message


def test_gbk_pages_without_a_declaration_are_decoded():
    raw = "<html><body><p>政府信息公开工作年度报告正文内容</p></body></html>".encode("gbk")
    assert decode(raw)[1] == "gb18030"


def test_a_declared_legacy_charset_is_not_second_guessed():
    raw = b'<meta charset="gbk"><p>\x81\x30</p>'
    with pytest.raises(UndecodableText):
        decode(raw)


def test_site_wide_blocks_need_three_pages():
    raw = sample("pages/notice-2024.html")
    assert site_boilerplate([raw, raw]) == set()
    assert pages.SITE_BLOCK_MIN_CHARS >= 10
