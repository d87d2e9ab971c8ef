"""The proactive-disclosure workflow: one function per step, each in one transaction.

draft → submitted → (保密审查) → published → revised / abolished / expired / withdrawn.

- Officers, reviewers and heads of the publishing agency draft, edit and submit.
- Reviewers and heads record the confidentiality review (保密审查, 条例第十七条) and publish;
  publishing without a passed review of the current content is refused.
- Publishing issues the 索引号 (never changed afterwards), records revision 1 and indexes the
  document for search once the transaction commits.
- A published document is revised (new revision, same index number, a new review), abolished or
  expired (已废止/已失效, with the date and the abolishing document), or withdrawn with a reason.
  Nothing is deleted.

Every step checks the actor's role through :mod:`gongkai.agencies.scoping` and writes one audit
entry (:func:`gongkai.site.audit.record`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from django.core.files import File
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.agencies.models import Agency, Role
from gongkai.agencies.scoping import has_role
from gongkai.core.dates import SHANGHAI, now, today
from gongkai.core.errors import DomainError, PermissionDeniedError
from gongkai.core.files import save_upload
from gongkai.publications import index_numbers
from gongkai.publications.attachments import CheckedFile, check_file
from gongkai.publications.doc_numbers import validate_doc_number
from gongkai.publications.indexing import schedule_sync
from gongkai.publications.models import (
    Attachment,
    Category,
    Column,
    ConfidentialityReview,
    Document,
    DocumentRevision,
    DocumentStatus,
    Interpretation,
    NormativeKind,
    ReviewDecision,
    Validity,
)
from gongkai.publications.sanitize import html_to_text, sanitize_html
from gongkai.site import audit, pagecache

#: Who may draft, edit and submit documents of an agency.
EDIT_ROLES = frozenset({Role.OFFICER, Role.REVIEWER, Role.HEAD})
#: Who may review, publish, revise, abolish and withdraw.
PUBLISH_ROLES = frozenset({Role.REVIEWER, Role.HEAD})
#: Who may see an agency's documents in the console (supervisors see their subtree).
READ_ROLES = frozenset(Role)
#: Who may load an old website's archive (historical publication dates).
IMPORT_ROLES = frozenset({Role.REVIEWER, Role.HEAD, Role.ADMINISTRATOR})


class AuditAction(models.TextChoices):
    CREATE = "publication.create", gettext_lazy("起草")
    UPDATE = "publication.update", gettext_lazy("修改草稿")
    SUBMIT = "publication.submit", gettext_lazy("提交审核")
    REVIEW = "publication.review", gettext_lazy("保密审查")
    PUBLISH = "publication.publish", gettext_lazy("发布")
    REVISE = "publication.revise", gettext_lazy("修订")
    VALIDITY = "publication.validity", gettext_lazy("变更有效性")
    WITHDRAW = "publication.withdraw", gettext_lazy("撤回")
    ATTACH = "publication.attachment_add", gettext_lazy("添加附件")
    DETACH = "publication.attachment_remove", gettext_lazy("移除附件")
    LINK = "publication.interpretation_link", gettext_lazy("关联政策解读")
    UNLINK = "publication.interpretation_unlink", gettext_lazy("取消关联政策解读")
    IMPORT = "publication.import", gettext_lazy("导入")
    SETTINGS = "publication.settings", gettext_lazy("修改索引号规则")


#: The fields of a document an officer edits; ``DocumentInput`` carries them.
EDITABLE_FIELDS = (
    "column",
    "category",
    "title",
    "summary",
    "body_html",
    "doc_number",
    "subject",
    "written_on",
    "formed_or_changed_on",
    "deadline_basis",
    "effective_on",
    "normative_kind",
    "needs_interpretation",
    "mongolian_title",
    "mongolian_body",
)


@dataclass
class DocumentInput:
    """What an officer types in the document form (validated by :func:`clean_input`)."""

    column: Column
    title: str
    category: Category | None = None
    summary: str = ""
    body_html: str = ""
    doc_number: str = ""
    subject: str = ""
    written_on: dt.date | None = None
    formed_or_changed_on: dt.date | None = None
    deadline_basis: str = ""
    effective_on: dt.date | None = None
    normative_kind: str = NormativeKind.NONE
    needs_interpretation: bool = False
    mongolian_title: str = ""
    mongolian_body: str = ""
    validity: str = Validity.IN_FORCE
    invalid_on: dt.date | None = None
    abolished_by_text: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_document(cls, document: Document) -> DocumentInput:
        values = {f.name: getattr(document, f.name) for f in fields(cls) if f.name != "extra"}
        return cls(**values)


# --- helpers ------------------------------------------------------------------------------------


def _require(actor: Any, agency: Agency, roles: Iterable[Role], what: str) -> None:
    if not has_role(actor, agency, roles):
        raise PermissionDeniedError(
            _("您在%(agency)s没有%(what)s的权限。") % {"agency": agency.display_name, "what": what}
        )


def _locked(document: Document) -> Document:
    """Re-read the document with a row lock (status changes must not race)."""
    return Document.objects.select_for_update().select_related("agency").get(pk=document.pk)


def _expect_status(document: Document, *allowed: str) -> None:
    if document.status not in allowed:
        labels = "、".join(str(DocumentStatus(s).label) for s in allowed)
        raise DomainError(
            _("该文件当前状态为“%(status)s”，只有“%(allowed)s”状态的文件可以执行此操作。")
            % {"status": document.get_status_display(), "allowed": labels},
            code="invalid_status",
        )


def _snapshot(document: Document) -> dict[str, Any]:
    return audit.snapshot(
        document,
        [
            "title",
            "summary",
            "doc_number",
            "subject",
            "column_id",
            "category_id",
            "written_on",
            "formed_or_changed_on",
            "normative_kind",
            "needs_interpretation",
            "validity",
            "invalid_on",
            "abolished_by_id",
            "abolished_by_text",
            "status",
            "index_number",
            "revision",
        ],
    )


def clean_input(agency: Agency, data: DocumentInput) -> DocumentInput:
    """Validate and normalise a document's fields; raise :class:`DomainError` naming the field."""
    data.title = " ".join((data.title or "").split())
    if not data.title:
        raise DomainError(_("请填写标题。"), code="required", field="title")
    if len(data.title) > 300:
        raise DomainError(_("标题不能超过300个字符。"), code="too_long", field="title")
    if data.column is None or data.column.agency_id != agency.pk:
        raise DomainError(_("请选择本机构的栏目。"), code="invalid_column", field="column")
    if not data.column.is_active:
        raise DomainError(_("该栏目已停用。"), code="invalid_column", field="column")
    data.doc_number = validate_doc_number(data.doc_number)
    data.body_html = sanitize_html(data.body_html)
    data.mongolian_body = sanitize_html(data.mongolian_body)
    data.mongolian_title = (data.mongolian_title or "").strip()
    data.summary = (data.summary or "").strip()
    data.subject = (data.subject or "").strip()
    current = today()
    for name, label in (
        ("written_on", _("成文日期")),
        ("formed_or_changed_on", _("信息形成或变更日期")),
    ):
        value = getattr(data, name)
        if value is not None and value > current:
            raise DomainError(
                _("%(label)s不能晚于今天。") % {"label": label}, code="future_date", field=name
            )
    if data.normative_kind not in NormativeKind.values:
        raise DomainError(_("规章或规范性文件的类型不正确。"), field="normative_kind")
    if data.validity not in Validity.values:
        raise DomainError(_("有效性不正确。"), field="validity")
    if data.validity != Validity.IN_FORCE and data.invalid_on is None:
        raise DomainError(
            _("已废止或已失效的文件须填写废止或失效日期。"), code="required", field="invalid_on"
        )
    if data.validity == Validity.IN_FORCE:
        data.invalid_on = None
        data.abolished_by_text = ""
    return data


