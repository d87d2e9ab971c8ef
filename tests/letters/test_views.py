"""Letters console and the applicant's download: permissions as a table, then the flows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from gongkai.applications.models import EventType
from gongkai.applications.outcomes import Outcome
from gongkai.letters import services
from gongkai.letters.models import Letter, LetterCounter, LetterSettings, LetterTemplate
from gongkai.site.models import AuditEntry
from tests.letters.factories import add_event, make_application, reply

pytestmark = pytest.mark.django_db

USERS = [
    "officer",
    "head",
    "reviewer",
    "supervisor",
    "administrator",
    "region_supervisor",
    "sibling_officer",
    "county_officer",
    "outsider",
    "anonymous",
]

READ = {
    "officer": 200,
    "head": 200,
    "reviewer": 200,
    "supervisor": 200,
    "administrator": 200,
    "region_supervisor": 200,
    "sibling_officer": 404,
    "county_officer": 404,
    "outsider": 404,
    "anonymous": 302,
}
ISSUE = READ | {
    "reviewer": 403,
    "supervisor": 403,
    "administrator": 403,
    "region_supervisor": 403,
}
TEMPLATES = READ | {
    "officer": 403,
    "reviewer": 403,
    "supervisor": 403,
    "region_supervisor": 403,
}
TEMPLATE_LIST = {user: 403 for user in USERS} | {
    "head": 200,
    "administrator": 200,
    "anonymous": 302,
}
VOID = ISSUE | {"officer": 302, "head": 302}


@pytest.fixture
def case(world, league):
    application = make_application(league)
    event = reply(application, Outcome.WITHHELD_STATE_SECRET)
    letter = services.issue(
        application, event, "reply_withheld_state_secret", inputs={}, actor=world.officer
    )
    second = reply(application, Outcome.DISCLOSED)
    return application, event, letter, second


def urls(case) -> dict[str, tuple[str, str, dict]]:
    application, _event, letter, second = case
    compose_args = [application.pk, second.pk, "reply_disclosed"]
    return {
        "request": ("get", reverse("letters_staff:request", args=[application.pk]), {}),
        "compose": ("get", reverse("letters_staff:compose", args=compose_args), {}),
        "compose_preview": (
            "post",
            reverse("letters_staff:compose_preview", args=compose_args),
            {"reason": "x"},
        ),
        "detail": ("get", reverse("letters_staff:detail", args=[letter.pk]), {}),
        "download_pdf": ("get", reverse("letters_staff:download", args=[letter.pk, "pdf"]), {}),
        "download_docx": ("get", reverse("letters_staff:download", args=[letter.pk, "docx"]), {}),
        "void": ("post", reverse("letters_staff:void", args=[letter.pk]), {"reason": "误发"}),
        "templates": ("get", reverse("letters_staff:templates"), {}),
        "template_edit": (
            "get",
            reverse("letters_staff:template_edit", args=["152200", "reply_disclosed"]),
            {},
        ),
        "template_preview": (
            "post",
            reverse("letters_staff:template_preview", args=["152200", "reply_disclosed"]),
            {"title": "答复书", "body": "{{ recipient.name }}："},
        ),
        "settings": ("get", reverse("letters_staff:settings", args=["152200"]), {}),
    }


TABLE = [
    ("request", READ),
    ("compose", ISSUE),
    ("compose_preview", ISSUE),
    ("detail", READ),
    ("download_pdf", READ),
    ("download_docx", READ),
    ("void", VOID),
    ("templates", TEMPLATE_LIST),
    ("template_edit", TEMPLATES),
    ("template_preview", TEMPLATES),
    ("settings", TEMPLATES),
]


@pytest.fixture
def fast_render(monkeypatch):
    """Permission checks do not need real documents: stand-in bytes render instantly."""
    monkeypatch.setattr(services, "render_pdf", lambda doc, plan: f"%PDF {doc.number}".encode())
    monkeypatch.setattr(services, "render_docx", lambda doc: f"DOCX {doc.number}".encode())


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("name, expected", TABLE, ids=[row[0] for row in TABLE])
def test_permissions(client, world, fast_render, case, user, name, expected):
    method, url, data = urls(case)[name]
    if user != "anonymous":
        client.force_login(getattr(world, user))
    response = getattr(client, method)(url, data)
    assert response.status_code == expected[user], (name, user, response.status_code)
    if user == "anonymous":
        assert reverse("site:login") in response["Location"]
    elif response.status_code == 302:
        assert response["Location"] == reverse("letters_staff:detail", args=[case[2].pk])


# --- composing and issuing ------------------------------------------------------------------


def test_the_compose_page_shows_the_form_and_the_preview(client, world, case):
    application, _event, _letter, second = case
    client.force_login(world.officer)
    url = reverse("letters_staff:compose", args=[application.pk, second.pk, "reply_disclosed"])
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="obtain.how"' in html
    assert 'srcdoc="&lt;!doctype html&gt;' in html, "the letter HTML is escaped into srcdoc"
    assert "兴署依申复〔2026〕　号" in html, "the preview shows where the number will go"


def test_issuing_from_the_console_redirects_to_the_letter(client, world, case):
    application, _event, _letter, second = case
    client.force_login(world.officer)
    url = reverse("letters_staff:compose", args=[application.pk, second.pk, "reply_disclosed"])
    response = client.post(
        url,
        {
            "obtain.how": "邮寄纸质复印件",
            "obtain.place": "兴安北大路1号",
            "obtain.time": "工作日",
            "reason": "",
        },
    )
    letter = Letter.objects.get(kind="reply_disclosed")
    assert response.status_code == 302
    assert response["Location"] == reverse("letters_staff:detail", args=[letter.pk])
    assert letter.number == "兴署依申复〔2026〕2号"
    detail = client.get(response["Location"]).content.decode()
    assert letter.number in detail and letter.pdf_sha256 in detail


def test_a_refused_issue_shows_the_reason_and_consumes_no_number(client, world, case):
    application, _event, _letter, _second = case
    client.force_login(world.officer)
    third = reply(application, Outcome.WITHHELD_PROCESS_INFORMATION, reason="")
    url = reverse(
        "letters_staff:compose",
        args=[application.pk, third.pk, "reply_withheld_process_information"],
    )
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "请填写“不予公开的理由”" in response.content.decode()
    assert LetterCounter.objects.get(series="reply").last_number == 1


def test_a_letter_for_a_step_that_did_not_happen_is_refused_in_the_console(client, world, case):
    application, event, _letter, _second = case
    client.force_login(world.officer)
    url = reverse("letters_staff:compose", args=[application.pk, event.pk, "correction_notice"])
    response = client.get(url)
    assert response.status_code == 409
    assert "告知补正" in response.content.decode()


def test_an_unknown_kind_or_foreign_event_is_not_found(client, world, case):
    application, event, _letter, _second = case
    other = make_application(world.league)
    foreign = reply(other, Outcome.DISCLOSED)
    client.force_login(world.officer)
    assert (
        client.get(
            reverse("letters_staff:compose", args=[application.pk, event.pk, "no_such_kind"])
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("letters_staff:compose", args=[application.pk, foreign.pk, "reply_disclosed"])
        ).status_code
        == 404
    )


def test_the_live_preview_returns_the_letter_with_the_edited_text(client, world, case):
    application, _event, _letter, second = case
    client.force_login(world.officer)
    url = reverse(
        "letters_staff:compose_preview", args=[application.pk, second.pk, "reply_disclosed"]
    )
    response = client.post(url, {"obtain.how": "电子邮件发送"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "电子邮件发送" in html and "<iframe" in html and "<html" not in html[:20]


def test_the_download_serves_the_stored_bytes_with_their_hash(client, world, case):
    letter = case[2]
    client.force_login(world.reviewer)
    response = client.get(reverse("letters_staff:download", args=[letter.pk, "pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-SHA256"] == letter.pdf_sha256
    assert response.content == services.read_bytes(letter, "pdf")
    assert "filename*=UTF-8''" in response["Content-Disposition"]


def test_voiding_from_the_console_keeps_the_number(client, world, case):
    letter = case[2]
    client.force_login(world.head)
    client.post(reverse("letters_staff:void", args=[letter.pk]), {"reason": "误发"})
    letter.refresh_from_db()
    assert letter.is_void and letter.number == "兴署依申复〔2026〕1号"
    page = client.get(reverse("letters_staff:detail", args=[letter.pk])).content.decode()
    assert "作废" in page and "误发" in page


def test_the_request_page_lists_steps_and_letters_in_few_queries(
    client, world, case, django_assert_max_num_queries
):
    application = case[0]
    for day in range(3, 8):
        add_event(application, EventType.NOTE, dt.date(2026, 3, day), text="备注")
    client.force_login(world.officer)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("letters_staff:request", args=[application.pk]))
    html = response.content.decode()
    assert "兴署依申复〔2026〕1号" in html and "答复书：予以公开" in html


# --- templates and settings -----------------------------------------------------------------


def test_the_templates_page_lists_every_kind_in_few_queries(
    client, world, league, django_assert_max_num_queries
):
    client.force_login(world.head)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("letters_staff:templates"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("/console/letters/templates/152200/") == 30


def test_saving_a_valid_template_is_audited_with_before_and_after(client, world, league):
    client.force_login(world.head)
    url = reverse("letters_staff:template_edit", args=["152200", "receipt"])
    page = client.get(url).content.decode()
    assert "{{ application.received_on }}" in page
    body = (
        "{{ recipient.name }}：\n本机关已于{{ application.received_on }}收到你的申请"
        "（{{ application.tracking_code }}）：{{ application.description }}。\n特此回执。\n"
    )
    response = client.post(url, {"action": "save", "title": "接收回执", "body": body})
    assert response.status_code == 302
    own = LetterTemplate.objects.get(agency=league, kind="receipt")
    assert own.body == body and own.updated_by == world.head
    entry = AuditEntry.objects.get(action="letters.template_save")
    assert entry.changes["fields"]["body"][1] == body
    assert entry.agency == league


def test_an_invalid_template_is_refused_with_the_reason(client, world, league):
    client.force_login(world.head)
    url = reverse("letters_staff:template_edit", args=["152200", "reply_disclosed"])
    response = client.post(
        url, {"action": "save", "title": "答复书", "body": "{{ recipient.name }}：{{ secret }}"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "未知变量" in html and "secret" in html
    assert "模板缺少必备要素" in html
    assert not LetterTemplate.objects.exists()


def test_resetting_returns_to_the_default_template(client, world, league):
    from gongkai.letters import editing, kinds

    spec = kinds.get("receipt")
    default = services.content.default_template(spec)
    editing.save_template(league, spec, title="回执", body=default.body, actor=world.head)
    client.force_login(world.administrator)
    url = reverse("letters_staff:template_edit", args=["152200", "receipt"])
    assert client.post(url, {"action": "reset"}).status_code == 302
    assert not LetterTemplate.objects.exists()
    assert AuditEntry.objects.filter(action="letters.template_reset").exists()


def test_the_template_preview_renders_against_a_sample_request(client, world, league):
    client.force_login(world.head)
    url = reverse("letters_staff:template_preview", args=["152200", "reply_withheld_state_secret"])
    default = services.content.default_template(services.kinds.get("reply_withheld_state_secret"))
    html = client.post(url, {"title": default.title, "body": default.body}).content.decode()
    assert "<iframe" in html and "张三" in html and "应当先向行政复议机关" in html
    refused = client.post(url, {"title": "x", "body": "{% load static %}"}).content.decode()
    assert "模板不能保存" in refused and "<iframe" not in refused


def test_the_settings_are_saved_and_audited(client, world, league):
    client.force_login(world.head)
    url = reverse("letters_staff:settings", args=["152200"])
    response = client.post(
        url,
        {
            "reply_code": "兴署公开复",
            "letterhead": "on",
            "signature_name": "兴安盟行政公署办公室",
            "review_body": "",
            "superior_department": "",
        },
    )
    assert response.status_code == 302
    settings = LetterSettings.objects.get(agency=league)
    assert settings.reply_code == "兴署公开复" and settings.letterhead
    assert AuditEntry.objects.filter(action="letters.settings_save", agency=league).exists()


# --- the applicant's download ---------------------------------------------------------------


def _track(client, application) -> None:
    from gongkai.applications.views.public import SESSION_KEY

    session = client.session
    session[SESSION_KEY] = [application.tracking_code]
    session.save()


def test_the_applicant_downloads_the_pdf_after_the_tracking_check(client, case):
    application, _event, letter, _second = case
    url = reverse("letters:download", args=[application.tracking_code, letter.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("applications:track"))
    _track(client, application)
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == services.read_bytes(letter, "pdf")
    assert "no-store" in response["Cache-Control"]


def test_the_applicant_cannot_download_another_requests_or_a_third_partys_letter(
    client, world, case
):
    application, _event, letter, _second = case
    other = make_application(world.league)
    _track(client, other)
    assert (
        client.get(reverse("letters:download", args=[other.tracking_code, letter.pk])).status_code
        == 404
    )
    consultation = add_event(
        application,
        EventType.CONSULTATION_OPENED,
        dt.date(2026, 3, 5),
        party="third_party",
        party_name="某某公司",
    )
    third = services.issue(
        application,
        consultation,
        "consultation_third_party",
        inputs={"consultation.content": "投标文件"},
        actor=world.officer,
    )
    _track(client, application)
    url = reverse("letters:download", args=[application.tracking_code, third.pk])
    assert client.get(url).status_code == 404
