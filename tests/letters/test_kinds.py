"""The registry of letter kinds (legal-rules §4.1): 9 procedural letters and 21 replies."""

from __future__ import annotations

import pytest

from gongkai.applications.models import EventType
from gongkai.applications.outcomes import OUTCOMES, Outcome
from gongkai.letters import kinds
from gongkai.letters.models import Series


def test_there_is_one_reply_letter_per_outcome_code():
    replies = [spec for spec in kinds.KINDS.values() if spec.outcome is not None]
    assert sorted(spec.outcome for spec in replies) == sorted(Outcome)
    assert all(spec.series == Series.REPLY for spec in replies)


def test_the_procedural_letters_are_the_nine_of_the_domain():
    labels = {spec.code: spec.label for spec in kinds.PROCEDURAL}
    assert set(labels) == {
        "receipt",
        "correction_notice",
        "extension_notice",
        "consultation_third_party",
        "consultation_agency",
        "third_party_disclosure_notice",
        "art35_reasons_notice",
        "art35_deadline_notice",
        "fee_notice",
    }


@pytest.mark.parametrize("code", sorted(kinds.KINDS))
def test_required_elements_and_editable_parts_are_declared_variables(code):
    spec = kinds.get(code)
    assert set(spec.required) <= spec.variables
    assert set(spec.editable) - {"not_held.case"} <= spec.variables
    assert "recipient.name" in spec.required


@pytest.mark.parametrize("code", list(Outcome))
def test_every_reply_requires_receipt_date_request_decision_article_and_remedy(code):
    spec = kinds.reply_kind(code)
    for element in (
        "application.received_on",
        "application.description",
        "decision.conclusion",
        "decision.basis",
        "remedy",
    ):
        assert element in spec.required, (code, element)
    assert spec.legal_basis == OUTCOMES[code].legal_basis


@pytest.mark.parametrize("code", list(Outcome))
def test_the_outcomes_required_data_are_required_parts_of_the_letter(code):
    spec = kinds.reply_kind(code)
    required_fields = {f.name for f in spec.fields if f.required}
    needs = set(OUTCOMES[code].required)
    if "reason" in needs:
        assert "reason" in required_fields
    if "how_to_obtain" in needs:
        assert "obtain.how" in required_fields
    if "withheld_parts" in needs:
        assert "withheld_parts" in required_fields


def test_letters_to_third_parties_do_not_expose_the_applicant():
    for code in (
        "consultation_third_party",
        "consultation_agency",
        "third_party_disclosure_notice",
    ):
        spec = kinds.get(code)
        assert not spec.to_applicant
        assert not {v for v in spec.variables if v.startswith(("applicant.", "application."))}


def test_the_closing_outcomes_belong_to_the_closed_event_and_other_also_to_withdrawal():
    assert EventType.CLOSED in kinds.reply_kind(Outcome.OTHER_FEE_UNPAID).event_types
    assert EventType.CLOSED in kinds.reply_kind(Outcome.OTHER_CORRECTION_OVERDUE).event_types
    assert EventType.WITHDRAWN in kinds.reply_kind(Outcome.OTHER).event_types


def test_an_unknown_kind_is_a_not_found_domain_error():
    with pytest.raises(kinds.UnknownKind) as caught:
        kinds.get("reply_maybe")
    assert caught.value.status == 404