def _apply(document: Document, data: DocumentInput) -> None:
    for name in EDITABLE_FIELDS:
        setattr(document, name, getattr(data, name))
    document.validity = data.validity
    document.invalid_on = data.invalid_on
    document.abolished_by_text = data.abolished_by_text
    document.body_text = html_to_text(document.body_html)


def _check_ready(document: Document) -> None:
    """What a document needs before it can be submitted or published."""
    if document.formed_or_changed_on is None:
        raise DomainError(
            _("请填写信息形成或变更日期（条例第二十六条的20个工作日自该日起算）。"),
            code="required",
            field="formed_or_changed_on",
        )
    if document.is_normative and not document.doc_number:
        raise DomainError(
            _("规章和规范性文件须填写发文字号。"), code="required", field="doc_number"
        )
    has_files = document.attachments.filter(removed_at__isnull=True).exists()
    if not document.body_text and not has_files:
        raise DomainError(_("正文和附件不能都为空。"), code="required", field="body_html")


# --- drafting -----------------------------------------------------------------------------------


@transaction.atomic
def create_draft(actor: Any, agency: Agency, data: DocumentInput) -> Document:
    """An officer starts a document in the agency's catalogue (status 草稿)."""
    _require(actor, agency, EDIT_ROLES, _("起草主动公开信息"))
    data = clean_input(agency, data)
    document = Document(agency=agency, created_by=actor if actor and actor.pk else None)
    _apply(document, data)
    document.save()
    audit.record(actor, AuditAction.CREATE, document, after=_snapshot(document))
    return document


