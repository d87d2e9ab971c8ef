"""Public request pages: choose an agency, the form, the receipt, tracking and its rate limit."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils.crypto import salted_hmac

from gongkai.applications import tracking, uploads
from gongkai.applications.models import Application, Attachment, Event, EventType
from gongkai.core import captcha
from gongkai.core.dates import SHANGHAI
from tests.factories import AgencyFactory

PDF = b"%PDF-1.4\n%%EOF\n"


def solve(token: str) -> str:
    """Read the captcha answer from its token with the same signing key (no backdoor)."""
    nonce = signing.loads(token, salt=captcha.SALT)["n"]
    digest = salted_hmac(captcha.SALT, nonce, algorithm="sha256").digest()
    return "".join(captcha.ALPHABET[b % len(captcha.ALPHABET)] for b in digest[: captcha.LENGTH])


def hidden(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert match, f"no hidden input {name} in the page"
    return html.unescape(match.group(1))


def form_data(page: str, **overrides) -> dict:
    token = hidden(page, "captcha_token")
    data = {
        "applicant_type": "natural_person",
        "applicant_name": "王五",
        "id_type": "resident_id",
        "id_number": "11010519491231002X",
        "phone": "13912345678",
        "email": "wang@example.cn",
        "address": "乌兰浩特市兴安北大路1号",
        "postcode": "137400",
        "description": "请公开本机关2025年部门预算及说明。",
        "document_hint": "",
        "form_wanted": "paper",
        "delivery": "post",
        "secret": "track-me-123",
        "secret_again": "track-me-123",
        "captcha_token": token,
        "captcha_answer": solve(token),
        "submission_token": hidden(page, "submission_token"),
    }
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def _clean(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def agency(db):
    return AgencyFactory(code="152200", name="兴安盟行政公署", short_name="兴安盟")


def new_url(agency) -> str:
    return reverse("applications:new", args=[agency.code])


def open_form(client, agency) -> str:
    response = client.get(new_url(agency))
    assert response.status_code == 200
    return response.content.decode()


def submit(client, agency, **overrides):
    return client.post(new_url(agency), form_data(open_form(client, agency), **overrides))


# --- choosing an agency ----------------------------------------------------------------------


def test_the_agency_list_links_every_active_agency_to_its_request_form(client, agency):
    AgencyFactory(code="x-off", name="已撤销的机构", is_active=False)
    page = client.get(reverse("applications:choose_agency")).content.decode()
    assert new_url(agency) in page and "兴安盟行政公署" in page
    assert "已撤销的机构" not in page


def test_the_agency_search_filters_by_name(client, agency):
    AgencyFactory(code="152500", name="锡林郭勒盟行政公署")
    page = client.get(reverse("applications:choose_agency"), {"q": "锡林"}).content.decode()
    assert "锡林郭勒盟行政公署" in page and "兴安盟行政公署" not in page


def test_the_agency_list_needs_a_fixed_number_of_queries(client, db, django_assert_max_num_queries):
    for i in range(30):
        AgencyFactory(code=f"Q{i:03d}")
    with django_assert_max_num_queries(3):
        assert client.get(reverse("applications:choose_agency")).status_code == 200


def test_the_agency_page_and_the_navigation_link_to_the_request_pages(client, agency):
    page = client.get(reverse("agencies:detail", args=[agency.code])).content.decode()
    assert new_url(agency) in page
    assert reverse("applications:choose_agency") in page and reverse("applications:track") in page


# --- the form --------------------------------------------------------------------------------


def test_the_form_has_a_captcha_and_a_submission_token(client, agency):
    page = open_form(client, agency)
    assert reverse("applications:captcha") + "?t=" in page
    assert len(hidden(page, "submission_token")) >= 32
    assert 'enctype="multipart/form-data"' in page


def test_an_unknown_or_inactive_agency_has_no_form(client, db):
    assert client.get(reverse("applications:new", args=["nope"])).status_code == 404
    off = AgencyFactory(is_active=False)
    assert client.get(new_url(off)).status_code == 404


def test_a_valid_request_is_created_and_the_receipt_shows_its_tracking_code(client, agency):
    response = submit(client, agency)
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:receipt", args=[application.tracking_code])
    receipt = client.get(response["Location"]).content.decode()
    assert application.tracking_code in receipt
    assert "双方确认之日" in receipt and "20个工作日" in receipt and "第三十一条" in receipt
    assert "data-print" in receipt
    assert application.channel == "online" and application.received_on is None
    assert application.applicant_name == "王五"


def test_an_error_keeps_every_entered_value_except_the_captcha(client, agency):
    response = submit(client, agency, id_number="110105194912310021", applicant_name="赵六")
    page = response.content.decode()
    assert response.status_code == 200 and Application.objects.count() == 0
    assert "校验位不正确" in page
    for value in (
        "赵六",
        "110105194912310021",
        "13912345678",
        "wang@example.cn",
        "请公开本机关2025年部门预算及说明。",
        "137400",
        "track-me-123",
    ):
        assert value in page, f"{value} was not kept"
    assert re.search(r'name="captcha_answer"(?![^>]*value=)', page), "the captcha answer was echoed"


def test_a_resubmitted_form_after_an_error_gets_a_new_captcha(client, agency):
    first = open_form(client, agency)
    data = form_data(first, phone="1")
    page = client.post(new_url(agency), data).content.decode()
    assert hidden(page, "captcha_token") != data["captcha_token"]
    assert hidden(page, "submission_token") == data["submission_token"]
    fixed = dict(data, phone="13912345678", captcha_token=hidden(page, "captcha_token"))
    fixed["captcha_answer"] = solve(fixed["captcha_token"])
    assert client.post(new_url(agency), fixed).status_code == 302
    assert Application.objects.count() == 1


def test_a_wrong_captcha_is_refused_and_nothing_is_saved(client, agency):
    page = open_form(client, agency)
    data = form_data(page)
    data["captcha_answer"] = "AAAAA" if data["captcha_answer"] != "AAAAA" else "BBBBB"
    response = client.post(new_url(agency), data)
    assert "验证码不正确。" in response.content.decode()
    assert Application.objects.count() == 0


def test_an_expired_captcha_asks_to_refresh(client, agency, monkeypatch):
    import time

    page = open_form(client, agency)
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + captcha.MAX_AGE_SECONDS + 5)
    response = client.post(new_url(agency), form_data(page))
    assert "验证码已过期，请刷新后重新输入。" in response.content.decode()
    assert Application.objects.count() == 0


def test_a_captcha_of_another_form_is_refused(client, agency):
    one, other = open_form(client, agency), open_form(client, agency)
    data = form_data(one, submission_token=hidden(other, "submission_token"))
    response = client.post(new_url(agency), data)
    assert "验证码无效" in response.content.decode() and Application.objects.count() == 0


def test_mismatched_secrets_are_refused(client, agency):
    response = submit(client, agency, secret_again="something-else")
    assert "两次输入的查询密码不一致" in response.content.decode()
    assert Application.objects.count() == 0


def test_a_double_click_creates_one_request_and_both_clicks_see_its_receipt(client, agency):
    data = form_data(open_form(client, agency))
    first = client.post(new_url(agency), data)
    second = client.post(new_url(agency), data)
    assert Application.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]


def test_an_organisation_files_a_request(client, agency):
    response = submit(
        client,
        agency,
        applicant_type="legal_service",
        applicant_name="某某律师事务所",
        id_type="credit_code",
        id_number="9144030071526726XG",
        contact_person="钱律师",
    )
    assert response.status_code == 302
    assert Application.objects.get().applicant_type == "legal_service"


def test_attachments_are_saved_with_the_request(client, agency):
    page = open_form(client, agency)
    data = form_data(page)
    data["attachments"] = [
        _file("身份证.pdf", PDF),
        _file("说明.txt", "补充说明".encode()),
    ]
    assert client.post(new_url(agency), data).status_code == 302
    names = sorted(Attachment.objects.values_list("original_name", flat=True))
    assert names == ["说明.txt", "身份证.pdf"]


def test_a_disguised_attachment_is_refused_naming_the_file(client, agency):
    data = form_data(open_form(client, agency))
    data["attachments"] = [_file("合同.pdf", b"MZ\x90\x00 not a pdf")]
    page = client.post(new_url(agency), data).content.decode()
    assert "合同.pdf" in page and "不符" in page
    assert Application.objects.count() == 0


def test_an_oversized_attachment_is_refused_through_the_upload_handler(client, agency, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_FILE_BYTES", 1000)
    data = form_data(open_form(client, agency))
    data["attachments"] = [_file("big.pdf", PDF + b"0" * 5000)]
    page = client.post(new_url(agency), data).content.decode()
    assert "big.pdf" in page and "超过" in page
    assert Application.objects.count() == 0


def test_the_form_post_still_requires_the_csrf_token(agency):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    page = strict.get(new_url(agency)).content.decode()
    data = form_data(page)
    assert strict.post(new_url(agency), data).status_code == 403
    data["csrfmiddlewaretoken"] = hidden(page, "csrfmiddlewaretoken")
    assert strict.post(new_url(agency), data).status_code == 302


def _file(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


# --- captcha endpoints -----------------------------------------------------------------------


def test_the_captcha_image_is_a_png_that_is_never_cached(client, db):
    token = captcha.new_challenge().token
    response = client.get(reverse("applications:captcha"), {"t": token})
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"\x89PNG")


def test_a_forged_captcha_token_gets_no_image(client, db):
    assert client.get(reverse("applications:captcha"), {"t": "forged"}).status_code == 410


def test_a_new_captcha_can_be_fetched_for_the_form(client, db):
    bind = "b" * 43
    page = client.get(reverse("applications:captcha_new"), {"bind": bind}).content.decode()
    token = hidden(page, "captcha_token")
    captcha.verify(token, solve(token), bind=bind)


# --- receipt and tracking --------------------------------------------------------------------


def filed(client, agency) -> Application:
    assert submit(client, agency).status_code == 302
    return Application.objects.get()


def test_the_receipt_is_only_shown_to_the_browser_that_filed_the_request(client, agency):
    from django.test import Client

    application = filed(client, agency)
    other = Client().get(reverse("applications:receipt", args=[application.tracking_code]))
    assert other.status_code == 302 and reverse("applications:track") in other["Location"]


def track(client, code: str, secret: str, **extra):
    return client.post(reverse("applications:track"), {"code": code, "secret": secret}, **extra)


def test_the_right_code_and_secret_show_the_status_page(client, agency):
    from django.test import Client

    application = filed(client, agency)
    visitor = Client()
    response = track(visitor, application.tracking_code.lower(), "track-me-123")
    assert response["Location"] == reverse(
        "applications:track_detail", args=[application.tracking_code]
    )
    page = visitor.get(response["Location"]).content.decode()
    assert application.tracking_code in page and "待确认收到" in page
    assert "待双方确认" in page
    assert "已发出的文书" in page and "暂无已发出的文书" in page


@pytest.mark.parametrize("wrong", ["code", "secret"])
def test_a_wrong_code_or_secret_gives_one_generic_message(client, agency, wrong):
    from django.test import Client

    application = filed(client, agency)
    code = "GK-2026-ZZZZZZZZ" if wrong == "code" else application.tracking_code
    secret = "wrong-secret" if wrong == "secret" else "track-me-123"
    page = track(Client(), code, secret).content.decode()
    assert "查询码或查询密码不正确，请核对后重试。" in page


def test_the_status_page_is_not_shown_without_the_secret(client, agency):
    from django.test import Client

    application = filed(client, agency)
    response = Client().get(reverse("applications:track_detail", args=[application.tracking_code]))
    assert response.status_code == 302


def test_failed_attempts_from_one_address_are_limited(client, agency):
    from django.test import Client

    application = filed(client, agency)
    visitor = Client(REMOTE_ADDR="203.0.113.9")
    for _i in range(tracking.MAX_FAILURES):
        assert track(visitor, "GK-2026-ZZZZZZZZ", "nope-nope").status_code == 200
    blocked = track(visitor, application.tracking_code, "track-me-123")
    assert blocked.status_code == 429
    assert "查询尝试次数过多，请 10 分钟后再试。" in blocked.content.decode()
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert track(elsewhere, application.tracking_code, "track-me-123").status_code == 302


def test_failed_attempts_on_one_code_are_limited_across_addresses(client, agency):
    from django.test import Client

    application = filed(client, agency)
    for i in range(tracking.MAX_FAILURES):
        track(Client(REMOTE_ADDR=f"203.0.113.{i + 1}"), application.tracking_code, "guess-guess")
    owner = Client(REMOTE_ADDR="198.51.100.7")
    assert track(owner, application.tracking_code, "track-me-123").status_code == 429


def test_behind_a_local_proxy_the_forwarded_client_address_is_limited(client, agency):
    from django.test import Client

    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for _i in range(tracking.MAX_FAILURES):
        track(Client(**proxy), "GK-2026-ZZZZZZZZ", "x" * 8, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert (
        track(
            Client(**proxy), "GK-2026-ZZZZZZZY", "x" * 8, HTTP_X_FORWARDED_FOR="203.0.113.9"
        ).status_code
        == 429
    )
    assert (
        track(
            Client(**proxy),
            "GK-2026-ZZZZZZZY",
            "x" * 8,
            HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7",
        ).status_code
        == 200
    )


def test_the_timeline_shows_the_applicants_steps_but_not_internal_ones(client, agency):
    application = filed(client, agency)
    day = dt.date(2026, 3, 3)
    Event.objects.create(application=application, type=EventType.RECEIPT_CONFIRMED, on=day)
    Event.objects.create(application=application, type=EventType.ASSIGNED, on=day, data={"to": "x"})
    Event.objects.create(
        application=application, type=EventType.NOTE, on=day, data={"text": "内部备注：申请人难缠"}
    )
    Event.objects.create(
        application=application,
        type=EventType.CORRECTION_REQUESTED,
        on=dt.date(2026, 3, 5),
        data={"deadline": "2026-03-20", "items": "请写明年份"},
    )
    Event.objects.create(
        application=application,
        type=EventType.REPLY_ISSUED,
        on=dt.date(2026, 3, 25),
        data={"outcome": "partially_disclosed"},
    )
    page = client.get(
        reverse("applications:track_detail", args=[application.tracking_code])
    ).content.decode()
    for shown in ("确认收到申请", "告知补正申请", "请于 2026年3月20日 前补正", "部分公开"):
        assert shown in page, shown
    assert "内部备注" not in page and "分配承办人" not in page


def test_the_outcome_is_shown_once_replied(client, agency):
    application = filed(client, agency)
    Application.objects.filter(pk=application.pk).update(
        status="replied", outcome="partially_disclosed", received_on=dt.date(2026, 3, 3)
    )
    page = client.get(
        reverse("applications:track_detail", args=[application.tracking_code])
    ).content.decode()
    assert "已答复" in page and "部分公开" in page and "2026年3月3日" in page


def test_forgetting_a_request_hides_it_again_in_this_browser(client, agency):
    application = filed(client, agency)
    detail = reverse("applications:track_detail", args=[application.tracking_code])
    assert client.get(detail).status_code == 200
    client.post(reverse("applications:forget", args=[application.tracking_code]))
    assert client.get(detail).status_code == 302


def test_the_arrival_time_on_the_receipt_is_beijing_time(client, agency):
    application = filed(client, agency)
    local = application.arrived_at.astimezone(SHANGHAI)
    page = client.get(
        reverse("applications:receipt", args=[application.tracking_code])
    ).content.decode()
    assert f"{local:%H:%M}" in page


def test_with_a_pinned_today_the_online_arrival_is_on_that_day(client, agency):
    from gongkai.core.dates import override_today

    with override_today(dt.date(2026, 3, 2)):
        application = filed(client, agency)
    assert application.arrived_at.astimezone(SHANGHAI).date() == dt.date(2026, 3, 2)
    assert application.events.get().on == dt.date(2026, 3, 2)
