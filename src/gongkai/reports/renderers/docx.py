"""DOCX export: GB/T 9704 page and fonts for the text, the tables with the format's merges.

Fonts are named as agency PCs have them (仿宋_GB2312 body, 方正小标宋简体 title, 黑体 for first-level
headings); Debian has none of them, which only matters for the PDF (see renderers/pdf.py).
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from gongkai.reports import document, layout

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"


def _font(run_or_style, name: str, size: float, bold: bool = False) -> None:
    font = run_or_style.font
    font.name = name
    font.size = Pt(size)
    font.bold = bold
    element = run_or_style.element if hasattr(run_or_style, "element") else run_or_style._element
    element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _table(doc, table: layout.Table) -> None:
    rows, cols = len(table), layout.width(table)
    grid = doc.add_table(rows=rows, cols=cols)
    grid.style = "Table Grid"
    for r, c, cell in layout.positioned(table):
        target = grid.cell(r, c)
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(grid.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
        target.text = cell.text
        for paragraph in target.paragraphs:
            paragraph.alignment = (
                WD_ALIGN_PARAGRAPH.LEFT if cell.kind == "label" else WD_ALIGN_PARAGRAPH.CENTER
            )
            for run in paragraph.runs:
                _font(run, BODY_FONT, 9, bold=cell.kind == "head")


def render(data: dict[str, Any], texts: dict[str, str] | None = None) -> bytes:
    report = document.build(data, texts)
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _font(doc.styles["Normal"], BODY_FONT, 16)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(report.title), TITLE_FONT, 22)
    note = doc.add_paragraph()
    note.paragraph_format.first_line_indent = Pt(32)
    _font(note.add_run(report.period_note), BODY_FONT, 16)
    for part in report.sections:
        heading = doc.add_paragraph()
        heading.paragraph_format.first_line_indent = Pt(32)
        _font(heading.add_run(part.title), HEADING_FONT, 16)
        if part.table is not None:
            _table(doc, part.table)
            continue
        for line in (part.text or "（未填写）").splitlines() or [""]:
            if not line.strip():
                continue
            para = doc.add_paragraph()
            para.paragraph_format.first_line_indent = Pt(32)
            _font(para.add_run(line.strip()), BODY_FONT, 16)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
