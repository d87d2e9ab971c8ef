"""The staff-side services: every step legal and illegal, nothing saved on refusal, audit written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gongkai.applications import services
from gongkai.applications.clock import ClockError
from gongkai.applications.models import (
    Appeal,
    AppealKind,
    AppealResult,
    Application,
    Channel,
    Event,
    EventType,
    StatusChoice,
)
from gongkai.core.errors import DomainError, PermissionDeniedError
from gongkai.site.models import AuditEntry
from tests.applications.conftest import DUE, MONDAY, applicant, make_request

pytestmark = pytest.mark.django_db


def snapshot(app: Application) -> tuple[int, int]:
    return Event.objects.filter(application=app).count(), AuditEntry.objects.count()


def audit_actions(app: Application) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="applications.application", object_id=str(app.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


# --- refresh_clock ------------------------------------------------------------------------------


def test_a_request_handed_in_gets_its_due_date_twenty_working_days_later(request_in_league):
    app = request_in_league
    assert app.received_on == MONDAY
    assert app.status == StatusChoice.IN_PROGRESS
    assert app.due_on == DUE, "20 working days after Monday 2026-03-02 is Monday 2026-03-30"


def test_the_yellow_light_starts_when_five_working_days_remain(request_in_league):
    # Working days left on 03-23 are 03-24..03-30 = 5; on 03-20 (Friday) they are 6.
    assert request_in_league.yellow_on == dt.date(2026, 3, 23)


def test_an_unconfirmed_online_request_has_no_due_date(world):
    app = make_request(world.league, channel=Channel.ONLINE)
    assert app.received_on is None
    assert app.status == StatusChoice.PENDING_CONFIRMATION
    assert app.due_on is None


def test_refresh_clock_stores_a_missing_calendar_year_instead_of_failing(world):
    app = make_request(world.league)
    Application.objects.filter(pk=app.pk).update(received_on=dt.date(2027, 12, 20))
    app.refresh_from_db()
    services.refresh_clock(app, today=dt.date(2026, 12, 31))
    app.refresh_from_db()
    assert "2027年" in app.clock_error, app.clock_error


def test_refresh_clock_clears_the_error_once_the_calendar_works(world):
    app = make_request(world.league)
    Application.objects.filter(pk=app.pk).update(clock_error="旧的错误")
    services.refresh_clock(app, today=MONDAY)
    assert app.clock_error == ""


# --- confirm_receipt ----------------------------------------------------------------------------


def test_confirming_an_online_request_sets_the_receipt_date(world, on_day):
    app = make_request(world.league, channel=Channel.ONLINE)
    on_day(dt.date(2026, 3, 3))
    event = services.confirm_receipt(app, dt.date(2026, 3, 3), world.officer)
    assert event.type == EventType.RECEIPT_CONFIRMED
    assert app.received_on == dt.date(2026, 3, 3)
    assert app.confirmed_on == dt.date(2026, 3, 3)
    assert app.status == StatusChoice.IN_PROGRESS
    assert app.due_on == dt.date(2026, 3, 31)
    assert audit_actions(app) == ["application.receipt_confirmed"]


def test_a_registered_letter_is_confirmed_by_its_signature_date(world, on_day):
    app = make_request(world.league, channel=Channel.REGISTERED_POST)
    assert app.received_on is None
    on_day(dt.date(2026, 3, 3))
    services.confirm_receipt(app, dt.date(2026, 3, 2), world.officer)
    assert (app.signed_on, app.received_on) == (MONDAY, MONDAY)


def test_confirming_twice_is_refused_and_saves_nothing(world, on_day):
    app = make_request(world.league, channel=Channel.ONLINE)
    on_day(dt.date(2026, 3, 3))
    services.confirm_receipt(app, dt.date(2026, 3, 3), world.officer)
    before = snapshot(app)
    with pytest.raises(DomainError, match="无需再次确认"):
        services.confirm_receipt(app, dt.date(2026, 3, 3), world.officer)
    assert snapshot(app) == before


def test_a_confirmation_in_the_future_is_refused(world, on_day):
    app = make_request(world.league, channel=Channel.ONLINE)
    on_day(dt.date(2026, 3, 3))
    with pytest.raises(DomainError, match="晚于今天"):
        services.confirm_receipt(app, dt.date(2026, 3, 4), world.officer)
    app.refresh_from_db()
    assert app.received_on is None


def test_an_ordinary_letter_confirmed_days_later_needs_the_unreachable_flag(world, on_day):
    app = make_request(world.league, channel=Channel.ORDINARY_POST)
    on_day(dt.date(2026, 3, 5))
    with pytest.raises(DomainError, match="207号"):
        services.confirm_receipt(app, dt.date(2026, 3, 5), world.officer)
    app.refresh_from_db()
    assert app.received_on is None and app.confirmed_on is None
    services.confirm_receipt(app, dt.date(2026, 3, 5), world.officer, contact_delayed=True)
    assert app.received_on == dt.date(2026, 3, 5)


def test_a_reviewer_may_not_confirm_receipt(world, on_day):
    app = make_request(world.league, channel=Channel.ONLINE)
    on_day(dt.date(2026, 3, 3))
    with pytest.raises(PermissionDeniedError):
        services.confirm_receipt(app, dt.date(2026, 3, 3), world.reviewer)


# --- record_event -------------------------------------------------------------------------------


def test_record_event_appends_a_legal_step_and_refreshes_the_clock(
    request_in_league, world, on_day
):
    on_day(dt.date(2026, 3, 4))
    event = services.record_event(
        request_in_league,
        EventType.CORRECTION_REQUESTED,
        dt.date(2026, 3, 4),
        {"deadline": dt.date(2026, 3, 18), "items": "请写明文件名称"},
        world.officer,
    )
    assert event.data["deadline"] == "2026-03-18", "dates are stored as ISO strings"
    assert request_in_league.status == StatusChoice.AWAITING_CORRECTION
    assert request_in_league.due_on is None
    assert request_in_league.expires_on == dt.date(2026, 3, 18)
    assert audit_actions(request_in_league) == ["application.correction_requested"]


def test_a_second_correction_notice_is_refused_and_nothing_is_saved(
    request_in_league, world, on_day
):
    on_day(dt.date(2026, 3, 4))
    services.request_correction(
        request_in_league,
        on=dt.date(2026, 3, 4),
        deadline="2026-03-18",
        items="文件名称",
        actor=world.officer,
    )
    services.record_correction(request_in_league, on=dt.date(2026, 3, 4), actor=world.officer)
    before = snapshot(request_in_league)
    with pytest.raises(ClockError, match="一次性"):
        services.request_correction(
            request_in_league,
            on=dt.date(2026, 3, 4),
            deadline="2026-03-20",
            items="再补",
            actor=world.officer,
        )
    assert snapshot(request_in_league) == before


def test_an_event_dated_before_the_receipt_is_refused(request_in_league, world, on_day):
    on_day(dt.date(2026, 3, 4))
    with pytest.raises(ClockError, match="早于收到申请之日"):
        services.record_withdrawal(request_in_league, on=dt.date(2026, 2, 27), actor=world.officer)


def test_a_clock_event_on_an_unconfirmed_request_is_refused(world, on_day):
    app = make_request(world.league, channel=Channel.ONLINE)
    on_day(dt.date(2026, 3, 4))
    with pytest.raises(DomainError, match="尚未确认收到申请"):
        services.record_withdrawal(app, on=dt.date(2026, 3, 4), actor=world.officer)


def test_record_event_refuses_an_event_dated_after_today(request_in_league, world, on_day):
    on_day(dt.date(2026, 3, 4))
    with pytest.raises(DomainError, match="晚于今天"):
        services.record_withdrawal(request_in_league, on=dt.date(2026, 3, 5), actor=world.officer)


@pytest.mark.parametrize("role", ["reviewer", "supervisor", "administrator", "sibling_officer"])
def test_only_officers_and_heads_of_the_agency_may_record_events(
    request_in_league, world, on_day, role
):
    on_day(dt.date(2026, 3, 4))
    before = snapshot(request_in_league)
    with pytest.raises(PermissionDeniedError):
        services.add_note(request_in_league, "看看", getattr(world, role))
    assert snapshot(request_in_league) == before


def test_a_head_may_record_events(request_in_league, world, on_day):
    on_day(dt.date(2026, 3, 4))
    services.add_note(request_in_league, "已阅", world.head)
    assert request_in_league.events.filter(type=EventType.NOTE).count() == 1


def test_record_event_refuses_the_intake_event_types(request_in_league, world):
    with pytest.raises(DomainError, match="自动记录"):
        services.record_event(request_in_league, EventType.SUBMITTED, MONDAY, {}, world.officer)


def test_an_extension_granted_by_an_officer_is_refused(request_in_league, world, on_day):
    on_day(dt.date(2026, 3, 10))
    with pytest.raises(PermissionDeniedError, match="负责人"):
        services.record_event(
            request_in_league,
            EventType.EXTENSION_GRANTED,
            dt.date(2026, 3, 10),
            {"workdays": 5},
            world.officer,
        )


def test_an_extension_granted_by_the_head_moves_the_due_date(request_in_league, world, on_day):
    on_day(dt.date(2026, 3, 10))
    services.record_event(
        request_in_league,
        EventType.EXTENSION_GRANTED,
        dt.date(2026, 3, 10),
        {"workdays": 5},
        world.head,
    )
    assert request_in_league.due_on == dt.date(2026, 4, 7), (
        "5 more working days: 03-31..04-03, 04-07 (Qingming 04-06)"
    )


# --- extension workflow -------------------------------------------------------------------------


def test_the_head_approves_an_extension_request(request_in_league, world, on_day):
    on_day(dt.date(2026, 3, 20))
    services.request_extension(
        request_in_league, workdays=20, reason="需调取档案", actor=world.officer
    )
    assert services.pending_extension(request_in_league) is not None
    assert request_in_league.due_on == DUE, "a request alone does not move the due date"
    event = services.approve_extension(request_in_league, actor=world.head)
    assert event.type == EventType.EXTENSION_GRANTED
    assert event.data["workdays"] == 20
    assert event.data["approved_by"] == world.head.get_full_name()
    assert services.pending_extension(request_in_league) is None
    assert request_in_league.due_on == dt.date(2026, 4, 28)


def test_an_officer_may_not_approve_an_extension(request_in_league, world, on_day):
    on_day(dt.date(2026, 3, 20))
    services.request_extension(
        request_in_league, workdays=10, reason="需调取档案", actor=world.officer
    )
    before = snapshot(request_in_league)
    with pytest.raises(PermissionDeniedError, match="负责人"):
        services.approve_extension(request_in_league, actor=world.officer)
    assert snapshot(request_in_league) == before


def test_approving_without_a_pending_request_is_refused(request_in_league, world, on_day):
    on_day(dt.date(2026, 3, 20))
    with pytest.raises(DomainError, match="没有待审批"):
        services.approve_extension(request_in_league, actor=world.head)


def test_the_head_refuses_an_extension_request(request_in_league, world, on_day):
    on_day(dt.date(2026, 3, 20))
    services.request_extension(
        request_in_league, workdays=10, reason="需调取档案", actor=world.officer
    )
    services.refuse_extension(request_in_league, reason="可以按期答复", actor=world.head)
    assert services.pending_extension(request_in_league) is None
    assert request_in_league.due_on == DUE


def test_a_second_pending_extension_request_is_refused(request_in_league, world, on_day):
    on_day(dt.date(2026, 3, 20))
    services.request_extension(request_in_league, workdays=10, reason="甲", actor=world.officer)
    with pytest.raises(DomainError, match="等待负责人审批"):
        services.request_extension(request_in_league, workdays=5, reason="乙", actor=world.officer)


def test_an_extension_request_after_the_due_date_is_refused(request_in_league, world, on_day):
    on_day(dt.date(2026, 3, 31))
    with pytest.raises(ClockError, match="答复期限届满前"):
        services.request_extension(
            request_in_league, workdays=10, reason="晚了", actor=world.officer
        )
    assert not request_in_league.events.filter(type=EventType.EXTENSION_REQUESTED).exists()


@pytest.mark.parametrize("workdays", [0, 21, "x"])
def test_an_extension_of_an_impossible_length_is_refused(
    request_in_league, world, on_day, workdays
):
    on_day(dt.date(2026, 3, 20))
    with pytest.raises(DomainError, match="1至20"):
        services.request_extension(
            request_in_league, workdays=workdays, reason="理由", actor=world.officer
        )


# --- fees ---------------------------------------------------------------------------------------


def test_a_per_page_fee_notice_stores_amount_basis_and_breakdown(request_in_league, world, on_day):
    on_day(dt.date(2026, 3, 10))
    event = services.issue_fee_notice(
        request_in_league,
        method="per_page",
        pages=31,
        on=dt.date(2026, 3, 10),
        received_on=dt.date(2026, 3, 10),
        actor=world.officer,
    )
    assert Decimal(event.data["amount"]) == Decimal(10)
    assert "第五条" in event.data["basis"]
    assert event.data["breakdown"][-1].startswith("合计10元")
    assert request_in_league.status == StatusChoice.AWAITING_PAYMENT
    assert request_in_league.expires_on == dt.date(2026, 4, 8), "20 working days after 03-10"


def test_a_per_application_fee_counts_the_applicants_earlier_requests_this_month(world, on_day):
    for _i in range(10):
        make_request(world.league)
    eleventh = make_request(world.league)
    make_request(world.league, id_number="152201198001010015", applicant_name="李四")
    on_day(dt.date(2026, 3, 10))
    event = services.issue_fee_notice(
        eleventh,
        method="per_application",
        on=dt.date(2026, 3, 10),
        received_on=dt.date(2026, 3, 10),
        actor=world.officer,
    )
    assert event.data["previous_in_month"] == 10
    assert Decimal(event.data["amount"]) == Decimal(100)


def test_a_fee_that_comes_to_nothing_is_refused(request_in_league, world, on_day):
    on_day(dt.date(2026, 3, 10))
    with pytest.raises(DomainError, match="不收费"):
        services.issue_fee_notice(
            request_in_league,
            method="per_application",
            on=dt.date(2026, 3, 10),
            received_on=dt.date(2026, 3, 10),
            actor=world.officer,
        )
    assert not request_in_league.events.filter(type=EventType.FEE_NOTICE_ISSUED).exists()


def test_a_fee_notice_never_uses_both_methods(request_in_league, world, on_day):
    on_day(dt.date(2026, 3, 10))
    with pytest.raises(DomainError, match="第三条"):
        services.issue_fee_notice(
            request_in_league,
            method="per_application",
            pages=100,
            on=dt.date(2026, 3, 10),
            received_on=dt.date(2026, 3, 10),
            actor=world.officer,
        )


def test_a_payment_resumes_the_clock(request_in_league, world, on_day):
    on_day(dt.date(2026, 3, 12))
    services.issue_fee_notice(
        request_in_league,
        method="per_page",
        pages=40,
        on=dt.date(2026, 3, 10),
        received_on=dt.date(2026, 3, 10),
        actor=world.officer,
    )
    services.record_payment(
        request_in_league, on=dt.date(2026, 3, 12), reference="NT-1", actor=world.officer
    )
    assert request_in_league.status == StatusChoice.IN_PROGRESS
    assert request_in_league.expires_on is None
    assert request_in_league.due_on == dt.date(2026, 4, 1), "03-11 and 03-12 paused"


def test_a_payment_without_a_notice_is_refused(request_in_league, world, on_day):
    on_day(dt.date(2026, 3, 12))
    with pytest.raises(ClockError, match="没有待缴纳"):
        services.record_payment(request_in_league, on=dt.date(2026, 3, 12), actor=world.officer)


# --- reply, delivery, withdrawal ----------------------------------------------------------------


def test_a_reply_needs_the_outcomes_required_data(request_in_league, world, on_day):
    on_day(dt.date(2026, 3, 20))
    before = snapshot(request_in_league)
    with pytest.raises(DomainError, match="获取信息的方式") as caught:
        services.reply(
            request_in_league, outcome="disclosed", on=dt.date(2026, 3, 20), actor=world.officer
        )
    assert caught.value.field == "how_to_obtain"
    assert snapshot(request_in_league) == before


def test_a_reply_without_an_outcome_is_refused(request_in_league, world, on_day):
    on_day(dt.date(2026, 3, 20))
    with pytest.raises(ClockError, match="办理结果"):
        services.reply(request_in_league, outcome="", on=dt.date(2026, 3, 20), actor=world.officer)


def test_a_partial_disclosure_reply_and_its_delivery_close_the_request_on_time(
    request_in_league, world, on_day
):
    on_day(dt.date(2026, 3, 25))
    services.reply(
        request_in_league,
        outcome="partially_disclosed",
        on=dt.date(2026, 3, 20),
        actor=world.officer,
        data={"how_to_obtain": "邮寄", "withheld_parts": "第三页", "reason": "涉及个人隐私"},
    )
    assert request_in_league.status == StatusChoice.REPLIED
    assert request_in_league.outcome == "partially_disclosed"
    services.record_delivery(
        request_in_league, method="post", on=dt.date(2026, 3, 23), actor=world.officer
    )
    assert request_in_league.status == StatusChoice.CLOSED
    assert request_in_league.on_time is True
    assert request_in_league.closed_on == dt.date(2026, 3, 20)


def test_a_withdrawal_ends_the_request_as_other(request_in_league, world, on_day):
    on_day(dt.date(2026, 3, 5))
    services.record_withdrawal(
        request_in_league, on=dt.date(2026, 3, 5), note="电话撤回", actor=world.officer
    )
    assert request_in_league.status == StatusChoice.WITHDRAWN
    assert request_in_league.outcome == "other"


def test_an_art35_deadline_replaces_the_computed_one(request_in_league, world, on_day):
    on_day(dt.date(2026, 3, 10))
    services.set_art35_deadline(
        request_in_league,
        on=dt.date(2026, 3, 10),
        due_on="2026-06-30",
        reason="数量明显超过合理范围",
        actor=world.officer,
    )
    assert request_in_league.due_on == dt.date(2026, 6, 30)


# --- consultations ------------------------------------------------------------------------------


def test_a_consultation_pauses_the_clock_until_the_opinion_arrives(
    request_in_league, world, on_day
):
    on_day(dt.date(2026, 3, 13))
    services.open_consultation(
        request_in_league,
        on=dt.date(2026, 3, 9),
        party="third_party",
        party_name="某某公司",
        party_received_on=dt.date(2026, 3, 10),
        actor=world.officer,
    )
    assert request_in_league.status == StatusChoice.CONSULTING
    services.close_consultation(
        request_in_league, on=dt.date(2026, 3, 13), opinion="不同意公开", actor=world.officer
    )
    assert request_in_league.status == StatusChoice.IN_PROGRESS
    assert request_in_league.due_on == dt.date(2026, 4, 3), "03-10..03-13 not counted"


def test_open_consultations_follow_their_references(request_in_league, world, on_day):
    on_day(dt.date(2026, 3, 13))
    for name in ("甲公司", "乙局"):
        services.open_consultation(
            request_in_league,
            on=dt.date(2026, 3, 9),
            party="third_party",
            party_name=name,
            actor=world.officer,
        )
    services.close_consultation(
        request_in_league, on=dt.date(2026, 3, 12), ref="C2", actor=world.officer
    )
    still_open = services.open_consultations(request_in_league.events.order_by("on", "id"))
    assert [e.data["party_name"] for e in still_open] == ["甲公司"]


# --- assignment and notes ---------------------------------------------------------------------


def test_assigning_an_officer_is_recorded_and_audited(request_in_league, world):
    event = services.assign(request_in_league, world.head, world.officer)
    assert request_in_league.assigned_to == world.head
    assert event.data["assignee_id"] == world.head.pk
    assert audit_actions(request_in_league) == ["application.assigned"]


def test_only_officers_and_heads_of_the_agency_can_be_assignees(request_in_league, world):
    for user in (world.reviewer, world.sibling_officer, world.supervisor):
        with pytest.raises(DomainError, match="承办人"):
            services.assign(request_in_league, user, world.officer)
    request_in_league.refresh_from_db()
    assert request_in_league.assigned_to is None


def test_an_empty_note_is_refused(request_in_league, world):
    with pytest.raises(DomainError, match="备注"):
        services.add_note(request_in_league, "  ", world.officer)


# --- registration -------------------------------------------------------------------------------


def test_an_officer_registers_a_registered_letter_received_on_its_signature_date(world, on_day):
    on_day(dt.date(2026, 3, 4))
    app = services.register_application(
        world.league,
        applicant=applicant(),
        channel=Channel.REGISTERED_POST,
        arrived_on=dt.date(2026, 3, 3),
        signed_on=dt.date(2026, 3, 3),
        actor=world.officer,
    )
    assert app.received_on == dt.date(2026, 3, 3)
    assert app.created_by == world.officer
    assert "application.register" in audit_actions(app)


def test_a_registered_letter_without_its_signature_date_is_refused(world, on_day):
    on_day(dt.date(2026, 3, 4))
    with pytest.raises(DomainError, match="签收日期"):
        services.register_application(
            world.league,
            applicant=applicant(),
            channel=Channel.REGISTERED_POST,
            arrived_on=dt.date(2026, 3, 3),
            actor=world.officer,
        )
    assert not Application.objects.exists()


def test_staff_cannot_register_an_online_request(world, on_day):
    on_day(dt.date(2026, 3, 4))
    with pytest.raises(DomainError, match="网上申请"):
        services.register_application(
            world.league,
            applicant=applicant(),
            channel=Channel.ONLINE,
            arrived_on=dt.date(2026, 3, 3),
            actor=world.officer,
        )


def test_a_reviewer_cannot_register_a_request(world, on_day):
    on_day(dt.date(2026, 3, 4))
    with pytest.raises(PermissionDeniedError):
        services.register_application(
            world.league,
            applicant=applicant(),
            channel=Channel.IN_PERSON,
            arrived_on=dt.date(2026, 3, 3),
            actor=world.reviewer,
        )
    assert not Application.objects.exists()


# --- appeals ------------------------------------------------------------------------------------


def test_an_appeal_is_recorded_and_its_result_updated(request_in_league, world, on_day):
    on_day(dt.date(2026, 5, 20))
    appeal = services.create_appeal(
        request_in_league,
        kind=AppealKind.REVIEW,
        body="兴安盟行政公署",
        filed_on=dt.date(2026, 4, 20),
        actor=world.officer,
    )
    assert appeal.result == AppealResult.PENDING
    services.update_appeal(
        appeal, result=AppealResult.UPHELD, decided_on=dt.date(2026, 5, 19), actor=world.officer
    )
    appeal.refresh_from_db()
    assert (appeal.result, appeal.decided_on) == (AppealResult.UPHELD, dt.date(2026, 5, 19))
    actions = list(
        AuditEntry.objects.filter(object_type="applications.appeal")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["appeal.create", "appeal.update"]


def test_a_decided_appeal_needs_its_decision_date(request_in_league, world, on_day):
    on_day(dt.date(2026, 5, 20))
    with pytest.raises(DomainError, match="审结日期"):
        services.create_appeal(
            request_in_league,
            kind=AppealKind.REVIEW,
            body="某法院",
            filed_on=dt.date(2026, 4, 20),
            result=AppealResult.CORRECTED,
            actor=world.officer,
        )
    assert not Appeal.objects.exists()


def test_an_appeal_filed_before_the_request_was_received_is_refused(
    request_in_league, world, on_day
):
    on_day(dt.date(2026, 5, 20))
    with pytest.raises(DomainError, match="早于收到申请之日"):
        services.create_appeal(
            request_in_league,
            kind=AppealKind.LAWSUIT_DIRECT,
            body="某法院",
            filed_on=dt.date(2026, 2, 1),
            actor=world.officer,
        )


def test_a_supervisor_cannot_record_an_appeal(request_in_league, world, on_day):
    on_day(dt.date(2026, 5, 20))
    with pytest.raises(PermissionDeniedError):
        services.create_appeal(
            request_in_league,
            kind=AppealKind.REVIEW,
            body="某机关",
            filed_on=dt.date(2026, 4, 20),
            actor=world.supervisor,
        )


# --- close_expired ------------------------------------------------------------------------------


def test_close_expired_closes_an_overdue_correction_the_day_after_the_deadline(
    request_in_league, world, on_day
):
    on_day(dt.date(2026, 3, 4))
    services.request_correction(
        request_in_league,
        on=dt.date(2026, 3, 4),
        deadline=dt.date(2026, 3, 11),
        items="文件名称",
        actor=world.officer,
    )
    event = services.close_expired(request_in_league, dt.date(2026, 3, 20))
    assert event is not None and event.on == dt.date(2026, 3, 12)
    assert request_in_league.status == StatusChoice.CLOSED
    assert request_in_league.outcome == "other_correction_overdue"


def test_close_expired_leaves_a_running_deadline_alone(request_in_league, world, on_day):
    on_day(dt.date(2026, 3, 4))
    services.request_correction(
        request_in_league,
        on=dt.date(2026, 3, 4),
        deadline=dt.date(2026, 3, 11),
        items="文件名称",
        actor=world.officer,
    )
    assert services.close_expired(request_in_league, dt.date(2026, 3, 11)) is None
    assert request_in_league.status == StatusChoice.AWAITING_CORRECTION
