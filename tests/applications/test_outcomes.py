"""The 21 outcome codes of table 3 (legal-rules §1.9, §3.4)."""

from __future__ import annotations

from collections import Counter

import pytest

from gongkai.applications import outcomes
from gongkai.applications.outcomes import (
    GROUP_LABELS,
    OTHER_PROCESSING_ROW_2019,
    OUTCOMES,
    Outcome,
    OutcomeGroup,
    choices,
    info,
    report_row,
)


def test_there_are_exactly_21_outcome_codes():
    assert len(Outcome) == 21
    assert set(OUTCOMES) == set(Outcome)


def test_each_group_has_the_number_of_leaves_of_table_3():
    per_group = Counter(i.group for i in OUTCOMES.values())
    assert per_group == {
        OutcomeGroup.DISCLOSED: 1,
        OutcomeGroup.PARTIALLY_DISCLOSED: 1,
        OutcomeGroup.WITHHELD: 8,
        OutcomeGroup.UNAVAILABLE: 3,
        OutcomeGroup.NOT_PROCESSED: 5,
        OutcomeGroup.OTHER: 3,
    }


def test_leaf_labels_are_numbered_in_report_order_within_each_group():
    for group in (
        OutcomeGroup.WITHHELD,
        OutcomeGroup.UNAVAILABLE,
        OutcomeGroup.NOT_PROCESSED,
        OutcomeGroup.OTHER,
    ):
        labels = [i.label for i in OUTCOMES.values() if i.group is group]
        assert [label.split(".")[0] for label in labels] == [
            str(n) for n in range(1, len(labels) + 1)
        ], labels


@pytest.mark.parametrize(
    ("code", "label"),
    [
        (Outcome.DISCLOSED, "（一）予以公开"),
        (Outcome.PARTIALLY_DISCLOSED, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
        (Outcome.WITHHELD_SECURITY_STABILITY, "3.危及“三安全一稳定”"),
        (Outcome.UNAVAILABLE_UNCLEAR_AFTER_CORRECTION, "3.补正后申请内容仍不明确"),
        (Outcome.NOT_PROCESSED_CONFIRMATION, "5.要求行政机关确认或重新出具已获取信息"),
        (
            Outcome.OTHER_FEE_UNPAID,
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ),
    ],
)
def test_labels_are_those_of_the_2021_format(code, label):
    assert info(code).label == label


def test_full_labels_prefix_the_group_for_leaves():
    assert info(Outcome.WITHHELD_STATE_SECRET).full_label == "（三）不予公开 1.属于国家秘密"
    assert info(Outcome.DISCLOSED).full_label == "（一）予以公开"
    assert GROUP_LABELS[OutcomeGroup.OTHER] == "（六）其他处理"


def test_only_withheld_outcomes_are_refusals_needing_review_first():
    refusals = {code for code, i in OUTCOMES.items() if i.is_refusal}
    assert refusals == {code for code in Outcome if code.value.startswith("withheld_")}


def test_every_outcome_cites_a_legal_basis():
    for code, i in OUTCOMES.items():
        assert i.legal_basis, code
    assert "第三十条" in info(Outcome.OTHER_CORRECTION_OVERDUE).legal_basis
    assert "国办函〔2020〕109号" in info(Outcome.OTHER_FEE_UNPAID).legal_basis


def test_the_system_outcomes_are_not_offered_to_officers():
    offered = {value for value, _label in choices(officer_only=True)}
    assert len(offered) == 19
    assert Outcome.OTHER_CORRECTION_OVERDUE.value not in offered
    assert Outcome.OTHER_FEE_UNPAID.value not in offered
    assert len(choices()) == 21


def test_required_extra_data_is_declared():
    assert "competent_agency_name" in info(Outcome.UNAVAILABLE_NOT_HELD).optional
    assert "withheld_parts" in info(Outcome.PARTIALLY_DISCLOSED).required


@pytest.mark.parametrize("code", list(Outcome))
def test_report_rows_from_2021_are_the_codes_themselves(code):
    assert report_row(code, 2021) == code.value
    assert report_row(code.value, 2025) == code.value


def test_the_2019_format_counts_the_three_other_leaves_in_one_row():
    for code in (Outcome.OTHER_CORRECTION_OVERDUE, Outcome.OTHER_FEE_UNPAID, Outcome.OTHER):
        assert report_row(code, 2019) == OTHER_PROCESSING_ROW_2019
        assert report_row(code, 2020) == OTHER_PROCESSING_ROW_2019
    assert report_row(Outcome.DISCLOSED, 2020) == "disclosed"
    rows_2019 = {report_row(code, 2019) for code in Outcome}
    assert len(rows_2019) == 19


def test_an_unknown_code_raises_value_error():
    with pytest.raises(ValueError):
        outcomes.info("approved")
    with pytest.raises(ValueError):
        report_row("approved", 2021)
