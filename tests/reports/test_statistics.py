import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.agencies.models import Agency
from gongkai.applications.models import Appeal, ApplicantType
from gongkai.applications.outcomes import Outcome
from gongkai.reports import checks, formats, statistics
from tests.reports.helpers import request

D = dt.date


@pytest.fixture
def scenario(world):
    """Requests of 兴安盟 (league) and 乌兰浩特市 (county) around the 2025/2026 year boundary."""
    league, county = world.league, world.county
    # Received in 2025 and answered in 2025: counted in 2025 only.
    request(league, received_on=D(2025, 3, 3), closed_on=D(2025, 3, 20), outcome="disclosed")
    # Received in 2025, answered in 2026: carried forward from 2025, carried over into 2026.
    request(
        league,
        received_on=D(2025, 12, 22),
        closed_on=D(2026, 1, 15),
        outcome="partially_disclosed",
        applicant_type="commercial",
    )
    # Received 31 Dec 2025, still open.
    request(league, received_on=D(2025, 12, 31), applicant_type="legal_service")
    # Received in 2026: withdrawn (other), fee unpaid, correction overdue, still open.
    request(league, received_on=D(2026, 2, 13), closed_on=D(2026, 2, 20), outcome="other")
    request(
        league,
        received_on=D(2026, 3, 2),
        closed_on=D(2026, 4, 30),
        outcome="other_fee_unpaid",
        applicant_type="research",
    )
    request(
        league,
        received_on=D(2026, 5, 6),
        closed_on=D(2026, 5, 28),
        outcome="other_correction_overdue",
    )
    request(league, received_on=D(2026, 12, 31))
    # Online request never confirmed: not legally received, counted nowhere.
    request(league, received_on=None)
    # County request, 2026, withheld (third party).
    request(
        county,
        received_on=D(2026, 6, 1),
        closed_on=D(2026, 6, 26),
        outcome="withheld_third_party_rights",
        applicant_type="public_interest",
    )
    return world


def only(agency):
    return Agency.objects.filter(pk=agency.pk)


def test_new_requests_count_by_receipt_year(scenario):
    grid = statistics.table3(only(scenario.league), 2026)
    assert grid["new"]["natural_person"] == 3, "2026-02-13, 2026-05-06, 2026-12-31"
    assert grid["new"]["research"] == 1
    assert grid["new"]["total"] == 4


def test_carried_over_counts_requests_open_at_the_end_of_last_year(scenario):
    grid = statistics.table3(only(scenario.league), 2026)
    assert grid["carried_over"]["commercial"] == 1, "received 2025-12-22, answered 2026-01-15"
    assert grid["carried_over"]["legal_service"] == 1, "received 2025-12-31, still open"
    assert grid["carried_over"]["total"] == 2


def test_results_count_the_year_of_the_reply_by_outcome(scenario):
    grid = statistics.table3(only(scenario.league), 2026)
    assert grid["partially_disclosed"]["commercial"] == 1
    assert grid["other"]["natural_person"] == 1
    assert grid["other_fee_unpaid"]["research"] == 1
    assert grid["other_correction_overdue"]["natural_person"] == 1
    assert grid["disclosed"]["total"] == 0, "the 2025 reply is not a 2026 result"
    assert grid["results_total"]["total"] == 4


def test_carried_forward_counts_requests_open_at_year_end(scenario):
    grid = statistics.table3(only(scenario.league), 2026)
    assert grid["carried_forward"]["legal_service"] == 1
    assert grid["carried_forward"]["natural_person"] == 1
    assert grid["carried_forward"]["total"] == 2


def test_previous_year_carries_forward_what_the_next_year_carries_over(scenario):
    y2025 = statistics.table3(only(scenario.league), 2025)
    y2026 = statistics.table3(only(scenario.league), 2026)
    assert y2025["carried_forward"] == y2026["carried_over"]
    assert y2025["disclosed"]["natural_person"] == 1


def test_every_identity_holds_on_computed_figures(scenario):
    grid = statistics.table3(only(scenario.league), 2026)
    failed = checks.errors(checks.check_table3(grid, 2026))
    assert failed == [], [c.message for c in failed]


def test_unbalanced_typed_table_names_the_failing_column():
    grid = statistics.empty_table3(2026)
    grid["new"]["natural_person"] = 3
    grid["new"]["total"] = 3
    failed = checks.errors(checks.check_table3(grid, 2026))
    ids = {c.id for c in failed}
    assert "table3.balance.natural_person" in ids
    assert any("自然人" in c.message and "不相等" in c.message for c in failed)


def test_row_total_check_names_the_row():
    grid = statistics.empty_table3(2026)
    grid["disclosed"]["research"] = 2
    grid["disclosed"]["total"] = 1
    failed = checks.errors(checks.check_table3(grid, 2026))
    assert any(c.id == "table3.row_total.disclosed" for c in failed)


def test_consolidated_table_is_the_cellwise_sum_of_its_units(scenario):
    league_only = statistics.table3(only(scenario.league), 2026)
    county_only = statistics.table3(only(scenario.county), 2026)
    subtree = statistics.table3(Agency.objects.subtree_of(scenario.league), 2026)
    assert subtree == statistics.add_grids([league_only, county_only])
    assert subtree["withheld_third_party_rights"]["public_interest"] == 1


