"""Smoke tests of ``gongkai synth`` on a tiny data set (no timing: benchmarks live in bench/)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q

from gongkai import search
from gongkai.agencies.models import Agency, AgencyKind
from gongkai.applications.models import Appeal, Application, Event
from gongkai.applications.outcomes import Outcome
from gongkai.publications.models import Document, IndexCounter
from gongkai.reports import compute as report_compute
from gongkai.search.models import SearchEntry
from gongkai.synth.generator import SynthConfig, generate

TODAY = dt.date(2025, 6, 30)
SMALL = {"agencies": 30, "documents": 200, "requests": 300}


def small(seed: int = 1, **overrides) -> SynthConfig:
    return SynthConfig(**{**SMALL, **overrides}, seed=seed, batch=70, today=TODAY)


def snapshot() -> dict[str, list]:
    """What a run wrote, without database ids."""
    return {
        "agencies": list(Agency.objects.order_by("code").values_list("code", "name", "kind")),
        "documents": list(
            Document.objects.order_by("index_number").values_list(
                "index_number", "title", "body_text", "published_on", "agency__code"
            )
        ),
        "requests": list(
            Application.objects.order_by("tracking_code").values_list(
                "tracking_code", "agency__code", "received_on", "status", "outcome", "closed_on"
            )
        ),
    }


def wipe() -> None:
    for model in (Event, Appeal, Application, SearchEntry, Document, IndexCounter):
        model.objects.all().delete()
    from gongkai.publications.models import Column

    Column.objects.filter(parent__isnull=False).delete()
    Column.objects.all().delete()
    for depth in range(10, -1, -1):
        Agency.objects.filter(depth=depth).delete()


@pytest.mark.django_db
def test_synth_writes_the_requested_counts():
    stats = generate(small())
    assert (stats.agencies, stats.documents, stats.requests) == (30, 200, 300)
    assert Agency.objects.count() == 30
    assert Document.objects.published().count() == 200
    assert SearchEntry.objects.count() == 200, "every document must be in the search index"
    assert Application.objects.count() == 300
    assert stats.clock_fallbacks == 0, "every planned history must be legal for the clock"


@pytest.mark.django_db
def test_synth_agency_tree_is_shaped_like_a_region():
    generate(small())
    kinds = set(Agency.objects.values_list("kind", flat=True))
    assert {AgencyKind.REGION_GOVERNMENT, AgencyKind.LEAGUE_GOVERNMENT} <= kinds
    assert {AgencyKind.COUNTY_GOVERNMENT, AgencyKind.TOWNSHIP_GOVERNMENT} <= kinds
    assert AgencyKind.DEPARTMENT in kinds
    region = Agency.objects.get(kind=AgencyKind.REGION_GOVERNMENT)
    assert Agency.objects.subtree_of(region).count() == 30, "paths must put all under the region"
    for agency in Agency.objects.exclude(pk=region.pk).select_related("parent"):
        assert agency.path == f"{agency.parent.path}{agency.pk:07d}/", agency.code


@pytest.mark.django_db
def test_synth_is_reproducible_with_the_same_seed():
    generate(small(seed=7))
    first = snapshot()
    wipe()
    generate(small(seed=7))
    assert snapshot() == first


@pytest.mark.django_db
def test_synth_differs_with_another_seed():
    generate(small(seed=7))
    first = snapshot()
    wipe()
    generate(small(seed=8))
    assert snapshot()["documents"] != first["documents"]


@pytest.mark.django_db
def test_synth_requests_cover_every_outcome_code():
    generate(small())
    present = set(Application.objects.exclude(outcome="").values_list("outcome", flat=True))
    missing = {o.value for o in Outcome} - present
    assert not missing, f"outcome codes never produced: {sorted(missing)}"


@pytest.mark.django_db
def test_synth_requests_follow_every_clock_path():
    generate(small())
    types = set(Event.objects.values_list("type", flat=True))
    expected = {
        "submitted",
        "correction_requested",
        "correction_received",
        "consultation_opened",
        "consultation_closed",
        "extension_granted",
        "art35_deadline",
        "fee_notice_issued",
        "fee_paid",
        "reply_issued",
        "delivered",
        "withdrawn",
        "closed",
    }
    assert expected <= types, f"missing event types: {sorted(expected - types)}"
    statuses = set(Application.objects.values_list("status", flat=True))
    assert {"closed", "withdrawn"} <= statuses
    assert statuses - {"closed", "withdrawn"}, "some requests must still be open"


@pytest.mark.django_db
def test_synth_data_satisfies_the_annual_report_identities():
    generate(small())
    region = Agency.objects.get(kind=AgencyKind.REGION_GOVERNMENT)
    for year in range(TODAY.year - 4, TODAY.year + 1):
        data = report_compute.compute(region, year, "subtree")
        failed = [c.message for c in data.checks if c.severity == "error" and not c.ok]
        assert not failed, f"{year}: {failed}"
        received = Application.objects.filter(received_on__year=year).count()
        assert data.table3["new"]["total"] == received, f"{year}: 本年新收 ≠ requests received"


@pytest.mark.django_db
def test_synth_carry_over_matches_the_previous_year():
    generate(small())
    region = Agency.objects.get(kind=AgencyKind.REGION_GOVERNMENT)
    last = report_compute.compute(region, TODAY.year - 2, "subtree").table3
    this = report_compute.compute(region, TODAY.year - 1, "subtree").table3
    assert this["carried_over"] == last["carried_forward"]


@pytest.mark.django_db
@pytest.mark.parametrize("length", [2, 3, 4])
def test_search_finds_every_document_containing_a_term_from_synth_text(length):
    generate(small())
    document = Document.objects.order_by("pk")[17]
    term = document.title.removeprefix("关于").removeprefix("印发")[:length]
    expected = set(
        Document.objects.filter(
            Q(title__contains=term)
            | Q(body_text__contains=term)
            | Q(summary__contains=term)
            | Q(doc_number__contains=term)
            | Q(index_number__contains=term)
        ).values_list("pk", flat=True)
    )
    results = search.query(term, per_page=100)
    assert document.pk in expected
    assert results.total == len(expected), f"{term!r}: {results.total} ≠ {len(expected)}"


@pytest.mark.django_db
def test_synth_command_refuses_a_database_with_real_data():
    Agency.objects.create(code="150000", name="内蒙古自治区人民政府", kind="region")
    with pytest.raises(CommandError, match="--force"):
        call_command("synth", agencies=3, documents=1, requests=1, quiet=True)
    assert not Agency.objects.filter(code__startswith="synth-").exists()


@pytest.mark.django_db
def test_synth_command_writes_with_force_and_reports_counts():
    Agency.objects.create(code="150000", name="内蒙古自治区人民政府", kind="region")
    out = StringIO()
    call_command("synth", agencies=5, documents=10, requests=25, force=True, quiet=True, stdout=out)
    assert "文件 10 件" in out.getvalue()
    assert Agency.objects.filter(code__startswith="synth-").count() == 5


@pytest.mark.django_db
def test_synth_command_refuses_to_run_twice():
    call_command("synth", agencies=3, documents=2, requests=2, quiet=True, stdout=StringIO())
    with pytest.raises(CommandError, match="已有合成数据"):
        call_command("synth", agencies=3, documents=2, requests=2, quiet=True)