@transaction.atomic
def update_draft(actor: Any, document: Document, data: DocumentInput) -> Document:
    """Edit a draft. Submitted documents are edited after the reviewer returns them."""
    _require(actor, document.agency, EDIT_ROLES, _("修改主动公开信息"))
    document = _locked(document)
    _expect_status(document, DocumentStatus.DRAFT)
    before = _snapshot(document)
    data = clean_input(document.agency, data)
    _apply(document, data)
    document.save()
    audit.record(actor, AuditAction.UPDATE, document, before=before, after=_snapshot(document))
    return document


@transaction.atomic
def submit(actor: Any, document: Document) -> Document:
    """Send a draft to the reviewer (待审核)."""
    _require(actor, document.agency, EDIT_ROLES, _("提交审核"))
    document = _locked(document)
    _expect_status(document, DocumentStatus.DRAFT)
    _check_ready(document)
    document.status = DocumentStatus.SUBMITTED
    document.save(update_fields=["status", "updated_at"])
    audit.record(actor, AuditAction.SUBMIT, document, after={"status": document.status})
    return document


def _store_attachment(actor: Any, document: Document, checked: CheckedFile) -> Attachment:
    order = document.attachments.count() + 1
    attachment = Attachment(
        document=document,
        original_name=checked.original_name,
        extension=checked.extension,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        order=order,
        uploaded_by=actor if actor and actor.pk else None,
    )
    checked.file.seek(0)
    # A full disk: StorageFull (a DomainError), the partial file removed (gongkai.core.files).
    save_upload(attachment.file, checked.original_name, File(checked.file))
    attachment.save()
    return attachment


@transaction.atomic
def add_attachment(
    actor: Any, document: Document, upload: Any, name: str | None = None
) -> Attachment:
    """Attach a checked file (≤ 50 MB, allowed type by content) to a draft."""
    _require(actor, document.agency, EDIT_ROLES, _("上传附件"))
    document = _locked(document)
    _expect_status(document, DocumentStatus.DRAFT)
    checked = check_file(upload, name)
    attachment = _store_attachment(actor, document, checked)
    audit.record(
        actor,
        AuditAction.ATTACH,
        document,
        extra={
            "attachment": attachment.pk,
            "name": attachment.original_name,
            "sha256": checked.sha256,
        },
    )
    return attachment


@transaction.atomic
def remove_attachment(actor: Any, attachment: Attachment) -> Attachment:
    """Take an attachment off a draft (the file is kept; nothing is deleted)."""
    document = attachment.document
    _require(actor, document.agency, EDIT_ROLES, _("移除附件"))
    document = _locked(document)
    _expect_status(document, DocumentStatus.DRAFT)
    attachment.removed_at = now()
    attachment.save(update_fields=["removed_at"])
    audit.record(
        actor,
        AuditAction.DETACH,
        document,
        extra={"attachment": attachment.pk, "name": attachment.original_name},
    )
    return attachment


# --- review and publication --------------------------------------------------------------------


@transaction.atomic
def record_review(
    actor: Any,
    document: Document,
    decision: str,
    note: str = "",
    reviewed_on: dt.date | None = None,
) -> ConfidentialityReview:
    """Record the 保密审查 of a submitted document (条例第十七条).

    A review that does not pass sends the document back to the drafter (草稿) and needs a note.
    """
    _require(actor, document.agency, PUBLISH_ROLES, _("保密审查"))
    document = _locked(document)
    _expect_status(document, DocumentStatus.SUBMITTED)
    if decision not in ReviewDecision.values:
        raise DomainError(_("请选择审查结论。"), code="required", field="decision")
    note = (note or "").strip()
    if decision != ReviewDecision.PASSED and not note:
        raise DomainError(_("审查未通过时须填写审查意见。"), code="required", field="note")
    reviewed_on = reviewed_on or today()
    if reviewed_on > today():
        raise DomainError(_("审查日期不能晚于今天。"), code="future_date", field="reviewed_on")
    review = ConfidentialityReview.objects.create(
        document=document,
        reviewer=actor,
        reviewer_name=actor.get_full_name() or actor.get_username(),
        decision=decision,
        note=note,
        reviewed_on=reviewed_on,
        fingerprint=document.content_fingerprint(),
        for_revision=document.revision + 1,
    )
    if decision != ReviewDecision.PASSED:
        document.status = DocumentStatus.DRAFT
        document.save(update_fields=["status", "updated_at"])
    audit.record(
        actor,
        AuditAction.REVIEW,
        document,
        extra={"review": review.pk, "decision": decision, "note": note, "reviewed_on": reviewed_on},
    )
    return review


