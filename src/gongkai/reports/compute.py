"""Compute an annual report: tables 2–4 and their checks, for one agency, year and scope.

Consolidation (全区 / 全盟 / 全旗, legal-rules §3.6 (10)) is cell-wise addition over the agency and
every subordinate unit: computed cells come from one aggregate query over the units' data; units
that type their table 3 instead (在线填报) contribute their typed figures; typed table-2 cells
(licensing, penalty, coercion counts; fees in 万元) are summed from the units' own reports.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import QuerySet

from gongkai.agencies.models import Agency
from gongkai.core.errors import DomainError
from gongkai.reports import checks, formats, statistics
from gongkai.reports.models import AnnualReport, Scope

Table2 = dict[str, Any]


@dataclass
class ReportData:
    agency: Agency
    year: int
    scope: str
    units: int
    table2: Table2
    table3: statistics.Grid
    table4: statistics.Grid
    checks: list[checks.Check] = field(default_factory=list)

    @property
    def format(self) -> str:
        return formats.format_name(self.year)

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form (keys documented in docs/reports.md)."""
        return {
            "agency": {"code": self.agency.code, "name": self.agency.name},
            "year": self.year,
            "format": self.format,
            "scope": {
                "kind": self.scope,
                "label": str(Scope(self.scope).label),
                "units": self.units,
            },
            "table2": {
                k: (str(v) if isinstance(v, Decimal) else v) for k, v in self.table2.items()
            },
            "table3": self.table3,
            "table4": self.table4,
            "checks": [
                {
                    "id": c.id,
                    "ok": c.ok,
                    "severity": c.severity,
                    "message": c.message,
                    "cells": list(c.cells),
                }
                for c in self.checks
            ],
        }


def scope_agencies(agency: Agency, scope: str) -> QuerySet[Agency]:
    if scope == Scope.SUBTREE:
        return Agency.objects.subtree_of(agency)
    if scope == Scope.SELF:
        return Agency.objects.filter(pk=agency.pk)
    raise DomainError(f"未知的报告范围：{scope}（应为 self 或 subtree）", code="invalid_scope")


def _decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value or "0"))
    except InvalidOperation as exc:
        raise DomainError(f"数值格式不正确：{value}", code="invalid_number") from exc


def _normative_counts(agencies: QuerySet[Agency], year: int) -> dict[str, int]:
    """Table 2, art. 20(一): rules and normative documents made, abolished, in force.

    Provided by the publications app (``gongkai.publications.statistics.normative_counts``);
    zero when that app has no such function yet.
    """
    try:
        from gongkai.publications.statistics import normative_counts
    except ImportError:
        return {}
    return normative_counts(agencies, year)


def _self_reports(agencies: QuerySet[Agency], year: int) -> QuerySet[AnnualReport]:
    return AnnualReport.objects.filter(agency__in=agencies, year=year, scope=Scope.SELF)


def compute(agency: Agency, year: int, scope: str = Scope.SELF) -> ReportData:
    """Tables 2–4 and every check, from the current data."""
    if year < 2019:
        raise DomainError("年度报告格式仅支持2019年及以后的年度。", code="unsupported_year")
    agencies = scope_agencies(agency, scope)
    reports = list(_self_reports(agencies, year).only("agency_id", "manual_table3", "typed"))
    manual_ids = [r.agency_id for r in reports if r.manual_table3]

    computed_units = agencies.exclude(pk__in=manual_ids) if manual_ids else agencies
    grids = [statistics.table3(computed_units, year)]
    for report in reports:
        if report.manual_table3:
            grids.append(typed_table3(report.typed, year))
    table3 = statistics.add_grids(grids)

    table2: Table2 = {
        cell.id: (Decimal("0") if cell.decimal else 0) for cell in formats.table2_cells(year)
    }
    for key, value in _normative_counts(agencies, year).items():
        if key in table2:
            table2[key] = value
    typed_cells = [c for c in formats.table2_cells(year) if c.typed]
    for report in reports:
        values = report.typed.get("table2", {})
        for cell in typed_cells:
            if cell.id in values:
                table2[cell.id] += (
                    _decimal(values[cell.id]) if cell.decimal else int(values[cell.id])
                )

    table4 = statistics.table4(agencies, year)
    data = ReportData(agency, year, scope, agencies.count(), table2, table3, table4)
    data.checks = run_checks(data)
    return data


def typed_table3(typed: dict[str, Any], year: int) -> statistics.Grid:
    """A typed (在线填报) table 3, completed with its totals; missing cells are zero."""
    grid = statistics.empty_table3(year)
    values = typed.get("table3", {})
    for row, cells in values.items():
        if row not in grid:
            raise DomainError(f"表三没有“{row}”这一行。", code="unknown_cell")
        for column, value in cells.items():
            if column not in grid[row]:
                raise DomainError(f"表三没有“{column}”这一列。", code="unknown_cell")
            grid[row][column] = int(value)
    # Typed totals are kept as typed so that the checks can catch inconsistent entries.
    return grid


def _previous_locked(agency: Agency, year: int, scope: str) -> dict[str, Any] | None:
    report = (
        AnnualReport.objects.filter(
            agency=agency, year=year - 1, scope=scope, snapshot__isnull=False
        )
        .only("snapshot")
        .first()
    )
    return report.snapshot if report else None


def run_checks(data: ReportData) -> list[checks.Check]:
    result = checks.check_table3(data.table3, data.year) + checks.check_table4(data.table4)
    previous = _previous_locked(data.agency, data.year, data.scope)
    if previous is not None:
        result += checks.check_carry_over(data.table3, previous["table3"], data.year)
        if data.year >= 2021 and previous.get("format") == "2021":
            for kind, label in (("rules", "规章"), ("normative", "行政规范性文件")):
                before = int(previous["table2"].get(f"{kind}_in_force", 0))
                made = int(data.table2.get(f"{kind}_made", 0))
                abolished = int(data.table2.get(f"{kind}_abolished", 0))
                now = int(data.table2.get(f"{kind}_in_force", 0))
                expected = before + made - abolished
                ok = now == expected
                result.append(
                    checks.Check(
                        f"table2.{kind}_in_force.roll_forward",
                        ok,
                        f"表二{label}：上年现行有效{before}件 + 本年制发{made}件"
                        f" − 本年废止{abolished}件 = {expected}件，本年现行有效{now}件"
                        + ("，一致。" if ok else "，不一致，请核实。"),
                        severity="warning",
                        cells=(f"table2.{kind}_in_force",),
                    )
                )
    return result


def period(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)
