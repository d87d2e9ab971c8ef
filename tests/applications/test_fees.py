"""Information processing fees, 国办函〔2020〕109号 (worked totals from legal-rules §2.2)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.applications.fees import (
    FeeError,
    FeeMethod,
    application_unit_fee,
    month_bounds,
    page_band,
    per_application_fee,
    per_application_total,
    per_page_fee,
    quote,
)


@pytest.mark.parametrize(
    ("count", "total"),
    [
        (1, 0),
        (10, 0),
        (11, 100),
        (30, 2000),
        (31, 2200),
        (40, 4000),
        (41, 4300),
        (45, 5500),
        (50, 7000),
        (51, 7400),
    ],
)
def test_per_application_totals_match_the_worked_examples(count, total):
    assert per_application_total(count) == Decimal(total), f"{count} applications in a month"


@pytest.mark.parametrize(
    ("pages", "total"),
    [(1, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740), (250, 4700)],
)
def test_per_page_totals_match_the_worked_examples(pages, total):
    assert per_page_fee(pages).total == Decimal(total), f"{pages} pages"


@pytest.mark.parametrize(
    ("n", "fee"),
    [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (50, 300), (51, 400)],
)
def test_marginal_fee_of_the_nth_application_in_a_month(n, fee):
    assert application_unit_fee(n) == fee


def test_the_marginal_fee_rises_by_100_per_band_of_ten_from_the_31st():
    # 10k+1 … 10k+10 (k ≥ 3) costs 100·(k−1) yuan.
    for k in range(3, 12):
        assert application_unit_fee(10 * k + 1) == 100 * (k - 1)
        assert application_unit_fee(10 * k + 10) == 100 * (k - 1)


@given(st.integers(1, 300))
def test_the_total_is_the_sum_of_marginal_fees(count):
    assert per_application_total(count) == sum(application_unit_fee(n) for n in range(1, count + 1))


@given(st.integers(0, 200), st.integers(1, 50))
def test_later_applications_in_a_month_never_cost_less(previous, pieces):
    earlier = per_application_fee(pieces, previous_in_month=previous).total
    later = per_application_fee(pieces, previous_in_month=previous + 1).total
    assert later >= earlier


@given(st.integers(1, 1000))
def test_one_more_page_never_costs_less(pages):
    assert per_page_fee(pages + 1).total >= per_page_fee(pages).total


def test_fee_of_applications_split_across_bands_lists_each_band():
    # The applicant already had 29 this month; 3 more pieces: the 30th at 100, 31st–32nd at 200.
    fee = per_application_fee(3, previous_in_month=29)
    assert fee.total == Decimal(500)
    assert [(c.first, c.last, c.unit_fee) for c in fee.charges] == [(30, 30, 100), (31, 32, 200)]
    assert fee.lines() == [
        "第30件：1件×100元/件＝100元",
        "第31—32件：2件×200元/件＝400元",
        "合计500元（《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）第四条（按件计收））。",
    ]


def test_page_fee_breakdown_for_the_fee_notice():
    fee = per_page_fee(250)
    assert fee.method is FeeMethod.PER_PAGE
    assert fee.lines()[:4] == [
        "第1—30页：30页，不收费",
        "第31—100页：70页×10元/页＝700元",
        "第101—200页：100页×20元/页＝2000元",
        "第201—250页：50页×40元/页＝2000元",
    ]
    assert "第五条" in fee.basis


def test_page_bands():
    assert page_band(30).unit_fee == 0
    assert page_band(31).unit_fee == 10
    assert page_band(200).unit_fee == 20
    assert page_band(10_000).unit_fee == 40


def test_a_quote_uses_exactly_one_method():
    assert quote("per_application", pieces=1, previous_in_month=10).total == Decimal(100)
    assert quote(FeeMethod.PER_PAGE, pages=31).total == Decimal(10)
    with pytest.raises(FeeError, match="不得同时按照两种标准重复计算"):
        quote("per_application", pieces=1, pages=40)
    with pytest.raises(FeeError, match="不得同时按照两种标准重复计算"):
        quote("per_page", pages=40, pieces=2)
    with pytest.raises(FeeError, match="页数"):
        quote("per_page")
    with pytest.raises(FeeError, match="收费方式"):
        quote("per_kilogram", pages=3)


@pytest.mark.parametrize("bad", [0, -1, 1.5, "3", True])
def test_counts_must_be_positive_integers(bad):
    with pytest.raises(FeeError, match="正整数"):
        per_page_fee(bad)
    with pytest.raises(FeeError, match="正整数"):
        per_application_fee(bad)


def test_previous_count_must_not_be_negative():
    with pytest.raises(FeeError, match="非负整数"):
        per_application_fee(1, previous_in_month=-1)


def test_month_bounds_give_the_calendar_month_of_the_receipt_date():
    assert month_bounds(dt.date(2026, 2, 13)) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert month_bounds(dt.date(2024, 2, 29)) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert month_bounds(dt.date(2025, 12, 31)) == (dt.date(2025, 12, 1), dt.date(2025, 12, 31))
