"""Issuing letters: what a request can have, preview, issue, void, read back the stored bytes.

Issuing (:func:`issue`) — decision recorded in ``docs/decisions.md``:

1. Outside any transaction: compose the letter strictly (the step happened, the template is
   valid, every required value is there, the review body and the 发文代字 are known) and choose
   the PDF fonts (a missing font refuses here). These are the failures users cause; none of them
   touches the counter.
2. In one transaction: allocate the number (row lock on the series counter), render the DOCX and
   the PDF *with the number* in memory, store both files, create the :class:`Letter` linked to
   the event and the request, void the letter it replaces if asked, write the audit entry. Any
   failure — a renderer crash included — rolls the transaction back, so the number is not
   consumed, and the files written so far are deleted. The counter row stays locked for one
   rendering (well under a second); on SQLite the whole database's write lock is held for that
   time, which suits a county-sized installation.

An issued letter is never re-rendered: downloads serve the stored bytes after checking their
SHA-256 (:func:`read_bytes`).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.agencies.scoping import has_role
from gongkai.applications.models import Application, Event
from gongkai.core.errors import DomainError, PermissionDeniedError
from gongkai.letters import content, fonts, kinds, numbering
from gongkai.letters.kinds import KindSpec, StepMissing
from gongkai.letters.models import Letter
from gongkai.letters.permissions import ISSUE_ROLES
from gongkai.letters.rendering.docx import render_docx
from gongkai.letters.rendering.pdf import render_html, render_pdf
from gongkai.site import audit

logger = logging.getLogger(__name__)

audit.register_action("letters.issue", gettext_lazy("出具文书"))
audit.register_action("letters.void", gettext_lazy("作废文书"))

FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
VOID_REASON_MAX = 300


class LetterRenderError(DomainError):
    code = "letter_render_failed"
    status = 500


class LetterIntegrityError(DomainError):
    code = "letter_integrity"
    status = 500


class AlreadyIssued(DomainError):
    code = "letter_already_issued"
    status = 409


# --- what a request can have --------------------------------------------------------------------


def history(application: Application) -> list[Event]:
    """The request's events in log order."""
    return list(application.events.order_by("on", "id"))


@dataclass
class Offer:
    """A letter kind that an event allows, with the letters already issued for it."""

    event: Event
    spec: KindSpec
    letters: list[Letter] = field(default_factory=list)

    @property
    def valid_letters(self) -> list[Letter]:
        return [letter for letter in self.letters if not letter.is_void]


def offers(application: Application, events: list[Event] | None = None) -> list[Offer]:
    """Every (event, kind) pair of ``application`` that may have a letter, oldest first."""
    events = events if events is not None else history(application)
    issued: dict[tuple[int, str], list[Letter]] = {}
    for letter in Letter.objects.filter(application=application).order_by("issued_at", "id"):
        issued.setdefault((letter.event_id, letter.kind), []).append(letter)
    result = []
    for event in events:
        for spec in kinds.kinds_for_event(application, event, events):
            result.append(Offer(event, spec, issued.get((event.pk, spec.code), [])))
    return result


def letters_of(application: Application) -> QuerySet[Letter]:
    return Letter.objects.filter(application=application).order_by("issued_at", "id")


def public_letters(application: Application) -> list[Letter]:
    """The letters the applicant may download on the tracking page (addressed to them)."""
    return list(
        Letter.objects.filter(application=application, to_applicant=True).order_by(
            "issued_at", "id"
        )
    )


# --- preview ------------------------------------------------------------------------------------


def _event_of(application: Application, event_id: int | Event) -> Event:
    if isinstance(event_id, Event):
        event = event_id
    else:
        event = Event.objects.filter(pk=event_id).first()
    if event is None or event.application_id != application.pk:
        raise StepMissing(_("所选办理记录不属于该申请。"))
    return event


def preview(
    application: Application,
    event: Event | int,
    kind_code: str,
    *,
    inputs: Mapping[str, Any] | None = None,
    replaces: Letter | None = None,
) -> content.Draft:
    """A draft for the browser preview: missing values show as placeholders and problems."""
    spec = kinds.get(kind_code)
    event = _event_of(application, event)
    return content.compose(
        spec, application, event, inputs=inputs, history=history(application), replaces=replaces
    )


