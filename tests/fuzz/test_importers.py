"""Fuzzing the importers: saved web pages and catalogue tables (publications), work points
(supervision).

- ``pages.extract`` turns any bytes into an extracted page or an :class:`UndecodableText` naming
  the bad bytes; ``site_boilerplate`` never fails;
- ``table.parse_cell_date`` raises only :class:`RowError`; reading a CSV gives rows or a
  :class:`DomainError`/``UndecodableText``;
- ``workpoints.parse`` never raises (unknown wording is returned for the supervisor); the uploaded
  document reader raises only :class:`DomainError`.
"""

from __future__ import annotations

import io
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.errors import DomainError
from gongkai.publications.importing import pages, table
from gongkai.supervision import importing as wp_importing
from gongkai.supervision import workpoints
from tests.fuzz.strategies import (
    FUZZ,
    any_text,
    from_pieces,
    fuzz,
    mutated,
    mutated_bytes,
)

TESTS = Path(__file__).resolve().parents[1]
PAGE_FILES = sorted((TESTS / "publications" / "samples").rglob("*.*"))
PAGE_SAMPLES = [p.read_bytes() for p in PAGE_FILES if p.suffix in (".html", ".txt")]
SHARED_WORK_POINTS = TESTS.parent.parent / "shared" / "reference" / "work-points-2016.txt"

HTML_PIECES = [
    "<html>", "<head><meta charset=\"gbk\">", "<meta charset='big5'>", "<meta charset=utf-8>",
    "<body>", "</body>", "<div class=\"content\">", "</div>", "<p>", "</p>", "<table><tr><td>",
    "</td><td>", "</td></tr></table>", "<h1>", "</h1>", "<ruby>公<rt>gōng</rt></ruby>",
    "<span class=\"pinyin\">kāi</span>", "<script>alert(1)</script>", "<!--", "-->", "<![CDATA[",
    "索引号：", "011234567/2026-00001", "发文字号：", "内政办发〔2026〕7号", "发布机构：",
    "成文日期：", "发布日期：", "2026年3月5日", "2026-13-45", "主题分类：", "有效性：", "已废止",
    "首页 > 政务公开", "分享到：", "打印本页", "关闭窗口", "版权所有", "公(gōng)开(kāi)",
    "關於做好政府資訊公開工作的通知", "\x00", "&#0;", "&#xD800;", "&nbsp;", "<", ">", "&",
]  # fmt: skip


def _extract(name: str, raw: bytes) -> None:
    try:
        page = pages.extract(name, raw)
    except pages.UndecodableText as exc:
        assert exc.message, "the refusal must say where"
        return
    assert isinstance(page.title, str) and isinstance(page.body_html, str)
    assert "<script" not in page.body_html.lower(), "the body is sanitised"
    page.published_on, page.written_on  # noqa: B018 - the date properties parse


html_bytes = st.one_of(
    st.binary(max_size=2000),
    mutated_bytes(PAGE_SAMPLES, steps=4),
    st.tuples(
        from_pieces(HTML_PIECES, max_pieces=60),
        st.sampled_from(["utf-8", "gb18030", "big5", "utf-16"]),
    ).map(lambda t: t[0].encode(t[1], errors="ignore")),
)


@FUZZ
@given(html_bytes, st.sampled_from(["page.html", "page.txt", "page.SHTML"]))
def test_any_saved_page_is_extracted_or_refused(raw, name):
    _extract(name, raw)


@fuzz(60)
@given(st.lists(html_bytes, max_size=5))
def test_site_boilerplate_accepts_any_pages(raws):
    assert isinstance(pages.site_boilerplate(raws, minimum=2), set)


@FUZZ
@given(st.one_of(any_text, from_pieces(["2026", "年", "月", "日", "-", "/", ".", "13", "31", "0",
                                       "２０２６", " ", "29", "02"], max_pieces=8)))  # fmt: skip
