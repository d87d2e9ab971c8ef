"""The DOCX and PDF renderers follow GB/T 9704—2012 (legal-rules §6): opened and measured here."""

from __future__ import annotations

import io

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from pypdf import PdfReader

from gongkai.letters import document as geo
from gongkai.letters import fonts
from gongkai.letters.document import LetterDocument, signature_indents, text_width
from gongkai.letters.rendering.docx import render_docx
from gongkai.letters.rendering.pdf import render_html, render_pdf

PT_PER_MM = 72 / 25.4
LINE = "政府信息公开条例规定行政机关应当及时准确地公开政府信息便于查询"[:28]
assert len(LINE) == 28


def letter(**changes) -> LetterDocument:
    values = {
        "title": ("兴安盟行政公署", "政府信息公开申请答复书"),
        "number": "兴署依申复〔2026〕7号",
        "salutation": "张三：",
        "paragraphs": (
            "本机关于2026年3月2日收到你提出的政府信息公开申请。",
            "根据《中华人民共和国政府信息公开条例》第三十六条第（二）项的规定，本机关决定予以公开。",
        ),
        "signature": "兴安盟行政公署",
        "date": "2026年3月20日",
        "note": "（联系单位：兴安盟行政公署办公室；联系电话：0482-8226001）",
        "author": "兴安盟行政公署",
        "subject": "答复书：予以公开",
    }
    values.update(changes)
    return LetterDocument(**values)


def bare(text: str) -> LetterDocument:
    """Only body text, set flush left: the type area itself."""
    return LetterDocument(
        title=(), number="", salutation=text, paragraphs=(), signature="", date=""
    )


def text_runs(page) -> list[tuple[str, float, float]]:
    """(text, x, y) in PDF points from the bottom-left corner, for each shown text chunk."""
    runs: list[tuple[str, float, float]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        runs.append((text, x, y))

    page.extract_text(visitor_text=visit)
    return runs


@pytest.fixture(scope="module")
def pdf_reader():
    return PdfReader(io.BytesIO(render_pdf(letter())))


@pytest.fixture(scope="module")
def docx_document():
    return Document(io.BytesIO(render_docx(letter())))


# --- PDF ------------------------------------------------------------------------------------------


def test_the_pdf_text_has_the_number_the_article_and_the_date(pdf_reader):
    text = pdf_reader.pages[0].extract_text().replace("\n", "")
    assert "兴署依申复〔2026〕7号" in text
    assert "第三十六条第（二）项" in text
    assert "2026年3月20日" in text
    assert "张三：" in text


def test_the_pdf_page_is_a4(pdf_reader):
    box = pdf_reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(210 * PT_PER_MM, abs=0.5)
    assert float(box.height) == pytest.approx(297 * PT_PER_MM, abs=0.5)


def test_the_pdf_text_starts_at_the_left_margin_and_below_the_top_margin(pdf_reader):
    runs = text_runs(pdf_reader.pages[0])
    left = min(x for _text, x, _y in runs)
    assert left == pytest.approx(geo.MARGIN_LEFT_MM * PT_PER_MM, abs=1), left / PT_PER_MM
    top_of_type_area = (geo.PAGE_HEIGHT_MM - geo.MARGIN_TOP_MM) * PT_PER_MM
    highest = max(y for _text, _x, y in runs)
    assert top_of_type_area - geo.LINE_PITCH_PT < highest < top_of_type_area, highest


def test_the_page_number_sits_below_the_type_area_with_dashes(pdf_reader):
    runs = text_runs(pdf_reader.pages[0])
    number = [(t, x, y) for t, x, y in runs if "1" in t and "—" in t]
    assert number, runs
    _text, x, y = number[0]
    assert y < geo.MARGIN_BOTTOM_MM * PT_PER_MM, "page number inside the type area"
    assert x > 105 * PT_PER_MM, "odd page numbers are on the right"


def test_the_pdf_records_the_font_substitution_in_its_metadata(pdf_reader):
    metadata = pdf_reader.metadata
    plan = fonts.plan()
    assert metadata["/Keywords"] == plan.record
    assert metadata["/gongkaifonts"] == plan.record
    assert "仿宋_GB2312→" in plan.record and "方正小标宋简体→" in plan.record
    assert metadata["/Title"].startswith("兴署依申复〔2026〕7号")


def test_the_pdf_embeds_the_installed_substitute_font(pdf_reader):
    plan = fonts.plan()
    page = pdf_reader.pages[0]
    names = {str(font["/BaseFont"]) for font in page["/Resources"]["/Font"].values()}
    expected = plan.body.replace(" ", "")
    assert any(expected.replace("-", "") in name.replace("-", "") for name in names), names


def test_a_body_of_22_lines_of_28_characters_fits_one_page():
    reader = PdfReader(io.BytesIO(render_pdf(bare(LINE * 22))))
    assert len(reader.pages) == 1
    lines = [line for line in reader.pages[0].extract_text().splitlines() if "—" not in line]
    assert lines == [LINE] * 22, lines


def test_a_23rd_line_goes_to_the_next_page():
    reader = PdfReader(io.BytesIO(render_pdf(bare(LINE * 23))))
    assert len(reader.pages) == 2


def test_a_29th_character_goes_to_the_next_line():
    reader = PdfReader(io.BytesIO(render_pdf(bare(LINE + "政"))))
    lines = [line for line in reader.pages[0].extract_text().splitlines() if line.strip()]
    assert lines[:2] == [LINE, "政"], lines


def test_the_letterhead_layout_has_the_red_mark_and_no_page_number_on_page_one():
    doc = letter(letterhead="兴安盟行政公署", title=("政府信息公开申请答复书",))
    reader = PdfReader(io.BytesIO(render_pdf(doc)))
    text = reader.pages[0].extract_text()
    assert text.startswith("兴安盟行政公署")
    assert "— 1 —" not in text
    html = render_html(doc, fonts.plan())
    assert f"color: #{geo.RED}" in html and "data:image/svg+xml" in html


def test_a_missing_font_is_refused_with_the_package_to_install():
    with pytest.raises(fonts.FontMissing) as caught:
        fonts.plan(installed=frozenset({"DejaVu Sans"}))
    assert "fonts-noto-cjk" in caught.value.message
    assert "仿宋_GB2312" in caught.value.message


def test_an_installed_official_font_is_used_as_it_is():
    plan = fonts.plan(installed=frozenset({"仿宋_GB2312", "Noto Serif CJK SC"}))
    assert plan.body == "仿宋_GB2312"
    assert "仿宋_GB2312→仿宋_GB2312" in plan.record
    assert plan.title == "Noto Serif CJK SC" and plan.title_bold


def test_the_browser_preview_names_the_official_fonts_first():
    html = render_html(letter())
    assert '"仿宋_GB2312"' in html and '"方正小标宋简体"' in html
    assert "兴署依申复〔2026〕7号" in html


def test_letter_text_is_escaped_in_the_html():
    html = render_html(letter(paragraphs=("<script>alert(1)</script>",)))
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


# --- DOCX -----------------------------------------------------------------------------------------


def test_the_docx_section_is_a4_with_the_gbt_9704_margins(docx_document):
    section = docx_document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.2)
    assert abs(section.page_height - Mm(297)) < Mm(0.2)
    assert abs(section.top_margin - Mm(37)) < Mm(0.2)
    assert abs(section.bottom_margin - Mm(35)) < Mm(0.2)
    assert abs(section.left_margin - Mm(28)) < Mm(0.2)
    assert abs(section.right_margin - Mm(26)) < Mm(0.2)