def preview_html(draft: content.Draft) -> str:
    """The HTML of a draft (same layout as the PDF; official font names for the browser)."""
    return render_html(draft.document)


# --- issue --------------------------------------------------------------------------------------


def can_issue(user: Any, application: Application) -> bool:
    return has_role(user, application.agency, ISSUE_ROLES)


def _require_issuer(actor: Any, application: Application) -> None:
    if not can_issue(actor, application):
        raise PermissionDeniedError(_("只有本机关的公开专员或负责人可以出具、作废文书。"))


def _check_replaces(spec: KindSpec, application: Application, replaces: Letter | None) -> None:
    if replaces is None:
        return
    if replaces.application_id != application.pk or replaces.kind != spec.code:
        raise DomainError(_("更正文书须与原文书属于同一申请、同一种类。"), code="bad_replaces")
    if Letter.objects.valid().filter(replaces=replaces).exists():
        raise AlreadyIssued(
            _("%(number)s已有更正文书，请在最新的文书上更正。") % {"number": replaces.number}
        )


def _check_not_issued(
    spec: KindSpec, application: Application, event: Event, replaces: Letter | None
) -> None:
    if replaces is not None:
        return
    valid = Letter.objects.valid().filter(application=application, kind=spec.code)
    if not spec.once_per_application:
        valid = valid.filter(event=event)
    existing = valid.order_by("issued_at").first()
    if existing is not None:
        raise AlreadyIssued(
            _("已出具%(kind)s（%(number)s）。如需更正，请在原文书页面选择“更正”。")
            % {"kind": spec.label, "number": existing.number}
        )


def _file_name(letter_agency_code: str, year: int, series: str, serial: int, ext: str) -> str:
    token = secrets.token_hex(6)
    return f"letters/{letter_agency_code}/{year}/{series}-{serial}-{token}.{ext}"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _render(document, plan: fonts.FontPlan) -> tuple[bytes, bytes]:
    try:
        return render_docx(document), render_pdf(document, plan)
    except DomainError:
        raise
    except Exception as exc:
        logger.exception("rendering letter %s failed", document.number)
        raise LetterRenderError(
            _("生成文书文件失败（%(error)s），文书未出具，编号未占用。")
            % {"error": type(exc).__name__}
        ) from exc


def issue(
    application: Application,
    event: Event | int,
    kind_code: str,
    *,
    inputs: Mapping[str, Any] | None,
    actor: Any,
    replaces: Letter | None = None,
    void_replaced: bool = False,
    void_reason: str = "",
) -> Letter:
    """Number, render, store and record one letter (see the module docstring).

    Raises :class:`~gongkai.letters.kinds.StepMissing`, ``TemplateInvalid``,
    ``LetterIncomplete``, ``FontMissing``, :class:`AlreadyIssued`, :class:`LetterRenderError`
    or ``PermissionDeniedError``; then nothing is stored and no number is consumed.
    """
    spec = kinds.get(kind_code)
    _require_issuer(actor, application)
    event = _event_of(application, event)
    _check_replaces(spec, application, replaces)
    void_reason = (void_reason or "").strip()
    if replaces is not None and void_replaced:
        if not void_reason:
            raise DomainError(_("作废原文书须填写作废原因。"), field="void_reason")
        if replaces.is_void:
            void_replaced = False
    _check_not_issued(spec, application, event, replaces)
    events = history(application)
    draft = content.compose(
        spec, application, event, inputs=inputs, history=events, replaces=replaces, strict=True
    )
    plan = fonts.plan()
    agency = application.agency
    year = draft.letter_date.year
    saved: list[str] = []
    try:
        with transaction.atomic():
            serial = numbering.allocate(agency, spec.series, year)
            _check_not_issued(spec, application, event, replaces)
            number = numbering.format_number(draft.series_code, year, serial)
            document = draft.document.with_number(number)
            docx_bytes, pdf_bytes = _render(document, plan)
            docx_name = default_storage.save(
                _file_name(agency.code, year, spec.series, serial, "docx"), ContentFile(docx_bytes)
            )
            saved.append(docx_name)
            pdf_name = default_storage.save(
                _file_name(agency.code, year, spec.series, serial, "pdf"), ContentFile(pdf_bytes)
            )
            saved.append(pdf_name)
            letter = Letter(
                agency=agency,
                application=application,
                event=event,
                kind=spec.code,
                series=spec.series,
                year=year,
                serial=serial,
                number=number,
                title=draft.document.title[-1],
                recipient=draft.recipient[:200],
                letter_date=draft.letter_date,
                to_applicant=spec.to_applicant,
                content={"document": document.as_json(), "inputs": draft.inputs},
                template_source=draft.template.snapshot(),
                template_origin=draft.template.origin[:100],
                fonts=plan.record[:300],
                docx_sha256=_sha256(docx_bytes),
                docx_size=len(docx_bytes),
                pdf_sha256=_sha256(pdf_bytes),
                pdf_size=len(pdf_bytes),
                replaces=replaces,
                issued_by=actor if getattr(actor, "pk", None) else None,
            )
            letter.docx.name = docx_name
            letter.pdf.name = pdf_name
            letter.save()
            if replaces is not None and void_replaced:
                _void(replaces, actor=actor, reason=void_reason, replaced_by=letter)
            audit.record(
                actor,
                "letters.issue",
                letter,
                extra={
                    "number": number,
                    "kind": spec.code,
                    "application": application.tracking_code,
                    "event": event.pk,
                    "pdf_sha256": letter.pdf_sha256,
                    "docx_sha256": letter.docx_sha256,
                    "replaces": replaces.number if replaces is not None else None,
                },
            )
    except BaseException:
        for name in saved:
            try:
                default_storage.delete(name)
            except OSError:  # pragma: no cover - best effort
                logger.warning("could not delete %s after a failed issue", name)
        raise
    return letter


