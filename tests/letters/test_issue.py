"""Issuing stores the exact bytes with their SHA-256, linked to the event; issued letters never
change (no update path), corrections are new letters, voiding keeps the number."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.core.files.storage import default_storage
from docx import Document
from pypdf import PdfReader

from gongkai.applications.models import EventType
from gongkai.applications.outcomes import Outcome
from gongkai.core.errors import DomainError, PermissionDeniedError
from gongkai.letters import editing, kinds, services
from gongkai.letters.models import Letter, LetterSettings
from gongkai.site.models import AuditEntry
from tests.letters.factories import add_event, make_application, reply

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(world, league):
    return make_application(league)


@pytest.fixture
def refusal(world, application):
    event = reply(application, Outcome.WITHHELD_STATE_SECRET, reason="经定密属于秘密级")
    letter = services.issue(
        application, event, "reply_withheld_state_secret", inputs={}, actor=world.officer
    )
    return letter


def stored(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "".join(page.extract_text() for page in reader.pages).replace("\n", "")


def test_issuing_stores_both_files_with_their_sha256(refusal):
    for name, digest, size in (
        (refusal.pdf.name, refusal.pdf_sha256, refusal.pdf_size),
        (refusal.docx.name, refusal.docx_sha256, refusal.docx_size),
    ):
        data = stored(name)
        assert hashlib.sha256(data).hexdigest() == digest
        assert len(data) == size


def test_the_letter_is_linked_to_its_event_request_and_agency(refusal, application, world):
    assert refusal.application == application
    assert refusal.event.type == EventType.REPLY_ISSUED
    assert refusal.agency == world.league
    assert refusal.kind == "reply_withheld_state_secret"
    assert refusal.recipient == "张三" and refusal.to_applicant
    assert refusal.letter_date == dt.date(2026, 3, 20)
    assert refusal.issued_by == world.officer


def test_the_issued_pdf_carries_number_article_date_and_review_first(refusal):
    text = pdf_text(stored(refusal.pdf.name))
    assert "兴署依申复〔2026〕1号" in text
    assert "第十四条、第三十六条第（三）项" in text
    assert "2026年3月20日" in text and "2026年3月2日" in text
    assert "应当先向行政复议机关申请行政复议" in text
    assert "经定密属于秘密级" in text


def test_the_issued_docx_carries_the_same_number_and_text(refusal):
    document = Document(io.BytesIO(stored(refusal.docx.name)))
    text = "".join(p.text for p in document.paragraphs)
    assert "兴署依申复〔2026〕1号" in text
    assert "第十四条、第三十六条第（三）项" in text


def test_issuing_writes_an_audit_entry(refusal, world):
    entry = AuditEntry.objects.get(action="letters.issue", object_id=str(refusal.pk))
    assert entry.actor == world.officer and entry.agency == world.league
    assert entry.changes["extra"]["number"] == refusal.number
    assert entry.changes["extra"]["pdf_sha256"] == refusal.pdf_sha256


def test_an_issued_letter_cannot_be_saved_again_or_deleted(refusal):
    refusal.title = "改过的标题"
    with pytest.raises(RuntimeError):
        refusal.save()
    with pytest.raises(RuntimeError):
        refusal.save(update_fields=["title"])
    with pytest.raises(RuntimeError):
        refusal.delete()
    refusal.refresh_from_db()
    assert refusal.title == "政府信息公开申请答复书"


def test_the_issued_bytes_never_change_when_templates_or_the_agency_change(
    refusal, world, application
):
    pdf_before, docx_before = stored(refusal.pdf.name), stored(refusal.docx.name)
    spec = kinds.get("reply_withheld_state_secret")
    body = services.content.default_template(spec).body.replace("特此答复。", "此复。")
    editing.save_template(world.league, spec, title="新标题", body=body, actor=world.head)
    world.league.name = "兴安盟行政公署（更名）"
    world.league.save()
    refusal.refresh_from_db()
    assert services.read_bytes(refusal, "pdf") == pdf_before
    assert services.read_bytes(refusal, "docx") == docx_before
    assert hashlib.sha256(pdf_before).hexdigest() == refusal.pdf_sha256


def test_a_tampered_file_is_detected_on_download(refusal):
    path = default_storage.path(refusal.pdf.name)
    with open(path, "ab") as handle:
        handle.write(b"%tampered")
    with pytest.raises(services.LetterIntegrityError) as caught:
        services.read_bytes(refusal, "pdf")
    assert "SHA-256" in caught.value.message


def test_the_same_step_cannot_get_a_second_letter_of_the_same_kind(refusal, world, application):
    with pytest.raises(services.AlreadyIssued) as caught:
        services.issue(application, refusal.event, refusal.kind, inputs={}, actor=world.officer)
    assert refusal.number in caught.value.message


def test_a_request_gets_one_receipt(world, application):
    receipt = application.events.get(type=EventType.RECEIPT_CONFIRMED)
    services.issue(application, receipt, "receipt", inputs={}, actor=world.officer)
    with pytest.raises(services.AlreadyIssued):
        services.issue(application, receipt, "receipt", inputs={}, actor=world.officer)


def test_a_correction_is_a_new_letter_that_references_and_may_void_the_old_one(
    refusal, world, application
):
    correction = services.issue(
        application,
        refusal.event,
        refusal.kind,
        inputs={"reason": "经定密属于机密级"},
        actor=world.officer,
        replaces=refusal,
        void_replaced=True,
        void_reason="密级写错",
    )
    refusal.refresh_from_db()
    assert correction.number == "兴署依申复〔2026〕2号"
    assert correction.replaces == refusal
    assert refusal.is_void and refusal.void_reason == "密级写错"
    text = pdf_text(stored(correction.pdf.name))
    assert "更正本机关2026年3月20日出具的兴署依申复〔2026〕1号" in text
    assert "经定密属于机密级" in text
    assert AuditEntry.objects.filter(action="letters.void", object_id=str(refusal.pk)).exists()


def test_voiding_the_old_letter_needs_a_reason(refusal, world, application):
    with pytest.raises(DomainError):
        services.issue(
            application,
            refusal.event,
            refusal.kind,
            inputs={},
            actor=world.officer,
            replaces=refusal,
            void_replaced=True,
        )
    assert Letter.objects.count() == 1


def test_a_letter_is_corrected_only_once(refusal, world, application):
    services.issue(
        application, refusal.event, refusal.kind, inputs={}, actor=world.officer, replaces=refusal
    )
    with pytest.raises(services.AlreadyIssued):
        services.issue(
            application,
            refusal.event,
            refusal.kind,
            inputs={},
            actor=world.officer,
            replaces=refusal,
        )


def test_voiding_needs_a_reason_and_happens_once(refusal, world):
    with pytest.raises(DomainError):
        services.void(refusal, actor=world.officer, reason="  ")
    services.void(refusal, actor=world.head, reason="误发")
    with pytest.raises(DomainError):
        services.void(refusal, actor=world.officer, reason="再次作废")
    refusal.refresh_from_db()
    assert refusal.voided_by == world.head


@pytest.mark.parametrize("role", ["reviewer", "supervisor", "administrator", "sibling_officer"])
def test_only_officers_and_heads_of_the_agency_issue(world, application, role):
    event = reply(application, Outcome.DISCLOSED)
    with pytest.raises(PermissionDeniedError):
        services.issue(application, event, "reply_disclosed", inputs={}, actor=getattr(world, role))


def test_the_agency_template_is_used_and_kept_with_the_letter(world, application):
    spec = kinds.get("reply_disclosed")
    body = services.content.default_template(spec).body.replace("特此答复。", "此复。")
    editing.save_template(world.league, spec, title="答复书", body=body, actor=world.head)
    letter = services.issue(
        application,
        reply(application, Outcome.DISCLOSED),
        spec.code,
        inputs={},
        actor=world.officer,
    )
    assert letter.template_origin.startswith(f"agency:{world.league.pk}@")
    assert "此复。" in letter.template_source
    assert "此复。" in pdf_text(stored(letter.pdf.name))


def test_the_letterhead_setting_gives_the_letter_format(world, application):
    LetterSettings.objects.create(
        agency=world.league, letterhead=True, signature_name="兴安盟行政公署办公室"
    )
    letter = services.issue(
        application,
        reply(application, Outcome.DISCLOSED),
        "reply_disclosed",
        inputs={},
        actor=world.officer,
    )
    text = PdfReader(io.BytesIO(stored(letter.pdf.name))).pages[0].extract_text()
    assert text.startswith("兴安盟行政公署\n兴署依申复〔2026〕1号")
    assert (
        pdf_text(stored(letter.pdf.name))
        .removesuffix("— 2 —")
        .endswith(
            "兴安盟行政公署办公室2026年3月20日（联系单位：兴安盟行政公署办公室；联系电话：0482-8226001）"
        )
    )
    assert letter.content["document"]["letterhead"] == "兴安盟行政公署"


def test_letters_to_third_parties_are_not_offered_to_the_applicant(world, application):
    consultation = add_event(
        application,
        EventType.CONSULTATION_OPENED,
        dt.date(2026, 3, 5),
        party="third_party",
        party_name="某某建筑有限公司",
    )
    services.issue(
        application,
        consultation,
        "consultation_third_party",
        inputs={"consultation.content": "该公司的投标文件"},
        actor=world.officer,
    )
    receipt = services.issue(
        application,
        application.events.get(type=EventType.RECEIPT_CONFIRMED),
        "receipt",
        inputs={},
        actor=world.officer,
    )
    assert services.public_letters(application) == [receipt]
