"""Intake of disclosure requests (政府信息公开申请的受理登记): the one way an application is created.

The public form, the staff registration of requests that arrived by post, in person, by fax or
e-mail, and the API all call :func:`create_application`. It checks what article 29 of the
Regulations requires an application to contain —

  第二十九条第二款 政府信息公开申请应当包括下列内容：(一)申请人的姓名或者名称、身份证明、
  联系方式；(二)申请公开的政府信息的名称、文号或者便于行政机关查询的其他特征性描述；
  (三)申请公开的政府信息的形式要求，包括获取信息的方式、途径。

— plus the applicant type that the annual report counts (table 3: 自然人 and five kinds of legal
persons and other organisations), and records the channel's receipt facts so that the legal
receipt date follows article 31 (not the web form's timestamp). Everything is written in one
transaction: the row, the ``submitted`` event and the attachments; on any error nothing is kept.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from gongkai.agencies.models import Agency
from gongkai.applications import receipt, uploads
from gongkai.applications.models import (
    ApplicantType,
    Application,
    Attachment,
    Channel,
    Delivery,
    Event,
    EventType,
    FormWanted,
    IdType,
)
from gongkai.core import dates
from gongkai.core.errors import DomainError
from gongkai.core.files import save_upload
from gongkai.core.identity import validate_credit_code, validate_resident_id

logger = logging.getLogger(__name__)

#: Crockford's base-32 alphabet (no I, L, O, U): easy to read out over the phone.
TRACKING_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TRACKING_LENGTH = 8
TRACKING_RE = re.compile(rf"^GK-\d{{4}}-[{TRACKING_ALPHABET}]{{{TRACKING_LENGTH}}}$")
SECRET_MIN_LENGTH = 6
SECRET_MAX_LENGTH = 128
DESCRIPTION_MAX_LENGTH = 5000

#: The applicant fields of :class:`Application`, in form order.
APPLICANT_FIELDS = (
    "applicant_type",
    "applicant_name",
    "id_type",
    "id_number",
    "contact_person",
    "phone",
    "email",
    "address",
    "postcode",
    "description",
    "document_hint",
    "form_wanted",
    "delivery",
)

PERSON_ID_TYPES = (IdType.RESIDENT_ID, IdType.PASSPORT, IdType.OTHER_PERSONAL)
ORGANISATION_ID_TYPES = (IdType.CREDIT_CODE, IdType.OTHER_ORGANISATION)

_MOBILE_RE = re.compile(r"^(?:\+?86)?1[3-9]\d{9}$")
_LANDLINE_RE = re.compile(r"^(?:\+?86)?0\d{2,3}\d{7,8}(?:(?:转|ext|#)\d{1,6})?$")
_PASSPORT_RE = re.compile(r"^[A-Z0-9]{5,20}$")
_POSTCODE_RE = re.compile(r"^\d{6}$")
_PHONE_SEPARATORS = re.compile(r"[\s\-()（）]")

_MAX_LENGTHS = {
    "applicant_name": 100,
    "id_number": 40,
    "contact_person": 50,
    "address": 200,
    "document_hint": 300,
    "description": DESCRIPTION_MAX_LENGTH,
}


class ApplicantInvalid(DomainError):
    """Applicant data failed validation. ``field``/``message`` name the first problem;
    ``details["errors"]`` maps every failing field to its Chinese message."""

    code = "invalid_application"


def normalize_phone(value: str) -> str:
    return _PHONE_SEPARATORS.sub("", (value or "").strip()).replace("＋", "+")


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    return "" if value is None else str(value).strip()


def clean_applicant(data: Mapping[str, Any]) -> dict[str, str]:
    """Validate and normalise the applicant part of a request (条例第二十九条).

    Returns a dict with exactly :data:`APPLICANT_FIELDS`. Raises :class:`ApplicantInvalid`
    listing every failing field with a Chinese message.
    """
    errors: dict[str, str] = {}
    out = {name: _text(data, name) for name in APPLICANT_FIELDS}

    def fail(name: str, message: str) -> None:
        errors.setdefault(name, message)

    applicant_type = out["applicant_type"]
    if applicant_type not in ApplicantType.values:
        fail("applicant_type", _("请选择申请人类型：自然人，或法人、其他组织的类别。"))
    is_person = applicant_type == ApplicantType.NATURAL_PERSON

    if not out["applicant_name"]:
        fail(
            "applicant_name",
            _("请填写申请人姓名。") if is_person else _("请填写法人或者其他组织的名称。"),
        )

    id_type = out["id_type"]
    allowed_ids = PERSON_ID_TYPES if is_person else ORGANISATION_ID_TYPES
    if id_type not in IdType.values:
        fail("id_type", _("请选择身份证明的类型。"))
    elif applicant_type in ApplicantType.values and id_type not in allowed_ids:
        fail(
            "id_type",
            _("自然人请选择居民身份证、护照或其他个人身份证件。")
            if is_person
            else _("法人或者其他组织请选择统一社会信用代码或其他组织证明。"),
        )
    number = out["id_number"]
    if not number:
        fail("id_number", _("请填写证件号码（身份证明是申请的必备内容）。"))
    elif "id_type" not in errors:
        try:
            if id_type == IdType.RESIDENT_ID:
                out["id_number"] = validate_resident_id(number, field="id_number")
            elif id_type == IdType.CREDIT_CODE:
                out["id_number"] = validate_credit_code(number, field="id_number")
            elif id_type == IdType.PASSPORT:
                out["id_number"] = number.replace(" ", "").upper()
                if not _PASSPORT_RE.match(out["id_number"]):
                    fail("id_number", _("护照号码应为5至20位字母或数字。"))
        except DomainError as exc:
            fail("id_number", exc.message)

    if not is_person and applicant_type in ApplicantType.values and not out["contact_person"]:
        fail("contact_person", _("法人或者其他组织请填写联系人。"))

    phone = normalize_phone(out["phone"])
    out["phone"] = phone
    if not phone:
        fail("phone", _("请填写联系电话。"))
    elif not (_MOBILE_RE.match(phone) or _LANDLINE_RE.match(phone)):
        fail(
            "phone",
            _("联系电话格式不正确：请填写11位手机号码，或带区号的固定电话（如 0482-8226001）。"),
        )

    form_wanted, delivery = out["form_wanted"], out["delivery"]
    if form_wanted not in FormWanted.values:
        fail("form_wanted", _("请选择获取信息的形式。"))
    if delivery not in Delivery.values:
        fail("delivery", _("请选择获取信息的方式。"))

    email = out["email"]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            fail("email", _("电子邮箱格式不正确。"))
    elif form_wanted == FormWanted.EMAIL or delivery == Delivery.EMAIL:
        fail("email", _("选择通过电子邮件获取信息时，请填写电子邮箱。"))

    if delivery == Delivery.POST and not out["address"]:
        fail("address", _("选择邮寄时，请填写通信地址。"))
    if out["postcode"] and not _POSTCODE_RE.match(out["postcode"]):
        fail("postcode", _("邮政编码应为6位数字。"))

    if not out["description"]:
        fail("description", _("请描述所需的政府信息（名称、文号或者便于查询的其他特征）。"))

    for name, limit in _MAX_LENGTHS.items():
        if len(out[name]) > limit:
            fail(name, _("内容过长：最多 %(limit)d 个字。") % {"limit": limit})

    if errors:
        first = next(name for name in APPLICANT_FIELDS if name in errors)
        raise ApplicantInvalid(errors[first], field=first, details={"errors": errors})
    return out


def check_secret(secret: str) -> str:
    """The applicant's query password (查询密码): at least 6 characters."""
    if len(secret or "") < SECRET_MIN_LENGTH:
        raise DomainError(
            _("查询密码至少 %(n)d 位。") % {"n": SECRET_MIN_LENGTH},
            code="secret_too_short",
            field="secret",
        )
    if len(secret) > SECRET_MAX_LENGTH:
        raise DomainError(_("查询密码过长。"), code="secret_too_long", field="secret")
    return secret


