"""E-mails about supervision tasks: to the owner of a responsible unit, or, while a unit has no
owner, to the unit's officers, heads and supervisors (direct memberships with an e-mail address).
Sent after the transaction commits, by id; a failing address is logged and never stops the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _

from gongkai.agencies.models import Membership, Role
from gongkai.core.dates import format_chinese_date
from gongkai.supervision.models import ActionKind, TaskAction, TaskUnit

logger = logging.getLogger(__name__)

CONTACT_ROLES = (Role.OFFICER, Role.HEAD, Role.SUPERVISOR)


def recipients(units: Iterable[TaskUnit]) -> dict[int, list[str]]:
    """``{unit id: [e-mail, …]}``: the owner, else the unit's contact people (2 queries)."""
    units = list(units)
    result: dict[int, list[str]] = {}
    without_owner = set()
    for unit in units:
        owner = unit.owner
        if owner is not None and owner.is_active and owner.email:
            result[unit.pk] = [owner.email]
        else:
            without_owner.add(unit.agency_id)
    contacts: dict[int, list[str]] = {}
    if without_owner:
        rows = (
            Membership.objects.filter(
                agency_id__in=without_owner, role__in=CONTACT_ROLES, user__is_active=True
            )
            .exclude(user__email="")
            .values_list("agency_id", "user__email")
            .order_by("user__email")
        )
        for agency_id, email in rows:
            emails = contacts.setdefault(agency_id, [])
            if email not in emails:
                emails.append(email)
    for unit in units:
        if unit.pk not in result:
            result[unit.pk] = contacts.get(unit.agency_id, [])
    return result


def task_url(task_id: int) -> str:
    site = getattr(settings, "GONGKAI_SITE_URL", "").rstrip("/")
    return site + reverse("supervision_staff:task", args=[task_id])


def send(recipient: str, subject: str, body: str) -> bool:
    try:
        send_mail(subject, body, None, [recipient])
    except Exception:  # one failing address must not stop the others
        logger.exception("could not send a supervision e-mail to %s", recipient)
        return False
    return True


def notify_action(action_id: int) -> int:
    """E-mail the units concerned by an urge (催办) or follow-up (盯办); returns e-mails sent."""
    action = (
        TaskAction.objects.select_related("task", "task__supervising_agency", "unit")
        .filter(pk=action_id)
        .first()
    )
    if action is None or action.kind not in (ActionKind.URGE, ActionKind.FOLLOW_UP):
        return 0
    task = action.task
    units = (
        [action.unit]
        if action.unit_id
        else list(task.units.select_related("owner", "agency").order_by("id"))
    )
    addresses = sorted({email for emails in recipients(units).values() for email in emails})
    subject = _("【%(kind)s】%(task)s（完成时限%(due)s）") % {
        "kind": action.get_kind_display(),
        "task": f"{task.number} {task.title}"[:80],
        "due": format_chinese_date(task.due_on),
    }
    body = "\n".join(
        [
            _("%(agency)s对以下督办任务%(kind)s：")
            % {"agency": task.supervising_agency.name, "kind": action.get_kind_display()},
            "",
            f"{task.year}年 {task.number} {task.title}",
            _("完成时限：%(due)s") % {"due": format_chinese_date(task.due_on)},
            _("意见：%(text)s") % {"text": action.text},
            "",
            task_url(task.pk),
        ]
    )
    return sum(1 for address in addresses if send(address, subject, body))
