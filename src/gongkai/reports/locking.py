"""Lock and publish a report; detect drift between the locked snapshot and current data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai.core.errors import DomainError
from gongkai.reports import compute as compute_mod
from gongkai.reports.models import AnnualReport, ReportStatus
from gongkai.site import audit


@dataclass(frozen=True)
class Drift:
    cell: str
    """"table3.row.column", "table2.cell" or "table4.block.result"."""
    locked: Any
    current: Any


def data_for(report: AnnualReport) -> compute_mod.ReportData:
    return compute_mod.compute(report.agency, report.year, report.scope)


def lock(report: AnnualReport, user: Any) -> AnnualReport:
    """Freeze the report: refused while any hard identity fails (legal-rules §3.6)."""
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().get(pk=report.pk)
        if report.is_locked:
            raise DomainError("该年度报告已锁定。", code="already_locked")
        data = data_for(report)
        failed = [c for c in data.checks if not c.ok and c.severity == "error"]
        if failed:
            raise DomainError(
                "校验未通过，不能锁定：" + "；".join(c.message for c in failed[:5]),
                code="checks_failed",
                details={"failed": [c.id for c in failed]},
            )
        report.snapshot = data.to_json()
        report.status = ReportStatus.LOCKED
        report.locked_at = timezone.now()
        report.locked_by = user if getattr(user, "is_authenticated", False) else None
        report.save()
        audit.record(
            user,
            "report.lock",
            report,
            agency=report.agency,
            extra={"year": report.year, "scope": report.scope},
        )
    return report


def publish(report: AnnualReport, user: Any) -> AnnualReport:
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().get(pk=report.pk)
        if report.status != ReportStatus.LOCKED:
            raise DomainError("只有已锁定的年度报告才能发布。", code="not_locked")
        report.status = ReportStatus.PUBLISHED
        report.published_at = timezone.now()
        report.save()
        audit.record(user, "report.publish", report, agency=report.agency)
    return report


def _flatten(snapshot: dict[str, Any]) -> dict[str, Any]:
    cells: dict[str, Any] = {}
    for key, value in snapshot.get("table2", {}).items():
        cells[f"table2.{key}"] = str(value)
    for table in ("table3", "table4"):
        for row, columns in snapshot.get(table, {}).items():
            for column, value in columns.items():
                cells[f"{table}.{row}.{column}"] = value
    return cells


def drift(report: AnnualReport) -> list[Drift]:
    """Cells whose current value differs from the locked snapshot (empty for drafts)."""
    if report.snapshot is None:
        return []
    locked = _flatten(report.snapshot)
    current = _flatten(data_for(report).to_json())
    return [
        Drift(cell, locked.get(cell), current.get(cell))
        for cell in sorted(set(locked) | set(current))
        if locked.get(cell) != current.get(cell)
    ]
