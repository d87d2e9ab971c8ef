import io
import json

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from gongkai.reports import layout, statistics
from gongkai.reports.renderers import RENDERERS


@pytest.fixture
def data():
    table3 = statistics.empty_table3(2026)
    table3["new"].update(natural_person=7, commercial=2, total=9)
    table3["disclosed"].update(natural_person=4, total=4)
    table3["results_total"].update(natural_person=4, total=4)
    table3["carried_forward"].update(natural_person=3, commercial=2, total=5)
    table4 = statistics.empty_table4()
    table4["review"].update(upheld=1, total=1)
    return {
        "agency": {"code": "152200", "name": "兴安盟行政公署"},
        "year": 2026,
        "format": "2021",
        "scope": {"kind": "self", "label": "本级", "units": 1},
        "table2": {"normative_made": 3, "normative_in_force": 41, "fees_collected": "12.3456"},
        "table3": table3,
        "table4": table4,
        "checks": [],
        "sections": {"overview": "全盟政务公开工作稳步推进。", "other": "本年未收取信息处理费。"},
    }


def test_every_layout_tiles_its_grid_without_gaps_or_overlaps():
    for table in (
        layout.table3(statistics.empty_table3(2026), 2026),
        layout.table3(statistics.empty_table3(2020), 2020),
        layout.table4(statistics.empty_table4()),
        layout.table2({}, 2026),
        layout.table2({}, 2019),
    ):
        covered = set()
        for r, c, cell in layout.positioned(table):
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    assert (r + dr, c + dc) not in covered, f"overlap at {(r + dr, c + dc)}"
                    covered.add((r + dr, c + dc))
        assert len(covered) == len(table) * layout.width(table)


def test_xlsx_holds_the_same_numbers_and_the_official_merges(data):
    book = load_workbook(io.BytesIO(RENDERERS["xlsx"](data)))
    assert book.sheetnames == ["报告正文", "表二", "表三", "表四"]
    sheet = book["表三"]
    values = {}
    for row in sheet.iter_rows(min_row=3):
        label = next((c.value for c in row[:3][::-1] if isinstance(c.value, str)), None)
        values.setdefault(label, [c.value for c in row[3:10]])
    assert values["一、本年新收政府信息公开申请数量"] == [7, 2, 0, 0, 0, 0, 9]
    assert values["四、结转下年度继续办理"] == [3, 2, 0, 0, 0, 0, 5]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert "A3:C5" in merged, "the caption cell spans three columns and three header rows"
    assert any(r.startswith("A8:A") for r in merged), "三、本年度办理结果 spans its rows"
    assert book["表二"]["A1"].value == "二、主动公开政府信息情况"
    assert book["表四"].cell(row=6, column=1).value == 1


def test_pdf_is_a4_and_its_text_carries_the_figures(data):
    reader = PdfReader(io.BytesIO(RENDERERS["pdf"](data)))
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    text = "".join(p.extract_text() for p in reader.pages)
    assert "兴安盟行政公署2026年政府信息公开工作年度报告" in text.replace("\n", "")
    assert "12.3456" in text
    assert "三、收到和处理政府信息公开申请情况" in text
    assert "全盟政务公开工作稳步推进" in text


def test_docx_uses_gbt9704_margins_fonts_and_merged_tables(data):
    doc = Document(io.BytesIO(RENDERERS["docx"](data)))
    section = doc.sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    assert round(section.bottom_margin.mm) == 35 and round(section.right_margin.mm) == 26
    normal = doc.styles["Normal"].element.rPr.rFonts
    assert (
        normal.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        == "仿宋_GB2312"
    )
    table3 = doc.tables[1]
    assert table3.cell(3, 3).text == "7"
    assert table3.cell(3, 0).text == table3.cell(3, 2).text == "一、本年新收政府信息公开申请数量"


def test_json_export_round_trips(data):
    assert json.loads(RENDERERS["json"](data))["table3"]["new"]["total"] == 9
