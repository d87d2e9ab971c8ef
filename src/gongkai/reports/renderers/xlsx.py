"""XLSX export: one sheet per table with the format's merged cells, plus the section texts."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from gongkai.reports import document, layout

THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _number(text: str) -> Any:
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


def write_table(sheet, table: layout.Table, first_row: int = 1) -> int:
    """Write ``table`` starting at ``first_row``; return the next free row."""
    last = first_row
    for r, c, cell in layout.positioned(table):
        row, col = first_row + r, 1 + c
        target = sheet.cell(
            row=row, column=col, value=_number(cell.text) if cell.kind == "value" else cell.text
        )
        target.alignment = Alignment(
            wrap_text=True,
            vertical="center",
            horizontal="center" if cell.kind != "label" else "left",
        )
        if cell.kind == "head":
            target.font = Font(bold=True)
        for dr in range(cell.rowspan):
            for dc in range(cell.colspan):
                sheet.cell(row=row + dr, column=col + dc).border = BORDER
        if cell.rowspan > 1 or cell.colspan > 1:
            sheet.merge_cells(
                start_row=row,
                start_column=col,
                end_row=row + cell.rowspan - 1,
                end_column=col + cell.colspan - 1,
            )
        last = max(last, row + cell.rowspan)
    return last


def render(data: dict[str, Any], texts: dict[str, str] | None = None) -> bytes:
    doc = document.build(data, texts)
    book = Workbook()
    cover = book.active
    cover.title = "报告正文"
    cover["A1"] = doc.title
    cover["A1"].font = Font(bold=True, size=14)
    cover["A2"] = doc.period_note
    row = 4
    for section in doc.sections:
        cover.cell(row=row, column=1, value=section.title).font = Font(bold=True)
        row += 1
        if section.table is not None:
            cover.cell(row=row, column=1, value=f"见工作表“{section.title[:2]}表”")
        else:
            cover.cell(row=row, column=1, value=section.text or "")
            cover.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
        row += 2
    cover.column_dimensions["A"].width = 100
    for section, name in zip(doc.sections[1:4], ("表二", "表三", "表四"), strict=True):
        sheet = book.create_sheet(name)
        sheet["A1"] = section.title
        sheet["A1"].font = Font(bold=True)
        write_table(sheet, section.table or [], first_row=3)
        for column in range(1, layout.width(section.table or [[]]) + 1):
            sheet.column_dimensions[get_column_letter(column)].width = 14
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
