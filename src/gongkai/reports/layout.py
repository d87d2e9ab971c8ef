"""The official table layouts (merged cells as in the national format), as plain data.

One layout feeds every renderer (HTML page, XLSX, DOCX, PDF), so the grids cannot diverge.
A table is a list of rows; a row is a list of :class:`Cell`; spans follow HTML semantics (a cell
covered by an earlier rowspan/colspan is simply absent from later rows).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gongkai.applications.outcomes import GROUP_LABELS, OUTCOMES, OutcomeGroup
from gongkai.reports import formats


@dataclass(frozen=True)
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    kind: str = "label"
    """"head" (column header), "label" (row label) or "value"."""
    key: str = ""
    """For values: "table3.row.column" etc., used for drill-down and drift marks."""


Table = list[list[Cell]]


def _value(value: Any, key: str) -> Cell:
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f") if value else "0"
    else:
        text = str(value)
    return Cell(text, kind="value", key=key)


def table2(values: dict[str, Any], year: int) -> Table:
    """Table 2 (主动公开政府信息情况): one block per art. 20 item, in the order of the format."""
    cells = formats.table2_cells(year)
    rows: Table = []
    items: list[str] = []
    for cell in cells:
        if cell.item not in items:
            items.append(cell.item)
    width = max(len({c.column for c in cells if c.item == item}) for item in items) + 1
    for item in items:
        block = [c for c in cells if c.item == item]
        columns = list(dict.fromkeys(c.column for c in block))
        span = (width - 1) // len(columns)
        rows.append([Cell(item, colspan=width, kind="head")])
        header = [Cell("信息内容", kind="head")]
        for i, column in enumerate(columns):
            extra = (width - 1) - span * len(columns) if i == len(columns) - 1 else 0
            header.append(Cell(column, colspan=span + extra, kind="head"))
        rows.append(header)
        for label in dict.fromkeys(c.row for c in block):
            row = [Cell(label)]
            for i, column in enumerate(columns):
                extra = (width - 1) - span * len(columns) if i == len(columns) - 1 else 0
                match = next((c for c in block if c.row == label and c.column == column), None)
                if match is None:
                    row.append(Cell("", colspan=span + extra, kind="value"))
                else:
                    value = _value(values.get(match.id, 0), f"table2.{match.id}")
                    row.append(Cell(value.text, colspan=span + extra, kind="value", key=value.key))
            rows.append(row)
    return rows


def table3(grid: dict[str, dict[str, int]], year: int) -> Table:
    """Table 3 (收到和处理政府信息公开申请情况) with the format's merged header and label cells."""
    org_columns = [c for c in formats.APPLICANT_COLUMNS if c != "natural_person"]
    rows: Table = [
        [
            Cell(formats.TABLE3_CAPTION, rowspan=3, colspan=3, kind="head"),
            Cell("申请人情况", colspan=7, kind="head"),
        ],
        [
            Cell("自然人", rowspan=2, kind="head"),
            Cell("法人或其他组织", colspan=5, kind="head"),
            Cell("总计", rowspan=2, kind="head"),
        ],
        [Cell(formats.COLUMN_LABELS[c], kind="head") for c in org_columns],
    ]

    def values(row_id: str) -> list[Cell]:
        return [_value(grid[row_id][c], f"table3.{row_id}.{c}") for c in formats.TABLE3_COLUMNS]

    labels = {r.id: r for r in formats.table3_rows(year)}
    rows.append([Cell(labels[formats.NEW].label, colspan=3), *values(formats.NEW)])
    rows.append(
        [Cell(labels[formats.CARRIED_OVER].label, colspan=3), *values(formats.CARRIED_OVER)]
    )
    leaves = formats.table3_leaf_ids(year)
    results_span = len(leaves) + 1
    first_in_results = True
    group_done: set[str] = set()
    for leaf in leaves:
        row: list[Cell] = []
        if first_in_results:
            row.append(Cell("三、本年度办理结果", rowspan=results_span))
            first_in_results = False
        if leaf == formats.OTHER_PROCESSING_2019:
            row.append(Cell(GROUP_LABELS[OutcomeGroup.OTHER], colspan=2))
        else:
            info = OUTCOMES[formats.Outcome(leaf)]
            if info.group in (OutcomeGroup.DISCLOSED, OutcomeGroup.PARTIALLY_DISCLOSED):
                row.append(Cell(info.label, colspan=2))
            else:
                if info.group not in group_done:
                    size = sum(
                        1
                        for x in leaves
                        if x != formats.OTHER_PROCESSING_2019
                        and OUTCOMES[formats.Outcome(x)].group is info.group
                    )
                    row.append(Cell(GROUP_LABELS[info.group], rowspan=size))
                    group_done.add(info.group)
                row.append(Cell(info.label))
        rows.append(row + values(leaf))
    rows.append([Cell("（七）总计", colspan=2), *values(formats.RESULTS_TOTAL)])
    rows.append(
        [Cell(labels[formats.CARRIED_FORWARD].label, colspan=3), *values(formats.CARRIED_FORWARD)]
    )
    return rows


def table4(grid: dict[str, dict[str, int]]) -> Table:
    """Table 4 (政府信息公开行政复议、行政诉讼情况): 15 cells under a three-level header."""
    results = formats.TABLE4_RESULTS
    return [
        [Cell("行政复议", colspan=5, kind="head"), Cell("行政诉讼", colspan=10, kind="head")],
        [
            *(Cell(label, rowspan=2, kind="head") for _, label in results),
            Cell("未经复议直接起诉", colspan=5, kind="head"),
            Cell("复议后起诉", colspan=5, kind="head"),
        ],
        [Cell(label, kind="head") for _ in range(2) for _, label in results],
        [
            _value(grid[block][result], f"table4.{block}.{result}")
            for block, _ in formats.TABLE4_BLOCKS
            for result, _ in results
        ],
    ]


def width(table: Table) -> int:
    """Number of grid columns (from the first row's spans)."""
    return sum(cell.colspan for cell in table[0])


def positioned(table: Table) -> list[tuple[int, int, Cell]]:
    """(row, column, cell) with 0-based grid positions, resolving spans like a browser."""
    taken: set[tuple[int, int]] = set()
    result = []
    for r, row in enumerate(table):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            result.append((r, c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
    return result
