"""Complaints from the public about a unit's disclosure work (投诉、举报).

条例第四十七条第二款: 「公民、法人或者其他组织认为行政机关未按照要求主动公开政府信息或者对政府信息公开
申请不依法答复处理的，可以向政府信息公开工作主管部门提出。政府信息公开工作主管部门查证属实的，应当予以
督促整改或者通报批评。」 第五十一条: complaints to the body one level up or to the supervising office.

The supervising office registers each complaint (staff registration; no public form yet), assigns
it to someone (in the office or in the unit concerned), and answers it with a finding
(查证属实 / 部分属实 / 不属实). Complaints are counted per unit on the dashboard and, when
substantiated, in the assessment. Supervisors of the receiving agency (or above) handle them;
the assignee may answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from gongkai.agencies.models import Agency, Membership, Role
from gongkai.agencies.scoping import agencies_for, has_role
from gongkai.core import dates
from gongkai.core.errors import DomainError, PermissionDeniedError
from gongkai.site import audit
from gongkai.supervision.models import (
    Complaint,
    ComplaintCategory,
    ComplaintFinding,
    ComplaintStatus,
)

HANDLER_ROLES = frozenset({Role.SUPERVISOR})
FIELDS = ["status", "assigned_to_id", "finding", "reply", "replied_on"]


def complaints_for(user: Any) -> QuerySet[Complaint]:
    """Complaints about units in the user's supervisor scope, or assigned to the user."""
    if user is None or not user.is_authenticated:
        return Complaint.objects.none()
    return Complaint.objects.filter(
        Q(unit__in=agencies_for(user, HANDLER_ROLES).values("pk")) | Q(assigned_to=user)
    )


def _require(actor: Any, agency: Agency) -> None:
    if not has_role(actor, agency, HANDLER_ROLES):
        raise PermissionDeniedError(_("只有政府信息公开工作主管部门的主管可以办理投诉举报。"))


@transaction.atomic
def register(
    actor: Any,
    *,
    receiving_agency: Agency,
    unit: Agency,
    complainant: str,
    contact: str,
    category: str,
    text: str,
    received_on: dt.date,
) -> Complaint:
    _require(actor, receiving_agency)
    if not unit.path.startswith(receiving_agency.path):
        raise DomainError(_("被投诉单位不在本机关的监督范围内。"), field="unit")
    if category not in ComplaintCategory.values:
        raise DomainError(_("请选择投诉事项。"), field="category")
    if not complainant.strip() or not contact.strip() or not text.strip():
        raise DomainError(_("请填写投诉人、联系方式和投诉内容。"), field="text")
    if received_on > dates.today():
        raise DomainError(_("收到日期不能晚于今天。"), field="received_on")
    complaint = Complaint.objects.create(
        receiving_agency=receiving_agency,
        unit=unit,
        complainant=complainant.strip(),
        contact=contact.strip(),
        category=category,
        text=text.strip(),
        received_on=received_on,
        created_by=actor,
    )
    audit.record(
        actor,
        "supervision.complaint_create",
        complaint,
        agency=receiving_agency,
        after=audit.snapshot(complaint, ["unit_id", "category", "received_on"]),
    )
    return complaint


def assignee_candidates(complaint: Complaint) -> QuerySet:
    members = Membership.objects.filter(
        agency__in=[complaint.receiving_agency_id, complaint.unit_id]
    ).values("user_id")
    return get_user_model().objects.filter(pk__in=members, is_active=True).order_by("username")


@transaction.atomic
def assign(actor: Any, complaint: Complaint, user: Any) -> Complaint:
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    _require(actor, complaint.receiving_agency)
    if complaint.status == ComplaintStatus.REPLIED:
        raise DomainError(_("该投诉已答复。"), code="replied")
    if not assignee_candidates(complaint).filter(pk=user.pk).exists():
        raise DomainError(_("承办人须是受理机关或被投诉单位的工作人员。"), field="assigned_to")
    before = audit.snapshot(complaint, FIELDS)
    complaint.assigned_to = user
    complaint.status = ComplaintStatus.ASSIGNED
    complaint.save(update_fields=["assigned_to", "status", "updated_at"])
    audit.record(
        actor,
        "supervision.complaint_assign",
        complaint,
        agency=complaint.receiving_agency,
        before=before,
        after=audit.snapshot(complaint, FIELDS),
    )
    return complaint


@transaction.atomic
def answer(
    actor: Any, complaint: Complaint, *, reply: str, finding: str, replied_on: dt.date
) -> Complaint:
    complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
    is_assignee = complaint.assigned_to_id is not None and complaint.assigned_to_id == getattr(
        actor, "pk", None
    )
    if not is_assignee:
        _require(actor, complaint.receiving_agency)
    if complaint.status == ComplaintStatus.REPLIED:
        raise DomainError(_("该投诉已答复。"), code="replied")
    if not reply.strip():
        raise DomainError(_("请填写答复内容。"), field="reply")
    if finding not in ComplaintFinding.values or not finding:
        raise DomainError(_("请选择核查结论。"), field="finding")
    if replied_on < complaint.received_on or replied_on > dates.today():
        raise DomainError(_("答复日期应在收到日期与今天之间。"), field="replied_on")
    before = audit.snapshot(complaint, FIELDS)
    complaint.reply = reply.strip()
    complaint.finding = finding
    complaint.replied_on = replied_on
    complaint.status = ComplaintStatus.REPLIED
    complaint.save()
    audit.record(
        actor,
        "supervision.complaint_reply",
        complaint,
        agency=complaint.receiving_agency,
        before=before,
        after=audit.snapshot(complaint, FIELDS),
    )
    return complaint