def _passed_review(document: Document) -> ConfidentialityReview | None:
    latest = document.reviews.order_by("-created_at", "-id").first()
    if latest is None or not latest.passed:
        return None
    if latest.fingerprint != document.content_fingerprint():
        return None
    return latest


def _record_revision(actor: Any, document: Document, reason: str, at: dt.datetime) -> None:
    DocumentRevision.objects.create(
        document=document,
        number=document.revision,
        title=document.title,
        summary=document.summary,
        body_html=document.body_html,
        doc_number=document.doc_number,
        mongolian_title=document.mongolian_title,
        mongolian_body=document.mongolian_body,
        metadata=audit._plain(
            {
                "subject": document.subject,
                "written_on": document.written_on,
                "formed_or_changed_on": document.formed_or_changed_on,
                "column": document.column_id,
                "category": document.category_id,
                "normative_kind": document.normative_kind,
                "validity": document.validity,
                "attachments": list(
                    document.attachments.filter(removed_at__isnull=True).values_list(
                        "original_name", "sha256"
                    )
                ),
            }
        ),
        reason=reason,
        published_at=at,
        created_by=actor if actor and getattr(actor, "pk", None) else None,
    )


def _record_publication(
    actor: Any,
    document: Document,
    published_at: dt.datetime,
    published_on: dt.date,
    index_number: str | None = None,
) -> Document:
    """Issue the index number, mark published, write revision 1 and schedule indexing.

    ``published_on`` is the legal publication date (Asia/Shanghai; :func:`today` for a new
    publication), from which the index number's year and the timeliness rules are taken.
    """
    if index_number:
        if Document.objects.filter(index_number=index_number).exclude(pk=document.pk).exists():
            raise DomainError(
                _("索引号“%(value)s”已被其他文件使用。") % {"value": index_number},
                code="duplicate_index_number",
                field="index_number",
            )
        document.index_number = index_number
    elif not document.index_number:
        document.index_number = index_numbers.allocate(document.agency, published_on)
    document.status = DocumentStatus.PUBLISHED
    document.published_at = published_at
    document.published_on = published_on
    document.revision = 1
    document.save()
    _record_revision(actor, document, _("首次发布"), published_at)
    schedule_sync(document.pk)
    for link in document.interprets_links.all():
        schedule_sync(link.document_id)
    pagecache.invalidate()
    return document


@transaction.atomic
def publish(actor: Any, document: Document) -> Document:
    """Publish a submitted document whose current content passed the confidentiality review."""
    _require(actor, document.agency, PUBLISH_ROLES, _("发布"))
    document = _locked(document)
    _expect_status(document, DocumentStatus.SUBMITTED)
    _check_ready(document)
    review = _passed_review(document)
    if review is None:
        raise DomainError(
            _("该文件尚未通过保密审查（或审查后内容有改动），不能发布。请先完成保密审查。"),
            code="review_required",
        )
    before = _snapshot(document)
    _record_publication(actor, document, now(), today())
    audit.record(
        actor,
        AuditAction.PUBLISH,
        document,
        before=before,
        after=_snapshot(document),
        extra={"review": review.pk},
    )
    return document


@transaction.atomic
def review_and_publish(
    actor: Any, document: Document, note: str = "", reviewed_on: dt.date | None = None
) -> Document:
    """The review page's main button: record a passed review and publish in one step."""
    record_review(actor, document, ReviewDecision.PASSED, note, reviewed_on)
    return publish(actor, document)


