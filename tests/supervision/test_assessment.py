"""Assessment (考核) arithmetic, ranking, manual scores and the export."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.agencies.models import Agency
from gongkai.core.dates import override_today
from gongkai.core.errors import DomainError
from gongkai.supervision import assessment, indicators
from gongkai.supervision.models import Indicator, IndicatorRule, ManualScore
from gongkai.supervision.oversight import Row

TODAY = dt.date(2026, 4, 8)


def indicator(rule, weight="10", per_item="1", name="指标"):
    return Indicator(name=name, rule=rule, weight=Decimal(weight), per_item=Decimal(per_item))


def row(**figures):
    extra = {k: figures.pop(k) for k in ("report_total", "vetoes") if k in figures}
    return Row(Agency(name="单位", code="x"), "subtree", figures=figures, **extra)


def score(rule, figures=None, *, weight="10", per_item="1", late_tasks=0, manual=None):
    cell = assessment.score_cell(
        indicator(rule, weight, per_item),
        row(**(figures or {})),
        late_tasks=late_tasks,
        manual=manual,
    )
    return cell


def test_the_on_time_rate_scores_in_proportion():
    cell = score(IndicatorRule.REQUESTS_ON_TIME, {"replies": 8, "late_replies": 2}, weight="25")
    assert cell.score == Decimal("18.75")
    assert cell.deductions[0].points == Decimal("6.25")
    assert "逾期答复2件" in cell.deductions[0].reason


def test_proportional_scores_round_half_up_to_cents():
    cell = score(IndicatorRule.ANNUAL_REPORT, {"annual_reports": 1, "report_total": 3})
    assert cell.score == Decimal("6.67")
    assert cell.score + cell.deductions[0].points == Decimal("10.00")


def test_no_replies_gives_full_marks():
    cell = score(IndicatorRule.REQUESTS_ON_TIME, {}, weight="25")
    assert (cell.score, cell.deductions) == (Decimal("25.00"), [])


def test_per_item_deductions_stop_at_zero():
    assert score(IndicatorRule.REQUESTS_OVERDUE, {"overdue_requests": 3}, per_item="2").score == (
        Decimal("4.00")
    )
    cell = score(IndicatorRule.REQUESTS_OVERDUE, {"overdue_requests": 6}, per_item="2")
    assert cell.score == Decimal("0.00")
    assert cell.deductions[0].points == Decimal("10.00")


def test_stale_blank_and_should_update_columns_each_cost_points():
    cell = score(
        IndicatorRule.STALE_COLUMNS,
        {"stale_columns": 2, "blank_columns": 1, "should_update_columns": 0},
        weight="15",
    )
    assert cell.score == Decimal("12.00")
    assert "未按期更新的栏目2个" in cell.deductions[0].reason


def test_a_single_veto_site_loses_the_whole_column_indicator():
    cell = score(IndicatorRule.STALE_COLUMNS, {"stale_columns": 1, "vetoes": 1}, weight="15")
    assert cell.score == Decimal("0.00")
    assert "单项否决" in cell.deductions[0].reason


def test_late_lead_tasks_cost_points_each():
    assert score(IndicatorRule.TASKS, late_tasks=2, per_item="2").score == Decimal("6.00")


def test_an_unscored_manual_indicator_counts_zero_and_is_flagged():
    cell = score(IndicatorRule.MANUAL, weight="5")
    assert (cell.score, cell.pending) == (Decimal("0.00"), True)


def test_a_manual_score_keeps_its_reason():
    manual = ManualScore(score=Decimal("4.5"), reason="制度不健全")
    cell = score(IndicatorRule.MANUAL, weight="5", manual=manual)
    assert cell.score == Decimal("4.50")
    assert cell.deductions[0].reason == "制度不健全"


def test_ranking_shares_ranks_for_equal_totals():
    units = []
    for name, total in (("甲", "90"), ("乙", "85.5"), ("丙", "90"), ("丁", "70")):
        cell = assessment.Cell(indicator(IndicatorRule.MANUAL, "100"), Decimal(total))
        units.append(assessment.UnitScore(Agency(name=name, pinyin_key=name), [cell]))
    ranked = assessment.rank(units)
    assert [(u.agency.name, u.rank) for u in ranked] == [
        ("丙", 1),
        ("甲", 1),
        ("乙", 3),
        ("丁", 4),
    ]


def test_the_total_is_the_sum_of_the_indicator_scores():
    cells = [
        assessment.Cell(indicator(IndicatorRule.MANUAL), Decimal("18.75")),
        assessment.Cell(indicator(IndicatorRule.MANUAL), Decimal("6.67")),
    ]
    assert assessment.UnitScore(Agency(name="x"), cells).total == Decimal("25.42")


# --- With the database ----------------------------------------------------------------------------


@pytest.fixture
def scored(world):
    with override_today(TODAY):
        indicators.load_defaults(world.region_supervisor, world.region, 2026)
    return world


@pytest.mark.django_db
def test_the_default_indicators_add_up_to_one_hundred(scored):
    table = assessment.score_table(scored.region, 2026, TODAY)
    assert table.full_marks == Decimal("100.00")
    assert [u.agency.name for u in table.units] != []
    assert {u.agency.pk for u in table.units} == {
        scored.region_dept.pk,
        scored.league.pk,
        scored.sibling.pk,
    }


@pytest.mark.django_db
def test_loading_the_defaults_twice_adds_nothing(scored):
    assert indicators.load_defaults(scored.region_supervisor, scored.region, 2026) == 0


@pytest.mark.django_db
def test_a_manual_score_above_the_weight_is_refused(scored):
    manual = Indicator.objects.get(rule=IndicatorRule.MANUAL)
    with pytest.raises(DomainError):
        indicators.set_manual_score(scored.region_supervisor, manual, scored.league, "6", "")


@pytest.mark.django_db
def test_a_deduction_needs_a_reason(scored):
    manual = Indicator.objects.get(rule=IndicatorRule.MANUAL)
    with pytest.raises(DomainError) as caught:
        indicators.set_manual_score(scored.region_supervisor, manual, scored.league, "3", "")
    assert caught.value.field == "reason"


@pytest.mark.django_db
def test_a_league_supervisor_cannot_define_the_regions_indicators(scored):
    with pytest.raises(DomainError):
        indicators.save_indicator(
            scored.supervisor,
            supervising_agency=scored.region,
            year=2026,
            name="新指标",
            weight="5",
            rule="manual",
        )


@pytest.mark.django_db
def test_the_score_table_exports_to_xlsx_with_reasons(client, scored):
    manual = Indicator.objects.get(rule=IndicatorRule.MANUAL)
    indicators.set_manual_score(scored.region_supervisor, manual, scored.league, "3", "未设专人")
    client.force_login(scored.region_supervisor)
    with override_today(TODAY):
        response = client.get(
            reverse("supervision_staff:assessment_export") + "?agency=150000&year=2026"
        )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    scores, details = book.worksheets
    assert scores.cell(row=2, column=2).value == "单位"
    names = [scores.cell(row=r, column=2).value for r in range(3, scores.max_row + 1)]
    assert set(names) == {"内蒙古自治区教育厅", "兴安盟行政公署", "锡林郭勒盟行政公署"}
    reasons = [details.cell(row=r, column=4).value for r in range(2, details.max_row + 1)]
    assert "未设专人" in reasons


@pytest.mark.django_db
def test_the_assessment_page_shows_scores_and_manual_forms(client, scored):
    client.force_login(scored.region_supervisor)
    with override_today(TODAY):
        response = client.get(reverse("supervision_staff:assessment") + "?agency=150000&year=2026")
    html = response.content.decode()
    assert response.status_code == 200
    assert "工作机制和队伍建设" in html
    assert (
        reverse(
            "supervision_staff:manual_score",
            args=[Indicator.objects.get(rule="manual").pk, scored.league.code],
        )
        in html
    )