def test_drill_down_returns_the_requests_behind_a_cell(scenario):
    qs = statistics.table3_queryset(only(scenario.league), 2026, "carried_over", "total")
    assert sorted(a.received_on for a in qs) == [D(2025, 12, 22), D(2025, 12, 31)]
    qs = statistics.table3_queryset(only(scenario.league), 2026, "other_fee_unpaid", "research")
    assert qs.count() == 1


def test_2019_format_counts_all_other_processing_in_one_row(world):
    request(
        world.league,
        received_on=D(2020, 3, 2),
        closed_on=D(2020, 3, 30),
        outcome="other_fee_unpaid",
    )
    request(world.league, received_on=D(2020, 4, 1), closed_on=D(2020, 4, 3), outcome="other")
    grid = statistics.table3(only(world.league), 2020)
    assert grid["other_processing"]["total"] == 2
    assert "other_fee_unpaid" not in grid
    assert len(formats.table3_rows(2020)) == 23
    assert len(formats.table3_rows(2026)) == 25


def test_table4_counts_reviews_and_lawsuits_by_result(scenario):
    app = request(
        scenario.league,
        received_on=D(2026, 1, 5),
        closed_on=D(2026, 1, 20),
        outcome="withheld_process_information",
    )
    Appeal.objects.create(
        application=app,
        kind="review",
        body="兴安盟行政公署",
        filed_on=D(2026, 2, 1),
        result="upheld",
        decided_on=D(2026, 3, 1),
    )
    Appeal.objects.create(
        application=app,
        kind="lawsuit_after_review",
        body="乌兰浩特市人民法院",
        filed_on=D(2026, 4, 1),
    )
    grid = statistics.table4(only(scenario.league), 2026)
    assert grid["review"] == {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1}
    assert grid["lawsuit_after_review"]["pending"] == 1
    assert checks.errors(checks.check_table4(grid)) == []


def test_table3_uses_a_fixed_number_of_queries(scenario, django_assert_num_queries):
    with django_assert_num_queries(2):
        statistics.table3(Agency.objects.subtree_of(scenario.region), 2026)


near_year_end = st.builds(
    lambda year, offset: D(year, 1, 1) + dt.timedelta(days=offset),
    st.sampled_from([2025, 2026]),
    st.integers(-4, 3),
)
history = st.lists(
    st.tuples(
        st.one_of(st.dates(D(2024, 1, 1), D(2026, 12, 31)), near_year_end),
        st.one_of(st.none(), st.integers(0, 5), st.integers(0, 400)),
        st.sampled_from(list(Outcome)),
        st.sampled_from(list(ApplicantType)),
    ),
    max_size=25,
)


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=history, year=st.sampled_from([2024, 2025, 2026]))
def test_random_request_histories_always_satisfy_the_identities(rows, year):
    from tests.factories import AgencyFactory

    agency = AgencyFactory()
    for received, days_open, outcome, applicant_type in rows:
        closed = received + dt.timedelta(days=days_open) if days_open is not None else None
        request(
            agency,
            received_on=received,
            closed_on=closed,
            outcome=outcome.value if closed else "",
            applicant_type=applicant_type.value,
        )
    grid = statistics.table3(only(agency), year)
    failed = checks.errors(checks.check_table3(grid, year))
    assert failed == [], [c.message for c in failed]


def test_cli_prints_the_json_grid_with_stable_keys(scenario, capsys):
    import json

    from django.core.management import call_command

    call_command("report", "annual", "--agency", "152200", "--year", "2026", "--scope", "subtree")
    data = json.loads(capsys.readouterr().out)
    assert data["scope"] == {"kind": "subtree", "label": "本地区（含下级）", "units": 3}
    assert set(data) >= {"table2", "table3", "table4", "checks", "scope"}
    assert data["table3"]["new"]["total"] == 5
    assert set(data["table3"]["carried_forward"]) == {
        "natural_person",
        "commercial",
        "research",
        "public_interest",
        "legal_service",
        "other",
        "total",
    }
    assert all(c["ok"] for c in data["checks"] if c["severity"] == "error")


def test_cli_refuses_an_unknown_agency_code(db):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="找不到机构编码"):
        call_command("report", "annual", "--agency", "nope", "--year", "2026")


def test_trends_count_received_outcome_groups_and_on_time_rate(world):
    from gongkai.applications.models import Application
    from gongkai.reports import trends

    a = request(
        world.league, received_on=D(2025, 3, 3), closed_on=D(2025, 3, 20), outcome="disclosed"
    )
    b = request(
        world.league,
        received_on=D(2026, 2, 2),
        closed_on=D(2026, 4, 20),
        outcome="withheld_state_secret",
    )
    Application.objects.filter(pk=a.pk).update(on_time=True)
    Application.objects.filter(pk=b.pk).update(on_time=False)
    chart = trends.yearly(only(world.league), 2026, years=2)
    assert chart["years"] == ["2025", "2026"]
    assert chart["received"] == [1, 1]
    assert chart["outcomes"]["disclosed"] == [1, 0]
    assert chart["outcomes"]["withheld"] == [0, 1]
    assert chart["on_time_rate"] == [100.0, 0.0]
