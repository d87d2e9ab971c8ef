"""Erasing applicants' personal data after the retention period (个人信息保存期限).

A request closed (answered, terminated or withdrawn) more than ``settings.GONGKAI_RETENTION_YEARS``
years ago loses the applicant's personal data: name (replaced by ``（已删除）``), identity number,
contact person, telephone, e-mail, postal address and postcode, and the files the applicant
uploaded. Everything the statistics need stays: applicant type, identity *type*, channel, dates,
status, outcome, events and appeals, so the annual report of any year is the same before and
after (docs/decisions.md, "Retention of applicants' personal data"). Requests with a pending
administrative review or lawsuit are kept until it is decided.

Letters already issued (公文, kept under the archival rules) and the audit log are not touched.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.applications.models import Appeal, AppealResult, Application, Attachment, StatusChoice
from gongkai.core.errors import DomainError
from gongkai.site import audit

#: The name an erased request shows.
ERASED_NAME = "（已删除）"
#: The applicant fields erased, with the value they get.
ERASED_FIELDS: dict[str, str] = {
    "applicant_name": ERASED_NAME,
    "id_number": "",
    "contact_person": "",
    "phone": "",
    "email": "",
    "address": "",
    "postcode": "",
}
#: Statuses of finished requests (``closed_on`` is the reply, termination or withdrawal date).
FINISHED_STATUSES = (StatusChoice.REPLIED, StatusChoice.CLOSED, StatusChoice.WITHDRAWN)

ERASE_ACTION = "application.erase_personal_data"
audit.register_action(ERASE_ACTION, gettext_lazy("按保存期限删除申请人个人信息"))


@dataclass
class ErasureResult:
    """What :func:`erase` did (or, with ``dry_run``, would do)."""

    before: dt.date
    dry_run: bool
    requests: int = 0
    attachments: int = 0
    tracking_codes: list[str] = field(default_factory=list)


def retention_cutoff(today: dt.date, years: int | None = None) -> dt.date:
    """The first closing date still within the retention period: requests closed *before* it are
    erased. ``years`` defaults to ``settings.GONGKAI_RETENTION_YEARS`` (29 February → 28th)."""
    years = settings.GONGKAI_RETENTION_YEARS if years is None else years
    if years < 0:
        raise DomainError(_("保存期限不能为负数。"), code="invalid_retention")
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def erasable(before: dt.date) -> QuerySet[Application]:
    """Finished requests closed before ``before`` whose personal data is still there and that
    have no pending review or lawsuit."""
    pending = Appeal.objects.filter(result=AppealResult.PENDING).values("application_id")
    return (
        Application.objects.filter(
            personal_data_erased_on__isnull=True,
            status__in=FINISHED_STATUSES,
            closed_on__lt=before,
        )
        .exclude(pk__in=pending)
        .order_by("closed_on", "pk")
    )


def erase(
    *,
    today: dt.date,
    before: dt.date | None = None,
    dry_run: bool = False,
    actor: Any = None,
) -> ErasureResult:
    """Erase the personal data of every :func:`erasable` request closed before ``before``
    (default: :func:`retention_cutoff` of ``today``; a later date is refused). Idempotent: erased
    requests are skipped. Each erased request gets an audit entry (without the erased values)."""
    cutoff = retention_cutoff(today)
    if before is None:
        before = cutoff
    elif before > cutoff:
        raise DomainError(
            _("%(date)s 晚于保存期限（%(years)d年）的截止日 %(cutoff)s，不能提前删除个人信息。")
            % {
                "date": before.isoformat(),
                "years": settings.GONGKAI_RETENTION_YEARS,
                "cutoff": cutoff.isoformat(),
            },
            code="within_retention",
            field="before",
        )
    result = ErasureResult(before=before, dry_run=dry_run)
    for pk in list(erasable(before).values_list("pk", flat=True)):
        with transaction.atomic():
            app = erasable(before).select_for_update().filter(pk=pk).first()
            if app is None:  # erased meanwhile by a concurrent run
                continue
            attachments = list(Attachment.objects.filter(application=app))
            result.requests += 1
            result.attachments += len(attachments)
            result.tracking_codes.append(app.tracking_code)
            if dry_run:
                continue
            _erase_one(app, attachments, today, actor, before)
    return result


def _erase_one(
    app: Application, attachments: list[Attachment], today: dt.date, actor: Any, before: dt.date
) -> None:
    for name, value in ERASED_FIELDS.items():
        setattr(app, name, value)
    app.personal_data_erased_on = today
    app.save(update_fields=[*ERASED_FIELDS, "id_number_index", "personal_data_erased_on"])
    files = [(a.file.storage, a.file.name) for a in attachments if a.file.name]
    Attachment.objects.filter(pk__in=[a.pk for a in attachments]).delete()
    # Files go only once the rows are gone for good.
    transaction.on_commit(lambda: _delete_files(files))
    audit.record(
        actor,
        ERASE_ACTION,
        app,
        extra={
            "fields": sorted(ERASED_FIELDS),
            "attachments": len(attachments),
            "closed_on": app.closed_on,
            "before": before,
        },
    )


def _delete_files(files: list[tuple[Any, str]]) -> None:
    for storage, name in files:
        storage.delete(name)
