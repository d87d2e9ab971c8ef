"""Intake: the one way a request is created (条例第二十九条, 第三十一条)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from django.contrib.auth.hashers import check_password
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.applications import intake
from gongkai.applications.models import Application, Attachment, Channel, Event, EventType
from gongkai.core.dates import SHANGHAI
from gongkai.core.errors import DomainError
from tests.factories import AgencyFactory

ARRIVED = dt.datetime(2026, 3, 2, 9, 30, tzinfo=SHANGHAI)
PDF = b"%PDF-1.4\n%%EOF\n"


def applicant(**overrides) -> dict:
    data = {
        "applicant_type": "natural_person",
        "applicant_name": "张三",
        "id_type": "resident_id",
        "id_number": "11010519491231002X",
        "contact_person": "",
        "phone": "13912345678",
        "email": "zhang@example.cn",
        "address": "内蒙古兴安盟乌兰浩特市兴安北大路1号",
        "postcode": "137400",
        "description": "请公开2025年本机关部门预算。",
        "document_hint": "",
        "form_wanted": "paper",
        "delivery": "post",
    }
    data.update(overrides)
    return data


def organisation(**overrides) -> dict:
    data = applicant(
        applicant_type="commercial",
        applicant_name="兴安盟某某商贸有限公司",
        id_type="credit_code",
        id_number="914403001922038216",
        contact_person="李四",
    )
    data.update(overrides)
    return data


def create(agency, **kwargs) -> Application:
    kwargs.setdefault("applicant", applicant())
    kwargs.setdefault("channel", Channel.ONLINE)
    kwargs.setdefault("arrived_at", ARRIVED)
    kwargs.setdefault("secret", "secret-123")
    return intake.create_application(agency, **kwargs)


@pytest.fixture
def agency(db):
    return AgencyFactory(code="152200", name="兴安盟行政公署")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_an_online_request_is_created_with_its_submitted_event(agency):
    application = create(agency)
    assert application.pk and application.applicant_name == "张三"
    events = list(application.events.values_list("type", "on"))
    assert events == [(EventType.SUBMITTED, dt.date(2026, 3, 2))], events


def test_an_online_request_has_no_receipt_date_until_both_sides_confirm(agency):
    """条例第三十一条第（三）项: 以双方确认之日为收到申请之日 — not the form's timestamp."""
    application = create(agency)
    assert application.received_on is None
    assert application.arrived_at == ARRIVED


def test_the_tracking_code_has_the_year_and_eight_unambiguous_characters(agency):
    code = create(agency).tracking_code
    assert re.fullmatch(r"GK-2026-[0-9A-HJKMNP-TV-Z]{8}", code), code
    assert intake.TRACKING_RE.match(code)


def test_tracking_codes_differ_between_requests(agency):
    codes = {
        create(agency, applicant=applicant(phone=f"139123456{i:02d}")).tracking_code
        for i in range(20)
    }
    assert len(codes) == 20


def test_a_colliding_tracking_code_is_drawn_again(agency, monkeypatch):
    first = create(agency)
    drawn = iter([first.tracking_code, first.tracking_code, "GK-2026-ABCDEFGH"])
    monkeypatch.setattr(intake, "new_tracking_code", lambda year: next(drawn))
    second = create(agency)
    assert second.tracking_code == "GK-2026-ABCDEFGH"
    assert Application.objects.count() == 2


def test_the_secret_is_stored_hashed(agency):
    application = create(agency, secret="my-secret-42")
    assert "my-secret-42" not in application.secret_hash
    assert check_password("my-secret-42", application.secret_hash)
    assert not check_password("other-secret", application.secret_hash)


def test_a_secret_shorter_than_six_characters_is_refused(agency):
    with pytest.raises(DomainError) as caught:
        create(agency, secret="12345")
    assert caught.value.field == "secret" and "6" in caught.value.message
    assert Application.objects.count() == 0


def test_the_same_submission_token_creates_exactly_one_request(agency):
    first = create(agency, submission_token="t" * 43)
    again = create(agency, submission_token="t" * 43)
    assert again.pk == first.pk
    assert Application.objects.count() == 1 and Event.objects.count() == 1


def test_different_submission_tokens_create_different_requests(agency):
    create(agency, submission_token="a" * 43)
    create(agency, submission_token="b" * 43)
    assert Application.objects.count() == 2