def test_table_dates_parse_or_give_a_row_error(text):
    try:
        day = table.parse_cell_date(text, "published_on", required=True)
    except table.RowError as exc:
        assert exc.field == "published_on" and exc.message
        return
    assert day is not None


CSV_PIECES = ["标题", "发文字号", "发布日期", "栏目", "机构", ",", "\n", "\r\n", '"', '""', "\x00",
              "title", "2026-03-05", "内政办发〔2026〕7号", "\ufeff", ";", "\t"]  # fmt: skip


XLSX_SAMPLE = (TESTS / "publications" / "samples" / "catalogue.xlsx").read_bytes()


@FUZZ
@given(
    st.one_of(
        st.binary(max_size=300).map(lambda raw: ("catalogue.csv", raw)),
        from_pieces(CSV_PIECES, max_pieces=40).map(
            lambda text: ("catalogue.csv", text.encode("utf-8", "ignore"))
        ),
        mutated_bytes([XLSX_SAMPLE], steps=2).map(lambda raw: ("catalogue.xlsx", raw)),
    )
)
def test_catalogue_tables_read_rows_or_refuse(tmp_path_factory, named):
    name, raw = named
    path = tmp_path_factory.mktemp("table") / name
    path.write_bytes(raw)
    try:
        rows = list(table.read_rows(path))
    except DomainError as exc:
        assert exc.message
        return
    assert all(isinstance(number, int) for number, _values in rows)


# --- 工作要点 ---------------------------------------------------------------------------------------

WORK_POINTS_SAMPLE = """内蒙古自治区2026年政务公开工作要点
一、推进决策公开
（一）推进重大决策预公开。6月15日前公开年度重大行政决策事项目录。（自治区发改委、财政厅按职责分工分别牵头落实）
（二）推进政策解读。年内完成全部政策解读。（各地区、各部门负责落实）
二、加强平台建设
（一）推进政府网站集约化。
上半年完成整合。（自治区政务服务局牵头，会同住建厅、水利厅落实）
(二) 完善依申请公开工作（自治区相关部门负责）
"""
WP_SAMPLES = [WORK_POINTS_SAMPLE]
if SHARED_WORK_POINTS.exists():
    WP_SAMPLES.append(SHARED_WORK_POINTS.read_text(encoding="utf-8")[:6000])
WP_PIECES = ["\n一、", "\n（一）", "\n(二)", "（", "）", "落实", "牵头", "负责", "会同", "按职责分工",
             "各地区、各部门", "自治区", "发改委", "、", "，", "。", "6月15日前", "13月40日前",
             "年内", "上半年", "年底前", "2016年全区政务公开工作要点", "\n"]  # fmt: skip
AGENCIES = [(1, "内蒙古自治区发展和改革委员会"), (2, "内蒙古自治区财政厅"), (3, "兴安盟行政公署")]


@FUZZ
@given(st.one_of(any_text, from_pieces(WP_PIECES, max_pieces=60), mutated(WP_SAMPLES, WP_PIECES)))
def test_work_points_always_parse(text):
    result = workpoints.match_units(workpoints.parse(text), AGENCIES)
    for task in result.tasks:
        assert task.number and isinstance(task.text, str)
        if task.deadline is not None:
            assert task.deadline.year == result.year


class _Upload(io.BytesIO):
    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.name, self.size = name, len(data)


@fuzz(120)
@given(
    st.one_of(
        st.binary(max_size=400),
        st.just(b"PK\x03\x04").map(lambda b: b + bytes(50)),
        any_text.map(lambda t: t.encode("gb18030", errors="ignore")),
    ),
    st.sampled_from(["points.txt", "points.docx", "points.pdf", "POINTS.TXT", ""]),
)
def test_uploaded_work_points_are_read_or_refused(data, name):
    try:
        text = wp_importing.read_document(_Upload(data, name))
    except DomainError as exc:
        assert exc.field == "document" and exc.message
        return
    workpoints.parse(text)
