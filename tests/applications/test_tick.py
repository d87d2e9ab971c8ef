"""``gongkai tick``: closing expired deadlines, reminders, idempotency and catch-up."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from gongkai.applications import services
from gongkai.applications.models import Application, EventType, StatusChoice
from gongkai.applications.periodic import alert_key, tick
from gongkai.core.dates import override_today
from tests.applications.conftest import make_request

pytestmark = pytest.mark.django_db


def run(day: dt.date) -> str:
    out = io.StringIO()
    call_command("tick", "--today", day.isoformat(), stdout=out)
    return out.getvalue()


@pytest.fixture
def awaiting_correction(world, request_in_league):
    with override_today(dt.date(2026, 3, 4)):
        services.request_correction(
            request_in_league,
            on=dt.date(2026, 3, 4),
            deadline=dt.date(2026, 3, 11),
            items="请写明文件名称",
            actor=world.officer,
        )
    return request_in_league


def closings(app: Application) -> list:
    return list(app.events.filter(type=EventType.CLOSED).values_list("on", "data"))


def test_tick_closes_a_request_whose_correction_deadline_passed(awaiting_correction):
    run(dt.date(2026, 3, 12))
    awaiting_correction.refresh_from_db()
    assert awaiting_correction.status == StatusChoice.CLOSED
    assert awaiting_correction.outcome == "other_correction_overdue"
    assert closings(awaiting_correction)[0][0] == dt.date(2026, 3, 12), "the day after the deadline"


def test_tick_does_not_close_on_the_deadline_itself(awaiting_correction):
    run(dt.date(2026, 3, 11))
    awaiting_correction.refresh_from_db()
    assert awaiting_correction.status == StatusChoice.AWAITING_CORRECTION


def test_tick_run_twice_closes_once(awaiting_correction):
    first = run(dt.date(2026, 3, 12))
    second = run(dt.date(2026, 3, 12))
    assert len(closings(awaiting_correction)) == 1
    assert "逾期不补正，终止处理：1 件" in first
    assert "逾期不补正，终止处理：0 件" in second


def test_tick_catches_up_on_a_deadline_that_passed_a_week_ago(awaiting_correction):
    run(dt.date(2026, 3, 19))
    assert [on for on, _data in closings(awaiting_correction)] == [dt.date(2026, 3, 12)]


def test_tick_closes_an_unpaid_fee_the_day_after_the_payment_window(world, request_in_league):
    with override_today(dt.date(2026, 3, 3)):
        services.issue_fee_notice(
            request_in_league,
            method="per_page",
            pages=50,
            on=dt.date(2026, 3, 3),
            received_on=dt.date(2026, 3, 3),
            actor=world.officer,
        )
    request_in_league.refresh_from_db()
    assert request_in_league.expires_on == dt.date(2026, 3, 31), "20 working days after 03-03"
    run(dt.date(2026, 4, 8))
    request_in_league.refresh_from_db()
    assert request_in_league.outcome == "other_fee_unpaid"
    assert [on for on, _data in closings(request_in_league)] == [dt.date(2026, 4, 1)]


def test_a_paid_fee_is_not_closed(world, request_in_league):
    with override_today(dt.date(2026, 3, 5)):
        services.issue_fee_notice(
            request_in_league,
            method="per_page",
            pages=50,
            on=dt.date(2026, 3, 3),
            received_on=dt.date(2026, 3, 3),
            actor=world.officer,
        )
        services.record_payment(request_in_league, on=dt.date(2026, 3, 5), actor=world.officer)
    run(dt.date(2026, 4, 8))
    assert closings(request_in_league) == []


# --- reminders ----------------------------------------------------------------------------------


@pytest.fixture
def with_emails(world):
    for user, email in [
        (world.officer, "officer@example.cn"),
        (world.head, "head@example.cn"),
        (world.county_officer, "county@example.cn"),
    ]:
        user.email = email
        user.save()
    return world


def test_a_yellow_request_reminds_the_agencys_officers_once_a_day(with_emails, request_in_league):
    run(dt.date(2026, 3, 24))
    run(dt.date(2026, 3, 24))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["officer@example.cn"]
    assert request_in_league.tracking_code in message.body
    assert "即将到期" in message.body
    request_in_league.refresh_from_db()
    assert request_in_league.last_alert == alert_key("yellow", dt.date(2026, 3, 24))


def test_the_reminder_goes_to_the_assignee_when_there_is_one(with_emails, request_in_league):
    services.assign(request_in_league, with_emails.head, with_emails.officer)
    run(dt.date(2026, 3, 24))
    assert [m.to for m in mail.outbox] == [["head@example.cn"]]


def test_a_green_request_sends_no_reminder(with_emails, request_in_league):
    run(dt.date(2026, 3, 20))
    assert mail.outbox == []


def test_a_request_turning_red_is_reminded_again(with_emails, request_in_league):
    run(dt.date(2026, 3, 30))
    run(dt.date(2026, 3, 31))
    assert len(mail.outbox) == 2
    assert "已逾期" in mail.outbox[1].body


def test_one_digest_per_person_lists_all_their_requests(with_emails, world):
    first = make_request(world.league)
    second = make_request(world.league, applicant_name="李四")
    make_request(world.county, applicant_name="赵六")
    run(dt.date(2026, 3, 31))
    by_recipient = {m.to[0]: m.body for m in mail.outbox}
    assert set(by_recipient) == {"officer@example.cn", "county@example.cn"}
    assert first.tracking_code in by_recipient["officer@example.cn"]
    assert second.tracking_code in by_recipient["officer@example.cn"]


def test_tick_with_no_email_claims_nothing(with_emails, request_in_league):
    call_command("tick", "--today", "2026-03-24", "--no-email", stdout=io.StringIO())
    assert mail.outbox == []
    request_in_league.refresh_from_db()
    assert request_in_league.last_alert == ""


# --- recompute and the command ------------------------------------------------------------------


def test_tick_recomputes_a_provisional_due_date_while_a_pause_runs(world, request_in_league):
    with override_today(dt.date(2026, 3, 10)):
        services.open_consultation(
            request_in_league,
            on=dt.date(2026, 3, 9),
            party="agency",
            party_name="兴安盟财政局",
            actor=world.officer,
        )
    request_in_league.refresh_from_db()
    before = request_in_league.due_on
    tick(dt.date(2026, 3, 13), send_email=False)
    request_in_league.refresh_from_db()
    assert request_in_league.due_on > before


def test_tick_with_an_invalid_date_fails_with_a_chinese_message():
    with pytest.raises(CommandError, match="日期不存在"):
        call_command("tick", "--today", "2026-13-01", stdout=io.StringIO())


def test_tick_prints_a_summary(request_in_league):
    output = run(dt.date(2026, 3, 10))
    assert "重新计算期限：1 件" in output


def test_tick_twice_gives_one_closing_and_one_email(with_emails, world, awaiting_correction):
    yellow = make_request(world.league, arrived_on=dt.date(2026, 3, 3), applicant_name="李四")
    for _run in range(2):
        run(dt.date(2026, 3, 25))
    assert len(closings(awaiting_correction)) == 1
    assert len(mail.outbox) == 1
    assert yellow.tracking_code in mail.outbox[0].body