def test_the_docx_body_style_names_fangsong_gb2312_at_16_points(docx_document):
    normal = docx_document.styles["Normal"]
    fonts_element = normal.element.rPr.rFonts
    assert fonts_element.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal.font.size.pt == 16


def test_the_docx_title_runs_name_the_xiaobiaosong_font_at_22_points(docx_document):
    title = docx_document.paragraphs[1]
    assert title.text == "政府信息公开申请答复书"
    run = title.runs[0]
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert run.font.size.pt == 22


def test_the_docx_grid_gives_22_lines_of_28_characters(docx_document):
    grid = docx_document.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    line_pitch_pt = int(grid.get(qn("w:linePitch"))) / 20
    char_pitch_pt = 16 + int(grid.get(qn("w:charSpace"))) / 4096
    type_height_pt = geo.TYPE_HEIGHT_MM * PT_PER_MM
    type_width_pt = geo.TYPE_WIDTH_MM * PT_PER_MM
    assert 22 * line_pitch_pt <= type_height_pt < 23 * line_pitch_pt
    assert 28 * char_pitch_pt <= type_width_pt < 29 * char_pitch_pt
    spacing = docx_document.styles["Normal"].paragraph_format.line_spacing
    assert 22 * spacing.pt <= type_height_pt


def test_the_docx_footers_carry_page_fields_with_dashes(docx_document):
    section = docx_document.sections[0]
    odd = section.footer.paragraphs[0]
    even = section.even_page_footer.paragraphs[0]
    for footer in (odd, even):
        xml = footer._p.xml
        assert "PAGE" in xml and "— " in footer.text and " —" in footer.text
        assert 'w:eastAsia="宋体"' in xml
    assert odd.alignment == 2  # right
    assert even.alignment == 0  # left
    assert docx_document.settings.odd_and_even_pages_header_footer


def test_the_docx_date_and_signature_are_right_aligned_with_the_seal_indents(docx_document):
    texts = [p.text for p in docx_document.paragraphs]
    signature = docx_document.paragraphs[texts.index("兴安盟行政公署", 1)]
    date = docx_document.paragraphs[texts.index("2026年3月20日")]
    assert date.alignment == 2 and signature.alignment == 2
    ind = date._p.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:rightChars")) == "400"


def test_the_docx_letterhead_is_red_with_a_double_rule():
    doc = letter(letterhead="兴安盟行政公署", title=("政府信息公开申请答复书",))
    document = Document(io.BytesIO(render_docx(doc)))
    mark = document.paragraphs[0]
    assert mark.text == "兴安盟行政公署"
    assert str(mark.runs[0].font.color.rgb) == geo.RED
    assert 'w:val="thickThinSmallGap"' in document.paragraphs[1]._p.xml
    assert document.sections[0].different_first_page_header_footer


def test_the_docx_contains_every_paragraph_of_the_letter(docx_document):
    text = "\n".join(p.text for p in docx_document.paragraphs)
    for part in letter().paragraphs:
        assert part in text


# --- geometry -------------------------------------------------------------------------------------


def test_digits_count_as_half_characters():
    assert text_width("2026年3月20日") == 3 + 7 * 0.5


def test_the_signature_is_centred_over_a_date_four_characters_from_the_right():
    signature_right, date_right = signature_indents("兴安盟行政公署", "2026年3月20日")
    assert date_right == 4
    assert signature_right + 7 / 2 == pytest.approx(date_right + 6.5 / 2)


def test_a_long_signature_pushes_the_date_left_instead_of_leaving_the_type_area():
    signature_right, date_right = signature_indents(
        "内蒙古自治区人民政府办公厅政务公开办公室", "2026年3月20日"
    )
    assert signature_right == 0
    assert date_right > 4
