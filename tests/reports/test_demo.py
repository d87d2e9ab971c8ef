from io import StringIO

import pytest

from gongkai.agencies.models import Agency
from gongkai.applications.models import Application
from gongkai.applications.outcomes import Outcome
from gongkai.reports import compute, demo
from gongkai.reports.models import AnnualReport, ReportStatus


@pytest.fixture
def small_demo(world, monkeypatch):
    monkeypatch.setattr(demo, "_agencies", lambda: [world.region, world.league, world.county])
    demo.load(StringIO())
    return world


def test_history_covers_every_outcome_code(small_demo):
    used = set(Application.objects.exclude(outcome="").values_list("outcome", flat=True))
    assert used == {o.value for o in Outcome}, sorted({o.value for o in Outcome} - used)


def test_history_spans_four_years_and_carries_requests_over(small_demo):
    years = {d.year for d in Application.objects.values_list("received_on", flat=True)}
    assert years == {2023, 2024, 2025, 2026}
    data = compute.compute(small_demo.league, 2026)
    assert (
        data.table3["carried_over"]["total"]
        == compute.compute(small_demo.league, 2025).table3["carried_forward"]["total"]
    )


def test_last_years_reports_are_locked_and_valid(small_demo):
    report = AnnualReport.objects.get(agency=small_demo.league, year=2025, scope="self")
    assert report.status in (ReportStatus.LOCKED, ReportStatus.PUBLISHED)
    assert all(c["ok"] for c in report.snapshot["checks"] if c["severity"] == "error")
    assert "本年新收政府信息公开申请" in report.section_overview


def test_loading_twice_creates_nothing_new(small_demo):
    before = (Application.objects.count(), AnnualReport.objects.count())
    out = StringIO()
    demo.load(out)
    assert (Application.objects.count(), AnnualReport.objects.count()) == before
    assert "新建历史申请 0 件" in out.getvalue()
    assert Agency.objects.count() == 6, "the demo adds no agencies"
