"""Consistency checks a correct annual report must satisfy (legal-rules §3.6).

Hard identities (errors): per column 一 + 二 = 三（七）+ 四; the 总计 column is the sum of the six
applicant columns; 三（七） is the sum of the leaf rows; each table-4 block's 总计 is the sum of its
four results. Soft checks (warnings): this year's 上年结转 equals last year's locked 结转下年度;
in-force normative counts roll forward. Each failure names the cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gongkai.reports import formats
from gongkai.reports.statistics import Grid


@dataclass(frozen=True)
class Check:
    id: str
    ok: bool
    message: str
    severity: str = "error"
    """"error" (a hard identity) or "warning" (a soft check)."""
    cells: tuple[str, ...] = field(default_factory=tuple)
    """Cells involved, as "table3.row.column" / "table4.block.result"."""


def _label(column: str) -> str:
    return formats.COLUMN_LABELS[column]


def check_table3(grid: Grid, year: int) -> list[Check]:
    checks: list[Check] = []
    leaves = formats.table3_leaf_ids(year)
    for column in formats.TABLE3_COLUMNS:
        left = grid[formats.NEW][column] + grid[formats.CARRIED_OVER][column]
        right = grid[formats.RESULTS_TOTAL][column] + grid[formats.CARRIED_FORWARD][column]
        cells = tuple(
            f"table3.{r}.{column}"
            for r in (
                formats.NEW,
                formats.CARRIED_OVER,
                formats.RESULTS_TOTAL,
                formats.CARRIED_FORWARD,
            )
        )
        new, over = grid[formats.NEW][column], grid[formats.CARRIED_OVER][column]
        done, forward = grid[formats.RESULTS_TOTAL][column], grid[formats.CARRIED_FORWARD][column]
        checks.append(
            Check(
                f"table3.balance.{column}",
                left == right,
                f"表三“{_label(column)}”列：一（{new}）+ 二（{over}）= {left}，"
                f"三（七）（{done}）+ 四（{forward}）= {right}"
                + ("，相等。" if left == right else "，不相等。"),
                cells=cells,
            )
        )
        leaf_sum = sum(grid[r][column] for r in leaves)
        checks.append(
            Check(
                f"table3.results_total.{column}",
                leaf_sum == grid[formats.RESULTS_TOTAL][column],
                f"表三“{_label(column)}”列：三（七）总计为{grid[formats.RESULTS_TOTAL][column]}，"
                f"各项办理结果之和为{leaf_sum}"
                + ("，一致。" if leaf_sum == grid[formats.RESULTS_TOTAL][column] else "，不一致。"),
                cells=(
                    f"table3.{formats.RESULTS_TOTAL}.{column}",
                    *(f"table3.{r}.{column}" for r in leaves),
                ),
            )
        )
    for row in formats.table3_rows(year):
        cells = grid[row.id]
        column_sum = sum(cells[c] for c in formats.APPLICANT_COLUMNS)
        if column_sum != cells[formats.TOTAL_COLUMN]:
            checks.append(
                Check(
                    f"table3.row_total.{row.id}",
                    False,
                    f"表三“{row.label}”行：总计为{cells[formats.TOTAL_COLUMN]}，"
                    f"六类申请人之和为{column_sum}，不一致。",
                    cells=tuple(f"table3.{row.id}.{c}" for c in formats.TABLE3_COLUMNS),
                )
            )
    if all(
        sum(grid[r.id][c] for c in formats.APPLICANT_COLUMNS) == grid[r.id][formats.TOTAL_COLUMN]
        for r in formats.table3_rows(year)
    ):
        checks.append(Check("table3.row_total", True, "表三各行总计均等于六类申请人之和。"))
    return checks


def check_table4(grid: Grid) -> list[Check]:
    checks = []
    for block, block_label in formats.TABLE4_BLOCKS:
        cells = grid[block]
        parts = sum(cells[r] for r, _ in formats.TABLE4_RESULTS if r != "total")
        ok = parts == cells["total"]
        checks.append(
            Check(
                f"table4.{block}",
                ok,
                f"表四“{block_label}”：总计为{cells['total']}，四种结果之和为{parts}"
                + ("，一致。" if ok else "，不一致。"),
                cells=tuple(f"table4.{block}.{r}" for r, _ in formats.TABLE4_RESULTS),
            )
        )
    return checks


def check_carry_over(grid: Grid, previous: Grid | None, year: int) -> list[Check]:
    """Soft: 上年结转 of ``year`` equals 结转下年度 of the previous year's locked report."""
    if previous is None:
        return []
    checks = []
    for column in formats.TABLE3_COLUMNS:
        now, before = grid[formats.CARRIED_OVER][column], previous[formats.CARRIED_FORWARD][column]
        ok = now == before
        checks.append(
            Check(
                f"table3.carry_over.{column}",
                ok,
                f"表三“{_label(column)}”列：本年上年结转{now}，{year - 1}年度报告结转下年度{before}"
                + ("，一致。" if ok else "，不一致，请核实。"),
                severity="warning",
                cells=(f"table3.{formats.CARRIED_OVER}.{column}",),
            )
        )
    return checks


def errors(checks: list[Check]) -> list[Check]:
    return [c for c in checks if not c.ok and c.severity == "error"]
