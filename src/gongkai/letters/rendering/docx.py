"""DOCX of a letter with python-docx, in the GB/T 9704 layout of :mod:`gongkai.letters.document`.

The fonts are *named* (仿宋_GB2312 body, 方正小标宋简体 title, 宋体 page numbers, Times New Roman
for Latin letters and digits) so an agency PC with the official fonts renders them. The section
carries a document grid (``w:docGrid w:type="linesAndChars"``, 579 twips line pitch and
``w:charSpace="-849"``) so Word lays out 22 lines of 28 characters; paragraphs also use an exact
28.95 pt line spacing. Page numbers are PAGE fields in 「— n —」, odd pages right and even pages
left, one character in (different odd/even footers).
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from gongkai.letters import document as geo
from gongkai.letters import fonts
from gongkai.letters.document import LetterDocument

_RED = RGBColor.from_string(geo.RED)


def _set_fonts(rpr_owner, east_asia: str, latin: str) -> None:
    """Set the ascii/hAnsi/eastAsia fonts on a style or run element."""
    rpr = rpr_owner.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:cs"), latin)


def _exact_spacing(paragraph_format, points: float) -> None:
    paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph_format.line_spacing = Pt(points)
    paragraph_format.space_before = Pt(0)
    paragraph_format.space_after = Pt(0)


def _indent_chars(paragraph, *, first_line: float = 0, right: float = 0, left: float = 0):
    """Indents in characters (w:firstLineChars etc., hundredths) plus the equivalent lengths."""
    pf = paragraph.paragraph_format
    if first_line:
        pf.first_line_indent = Pt(first_line * geo.CHAR_PITCH_PT)
    if right:
        pf.right_indent = Pt(right * geo.CHAR_PITCH_PT)
    if left:
        pf.left_indent = Pt(left * geo.CHAR_PITCH_PT)
    ind = paragraph._p.get_or_add_pPr().find(qn("w:ind"))
    if ind is None:
        return
    if first_line:
        ind.set(qn("w:firstLineChars"), str(round(first_line * 100)))
    if right:
        ind.set(qn("w:rightChars"), str(round(right * 100)))
    if left:
        ind.set(qn("w:leftChars"), str(round(left * 100)))


def _doc_grid(section) -> None:
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(geo.LINE_PITCH_TWIPS))
    grid.set(qn("w:charSpace"), str(geo.CHAR_SPACE))


def _border(paragraph, side: str, style: str, size_eighths: int, space: int = 1) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), style)
    edge.set(qn("w:sz"), str(size_eighths))
    edge.set(qn("w:space"), str(space))
    edge.set(qn("w:color"), geo.RED)
    borders.append(edge)


def _page_field(run_parent) -> None:
    """Append a PAGE field (begin / instr / separate / result / end) to a paragraph."""

    def run_with(child) -> None:
        run = run_parent.add_run()
        _set_fonts(run._element, fonts.PAGE_NUMBER, fonts.PAGE_NUMBER)
        run.font.size = Pt(geo.PAGE_NUMBER_PT)
        run._element.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    result = run_parent.add_run("1")
    _set_fonts(result._element, fonts.PAGE_NUMBER, fonts.PAGE_NUMBER)
    result.font.size = Pt(geo.PAGE_NUMBER_PT)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _page_number(footer, *, odd: bool) -> None:
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    indent = geo.PAGE_NUMBER_INDENT_CHARS * geo.PAGE_NUMBER_PT
    if odd:
        paragraph.paragraph_format.right_indent = Pt(indent)
    else:
        paragraph.paragraph_format.left_indent = Pt(indent)
    for text_before in ("— ",):
        run = paragraph.add_run(text_before)
        _set_fonts(run._element, fonts.PAGE_NUMBER, fonts.PAGE_NUMBER)
        run.font.size = Pt(geo.PAGE_NUMBER_PT)
    _page_field(paragraph)
    run = paragraph.add_run(" —")
    _set_fonts(run._element, fonts.PAGE_NUMBER, fonts.PAGE_NUMBER)
    run.font.size = Pt(geo.PAGE_NUMBER_PT)


def _styles(document) -> None:
    normal = document.styles["Normal"]
    normal.font.size = Pt(geo.BODY_PT)
    normal.font.name = fonts.LATIN
    _set_fonts(normal.element, fonts.BODY, fonts.LATIN)
    _exact_spacing(normal.paragraph_format, geo.LINE_PITCH_PT)
    normal.paragraph_format.widow_control = False


def _para(
    document,
    text: str = "",
    *,
    align=None,
    size: float | None = None,
    east_asia: str | None = None,
    bold: bool = False,
    color=None,
):
    paragraph = document.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if text:
        run = paragraph.add_run(text)
        if size:
            run.font.size = Pt(size)
        if east_asia:
            _set_fonts(run._element, east_asia, fonts.LATIN)
        if bold:
            run.font.bold = True
        if color is not None:
            run.font.color.rgb = color
    return paragraph


def render_docx(doc: LetterDocument) -> bytes:
    """The DOCX bytes of ``doc``."""
    document = Document()
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width = Mm(geo.PAGE_WIDTH_MM)
    section.page_height = Mm(geo.PAGE_HEIGHT_MM)
    section.top_margin = Mm(geo.MARGIN_TOP_MM)
    section.bottom_margin = Mm(geo.MARGIN_BOTTOM_MM)
    section.left_margin = Mm(geo.MARGIN_LEFT_MM)
    section.right_margin = Mm(geo.MARGIN_RIGHT_MM)
    section.header_distance = Mm(15)
    # The page number's dash sits about 7 mm below the type area.
    section.footer_distance = Mm(geo.MARGIN_BOTTOM_MM - 7) - Pt(geo.PAGE_NUMBER_PT)
    _doc_grid(section)
    _styles(document)
    core = document.core_properties
    core.title = f"{doc.number} {''.join(doc.title)}".strip()
    core.author = doc.author
    core.subject = doc.subject
    core.comments = "Gongkai"

    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, odd=True)
    _page_number(section.even_page_footer, odd=False)

    if doc.letterhead:
        section.different_first_page_header_footer = True
        # 信函格式: the lower red rule (thin over thick) in the first page's footer, no number.
        rule = section.first_page_footer.paragraphs[0]
        _border(rule, "top", "thinThickSmallGap", 18)
        _para(
            document,
            doc.letterhead,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            size=geo.LETTERHEAD_PT,
            east_asia=fonts.TITLE,
            color=_RED,
        ).paragraph_format.line_spacing = Pt(geo.LETTERHEAD_PT * 1.25)
        mark_rule = _para(document)
        _border(mark_rule, "bottom", "thickThinSmallGap", 18)
        if doc.number:
            _para(document, doc.number, align=WD_ALIGN_PARAGRAPH.RIGHT)
        _para(document)
        for line in doc.title:
            _para(
                document,
                line,
                align=WD_ALIGN_PARAGRAPH.CENTER,
                size=geo.TITLE_PT,
                east_asia=fonts.TITLE,
            )
    else:
        for line in doc.title:
            _para(
                document,
                line,
                align=WD_ALIGN_PARAGRAPH.CENTER,
                size=geo.TITLE_PT,
                east_asia=fonts.TITLE,
            )
        if doc.number:
            _para(document, doc.number, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(document)
    _para(document, doc.salutation, align=WD_ALIGN_PARAGRAPH.LEFT)
    for text in doc.paragraphs:
        paragraph = _para(document, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        _indent_chars(paragraph, first_line=2)
    _para(document)
    _para(document)
    signature_right, date_right = geo.signature_indents(doc.signature, doc.date)
    signature = _para(document, doc.signature, align=WD_ALIGN_PARAGRAPH.RIGHT)
    if signature_right:
        _indent_chars(signature, right=signature_right)
    date = _para(document, doc.date, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _indent_chars(date, right=date_right)
    if doc.note:
        _para(document)
        note = _para(document, doc.note)
        _indent_chars(note, first_line=2)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