def test_a_submission_token_used_at_another_agency_is_refused(agency):
    create(agency, submission_token="t" * 43)
    with pytest.raises(DomainError):
        create(AgencyFactory(), submission_token="t" * 43)


def test_an_inactive_agency_accepts_no_requests(db):
    with pytest.raises(DomainError):
        create(AgencyFactory(is_active=False))
    assert Application.objects.count() == 0


def test_the_registering_officer_is_recorded(agency, django_user_model):
    officer = django_user_model.objects.create_user("officer1")
    application = create(agency, actor=officer, channel=Channel.ONLINE)
    assert application.created_by == officer
    assert application.events.get().actor == officer


# --- applicant data, field by field ----------------------------------------------------------

INVALID = [
    ("applicant_type", {"applicant_type": ""}, "申请人类型"),
    ("applicant_type", {"applicant_type": "alien"}, "申请人类型"),
    ("applicant_name", {"applicant_name": "  "}, "姓名"),
    ("id_type", {"id_type": ""}, "身份证明"),
    ("id_type", {"id_type": "credit_code", "id_number": "914403001922038216"}, "自然人"),
    ("id_number", {"id_number": ""}, "证件号码"),
    ("id_number", {"id_number": "110105194912310021"}, "校验位"),
    ("id_number", {"id_number": "110105194902300010"}, "出生日期"),
    ("id_number", {"id_type": "passport", "id_number": "E12"}, "护照"),
    ("phone", {"phone": ""}, "联系电话"),
    ("phone", {"phone": "12345"}, "格式不正确"),
    ("phone", {"phone": "23912345678"}, "格式不正确"),
    ("email", {"email": "not-an-email"}, "电子邮箱格式"),
    ("email", {"email": "", "delivery": "email"}, "请填写电子邮箱"),
    ("email", {"email": "", "form_wanted": "email", "delivery": "online"}, "请填写电子邮箱"),
    ("address", {"address": "", "delivery": "post"}, "通信地址"),
    ("postcode", {"postcode": "13740"}, "6位数字"),
    ("description", {"description": ""}, "描述所需的政府信息"),
    ("description", {"description": "字" * 5001}, "5000"),
    ("form_wanted", {"form_wanted": "pigeon"}, "获取信息的形式"),
    ("delivery", {"delivery": ""}, "获取信息的方式"),
]


@pytest.mark.parametrize(("field", "overrides", "fragment"), INVALID)
def test_invalid_applicant_data_is_refused_with_a_chinese_message_and_nothing_saved(
    agency, field, overrides, fragment
):
    with pytest.raises(DomainError) as caught:
        create(agency, applicant=applicant(**overrides))
    assert caught.value.field == field, (caught.value.field, caught.value.message)
    assert fragment in caught.value.message, caught.value.message
    assert Application.objects.count() == 0 and Event.objects.count() == 0


def test_every_failing_field_is_listed_at_once():
    with pytest.raises(intake.ApplicantInvalid) as caught:
        intake.clean_applicant(applicant(applicant_name="", phone="1", description=""))
    assert set(caught.value.details["errors"]) == {"applicant_name", "phone", "description"}


def test_an_organisation_needs_a_contact_person(agency):
    with pytest.raises(DomainError) as caught:
        create(agency, applicant=organisation(contact_person=""))
    assert caught.value.field == "contact_person" and "联系人" in caught.value.message


def test_an_organisation_cannot_use_a_resident_id(agency):
    with pytest.raises(DomainError) as caught:
        create(agency, applicant=organisation(id_type="resident_id"))
    assert caught.value.field == "id_type" and "统一社会信用代码" in caught.value.message


def test_an_organisation_credit_code_with_a_wrong_check_character_is_refused(agency):
    with pytest.raises(DomainError) as caught:
        create(agency, applicant=organisation(id_number="914403001922038217"))
    assert caught.value.field == "id_number" and "校验位" in caught.value.message


@pytest.mark.parametrize(
    "kind", ["commercial", "research", "public_interest", "legal_service", "other"]
)
def test_each_kind_of_organisation_is_accepted_and_recorded(agency, kind):
    application = create(agency, applicant=organisation(applicant_type=kind))
    assert application.applicant_type == kind and application.id_type == "credit_code"


