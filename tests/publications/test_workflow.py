"""The workflow: draft → submitted → reviewed → published → revised / abolished / withdrawn."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gongkai.core.errors import DomainError, PermissionDeniedError
from gongkai.publications import services
from gongkai.publications.models import (
    ConfidentialityReview,
    Document,
    DocumentRevision,
    DocumentStatus,
    ReviewDecision,
    Validity,
)
from gongkai.site.models import AuditEntry
from tests.publications.conftest import TODAY
from tests.publications.factories import column, draft, published

PDF = b"%PDF-1.4\n%%EOF\n"


def actions(document):
    return list(
        AuditEntry.objects.filter(object_id=str(document.pk), object_type="publications.document")
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_an_officer_drafts_a_document_in_the_agency_catalogue(world):
    document = draft(world.officer, world.league, doc_number="兴署发〔2026〕3号")
    assert document.status == DocumentStatus.DRAFT
    assert document.index_number is None
    assert document.created_by == world.officer
    assert actions(document) == ["publication.create"]


def test_the_body_is_sanitised_when_saved(world):
    document = draft(
        world.officer, world.league, body_html='<p onclick="x()">正文</p><script>1</script>'
    )
    assert document.body_html == "<p>正文</p>"
    assert document.body_text == "正文"


def test_a_mistyped_document_number_is_refused_with_the_correction(world):
    with pytest.raises(DomainError) as caught:
        draft(world.officer, world.league, doc_number="兴署发[2026]3号")
    assert "应为：兴署发〔2026〕3号" in caught.value.message
    assert not Document.objects.exists()


def test_a_column_of_another_agency_is_refused(world):
    with pytest.raises(DomainError) as caught:
        draft(world.officer, world.league, column=column(world.sibling))
    assert caught.value.field == "column"


def test_a_formation_date_in_the_future_is_refused(world):
    with pytest.raises(DomainError) as caught:
        draft(world.officer, world.league, formed_or_changed_on=TODAY + dt.timedelta(days=1))
    assert caught.value.field == "formed_or_changed_on"


def test_submitting_needs_the_formation_date(world):
    document = draft(world.officer, world.league, formed_or_changed_on=None)
    with pytest.raises(DomainError) as caught:
        services.submit(world.officer, document)
    assert caught.value.field == "formed_or_changed_on"


def test_a_normative_document_needs_a_document_number_to_be_submitted(world):
    document = draft(world.officer, world.league, normative_kind="normative")
    with pytest.raises(DomainError) as caught:
        services.submit(world.officer, document)
    assert caught.value.field == "doc_number"


def test_publishing_without_a_review_is_refused(world):
    document = draft(world.officer, world.league)
    services.submit(world.officer, document)
    with pytest.raises(DomainError) as caught:
        services.publish(world.reviewer, document)
    assert caught.value.code == "review_required"
    document.refresh_from_db()
    assert document.status == DocumentStatus.SUBMITTED and document.index_number is None


def test_a_review_that_does_not_pass_returns_the_document_to_the_drafter(world):
    document = draft(world.officer, world.league)
    services.submit(world.officer, document)
    review = services.record_review(
        world.reviewer, document, ReviewDecision.RETURNED, "附件含身份证号"
    )
    document.refresh_from_db()
    assert document.status == DocumentStatus.DRAFT
    assert review.reviewer_name and review.reviewed_on == TODAY


def test_a_refusing_review_needs_a_note(world):
    document = draft(world.officer, world.league)
    services.submit(world.officer, document)
    with pytest.raises(DomainError) as caught:
        services.record_review(world.reviewer, document, ReviewDecision.REFUSED, "")
    assert caught.value.field == "note"


def test_a_change_after_the_review_needs_a_new_review(world):
    document = draft(world.officer, world.league)
    services.submit(world.officer, document)
    services.record_review(world.reviewer, document, ReviewDecision.RETURNED, "请删去个人信息")
    document.refresh_from_db()
    data = services.DocumentInput.from_document(document)
    data.body_html = "<p>已删去个人信息。</p>"
    services.update_draft(world.officer, document, data)
    services.submit(world.officer, document)
    # An old passed review of different content does not count.
    ConfidentialityReview.objects.create(
        document=document,
        reviewer=world.reviewer,
        reviewer_name="x",
        decision=ReviewDecision.PASSED,
        reviewed_on=TODAY,
        fingerprint="0" * 64,
    )
    with pytest.raises(DomainError):
        services.publish(world.reviewer, document)


def test_publishing_issues_the_index_number_and_records_revision_one(world):
    document = published(world)
    assert document.status == DocumentStatus.PUBLISHED
    assert document.index_number == "152200/2026-00001"
    assert document.published_on == TODAY
    revision = DocumentRevision.objects.get(document=document)
    assert (revision.number, revision.title) == (1, document.title)
    assert actions(document) == [
        "publication.create",
        "publication.submit",
        "publication.review",
        "publication.publish",
    ]


def test_publishing_schedules_the_search_index_after_commit(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        published(world)
    assert callbacks, "publishing must schedule a search index update after commit"


def test_a_revision_keeps_the_index_number_and_records_history(world):
    document = published(world)
    data = services.DocumentInput.from_document(document)
    data.title = "关于做好政府信息公开工作的通知（修订）"
    revised = services.revise(
        world.reviewer, document, data, "更正标题中的错字", review_note="不涉密"
    )
    assert revised.revision == 2
    assert revised.index_number == document.index_number
    assert list(revised.revisions.values_list("number", "reason")) == [
        (2, "更正标题中的错字"),
        (1, "首次发布"),
    ]
    assert revised.reviews.filter(for_revision=2, decision="passed").exists()


def test_a_revision_needs_a_reason(world):
    document = published(world)
    with pytest.raises(DomainError) as caught:
        services.revise(
            world.reviewer, document, services.DocumentInput.from_document(document), " "
        )
    assert caught.value.field == "reason"


def test_abolishing_records_the_date_and_the_abolishing_document(world):
    old = published(
        world, title="暂行办法", normative_kind="normative", doc_number="兴署发〔2020〕9号"
    )
    new = published(
        world, title="正式办法", normative_kind="normative", doc_number="兴署发〔2026〕5号"
    )
    services.change_validity(world.reviewer, old, Validity.ABOLISHED, TODAY, abolished_by=new)
    old.refresh_from_db()
    assert (old.validity, old.invalid_on, old.abolished_by) == (Validity.ABOLISHED, TODAY, new)
    assert old.status == DocumentStatus.PUBLISHED, "an abolished document stays in the catalogue"


def test_abolishing_needs_the_abolishing_document(world):
    document = published(world)
    with pytest.raises(DomainError) as caught:
        services.change_validity(world.reviewer, document, Validity.ABOLISHED, TODAY)
    assert caught.value.field == "abolished_by"


def test_expiry_needs_no_abolishing_document(world):
    document = published(world)
    services.change_validity(world.reviewer, document, Validity.EXPIRED, TODAY)
    document.refresh_from_db()
    assert document.validity == Validity.EXPIRED


def test_withdrawing_keeps_the_document_with_its_reason(world):
    document = published(world)
    services.withdraw(world.reviewer, document, "误发，含不宜公开的内容")
    document.refresh_from_db()
    assert document.status == DocumentStatus.WITHDRAWN
    assert document.withdrawal_reason == "误发，含不宜公开的内容"
    assert document.index_number == "152200/2026-00001"
    assert Document.objects.filter(pk=document.pk).exists()


def test_withdrawing_needs_a_reason(world):
    document = published(world)
    with pytest.raises(DomainError):
        services.withdraw(world.reviewer, document, "")


def test_a_withdrawn_document_cannot_be_published_again(world):
    document = published(world)
    services.withdraw(world.reviewer, document, "误发")
    with pytest.raises(DomainError) as caught:
        services.publish(world.reviewer, document)
    assert caught.value.code == "invalid_status"


def test_attachments_are_checked_by_content(world):
    document = draft(world.officer, world.league)
    services.add_attachment(world.officer, document, SimpleUploadedFile("通知.pdf", PDF))
    with pytest.raises(DomainError) as caught:
        services.add_attachment(world.officer, document, SimpleUploadedFile("病毒.pdf", b"MZ\x90"))
    assert "内容与扩展名" in caught.value.message
    with pytest.raises(DomainError) as caught:
        services.add_attachment(world.officer, document, SimpleUploadedFile("a.exe", b"MZ\x90"))
    assert "类型不允许" in caught.value.message
    assert document.attachments.count() == 1


def test_adding_an_attachment_after_review_needs_a_new_review(world):
    document = draft(world.officer, world.league)
    services.submit(world.officer, document)
    services.record_review(world.reviewer, document, ReviewDecision.RETURNED, "补充附件")
    document.refresh_from_db()
    services.add_attachment(world.officer, document, SimpleUploadedFile("通知.pdf", PDF))
    services.submit(world.officer, document)
    with pytest.raises(DomainError):
        services.publish(world.reviewer, document)


def test_removing_an_attachment_keeps_the_file_record(world):
    document = draft(world.officer, world.league)
    attachment = services.add_attachment(
        world.officer, document, SimpleUploadedFile("通知.pdf", PDF)
    )
    services.remove_attachment(world.officer, attachment)
    attachment.refresh_from_db()
    assert attachment.removed_at is not None


def test_interpretations_link_both_ways_and_not_to_themselves(world):
    policy = published(world, normative_kind="normative", doc_number="兴署发〔2026〕5号")
    interpretation = draft(world.officer, world.league, column_code="interpretations")
    link = services.link_interpretation(world.officer, policy, interpretation)
    assert list(policy.interpretation_links.all()) == [link]
    with pytest.raises(DomainError):
        services.link_interpretation(world.officer, policy, interpretation)
    with pytest.raises(DomainError):
        services.link_interpretation(world.officer, interpretation, policy)
    with pytest.raises(DomainError):
        services.link_interpretation(world.officer, policy, policy)


def test_unlinking_is_audited(world):
    policy = published(world)
    interpretation = draft(world.officer, world.league, column_code="interpretations")
    link = services.link_interpretation(world.officer, policy, interpretation)
    services.unlink_interpretation(world.officer, link)
    assert "publication.interpretation_unlink" in actions(policy)


# --- who may do what (service level; the view table is in test_permissions) --------------------

ROLE_TABLE = [
    # (step, role that may, role that may not)
    ("create", "officer", "supervisor"),
    ("submit", "officer", "administrator"),
    ("review", "reviewer", "officer"),
    ("publish", "head", "officer"),
    ("withdraw", "reviewer", "officer"),
]


@pytest.mark.parametrize(("step", "allowed", "refused"), ROLE_TABLE)
def test_each_step_needs_its_role(world, step, allowed, refused):
    def run(user):
        if step == "create":
            return draft(user, world.league)
        document = draft(world.officer, world.league)
        if step == "submit":
            return services.submit(user, document)
        services.submit(world.officer, document)
        if step == "review":
            return services.record_review(user, document, "passed", "")
        services.record_review(world.reviewer, document, "passed", "")
        if step == "publish":
            return services.publish(user, document)
        services.publish(world.reviewer, document)
        return services.withdraw(user, document, "原因")

    assert run(getattr(world, allowed)) is not None
    with pytest.raises(PermissionDeniedError):
        run(getattr(world, refused))


def test_an_officer_of_another_agency_cannot_draft_here(world):
    with pytest.raises(PermissionDeniedError):
        draft(world.sibling_officer, world.league)


def test_a_region_supervisor_cannot_publish_for_a_league(world):
    document = draft(world.officer, world.league)
    services.submit(world.officer, document)
    with pytest.raises(PermissionDeniedError):
        services.record_review(world.region_supervisor, document, "passed", "")
