"""The staff console pages: registration, the request page, actions, htmx partial, downloads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.applications import intake, services
from gongkai.applications.models import Application, Channel, EventType, StatusChoice
from gongkai.core.dates import SHANGHAI, override_today
from tests.applications.conftest import applicant, make_request

pytestmark = pytest.mark.django_db

REGISTER = reverse("applications_staff:register")


def act(app: Application, action: str) -> str:
    return reverse("applications_staff:act", args=[app.pk, action])


def detail(app: Application) -> str:
    return reverse("applications_staff:detail", args=[app.pk])


def register_data(world, **overrides) -> dict:
    data = {
        **applicant(),
        "agency": world.league.code,
        "channel": Channel.IN_PERSON,
        "arrived_on": "2026-03-02",
        "signed_on": "",
        "confirmed_on": "",
        "submission_token": "tok-1234567890abcdef",
    }
    data.update(overrides)
    return data


# --- registration -------------------------------------------------------------------------------


def test_an_officer_registers_a_request_handed_in(client, world):
    client.force_login(world.officer)
    with override_today(dt.date(2026, 3, 2)):
        response = client.post(REGISTER, register_data(world))
    app = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(app)
    assert app.received_on == dt.date(2026, 3, 2)
    assert app.channel == Channel.IN_PERSON
    assert app.due_on == dt.date(2026, 3, 30)
    assert app.created_by == world.officer


def test_a_double_submitted_registration_creates_one_request(client, world):
    client.force_login(world.officer)
    with override_today(dt.date(2026, 3, 2)):
        client.post(REGISTER, register_data(world))
        client.post(REGISTER, register_data(world))
    assert Application.objects.count() == 1


def test_an_ordinary_letter_confirmed_the_day_it_arrived_is_received_that_day(client, world):
    client.force_login(world.officer)
    data = register_data(world, channel=Channel.ORDINARY_POST, confirmed_on="2026-03-02")
    with override_today(dt.date(2026, 3, 3)):
        client.post(REGISTER, data)
    assert Application.objects.get().received_on == dt.date(2026, 3, 2)


def test_a_registration_with_a_wrong_confirmation_day_shows_the_rule(client, world):
    client.force_login(world.officer)
    data = register_data(world, channel=Channel.ORDINARY_POST, confirmed_on="2026-03-03")
    with override_today(dt.date(2026, 3, 3)):
        response = client.post(REGISTER, data)
    assert response.status_code == 400
    assert "207号" in response.content.decode()
    assert not Application.objects.exists()


def test_a_registered_letter_without_signature_date_is_refused_with_a_field_error(client, world):
    client.force_login(world.officer)
    with override_today(dt.date(2026, 3, 3)):
        response = client.post(REGISTER, register_data(world, channel=Channel.REGISTERED_POST))
    assert response.status_code == 400
    assert response.context["form"].errors["signed_on"] == ["邮寄（需签收）的申请请填写签收日期。"]


def test_a_registration_with_an_invalid_id_number_names_the_field(client, world):
    client.force_login(world.officer)
    with override_today(dt.date(2026, 3, 3)):
        response = client.post(REGISTER, register_data(world, id_number="110105194912310021"))
    assert response.status_code == 400
    assert "id_number" in response.context["form"].errors


def test_online_is_not_a_channel_staff_can_register(client, world):
    client.force_login(world.officer)
    response = client.get(REGISTER)
    channels = [value for value, _label in response.context["form"].fields["channel"].choices]
    assert Channel.ONLINE not in channels


def test_an_officer_may_only_register_for_own_agencies(client, world):
    client.force_login(world.officer)
    with override_today(dt.date(2026, 3, 2)):
        response = client.post(REGISTER, register_data(world, agency=world.sibling.code))
    assert response.status_code == 400
    assert not Application.objects.exists()


# --- the request page ---------------------------------------------------------------------------


def test_the_request_page_explains_the_due_date(client, world, request_in_league):
    client.force_login(world.reviewer)
    with override_today(dt.date(2026, 3, 10)):
        response = client.get(detail(request_in_league))
    body = response.content.decode()
    assert "2026年3月30日" in body
    assert "2026年3月2日收到申请（第三十一条）。" in body
    assert "剩余 14 个工作日" in body
    assert response.context["panels"] == [], "a reviewer sees no action forms"


def test_the_request_page_offers_the_actions_of_the_current_state(client, world, request_in_league):
    client.force_login(world.officer)
    with override_today(dt.date(2026, 3, 3)):
        response = client.get(detail(request_in_league))
    actions = [p["action"] for p in response.context["panels"]]
    assert "request_correction" in actions and "reply" in actions
    assert "approve_extension" not in actions
    assert "confirm_receipt" not in actions


def test_an_unconfirmed_request_offers_confirmation_first(client, world):
    app = make_request(world.league, channel=Channel.ONLINE)
    client.force_login(world.officer)
    with override_today(dt.date(2026, 3, 3)):
        response = client.get(detail(app))
    assert response.context["panels"][0]["action"] == "confirm_receipt"


def test_a_head_sees_the_approval_of_a_pending_extension(client, world, request_in_league):
    with override_today(dt.date(2026, 3, 10)):
        services.request_extension(
            request_in_league, workdays=5, reason="调档", actor=world.officer
        )
        client.force_login(world.head)
        page = client.get(detail(request_in_league))
        heads = [p["action"] for p in page.context["panels"]]
        assert "申请延长 5 个工作日，理由：调档" in page.content.decode()
        client.force_login(world.officer)
        officers = [p["action"] for p in client.get(detail(request_in_league)).context["panels"]]
    assert "approve_extension" in heads and "refuse_extension" in heads
    assert "approve_extension" not in officers and "request_extension" not in officers


def test_a_missing_calendar_year_is_shown_on_the_request_page(client, world, request_in_league):
    Application.objects.filter(pk=request_in_league.pk).update(received_on=dt.date(2027, 3, 1))
    client.force_login(world.officer)
    with override_today(dt.date(2027, 3, 2)):
        response = client.get(detail(request_in_league))
    assert response.status_code == 200
    assert "2027年的节假日安排尚未载入" in response.content.decode()


# --- actions ------------------------------------------------------------------------------------


def test_an_action_appends_its_event_and_says_so(client, world, request_in_league):
    client.force_login(world.officer)
    with override_today(dt.date(2026, 3, 4)):
        response = client.post(
            act(request_in_league, "request_correction"),
            {"on": "2026-03-04", "deadline": "2026-03-18", "items": "请写明文件名称"},
        )
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["已登记补正告知。"]
    request_in_league.refresh_from_db()
    assert request_in_league.status == StatusChoice.AWAITING_CORRECTION


def test_an_illegal_action_re_renders_with_the_chinese_message(client, world, request_in_league):
    client.force_login(world.officer)
    with override_today(dt.date(2026, 3, 20)):
        response = client.post(
            act(request_in_league, "request_correction"),
            {"on": "2026-03-20", "deadline": "2026-03-30", "items": "太晚了"},
        )
    assert response.status_code == 400
    assert "7个工作日内一次性作出" in response.content.decode()
    panel = next(p for p in response.context["panels"] if p["action"] == "request_correction")
    assert panel["open"] is True
    assert not request_in_league.events.filter(type=EventType.CORRECTION_REQUESTED).exists()


def test_a_reply_with_its_required_data_through_the_page(client, world, request_in_league):
    client.force_login(world.officer)
    with override_today(dt.date(2026, 3, 20)):
        response = client.post(
            act(request_in_league, "reply"),
            {
                "on": "2026-03-20",
                "outcome": "partially_disclosed",
                "how_to_obtain": "邮寄",
                "withheld_parts": "附件二",
                "reason": "涉及个人隐私（第十五条）",
            },
        )
    assert response.status_code == 302
    request_in_league.refresh_from_db()
    assert (request_in_league.status, request_in_league.outcome) == (
        "replied",
        "partially_disclosed",
    )


def test_a_reply_missing_its_required_data_names_the_field(client, world, request_in_league):
    client.force_login(world.officer)
    with override_today(dt.date(2026, 3, 20)):
        response = client.post(
            act(request_in_league, "reply"),
            {"on": "2026-03-20", "outcome": "withheld_state_secret"},
        )
    assert response.status_code == 400
    panel = next(p for p in response.context["panels"] if p["action"] == "reply")
    assert "reason" in panel["form"].errors


def test_the_system_only_outcomes_are_not_offered_to_officers(client, world, request_in_league):
    client.force_login(world.officer)
    with override_today(dt.date(2026, 3, 10)):
        response = client.get(detail(request_in_league))
    form = next(p["form"] for p in response.context["panels"] if p["action"] == "reply")
    values = {value for value, _label in form.fields["outcome"].choices}
    assert "other_fee_unpaid" not in values and "disclosed" in values
    assert len(values - {""}) == 19


def test_the_reply_fields_partial_shows_the_outcomes_fields(client, world, request_in_league):
    client.force_login(world.officer)
    response = client.get(
        reverse("applications_staff:reply_fields", args=[request_in_league.pk]),
        {"outcome": "unavailable_not_held"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert 'name="competent_agency_name"' in body
    assert 'name="withheld_parts"' not in body
    assert "第三十六条" in body


def test_a_note_through_the_page_lands_on_the_timeline(client, world, request_in_league):
    client.force_login(world.head)
    with override_today(dt.date(2026, 3, 10)):
        client.post(act(request_in_league, "add_note"), {"text": "已电话联系申请人"})
        body = client.get(detail(request_in_league)).content.decode()
    assert "已电话联系申请人" in body


def test_a_note_can_record_the_art35_request_for_reasons(client, world, request_in_league):
    """条例第三十五条: the step is recorded so the 说明理由告知书 can be issued for it."""
    from gongkai.applications.models import Event, EventType
    from gongkai.letters import services as letter_services

    client.force_login(world.officer)
    with override_today(dt.date(2026, 3, 10)):
        client.post(
            act(request_in_league, "add_note"),
            {"text": "申请数量明显超过合理范围，已要求说明理由。", "art35_reasons": "on"},
        )
    note = Event.objects.get(application=request_in_league, type=EventType.NOTE)
    assert note.data["step"] == "art35_reasons_requested"
    draft = letter_services.preview(request_in_league, note, "art35_reasons_notice")
    assert draft is not None


def test_a_plain_note_marks_no_step(client, world, request_in_league):
    client.force_login(world.officer)
    with override_today(dt.date(2026, 3, 10)):
        client.post(act(request_in_league, "add_note"), {"text": "已电话联系申请人"})
    from gongkai.applications.models import Event

    assert "step" not in Event.objects.get(application=request_in_league, type="note").data


def test_an_appeal_through_the_page(client, world, request_in_league):
    client.force_login(world.officer)
    with override_today(dt.date(2026, 5, 1)):
        client.post(
            act(request_in_league, "reply"),
            {"on": "2026-03-20", "outcome": "withheld_state_secret", "reason": "属于国家秘密"},
        )
        response = client.post(
            act(request_in_league, "create_appeal"),
            {
                "kind": "review",
                "body": "兴安盟行政公署",
                "filed_on": "2026-04-10",
                "result": "pending",
            },
        )
    assert response.status_code == 302
    assert request_in_league.appeals.get().body == "兴安盟行政公署"


# --- attachments --------------------------------------------------------------------------------


def test_staff_download_an_attachment(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    content = b"%PDF-1.4\n%%EOF\n"
    with override_today(dt.date(2026, 3, 2)):
        app = intake.create_application(
            world.league,
            applicant=applicant(),
            channel=Channel.IN_PERSON,
            arrived_at=dt.datetime(2026, 3, 2, 9, tzinfo=SHANGHAI),
            attachments=[SimpleUploadedFile("身份证明.pdf", content, "application/pdf")],
        )
    attachment = app.attachments.get()
    client.force_login(world.reviewer)
    response = client.get(reverse("applications_staff:attachment", args=[app.pk, attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert "attachment" in response["Content-Disposition"]


# --- the whole handling in the console ----------------------------------------------------------


def test_a_request_is_handled_end_to_end_in_the_console(client, world):
    client.force_login(world.officer)
    with override_today(dt.date(2026, 3, 2)):
        client.post(REGISTER, register_data(world, channel=Channel.FAX))
    app = Application.objects.get()
    assert app.status == StatusChoice.PENDING_CONFIRMATION
    steps = [
        ("2026-03-03", "confirm_receipt", {"on": "2026-03-03"}),
        (
            "2026-03-04",
            "request_correction",
            {"on": "2026-03-04", "deadline": "2026-03-13", "items": "写明年份"},
        ),
        ("2026-03-09", "record_correction", {"on": "2026-03-09"}),
        ("2026-03-09", "assign", {"assignee": world.officer.pk}),
        (
            "2026-03-20",
            "reply",
            {"on": "2026-03-20", "outcome": "disclosed", "how_to_obtain": "电子邮件"},
        ),
        ("2026-03-20", "record_delivery", {"on": "2026-03-20", "method": "electronic"}),
    ]
    for day, action, data in steps:
        with override_today(dt.date.fromisoformat(day)):
            response = client.post(act(app, action), data)
        assert response.status_code == 302, (action, response.content.decode()[:500])
    app.refresh_from_db()
    assert app.received_on == dt.date(2026, 3, 3)
    assert app.status == StatusChoice.CLOSED
    assert app.on_time is True
    assert app.due_on == dt.date(2026, 4, 7), "20 working days from the corrected application"


# --- admin --------------------------------------------------------------------------------------


def test_the_admin_shows_requests_read_only(client, world, request_in_league):
    from tests.factories import UserFactory

    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    changelist = client.get(reverse("admin:applications_application_changelist"))
    assert changelist.status_code == 200
    page = client.get(reverse("admin:applications_application_change", args=[request_in_league.pk]))
    assert page.status_code == 200
    assert "提交申请" in page.content.decode()
    assert client.get(reverse("admin:applications_application_add")).status_code == 403
    assert client.get(reverse("admin:applications_appeal_changelist")).status_code == 200
