"""What letters say: computed from the request (legal-rules §4.1), one letter per step."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.applications.models import ApplicantType, EventType
from gongkai.applications.outcomes import OUTCOMES, Outcome, OutcomeGroup
from gongkai.letters import content, kinds, services
from gongkai.letters.content import LetterIncomplete
from gongkai.letters.kinds import StepMissing
from gongkai.letters.models import LetterSettings
from tests.letters.factories import DESCRIPTION, add_event, make_application, reply

pytestmark = pytest.mark.django_db


def full_text(draft) -> str:
    return "".join([draft.document.salutation, *draft.document.paragraphs])


@pytest.fixture
def application(world, league):
    return make_application(world.league_dept)


@pytest.mark.parametrize("code", list(Outcome))
def test_every_reply_letter_states_applicant_receipt_request_article_and_remedy(application, code):
    event = reply(application, code)
    draft = services.preview(application, event, f"reply_{code.value}")
    text = full_text(draft)
    assert draft.problems == [], draft.problems
    assert draft.document.salutation == "张三："
    assert "2026年3月2日收到" in text, "receipt date (art. 31)"
    assert DESCRIPTION in text, "what was asked"
    assert OUTCOMES[code].legal_basis in text, "the article of the decision"
    assert kinds.CONCLUSIONS[code] in text
    assert "申请行政复议" in text and "60日内向兴安盟行政公署" in text, "remedy paragraph"
    assert draft.document.date == "2026年3月20日"


@pytest.mark.parametrize("code", [c for c in Outcome if OUTCOMES[c].group is OutcomeGroup.WITHHELD])
def test_refusals_state_that_administrative_review_comes_first(application, code):
    text = full_text(services.preview(application, reply(application, code), f"reply_{code}"))
    assert "第二十三条第一款第（四）项" in text
    assert "应当先向行政复议机关申请行政复议" in text
    assert "直接向人民法院" not in text


@pytest.mark.parametrize(
    "code", [c for c in Outcome if OUTCOMES[c].group not in (OutcomeGroup.WITHHELD,)]
)
def test_other_replies_also_offer_a_direct_lawsuit_within_6_months(application, code):
    text = full_text(services.preview(application, reply(application, code), f"reply_{code}"))
    assert "6个月内直接向人民法院提起行政诉讼" in text


def test_refusals_state_the_reason(application):
    event = reply(application, Outcome.WITHHELD_PROCESS_INFORMATION, reason="该文件为内部讨论稿")
    text = full_text(services.preview(application, event, "reply_withheld_process_information"))
    assert "理由：该文件为内部讨论稿" in text


def test_not_held_names_the_competent_agency_and_its_contact(application):
    event = reply(application, Outcome.UNAVAILABLE_NOT_HELD)
    text = full_text(services.preview(application, event, "reply_unavailable_not_held"))
    assert "不属于本机关负责公开" in text
    assert "兴安盟财政局" in text and "0482-8226000" in text


def test_not_held_without_a_competent_agency_says_the_information_does_not_exist(application):
    event = reply(
        application,
        Outcome.UNAVAILABLE_NOT_HELD,
        competent_agency_name="",
        competent_agency_contact="",
    )
    draft = services.preview(application, event, "reply_unavailable_not_held")
    assert draft.problems == []
    assert "经检索，本机关没有你所申请公开的政府信息" in full_text(draft)


def test_not_held_by_this_agency_without_the_competent_agency_is_refused(application, dept_officer):
    event = reply(
        application,
        Outcome.UNAVAILABLE_NOT_HELD,
        competent_agency_name="",
        competent_agency_contact="",
    )
    inputs = {"not_held.case": "other_agency"}
    draft = services.preview(application, event, "reply_unavailable_not_held", inputs=inputs)
    assert any("名称和联系方式" in p for p in draft.problems), draft.problems
    with pytest.raises(LetterIncomplete):
        services.issue(
            application, event, "reply_unavailable_not_held", inputs=inputs, actor=dept_officer
        )


def test_disclosure_states_the_way_place_and_time_to_obtain(application):
    event = reply(application, Outcome.DISCLOSED)
    text = full_text(services.preview(application, event, "reply_disclosed"))
    assert "获取方式：本机关将以邮寄方式提供纸质复印件" in text
    assert "获取地点：乌兰浩特市兴安盟行政公署政府信息公开办公室" in text
    assert "获取时间：工作日上午9时至下午5时" in text


def test_the_officer_edits_only_the_free_text_parts(application):
    event = reply(application, Outcome.WITHHELD_STATE_SECRET)
    draft = services.preview(
        application,
        event,
        "reply_withheld_state_secret",
        inputs={"reason": "经定密属于秘密级", "decision.basis": "随便写的条款", "remedy": "不告知"},
    )
    text = full_text(draft)
    assert "经定密属于秘密级" in text
    assert "随便写的条款" not in text and "不告知" not in text
    assert "第十四条、第三十六条第（三）项" in text


def test_a_missing_required_part_is_a_visible_placeholder_in_the_preview(application):
    event = reply(application, Outcome.WITHHELD_STATE_SECRET, reason="")
    draft = services.preview(application, event, "reply_withheld_state_secret")
    assert "〖请填写：不予公开的理由〗" in full_text(draft)
    assert draft.problems == ["请填写“不予公开的理由”。"]


def test_an_organisation_is_addressed_as_your_unit(world):
    application = make_application(
        world.league_dept, applicant_type=ApplicantType.COMMERCIAL, applicant_name="某某有限公司"
    )
    event = reply(application, Outcome.DISCLOSED)
    text = full_text(services.preview(application, event, "reply_disclosed"))
    assert text.startswith("某某有限公司：") and "你单位申请获取" in text


def test_the_remedy_names_the_superior_department_of_a_vertical_agency(world):
    from tests.factories import AgencyFactory

    tax = AgencyFactory(name="兴安盟税务局", parent=world.league, is_vertically_managed=True)
    LetterSettings.objects.create(agency=tax, superior_department="内蒙古自治区税务局")
    application = make_application(tax)
    event = reply(application, Outcome.DISCLOSED)
    text = full_text(services.preview(application, event, "reply_disclosed"))
    assert "60日内向内蒙古自治区税务局申请行政复议" in text


def test_a_letter_that_has_no_review_body_cannot_be_issued(world):
    from gongkai.agencies.models import Role
    from tests.factories import AgencyFactory, member

    tax = AgencyFactory(name="兴安盟税务局", parent=world.league, is_vertically_managed=True)
    application = make_application(tax)
    event = reply(application, Outcome.DISCLOSED)
    officer = member(tax, Role.OFFICER)
    with pytest.raises(LetterIncomplete) as caught:
        services.issue(application, event, "reply_disclosed", inputs={}, actor=officer)
    assert "上一级主管部门" in caught.value.message


# --- procedural letters ---------------------------------------------------------------------------


def test_the_receipt_states_the_receipt_date_and_the_tracking_code(application):
    event = application.events.get(type=EventType.RECEIPT_CONFIRMED)
    draft = services.preview(application, event, "receipt")
    text = full_text(draft)
    assert "本机关已于2026年3月2日收到" in text and application.tracking_code in text
    assert "第三十一条" in text and "20个工作日" in text
    assert draft.document.title[-1] == "政府信息公开申请接收回执"


def test_the_correction_notice_lists_the_items_and_the_deadline(application):
    event = add_event(
        application,
        EventType.CORRECTION_REQUESTED,
        dt.date(2026, 3, 4),
        deadline="2026-03-16",
        items="请写明文件的文号\n请写明文件的形成时间",
    )
    draft = services.preview(application, event, "correction_notice")
    assert "请写明文件的文号" in draft.document.paragraphs
    assert "请写明文件的形成时间" in draft.document.paragraphs
    assert "于2026年3月16日前" in full_text(draft)
    assert "第三十条" in full_text(draft) and "一次性" in full_text(draft)


def test_the_extension_notice_computes_the_old_and_new_due_dates(application):
    event = add_event(
        application,
        EventType.EXTENSION_GRANTED,
        dt.date(2026, 3, 25),
        workdays=10,
        reason="需要调取历年档案。",
    )
    draft = services.preview(application, event, "extension_notice")
    text = full_text(draft)
    # 20 working days after Mon 2026-03-02 is Mon 2026-03-30; 10 more → 2026-04-14
    # (清明 4月4日—6日 are holidays).
    assert "原答复期限2026年3月30日前" in text, text
    assert "延长10个工作日" in text and "将于2026年4月14日前作出答复" in text
    assert "因需要调取历年档案，" in text, "inline parts lose their trailing full stop"


def test_the_fee_notice_states_amount_method_and_basis(application):
    event = add_event(
        application,
        EventType.FEE_NOTICE_ISSUED,
        dt.date(2026, 3, 5),
        amount="200",
        method="per_page",
        payment="银行转账至兴安盟财政局非税收入账户",
    )
    text = full_text(services.preview(application, event, "fee_notice"))
    assert "人民币200元" in text and "按量计收" in text
    assert "国办函〔2020〕109号）第五条" in text
    assert "次日起20个工作日内" in text


def test_a_consultation_letter_is_addressed_to_the_third_party_without_naming_the_applicant(
    application,
):
    event = add_event(
        application,
        EventType.CONSULTATION_OPENED,
        dt.date(2026, 3, 5),
        party="third_party",
        party_name="某某建筑有限公司",
    )
    draft = services.preview(application, event, "consultation_third_party")
    assert draft.recipient == "某某建筑有限公司"
    assert "张三" not in full_text(draft) and "第三十二条" in full_text(draft)
    assert "15个工作日" in full_text(draft)


def test_the_agency_consultation_says_silence_is_consent(application):
    event = add_event(
        application,
        EventType.CONSULTATION_OPENED,
        dt.date(2026, 3, 5),
        party="agency",
        party_name="兴安盟财政局",
    )
    text = full_text(services.preview(application, event, "consultation_agency"))
    assert text.startswith("兴安盟财政局：") and "逾期未提出意见的，视为同意公开" in text
    assert "第三十四条" in text


def test_the_third_party_disclosure_notice_goes_to_the_consulted_party(application):
    add_event(
        application,
        EventType.CONSULTATION_OPENED,
        dt.date(2026, 3, 5),
        party="third_party",
        party_name="某某建筑有限公司",
    )
    event = reply(application, Outcome.DISCLOSED, disclosure_reason="涉及公共资金使用")
    draft = services.preview(application, event, "third_party_disclosure_notice")
    assert draft.recipient == "某某建筑有限公司"
    text = full_text(draft)
    assert "决定公开的理由：涉及公共资金使用" in text and "行政复议" in text


def test_the_art35_notices_state_the_deadlines(application):
    reasons = add_event(
        application,
        EventType.NOTE,
        dt.date(2026, 3, 5),
        step="art35_reasons_requested",
        observation="你在本月已提出申请23件。",
        reason_deadline="2026年3月20日",
    )
    text = full_text(services.preview(application, reasons, "art35_reasons_notice"))
    assert "经审查，你在本月已提出申请23件。" in text and "于2026年3月20日前" in text
    delay = add_event(
        application,
        EventType.ART35_DEADLINE,
        dt.date(2026, 3, 6),
        due_on="2026-05-29",
        reason="所申请信息数量较大",
    )
    text = full_text(services.preview(application, delay, "art35_deadline_notice"))
    assert "延迟答复的期限为2026年5月29日" in text and "第三十五条" in text


# --- a letter for a step that did not happen is refused ------------------------------------------


def test_a_correction_notice_needs_a_correction_requested_event(application):
    event = application.events.get(type=EventType.RECEIPT_CONFIRMED)
    with pytest.raises(StepMissing) as caught:
        services.preview(application, event, "correction_notice")
    assert "告知补正" in caught.value.message


def test_a_reply_letter_needs_a_reply_with_that_outcome(application):
    event = reply(application, Outcome.DISCLOSED)
    with pytest.raises(StepMissing) as caught:
        services.preview(application, event, "reply_withheld_state_secret")
    assert "予以公开" in caught.value.message


def test_a_correction_overdue_letter_needs_an_earlier_correction_notice(application):
    event = add_event(
        application,
        EventType.CLOSED,
        dt.date(2026, 3, 20),
        outcome=Outcome.OTHER_CORRECTION_OVERDUE.value,
    )
    with pytest.raises(StepMissing) as caught:
        services.preview(application, event, "reply_other_correction_overdue")
    assert "告知补正" in caught.value.message


def test_a_receipt_needs_a_receipt_date(world):
    application = make_application(world.league_dept, received_on=None)
    event = application.events.get(type=EventType.SUBMITTED)
    with pytest.raises(StepMissing):
        services.preview(application, event, "receipt")


def test_an_ordinary_note_is_not_an_art35_reasons_request(application):
    note = add_event(application, EventType.NOTE, dt.date(2026, 3, 5), text="电话联系申请人")
    with pytest.raises(StepMissing):
        services.preview(application, note, "art35_reasons_notice")


def test_the_third_party_notice_needs_a_third_party_consultation(application):
    event = reply(application, Outcome.DISCLOSED)
    with pytest.raises(StepMissing):
        services.preview(application, event, "third_party_disclosure_notice")


def test_a_consultation_letter_must_match_the_consulted_party(application):
    event = add_event(
        application,
        EventType.CONSULTATION_OPENED,
        dt.date(2026, 3, 5),
        party="agency",
        party_name="兴安盟财政局",
    )
    with pytest.raises(StepMissing):
        services.preview(application, event, "consultation_third_party")


def test_an_event_of_another_request_is_refused(application, world):
    other = make_application(world.league_dept)
    event = reply(other, Outcome.DISCLOSED)
    with pytest.raises(StepMissing):
        services.preview(application, event, "reply_disclosed")


def test_the_offers_list_each_step_with_its_letters(application):
    add_event(
        application, EventType.CORRECTION_REQUESTED, dt.date(2026, 3, 4), deadline="2026-03-16"
    )
    reply(application, Outcome.WITHHELD_STATE_SECRET)
    codes = [offer.spec.code for offer in services.offers(application)]
    assert codes == ["receipt", "correction_notice", "reply_withheld_state_secret"]


def test_dates_are_written_with_arabic_numerals_and_no_leading_zeros(application):
    event = reply(application, Outcome.DISCLOSED, on=dt.date(2026, 4, 7))
    draft = services.preview(application, event, "reply_disclosed")
    assert draft.document.date == "2026年4月7日"
    assert "2026年3月2日" in full_text(draft)


def test_every_kind_has_a_matching_shipped_template_and_sample(world):
    from gongkai.letters import sample

    for spec in kinds.KINDS.values():
        application, event, history = sample.sample_case(world.league_dept, spec)
        draft = content.compose(spec, application, event, history=history, sample=True)
        assert draft.problems == [], (spec.code, draft.problems)