@transaction.atomic
def revise(
    actor: Any,
    document: Document,
    data: DocumentInput,
    reason: str,
    *,
    review_note: str = "",
    new_files: Sequence[Any] = (),
    remove_attachment_ids: Iterable[int] = (),
) -> Document:
    """Publish a corrected version: a new revision under the same index number.

    The reviser (a reviewer or head) records the confidentiality review of the new content in the
    same step. Validity changes go through :func:`change_validity`, not here.
    """
    _require(actor, document.agency, PUBLISH_ROLES, _("修订已发布信息"))
    document = _locked(document)
    _expect_status(document, DocumentStatus.PUBLISHED)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写修订说明。"), code="required", field="reason")
    data.validity, data.invalid_on = document.validity, document.invalid_on
    data.abolished_by_text = document.abolished_by_text
    data = clean_input(document.agency, data)
    checked = [check_file(f) for f in new_files]
    before = _snapshot(document)
    _apply(document, data)
    removed = list(
        document.attachments.filter(pk__in=list(remove_attachment_ids), removed_at__isnull=True)
    )
    for attachment in removed:
        attachment.removed_at = now()
        attachment.save(update_fields=["removed_at"])
    for item in checked:
        _store_attachment(actor, document, item)
    _check_ready(document)
    at = now()
    document.revision += 1
    document.save()
    review = ConfidentialityReview.objects.create(
        document=document,
        reviewer=actor,
        reviewer_name=actor.get_full_name() or actor.get_username(),
        decision=ReviewDecision.PASSED,
        note=(review_note or "").strip(),
        reviewed_on=today(),
        fingerprint=document.content_fingerprint(),
        for_revision=document.revision,
    )
    _record_revision(actor, document, reason, at)
    audit.record(
        actor,
        AuditAction.REVISE,
        document,
        before=before,
        after=_snapshot(document),
        extra={
            "reason": reason,
            "review": review.pk,
            "attachments_removed": [a.pk for a in removed],
            "attachments_added": [c.original_name for c in checked],
        },
    )
    schedule_sync(document.pk)
    pagecache.invalidate()
    return document


@transaction.atomic
def change_validity(
    actor: Any,
    document: Document,
    validity: str,
    on: dt.date,
    *,
    abolished_by: Document | None = None,
    abolished_by_text: str = "",
) -> Document:
    """Mark a published document 已废止 (with the abolishing document) or 已失效, from ``on``."""
    _require(actor, document.agency, PUBLISH_ROLES, _("变更文件有效性"))
    document = _locked(document)
    _expect_status(document, DocumentStatus.PUBLISHED)
    if validity not in (Validity.ABOLISHED, Validity.EXPIRED):
        raise DomainError(
            _("请选择“已废止”或“已失效”。"), code="invalid_validity", field="validity"
        )
    if document.validity != Validity.IN_FORCE:
        raise DomainError(
            _("该文件已标记为“%(validity)s”。") % {"validity": document.get_validity_display()},
            code="already_invalid",
        )
    if on is None:
        raise DomainError(_("请填写废止或失效日期。"), code="required", field="invalid_on")
    if on > today():
        raise DomainError(_("废止或失效日期不能晚于今天。"), code="future_date", field="invalid_on")
    start = document.written_on or document.published_on
    if start and on < start:
        raise DomainError(
            _("废止或失效日期不能早于文件的成文日期。"), code="invalid_date", field="invalid_on"
        )
    abolished_by_text = (abolished_by_text or "").strip()
    if abolished_by is not None:
        if abolished_by.pk == document.pk:
            raise DomainError(_("文件不能废止自身。"), field="abolished_by")
        if not abolished_by.is_published:
            raise DomainError(_("废止文件须为已发布的文件。"), field="abolished_by")
    if validity == Validity.ABOLISHED and abolished_by is None and not abolished_by_text:
        raise DomainError(
            _("已废止的文件须注明废止它的文件（选择本平台的文件或填写名称及文号）。"),
            code="required",
            field="abolished_by",
        )
    before = _snapshot(document)
    document.validity = validity
    document.invalid_on = on
    document.abolished_by = abolished_by
    document.abolished_by_text = abolished_by_text
    document.save(
        update_fields=["validity", "invalid_on", "abolished_by", "abolished_by_text", "updated_at"]
    )
    audit.record(actor, AuditAction.VALIDITY, document, before=before, after=_snapshot(document))
    schedule_sync(document.pk)
    pagecache.invalidate()
    return document