def test_an_organisation_may_prove_its_identity_otherwise(agency):
    application = create(
        agency,
        applicant=organisation(id_type="other_organisation", id_number="民政登记证书 2019-118"),
    )
    assert application.id_number == "民政登记证书 2019-118"


def test_a_lower_case_x_in_the_resident_id_is_stored_upper_case(agency):
    application = create(agency, applicant=applicant(id_number="11010519491231002x"))
    assert application.id_number == "11010519491231002X"


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("139 1234 5678", "13912345678"),
        ("+86 139-1234-5678", "+8613912345678"),
        ("0482-8226001", "04828226001"),
        ("(010) 12345678", "01012345678"),
        ("0482-8226001转123", "04828226001转123"),
    ],
)
def test_common_phone_formats_are_accepted_and_normalised(agency, given, stored):
    assert create(agency, applicant=applicant(phone=given)).phone == stored


def test_a_passport_number_is_accepted(agency):
    application = create(agency, applicant=applicant(id_type="passport", id_number="e1234 5678"))
    assert application.id_number == "E12345678"


def test_collection_needs_no_address(agency):
    application = create(
        agency, applicant=applicant(address="", postcode="", delivery="collection")
    )
    assert application.address == ""


# --- attachments -----------------------------------------------------------------------------


def test_attachments_are_stored_with_random_names_and_their_sha256(agency, _media):
    application = create(agency, attachments=[SimpleUploadedFile("../身份证 复印件.pdf", PDF)])
    attachment = application.attachments.get()
    assert attachment.original_name == "身份证 复印件.pdf"
    assert attachment.stored_name.endswith(".pdf") and "身份证" not in attachment.stored_name
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert attachment.size == len(PDF) and attachment.content_type == "application/pdf"
    path = _media / attachment.file.name
    assert path.read_bytes() == PDF
    assert (
        attachment.file.name == f"applications/{application.tracking_code}/{attachment.stored_name}"
    )


def test_a_bad_attachment_refuses_the_whole_request(agency, _media):
    files = [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", b"MZ not a pdf")]
    with pytest.raises(DomainError) as caught:
        create(agency, attachments=files)
    assert "b.pdf" in caught.value.message and caught.value.field == "attachments"
    assert Application.objects.count() == 0 and Attachment.objects.count() == 0
    assert not _media.exists() or not any(p.is_file() for p in _media.rglob("*"))


def test_a_failure_while_storing_leaves_no_rows_and_no_files(agency, _media, monkeypatch):
    calls = {"n": 0}
    real_save = Attachment.save

    def failing_save(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Attachment, "save", failing_save)
    files = [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", PDF)]
    with pytest.raises(OSError):
        create(agency, attachments=files)
    assert Application.objects.count() == 0 and Attachment.objects.count() == 0
    assert Event.objects.count() == 0
    assert not any(p.is_file() for p in _media.rglob("*")), list(_media.rglob("*"))


# --- receipt date and clock (条例第三十一条, 第三十三条) --------------------------------------


def test_a_request_handed_in_in_person_is_received_that_day_and_its_clock_starts(agency):
    from gongkai.core.dates import override_today

    with override_today(dt.date(2026, 3, 2)):
        application = create(agency, channel=Channel.IN_PERSON)
    application.refresh_from_db()
    assert application.received_on == dt.date(2026, 3, 2)
    assert application.status == "in_progress", application.status
    assert application.due_on == dt.date(2026, 3, 30), "20 working days after Monday 2 March"


def test_a_registered_letter_is_received_on_the_day_it_was_signed_for(agency):
    from gongkai.core.dates import override_today

    with override_today(dt.date(2026, 3, 4)):
        application = create(agency, channel=Channel.REGISTERED_POST, signed_on=dt.date(2026, 3, 3))
    assert application.received_on == dt.date(2026, 3, 3)


def test_an_online_request_waits_for_confirmation_without_a_due_date(agency):
    application = create(agency)
    application.refresh_from_db()
    assert application.status == "pending_confirmation" and application.due_on is None


def test_a_confirmation_date_before_the_arrival_is_refused_and_nothing_saved(agency):
    with pytest.raises(DomainError) as caught:
        create(agency, channel=Channel.FAX, confirmed_on=dt.date(2026, 3, 1))
    assert caught.value.field == "confirmed_on"
    assert Application.objects.count() == 0