def new_tracking_code(year: int) -> str:
    """``GK-YYYY-XXXXXXXX``: 8 random characters (40 bits) from :data:`TRACKING_ALPHABET`."""
    tail = "".join(secrets.choice(TRACKING_ALPHABET) for _i in range(TRACKING_LENGTH))
    return f"GK-{year:04d}-{tail}"


def normalize_tracking_code(value: str) -> str:
    """Upper-case, trimmed, with the look-alikes of Crockford base 32 mapped (O→0, I/L→1)."""
    code = (value or "").strip().upper().replace(" ", "")
    if code.startswith("GK-") and len(code) > 8:
        head, tail = code[:8], code[8:]
        code = head + tail.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    return code


def _received_on(
    channel: str,
    arrived_at: dt.datetime,
    signed_on: dt.date | None,
    confirmed_on: dt.date | None,
) -> dt.date | None:
    """The legal receipt date (条例第三十一条), by :func:`receipt.receipt_date`."""
    return receipt.receipt_date(
        channel, arrived_at=arrived_at, signed_on=signed_on, confirmed_on=confirmed_on
    )


def _refresh_clock(application: Application) -> None:
    # Imported here: services imports this module (staff registration goes through intake).
    from gongkai.applications.services import refresh_clock

    try:
        refresh_clock(application)
    except DomainError:
        # The application exists; the clock records its own error (e.g. a missing calendar
        # year) and is recomputed when the calendar changes.
        logger.exception("could not refresh the clock of %s", application.tracking_code)