@transaction.atomic
def withdraw(actor: Any, document: Document, reason: str) -> Document:
    """Take a published document off the portal (撤回) with a reason; it is kept, not deleted."""
    _require(actor, document.agency, PUBLISH_ROLES, _("撤回已发布信息"))
    document = _locked(document)
    _expect_status(document, DocumentStatus.PUBLISHED)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写撤回原因。"), code="required", field="reason")
    before = _snapshot(document)
    document.status = DocumentStatus.WITHDRAWN
    document.withdrawn_at = now()
    document.withdrawal_reason = reason
    document.save(update_fields=["status", "withdrawn_at", "withdrawal_reason", "updated_at"])
    audit.record(
        actor,
        AuditAction.WITHDRAW,
        document,
        before=before,
        after=_snapshot(document),
        extra={"reason": reason},
    )
    schedule_sync(document.pk)
    pagecache.invalidate()
    return document


# --- interpretations -----------------------------------------------------------------------------


@transaction.atomic
def link_interpretation(actor: Any, document: Document, interpretation: Document) -> Interpretation:
    """Link a policy interpretation (政策解读) to the document it interprets (三同步)."""
    _require(actor, document.agency, EDIT_ROLES, _("关联政策解读"))
    _require(actor, interpretation.agency, EDIT_ROLES, _("关联政策解读"))
    if document.pk == interpretation.pk:
        raise DomainError(_("文件不能解读自身。"), field="interpretation")
    for doc in (document, interpretation):
        if doc.status == DocumentStatus.WITHDRAWN:
            raise DomainError(
                _("“%(title)s”已撤回，不能关联。") % {"title": doc.title}, field="interpretation"
            )
    if Interpretation.objects.filter(document=document, interpretation=interpretation).exists():
        raise DomainError(_("已关联该解读。"), code="duplicate", field="interpretation")
    if Interpretation.objects.filter(document=interpretation, interpretation=document).exists():
        raise DomainError(
            _("两份文件已是反向的解读关系。"), code="duplicate", field="interpretation"
        )
    link = Interpretation.objects.create(
        document=document, interpretation=interpretation, created_by=actor
    )
    audit.record(
        actor,
        AuditAction.LINK,
        document,
        extra={"interpretation": interpretation.pk, "title": interpretation.title},
    )
    schedule_sync(document.pk)
    pagecache.invalidate()
    return link


@transaction.atomic
def unlink_interpretation(actor: Any, link: Interpretation) -> None:
    """Remove a wrong link (the two documents stay as they are)."""
    _require(actor, link.document.agency, EDIT_ROLES, _("取消关联政策解读"))
    audit.record(
        actor,
        AuditAction.UNLINK,
        link.document,
        extra={"interpretation": link.interpretation_id, "title": link.interpretation.title},
    )
    link.delete()
    pagecache.invalidate()


# --- import ------------------------------------------------------------------------------------


def historical_instant(day: dt.date) -> dt.datetime:
    """The instant used for a publication known only by its date (00:00 Asia/Shanghai)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=SHANGHAI)


def import_published(
    actor: Any,
    agency: Agency,
    data: DocumentInput,
    *,
    published_on: dt.date,
    index_number: str = "",
    external_key: str,
    review_note: str,
    files: Sequence[CheckedFile] = (),
) -> Document:
    """Record a document that an old website already published (migration, demo data).

    The publication date and, when known, the index number come from the old site; a passed
    review is recorded with ``review_note`` naming the source. Runs in the caller's transaction.
    """
    if actor is not None:
        _require(actor, agency, IMPORT_ROLES, _("导入已公开信息"))
    if published_on > today():
        raise DomainError(_("发布日期不能晚于今天。"), code="future_date", field="published_on")
    data = clean_input(agency, data)
    document = Document(agency=agency, external_key=external_key, created_by=actor)
    _apply(document, data)
    if document.formed_or_changed_on is None:
        document.formed_or_changed_on = document.written_on or published_on
    document.save()
    for checked in files:
        _store_attachment(actor, document, checked)
    ConfidentialityReview.objects.create(
        document=document,
        reviewer=actor,
        reviewer_name=(actor.get_full_name() or actor.get_username()) if actor else _("系统"),
        decision=ReviewDecision.PASSED,
        note=review_note,
        reviewed_on=published_on,
        fingerprint=document.content_fingerprint(),
        for_revision=1,
    )
    _record_publication(
        actor, document, historical_instant(published_on), published_on, index_number or None
    )
    audit.record(
        actor, AuditAction.IMPORT, document, after=_snapshot(document), extra={"key": external_key}
    )
    return document
