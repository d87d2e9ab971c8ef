"""Website inspection rules for catalogue columns (栏目不更新) at their thresholds."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.agencies.models import Agency
from gongkai.publications.models import Column, Document, DocumentStatus
from gongkai.supervision import inspection
from gongkai.supervision.models import ColumnCheck, ColumnState

D = dt.date
TODAY = D(2026, 11, 23)


def state(kind="news", code="news", items=1, last=None, today=TODAY, **kwargs):
    return inspection.column_state(
        kind=kind, code=code, items=items, last_updated_on=last, today=today, **kwargs
    )


def test_a_news_column_updated_exactly_two_weeks_ago_is_fresh():
    assert state(last=TODAY - dt.timedelta(days=14)) == ColumnState.OK


def test_a_news_column_not_updated_for_fifteen_days_is_stale():
    assert state(last=TODAY - dt.timedelta(days=15)) == ColumnState.STALE


def test_a_notice_column_is_fresh_exactly_six_months_back():
    assert state("notice", "notices", last=D(2026, 5, 23)) == ColumnState.OK
    assert state("notice", "notices", last=D(2026, 5, 22)) == ColumnState.STALE


def test_six_months_before_the_end_of_august_is_the_end_of_february():
    today = D(2026, 8, 31)
    assert state("policy", "policies", last=D(2026, 2, 28), today=today) == ColumnState.OK
    assert state("policy", "policies", last=D(2026, 2, 27), today=today) == ColumnState.STALE


def test_other_columns_count_as_should_update_after_a_year():
    assert state("other", "statistics", last=D(2025, 11, 23)) == ColumnState.OK
    assert state("other", "statistics", last=D(2025, 11, 22)) == ColumnState.SHOULD_UPDATE


def test_items_without_a_date_count_as_not_updated():
    assert state("news", "news", items=3, last=None) == ColumnState.STALE


def test_a_column_without_items_is_blank():
    assert state("news", "news", items=0) == ColumnState.BLANK


def test_a_static_column_only_counts_when_blank():
    assert state("other", "profile", last=D(2019, 1, 1)) == ColumnState.OK
    assert state("other", "profile", items=0) == ColumnState.BLANK


def test_columns_whose_content_lives_elsewhere_are_not_checked():
    assert state("other", "guide", items=0) == ColumnState.NOT_CHECKED


def test_a_column_with_sub_columns_is_not_checked_itself():
    assert state("policy", "statutory", items=0, is_container=True) == ColumnState.NOT_CHECKED


def test_thresholds_are_data():
    rules = inspection.parse_rules(
        {"update_thresholds": {"news": {"days": 10, "counts_as": "stale"}}, "veto_at": {}}
    )
    assert state(last=TODAY - dt.timedelta(days=10), rules=rules) == ColumnState.OK
    assert state(last=TODAY - dt.timedelta(days=11), rules=rules) == ColumnState.STALE
    assert state("notice", "notices", last=D(2000, 1, 1), rules=rules) == ColumnState.OK


@pytest.mark.parametrize(
    ("counts", "vetoed"),
    [
        ({"stale": 4, "should_update": 9, "blank": 4}, False),
        ({"stale": 5}, True),
        ({"should_update": 10}, True),
        ({"blank": 5}, True),
    ],
)
def test_a_site_is_vetoed_when_a_count_reaches_its_limit(counts, vetoed):
    assert bool(inspection.vetoes(counts)) is vetoed


# --- Stored checks -------------------------------------------------------------------------------


def publish(column: Column, published_on: dt.date | None, title: str = "动态") -> Document:
    return Document.objects.create(
        agency=column.agency,
        column=column,
        title=title,
        status=DocumentStatus.PUBLISHED,
        published_on=published_on,
    )


@pytest.fixture
def league_columns(world):
    return {c.code: c for c in Column.objects.filter(agency=world.league)}


def test_refresh_stores_the_state_of_every_active_column(world, league_columns):
    publish(league_columns["news"], TODAY - dt.timedelta(days=3))
    publish(league_columns["notices"], D(2026, 1, 5))
    publish(league_columns["policies"], None)
    result = inspection.refresh(Agency.objects.filter(pk=world.league.pk), TODAY)
    checks = {c.column.code: c for c in ColumnCheck.objects.select_related("column")}
    assert result.checked == len(league_columns)
    assert checks["news"].state == ColumnState.OK
    assert checks["notices"].state == ColumnState.STALE
    assert checks["policies"].state == ColumnState.STALE
    assert checks["policies"].undated_items == 1
    assert checks["interpretations"].state == ColumnState.BLANK
    assert checks["statutory"].state == ColumnState.NOT_CHECKED
    assert checks["guide"].state == ColumnState.NOT_CHECKED


def test_withdrawn_documents_do_not_count_as_updates(world, league_columns):
    document = publish(league_columns["news"], TODAY)
    Document.objects.filter(pk=document.pk).update(status=DocumentStatus.WITHDRAWN)
    inspection.refresh(Agency.objects.filter(pk=world.league.pk), TODAY)
    assert ColumnCheck.objects.get(column=league_columns["news"]).state == ColumnState.BLANK


def test_refresh_is_idempotent_and_follows_new_publications(world, league_columns):
    agencies = Agency.objects.filter(pk=world.league.pk)
    inspection.refresh(agencies, TODAY)
    inspection.refresh(agencies, TODAY)
    assert ColumnCheck.objects.count() == len(league_columns)
    publish(league_columns["interpretations"], TODAY)
    inspection.refresh(agencies, TODAY)
    assert ColumnCheck.objects.get(column=league_columns["interpretations"]).state == "ok"


def test_a_deactivated_column_leaves_the_inspection(world, league_columns):
    agencies = Agency.objects.filter(pk=world.league.pk)
    inspection.refresh(agencies, TODAY)
    Column.objects.filter(pk=league_columns["fees"].pk).update(is_active=False)
    inspection.refresh(agencies, TODAY)
    assert not ColumnCheck.objects.filter(column=league_columns["fees"]).exists()
