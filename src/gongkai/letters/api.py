"""Staff JSON API of letters (文书) — personal token, scoped by the user's memberships.

- ``GET /staff/requests/{id}/letters``: the letters a request can have (per step, with the
  officer-editable parts) and those already issued;
- ``POST /staff/requests/{id}/letters``: issue one through :func:`gongkai.letters.services.issue`
  (numbered, rendered to DOCX and PDF, stored; the same checks as the console: the step happened,
  every required value is there, not issued twice, officer or head of the agency);
- ``GET /staff/letters/{id}`` and ``/pdf`` / ``/docx``: metadata and the stored bytes (checked
  against their SHA-256); ``POST /staff/letters/{id}/void``: void with a reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal
from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.responses import Status

from gongkai.agencies.api import absolute
from gongkai.agencies.scoping import get_in_scope_or_404
from gongkai.apitokens.auth import actor
from gongkai.apitokens.schemas import Input, responses
from gongkai.applications.models import Application, Event, EventType
from gongkai.letters import kinds, services
from gongkai.letters.models import Letter
from gongkai.letters.permissions import READ_ROLES

staff_router = Router(tags=["文书（工作人员）"])

STAFF = {"auth": True}


class LetterOut(Schema):
    id: int
    number: str = Field(..., description="发文字号")
    kind: str
    title: str
    recipient: str
    letter_date: dt.date
    to_applicant: bool
    request_id: int
    tracking_code: str
    event_id: int
    issued_at: dt.datetime
    issued_by: str | None
    voided_at: dt.datetime | None
    void_reason: str
    replaces: int | None = Field(None, description="所更正的文书 id")
    pdf_sha256: str
    pdf_size: int
    docx_sha256: str
    docx_size: int
    pdf_url: str
    docx_url: str

    @staticmethod
    def resolve_request_id(obj: Letter) -> int:
        return obj.application_id

    @staticmethod
    def resolve_tracking_code(obj: Letter) -> str:
        return obj.application.tracking_code

    @staticmethod
    def resolve_issued_by(obj: Letter) -> str | None:
        user = obj.issued_by
        return (user.get_full_name() or user.get_username()) if user else None

    @staticmethod
    def resolve_replaces(obj: Letter) -> int | None:
        return obj.replaces_id

    @staticmethod
    def resolve_pdf_url(obj: Letter, context: Any) -> str:
        path = reverse("api:staff_letter_file", kwargs={"letter_id": obj.pk, "fmt": "pdf"})
        return absolute(context, path)

    @staticmethod
    def resolve_docx_url(obj: Letter, context: Any) -> str:
        path = reverse("api:staff_letter_file", kwargs={"letter_id": obj.pk, "fmt": "docx"})
        return absolute(context, path)


class FieldOut(Schema):
    name: str
    label: str
    required: bool
    multiline: bool
    max_length: int
    choices: list[list[str]]


class OfferOut(Schema):
    event_id: int
    event_type: EventType
    event_on: dt.date
    kind: str
    label: str
    legal_basis: str
    fields: list[FieldOut] = Field(..., description="出具时可填写的内容（inputs 的键）")
    issued: list[str] = Field(..., description="已出具且未作废的文书编号")


class RequestLettersOut(Schema):
    request_id: int
    may_issue: bool
    offers: list[OfferOut]
    letters: list[LetterOut]


class IssueIn(Input):
    event_id: int = Field(..., ge=1, description="办理记录 id（见 offers）")
    kind: str = Field(..., max_length=60, description="文书种类代码（见 offers）")
    inputs: dict[str, str] = Field(default_factory=dict, description="可填写的内容：字段名 → 文字")
    replaces: int | None = Field(None, ge=1, description="更正的原文书 id")
    void_replaced: bool = Field(False, description="同时作废原文书")
    void_reason: str = Field("", max_length=300)


class VoidIn(Input):
    reason: str = Field(..., max_length=services.VOID_REASON_MAX)


def _application(request: HttpRequest, request_id: int) -> Application:
    return get_in_scope_or_404(
        Application.objects.select_related("agency", "agency__parent"),
        actor(request),
        roles=READ_ROLES,
        pk=request_id,
    )


def _letter(request: HttpRequest, letter_id: int) -> Letter:
    return get_in_scope_or_404(
        Letter.objects.select_related("agency", "application", "issued_by", "replaces"),
        actor(request),
        roles=READ_ROLES,
        pk=letter_id,
    )


def _offer(offer: services.Offer) -> dict[str, Any]:
    spec = offer.spec
    return {
        "event_id": offer.event.pk,
        "event_type": offer.event.type,
        "event_on": offer.event.on,
        "kind": spec.code,
        "label": spec.label,
        "legal_basis": spec.legal_basis,
        "fields": [
            {
                "name": f.name,
                "label": f.label,
                "required": f.required,
                "multiline": f.multiline,
                "max_length": f.max_length,
                "choices": [list(choice) for choice in f.choices],
            }
            for f in spec.fields
        ],
        "issued": [letter.number for letter in offer.valid_letters],
    }


@staff_router.get(
    "/requests/{int:request_id}/letters",
    response=responses({200: RequestLettersOut}, **STAFF),
    summary="一件申请可出具和已出具的文书",
)
def request_letters(request: HttpRequest, request_id: int) -> dict[str, Any]:
    application = _application(request, request_id)
    events = services.history(application)
    letters = services.letters_of(application).select_related(
        "application", "issued_by", "replaces"
    )
    return {
        "request_id": application.pk,
        "may_issue": services.can_issue(actor(request), application),
        "offers": [_offer(offer) for offer in services.offers(application, events)],
        "letters": list(letters),
    }


@staff_router.post(
    "/requests/{int:request_id}/letters",
    response=responses({201: LetterOut}, extra=(409,), **STAFF),
    summary="出具文书（编号、生成 DOCX 和 PDF 并存档）",
)
def issue_letter(request: HttpRequest, request_id: int, payload: IssueIn) -> Status:
    application = _application(request, request_id)
    event = Event.objects.filter(pk=payload.event_id, application=application).first()
    if event is None:
        raise Http404
    kinds.get(payload.kind)  # unknown kind: 404 letter_kind_unknown
    replaces = None
    if payload.replaces is not None:
        replaces = Letter.objects.filter(pk=payload.replaces, application=application).first()
        if replaces is None:
            raise Http404
    letter = services.issue(
        application,
        event,
        payload.kind,
        inputs=payload.inputs,
        actor=actor(request),
        replaces=replaces,
        void_replaced=payload.void_replaced,
        void_reason=payload.void_reason,
    )
    return Status(201, _letter(request, letter.pk))


@staff_router.get(
    "/letters/{int:letter_id}", response=responses({200: LetterOut}, **STAFF), summary="文书信息"
)
def get_letter(request: HttpRequest, letter_id: int) -> Letter:
    return _letter(request, letter_id)


@staff_router.post(
    "/letters/{int:letter_id}/void",
    response=responses({200: LetterOut}, **STAFF),
    summary="作废文书（编号保留不再使用）",
)
def void_letter(request: HttpRequest, letter_id: int, payload: VoidIn) -> Letter:
    letter = _letter(request, letter_id)
    services.void(letter, actor=actor(request), reason=payload.reason)
    return _letter(request, letter_id)


@staff_router.get(
    "/letters/{int:letter_id}/{fmt}",
    response=responses({200: None}, **STAFF),
    summary="下载文书文件（出具时存档的原件）",
    url_name="staff_letter_file",
    openapi_extra={
        "responses": {
            200: {
                "description": "文件原件；X-Content-SHA256 为其 SHA-256",
                "content": {
                    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {
                        "schema": {"type": "string", "format": "binary"}
                    },
                },
            }
        }
    },
)
def letter_file(request: HttpRequest, letter_id: int, fmt: Literal["pdf", "docx"]) -> HttpResponse:
    letter = _letter(request, letter_id)
    data = services.read_bytes(letter, fmt)
    response = HttpResponse(data, content_type=services.FORMATS[fmt])
    name = services.download_name(letter, fmt)
    response["Content-Disposition"] = (
        f"attachment; filename=\"letter.{fmt}\"; filename*=UTF-8''{quote(name)}"
    )
    response["X-Content-SHA256"] = letter.pdf_sha256 if fmt == "pdf" else letter.docx_sha256
    return response
