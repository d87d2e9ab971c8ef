"""Annual-report statistics computed in the database (条例 art. 50; legal-rules §3.4–3.6).

Table 3 (收到和处理政府信息公开申请情况), per applicant column:
- 一、本年新收: requests whose art. 31 receipt date falls in the year;
- 二、上年结转: received before 1 January and still open at 24:00 on 31 December of the
  previous year (Asia/Shanghai), i.e. not closed before 1 January;
- 三、办理结果: requests whose final reply or closing (``closed_on``) falls in the year, one leaf
  row per outcome code (部分公开 is its own code, so a request is counted once);
- 四、结转下年度: received by 31 December and not closed by then.
Requests without a receipt date (online requests not yet confirmed) were never legally received and
are not counted anywhere. With every request counted in exactly one of "closed in the year" or
"carried forward", the identity 一 + 二 = 三（七）+ 四 holds per column by construction.

Table 4 counts reviews and lawsuits filed in the year by their result at the time of computation.
Everything is aggregated in SQL (a handful of GROUP BY queries), never by loading rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet

from gongkai.agencies.models import Agency
from gongkai.applications.models import Appeal, Application
from gongkai.reports import formats

Grid = dict[str, dict[str, int]]


def empty_table3(year: int) -> Grid:
    return {row.id: dict.fromkeys(formats.TABLE3_COLUMNS, 0) for row in formats.table3_rows(year)}


def _complete(grid: Grid, year: int) -> Grid:
    """Fill the 总计 column and the （七）总计 row from the other cells."""
    leaves = formats.table3_leaf_ids(year)
    for column in formats.APPLICANT_COLUMNS:
        grid[formats.RESULTS_TOTAL][column] = sum(grid[row][column] for row in leaves)
    for cells in grid.values():
        cells[formats.TOTAL_COLUMN] = sum(cells[c] for c in formats.APPLICANT_COLUMNS)
    return grid


def _applications(agencies: QuerySet[Agency] | Iterable[Agency]) -> QuerySet[Application]:
    return Application.objects.filter(agency__in=agencies, received_on__isnull=False)


def table3(agencies: QuerySet[Agency] | Iterable[Agency], year: int) -> Grid:
    """Table 3 for the requests of ``agencies`` (a queryset: it stays a SQL subquery)."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    grid = empty_table3(year)
    base = _applications(agencies)
    not_closed_before_year = Q(closed_on__isnull=True) | Q(closed_on__gte=first)
    not_closed_by_year_end = Q(closed_on__isnull=True) | Q(closed_on__gt=last)
    flows = base.values("applicant_type").annotate(
        new=Count("id", filter=Q(received_on__gte=first, received_on__lte=last)),
        carried_over=Count("id", filter=Q(received_on__lt=first) & not_closed_before_year),
        carried_forward=Count("id", filter=Q(received_on__lte=last) & not_closed_by_year_end),
    )
    for row in flows:
        column = row["applicant_type"]
        grid[formats.NEW][column] += row["new"]
        grid[formats.CARRIED_OVER][column] += row["carried_over"]
        grid[formats.CARRIED_FORWARD][column] += row["carried_forward"]
    results = (
        base.filter(closed_on__gte=first, closed_on__lte=last)
        .values("applicant_type", "outcome")
        .annotate(n=Count("id"))
    )
    for row in results:
        grid[formats.outcome_row(row["outcome"], year)][row["applicant_type"]] += row["n"]
    return _complete(grid, year)


def table3_queryset(
    agencies: QuerySet[Agency], year: int, row: str, column: str
) -> QuerySet[Application]:
    """The requests behind one computed table-3 cell (for drill-down)."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    qs = _applications(agencies)
    if column != formats.TOTAL_COLUMN:
        qs = qs.filter(applicant_type=column)
    open_at = {
        formats.CARRIED_OVER: (
            Q(received_on__lt=first) & (Q(closed_on__isnull=True) | Q(closed_on__gte=first))
        ),
        formats.CARRIED_FORWARD: (
            Q(received_on__lte=last) & (Q(closed_on__isnull=True) | Q(closed_on__gt=last))
        ),
    }
    if row == formats.NEW:
        return qs.filter(received_on__gte=first, received_on__lte=last)
    if row in open_at:
        return qs.filter(open_at[row])
    closed = qs.filter(closed_on__gte=first, closed_on__lte=last)
    if row == formats.RESULTS_TOTAL:
        return closed
    outcomes = [o.value for o in formats.Outcome if formats.outcome_row(o, year) == row]
    if not outcomes:
        raise ValueError(f"unknown table-3 row {row!r}")
    return closed.filter(outcome__in=outcomes)


def empty_table4() -> Grid:
    return {
        block: {result: 0 for result, _ in formats.TABLE4_RESULTS}
        for block, _ in formats.TABLE4_BLOCKS
    }


def table4(agencies: QuerySet[Agency] | Iterable[Agency], year: int) -> Grid:
    """Table 4: reviews and lawsuits about disclosure filed in the year, by result."""
    grid = empty_table4()
    rows = (
        Appeal.objects.filter(application__agency__in=agencies, filed_on__year=year)
        .values("kind", "result")
        .annotate(n=Count("id"))
    )
    for row in rows:
        grid[row["kind"]][row["result"]] += row["n"]
    for cells in grid.values():
        cells["total"] = sum(v for k, v in cells.items() if k != "total")
    return grid


def add_grids(grids: Iterable[Grid]) -> Grid:
    """Cell-wise sum (consolidation across agencies: legal-rules §3.6 (10))."""
    total: Grid = {}
    for grid in grids:
        for row, cells in grid.items():
            target = total.setdefault(row, {})
            for column, value in cells.items():
                target[column] = target.get(column, 0) + value
    return total
