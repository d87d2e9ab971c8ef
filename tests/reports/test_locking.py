import datetime as dt

import pytest

from gongkai.core.errors import DomainError
from gongkai.reports import locking
from gongkai.reports.models import AnnualReport, ReportStatus
from tests.reports.helpers import request

D = dt.date


@pytest.fixture
def report(world):
    request(world.league, received_on=D(2026, 3, 2), closed_on=D(2026, 3, 20), outcome="disclosed")
    return AnnualReport.objects.create(agency=world.league, year=2026)


def test_locking_freezes_the_computed_figures(report, world):
    locking.lock(report, world.officer)
    report.refresh_from_db()
    assert report.status == ReportStatus.LOCKED
    assert report.snapshot["table3"]["disclosed"]["total"] == 1
    assert locking.drift(report) == []


def test_later_data_shows_as_drift_instead_of_changing_the_report(report, world):
    locking.lock(report, world.officer)
    request(world.league, received_on=D(2026, 5, 6), closed_on=D(2026, 5, 8), outcome="other")
    report.refresh_from_db()
    cells = {d.cell: (d.locked, d.current) for d in locking.drift(report)}
    assert cells["table3.other.total"] == (0, 1)
    assert cells["table3.new.total"] == (1, 2)
    assert report.snapshot["table3"]["new"]["total"] == 1


def test_a_typed_table_that_does_not_balance_cannot_be_locked(world):
    report = AnnualReport.objects.create(
        agency=world.county,
        year=2026,
        manual_table3=True,
        typed={"table3": {"new": {"natural_person": 2, "total": 2}}},
    )
    with pytest.raises(DomainError, match="校验未通过"):
        locking.lock(report, world.officer)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.snapshot is None


def test_publishing_requires_a_lock(report, world):
    with pytest.raises(DomainError, match="已锁定"):
        locking.publish(report, world.officer)
    locking.lock(report, world.officer)
    locking.publish(report, world.officer)
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED and report.published_at is not None


def test_carry_over_mismatch_with_last_years_locked_report_is_a_warning(world):
    last = AnnualReport.objects.create(agency=world.league, year=2025)
    request(world.league, received_on=D(2025, 12, 30))
    locking.lock(last, world.officer)
    # A request back-dated into 2025 after the lock changes this year's carry-over.
    request(world.league, received_on=D(2025, 11, 3))
    from gongkai.reports.compute import compute

    data = compute(world.league, 2026)
    warnings = [c for c in data.checks if c.severity == "warning" and not c.ok]
    assert any(c.id == "table3.carry_over.total" for c in warnings), [c.id for c in warnings]
    assert not [c for c in data.checks if c.severity == "error" and not c.ok]


def test_consolidation_includes_units_that_type_their_table(world):
    from gongkai.reports.compute import compute

    request(world.league, received_on=D(2026, 3, 2), closed_on=D(2026, 3, 20), outcome="disclosed")
    AnnualReport.objects.create(
        agency=world.county,
        year=2026,
        manual_table3=True,
        typed={
            "table3": {
                "new": {"research": 2, "total": 2},
                "disclosed": {"research": 1, "total": 1},
                "results_total": {"research": 1, "total": 1},
                "carried_forward": {"research": 1, "total": 1},
            },
            "table2": {"penalty_decisions": 7, "fees_collected": "1.25"},
        },
    )
    data = compute(world.league, 2026, "subtree")
    assert data.table3["new"]["total"] == 3
    assert data.table3["disclosed"]["research"] == 1
    assert data.table2["penalty_decisions"] == 7
    assert str(data.table2["fees_collected"]) == "1.25"
    assert not [c for c in data.checks if c.severity == "error" and not c.ok]