# --- void and read back -------------------------------------------------------------------------


def _void(letter: Letter, *, actor: Any, reason: str, replaced_by: Letter | None = None) -> Letter:
    letter.voided_at = timezone.now()
    letter.voided_by = actor if getattr(actor, "pk", None) else None
    letter.void_reason = reason[:VOID_REASON_MAX]
    letter.save(update_fields=["voided_at", "voided_by", "void_reason"])
    audit.record(
        actor,
        "letters.void",
        letter,
        extra={
            "number": letter.number,
            "reason": letter.void_reason,
            "replaced_by": replaced_by.number if replaced_by is not None else None,
        },
    )
    return letter


def void(letter: Letter, *, actor: Any, reason: str) -> Letter:
    """Void an issued letter (作废). Its number stays recorded and is never reused."""
    reason = (reason or "").strip()
    _require_issuer(actor, letter.application)
    if not reason:
        raise DomainError(_("请填写作废原因。"), field="reason")
    if len(reason) > VOID_REASON_MAX:
        raise DomainError(_("作废原因不能超过%(n)d个字。") % {"n": VOID_REASON_MAX}, field="reason")
    with transaction.atomic():
        locked = Letter.objects.select_for_update().get(pk=letter.pk)
        if locked.is_void:
            raise DomainError(_("该文书已作废。"), code="letter_already_void")
        return _void(locked, actor=actor, reason=reason)


def read_bytes(letter: Letter, fmt: str) -> bytes:
    """The stored bytes of the letter's ``fmt`` file, checked against their SHA-256."""
    if fmt not in FORMATS:
        raise DomainError(_("不支持的文件格式。"), code="bad_format")
    stored = letter.pdf if fmt == "pdf" else letter.docx
    expected = letter.pdf_sha256 if fmt == "pdf" else letter.docx_sha256
    try:
        with default_storage.open(stored.name, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise LetterIntegrityError(
            _("文书文件缺失，请联系系统管理员（%(number)s）。") % {"number": letter.number}
        ) from exc
    if _sha256(data) != expected:
        logger.error("letter %s: %s checksum mismatch", letter.pk, fmt)
        raise LetterIntegrityError(
            _("文书文件校验失败（SHA-256 不一致），请联系系统管理员（%(number)s）。")
            % {"number": letter.number}
        )
    return data


def download_name(letter: Letter, fmt: str) -> str:
    return f"{letter.number}{letter.title}.{fmt}"