def _existing(submission_token: str | None, agency: Agency) -> Application | None:
    if not submission_token:
        return None
    found = Application.objects.filter(submission_token=submission_token).first()
    if found is not None and found.agency_id != agency.pk:
        raise DomainError(_("表单已提交过，请重新打开申请页面。"), code="submission_token_reused")
    return found


def _store_attachments(
    application: Application, checked: Iterable[uploads.CheckedUpload], stored: list[str]
) -> None:
    for upload in checked:
        attachment = Attachment(
            application=application,
            original_name=upload.original_name,
            stored_name=upload.stored_name(),
            content_type=upload.content_type,
            size=upload.size,
            sha256=upload.sha256,
        )
        upload.file.seek(0)
        # A full disk: StorageFull (a DomainError), the partial file removed (gongkai.core.files).
        save_upload(attachment.file, attachment.stored_name, File(upload.file))
        stored.append(attachment.file.name)
        attachment.save()


def create_application(
    agency: Agency,
    *,
    applicant: Mapping[str, Any],
    channel: str,
    arrived_at: dt.datetime,
    signed_on: dt.date | None = None,
    confirmed_on: dt.date | None = None,
    actor=None,
    attachments: Iterable[Any] = (),
    secret: str | None = None,
    submission_token: str | None = None,
) -> Application:
    """Create one application with its ``submitted`` event and attachments (条例第二十九条).

    - ``applicant``: the :data:`APPLICANT_FIELDS` (checked by :func:`clean_applicant`).
    - ``channel``/``arrived_at``/``signed_on``/``confirmed_on``: the receipt facts; the legal
      receipt date is derived from them per article 31 (online and fax: the day both sides
      confirm, so ``None`` until the office confirms).
    - ``attachments``: uploaded files (checked by :func:`uploads.check_uploads`).
    - ``secret``: the applicant's query password, stored hashed.
    - ``submission_token``: a one-time token of the form; submitting the same token again (a
      double click, a retried request, two concurrent posts) returns the application created
      by the first submission instead of creating a second one.

    Raises :class:`DomainError` (``field`` set) with a Chinese message; nothing is saved then.
    """
    existing = _existing(submission_token, agency)
    if existing is not None:
        return existing
    if not getattr(agency, "is_active", True):
        raise DomainError(_("该机构目前不接受政府信息公开申请。"), code="agency_inactive")
    fields = clean_applicant(applicant)
    if channel not in Channel.values:
        raise DomainError(_("请选择申请渠道。"), code="invalid_channel", field="channel")
    if arrived_at is None or arrived_at.tzinfo is None:
        raise DomainError(_("到达时间须含时区。"), code="invalid_arrived_at", field="arrived_at")
    if secret is not None and secret != "":
        check_secret(secret)
    checked = uploads.check_uploads(attachments)
    received_on = _received_on(channel, arrived_at, signed_on, confirmed_on)
    arrived_on = dates.local_date(arrived_at)

    application: Application | None = None
    for _attempt in range(8):
        stored: list[str] = []
        tracking_code = new_tracking_code(arrived_on.year)
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    agency=agency,
                    tracking_code=tracking_code,
                    secret_hash=make_password(secret) if secret else "",
                    submission_token=submission_token or None,
                    channel=channel,
                    arrived_at=arrived_at,
                    signed_on=signed_on,
                    confirmed_on=confirmed_on,
                    received_on=received_on,
                    created_by=actor if getattr(actor, "pk", None) else None,
                    **fields,
                )
                Event.objects.create(
                    application=application,
                    type=EventType.SUBMITTED,
                    on=arrived_on,
                    actor=actor if getattr(actor, "pk", None) else None,
                    data={"channel": channel, "attachments": len(checked)},
                )
                _store_attachments(application, checked, stored)
            break
        except IntegrityError:
            _delete_files(stored)
            application = None
            again = _existing(submission_token, agency)
            if again is not None:
                return again
            if Application.objects.filter(tracking_code=tracking_code).exists():
                continue  # the tracking code collided (40 random bits): draw another one
            raise
        except BaseException:
            _delete_files(stored)
            raise
    if application is None:  # pragma: no cover - 8 collisions of 40 random bits
        raise DomainError(_("暂时无法生成查询码，请稍后再试。"), code="tracking_code_exhausted")
    _refresh_clock(application)
    return application


def _delete_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        try:
            default_storage.delete(name)
        except OSError:  # pragma: no cover - best effort cleanup
            logger.warning("could not delete %s after a failed intake", name)
