"""The public directory: grouped by level, sorted by pinyin, one query."""

from __future__ import annotations

import random

import pytest
from django.db import connection
from django.db.models.functions import Collate
from django.urls import reverse

from gongkai.agencies.directory import directory
from gongkai.agencies.models import Agency, AgencyKind, pinyin_sort_key
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

LEAGUES_IN_PINYIN_ORDER = [
    "阿拉善盟",
    "巴彦淖尔市",
    "包头市",
    "赤峰市",
    "鄂尔多斯市",
    "呼和浩特市",
    "呼伦贝尔市",
    "通辽市",
    "乌海市",
    "乌兰察布市",
    "锡林郭勒盟",
    "兴安盟",
]


@pytest.fixture
def leagues():
    region = AgencyFactory(code="150000", kind=AgencyKind.REGION_GOVERNMENT, name="自治区政府")
    shuffled = LEAGUES_IN_PINYIN_ORDER[:]
    random.Random(7).shuffle(shuffled)
    for i, name in enumerate(shuffled):
        AgencyFactory(
            code=f"L{i:02d}",
            name=f"{name}政府",
            short_name=name,
            kind=AgencyKind.LEAGUE_GOVERNMENT,
            parent=region,
        )
    return region


def test_pinyin_sort_key_orders_the_twelve_leagues_syllable_by_syllable():
    assert sorted(LEAGUES_IN_PINYIN_ORDER, key=pinyin_sort_key) == LEAGUES_IN_PINYIN_ORDER


def test_pinyin_sort_key_order_survives_a_collation_that_ignores_punctuation():
    # Linguistic collations skip spaces and punctuation at the first level; digits count.
    def letters_and_digits_only(name: str) -> str:
        return "".join(ch for ch in pinyin_sort_key(name) if ch.isalnum())

    ordered = sorted(LEAGUES_IN_PINYIN_ORDER, key=letters_and_digits_only)
    assert ordered == LEAGUES_IN_PINYIN_ORDER


def test_leagues_come_out_of_the_database_in_pinyin_order(leagues):
    names = list(
        Agency.objects.filter(kind=AgencyKind.LEAGUE_GOVERNMENT)
        .in_pinyin_order()
        .values_list("short_name", flat=True)
    )
    assert names == LEAGUES_IN_PINYIN_ORDER


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ICU collations are PostgreSQL's")
def test_pinyin_order_holds_under_a_linguistic_postgresql_collation(leagues):
    names = list(
        Agency.objects.filter(kind=AgencyKind.LEAGUE_GOVERNMENT)
        .order_by(Collate("pinyin_key", "und-x-icu"))
        .values_list("short_name", flat=True)
    )
    assert names == LEAGUES_IN_PINYIN_ORDER


def test_directory_groups_leagues_in_pinyin_order(leagues):
    groups = {g.key: g for g in directory()}
    assert [a.short_name for a in groups["league"].agencies] == LEAGUES_IN_PINYIN_ORDER


def test_directory_groups_come_in_level_order_and_skip_empty_groups(world):
    keys = [g.key for g in directory()]
    assert keys == ["region", "league", "county", "region_department", "league_department"]


def test_directory_lists_cities_under_separate_planning_with_the_leagues_after_them(world):
    AgencyFactory(
        name="二连浩特市人民政府",
        short_name="二连浩特市",
        kind=AgencyKind.COUNTY_GOVERNMENT,
        parent=world.sibling,
        is_separately_planned=True,
    )
    groups = {g.key: g for g in directory()}
    assert [a.short_name for a in groups["league"].agencies] == [
        "锡林郭勒盟",
        "兴安盟",
        "二连浩特市",
    ]
    assert "二连浩特市" not in [a.short_name for a in groups["county"].agencies]


def test_directory_splits_county_level_units_into_sections_by_league(world):
    AgencyFactory(
        name="阿巴嘎旗人民政府",
        short_name="阿巴嘎旗",
        kind=AgencyKind.COUNTY_GOVERNMENT,
        parent=world.sibling,
    )
    county = {g.key: g for g in directory()}["county"]
    assert [(s.parent.short_name, [a.short_name for a in s.agencies]) for s in county.sections] == [
        ("锡林郭勒盟", ["阿巴嘎旗"]),
        ("兴安盟", ["乌兰浩特市"]),
    ]


def test_directory_leaves_out_inactive_agencies(world):
    Agency.objects.filter(pk=world.county.pk).update(is_active=False)
    codes = {a.code for g in directory() for a in g.agencies}
    assert world.county.code not in codes


def test_directory_is_one_query_however_many_agencies(world, django_assert_num_queries):
    for i in range(30):
        AgencyFactory(parent=world.league, name=f"部门{i}")
    with django_assert_num_queries(1):
        groups = directory()
        for group in groups:
            for section in group.sections:
                assert section.parent is not None
                list(section.agencies)


def test_directory_page_lists_agencies_with_links(client, world):
    response = client.get(reverse("agencies:directory"))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="/agencies/{world.league.code}/"' in html
    assert "自治区政府部门" in html and "盟市" in html


def test_directory_page_query_count_does_not_grow_with_agencies(
    client, world, django_assert_max_num_queries
):
    for i in range(40):
        AgencyFactory(parent=world.county, name=f"镇{i}", kind=AgencyKind.TOWNSHIP_GOVERNMENT)
    with django_assert_max_num_queries(2):
        response = client.get(reverse("agencies:directory"))
    assert response.status_code == 200
