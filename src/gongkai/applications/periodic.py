"""Daily work on disclosure requests, run by ``gongkai tick`` (cron or a systemd timer).

1. Recompute the cached clock of every request still being handled (a pause still running moves
   its provisional due date every day; a changed setting or calendar is picked up).
2. Close requests whose applicant deadline passed: 逾期不补正 (条例第三十条, 其他处理-1) and
   逾期未缴费 (国办函〔2020〕109号, 其他处理-2), dated the first day after the deadline.
3. Remind the person handling each yellow or red request by e-mail (the assignee, or the
   agency's officers while unassigned): one digest per person, each request at most once per
   light per day.

Idempotent and catch-up safe: requests are selected by "deadline before today", not "yesterday",
so a run after a missed week closes what the missed runs would have closed; a reminder is claimed
with a conditional ``UPDATE … WHERE last_alert <> key`` before its e-mail is sent, so a second run
(or a concurrent one) sends nothing twice. E-mails are sent outside any transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from gongkai.agencies.models import Membership, Role
from gongkai.applications import services
from gongkai.applications.ledger import light_of
from gongkai.applications.models import Application
from gongkai.core import dates
from gongkai.core.dates import format_chinese_date
from gongkai.core.errors import DomainError

logger = logging.getLogger(__name__)

ALERT_LIGHTS = ("yellow", "red")


@dataclass
class TickReport:
    today: dt.date
    recomputed: int = 0
    closed_correction: int = 0
    closed_fee: int = 0
    failed: list[str] = field(default_factory=list)
    alerted: int = 0
    emails: int = 0
    unreachable: int = 0
    """Reminders with nobody to send them to (no assignee or officer with an e-mail address)."""

    def lines(self) -> list[str]:
        out = [
            _("日期：%(day)s") % {"day": format_chinese_date(self.today)},
            _("重新计算期限：%(n)d 件") % {"n": self.recomputed},
            _("逾期不补正，终止处理：%(n)d 件") % {"n": self.closed_correction},
            _("逾期未缴费，终止处理：%(n)d 件") % {"n": self.closed_fee},
            _("黄灯、红灯提醒：%(n)d 件，发出邮件 %(m)d 封")
            % {"n": self.alerted, "m": self.emails},
        ]
        if self.unreachable:
            out.append(
                _("其中 %(n)d 件没有可接收提醒的邮箱（承办人或本机关公开专员未填写电子邮箱）")
                % {"n": self.unreachable}
            )
        out.extend(self.failed)
        return out


def alert_key(light: str, today: dt.date) -> str:
    """The value of ``Application.last_alert`` once a reminder for ``light`` was sent today."""
    return f"{light}:{today.isoformat()}"


def expire_deadlines(today: dt.date, report: TickReport) -> None:
    for application in Application.objects.expired(today).select_related("agency").order_by("id"):
        try:
            event = services.close_expired(application, today)
        except DomainError as exc:
            report.failed.append(
                _("%(code)s 无法终止处理：%(message)s")
                % {"code": application.tracking_code, "message": exc.message}
            )
            continue
        if event is None:
            continue
        if event.data.get("outcome") == "other_correction_overdue":
            report.closed_correction += 1
        else:
            report.closed_fee += 1


def _officer_emails(agency_ids: set[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    memberships = (
        Membership.objects.filter(agency_id__in=agency_ids, role=Role.OFFICER, user__is_active=True)
        .exclude(user__email="")
        .values_list("agency_id", "user__email")
        .order_by("user__email")
    )
    for agency_id, email in memberships:
        if email not in found[agency_id]:
            found[agency_id].append(email)
    return found


def _alert_line(application: Application, light: str, today: dt.date) -> str:
    path = reverse("applications_staff:detail", args=[application.pk])
    site = settings.GONGKAI_SITE_URL.rstrip("/")
    state = _("已逾期") if light == "red" else _("即将到期")
    return _("【%(state)s】%(code)s %(name)s（%(agency)s），答复期限%(due)s\n  %(url)s") % {
        "state": state,
        "code": application.tracking_code,
        "name": application.applicant_name,
        "agency": application.agency.display_name,
        "due": format_chinese_date(application.due_on),
        "url": f"{site}{path}",
    }


def send_alerts(today: dt.date, report: TickReport) -> None:
    candidates = (
        Application.objects.running()
        .filter(Q(due_on__lt=today) | Q(yellow_on__lte=today) | Q(yellow_on__isnull=True))
        .select_related("agency", "assigned_to")
        .order_by("due_on", "id")
    )
    claimed: list[tuple[Application, str]] = []
    for application in candidates:
        light = light_of(application, today)
        if light not in ALERT_LIGHTS:
            continue
        key = alert_key(light, today)
        if application.last_alert == key:
            continue
        # Claim the reminder: only the run whose UPDATE changes the row sends it.
        won = (
            Application.objects.filter(pk=application.pk)
            .exclude(last_alert=key)
            .update(last_alert=key)
        )
        if won:
            claimed.append((application, light))
    if not claimed:
        return
    report.alerted = len(claimed)
    unassigned = {a.agency_id for a, _light in claimed if a.assigned_to_id is None}
    officers = _officer_emails(unassigned) if unassigned else {}
    digests: dict[str, list[str]] = defaultdict(list)
    for application, light in claimed:
        assignee = application.assigned_to
        if assignee is not None and assignee.email and assignee.is_active:
            recipients = [assignee.email]
        else:
            recipients = officers.get(application.agency_id, [])
        if not recipients:
            report.unreachable += 1
        for recipient in recipients:
            digests[recipient].append(_alert_line(application, light, today))
    for recipient, lines in sorted(digests.items()):
        subject = _("【政府信息公开】%(n)d件申请即将到期或已逾期（%(day)s）") % {
            "n": len(lines),
            "day": format_chinese_date(today),
        }
        body = "\n".join(
            [
                _("以下政府信息公开申请需要尽快办理（条例第三十三条：答复期限为20个工作日）："),
                "",
                *lines,
                "",
                _("此邮件由 gongkai tick 自动发送，每件申请每种提醒每天至多一次。"),
            ]
        )
        try:
            send_mail(subject, body, None, [recipient])
        except Exception:  # one failing address must not stop the others
            logger.exception("could not send the reminder to %s", recipient)
            report.failed.append(_("提醒邮件发送失败：%(to)s") % {"to": recipient})
            continue
        report.emails += 1


def tick(today: dt.date | None = None, *, send_email: bool = True) -> TickReport:
    """One pass of the daily work for ``today`` (default: the legal today)."""
    today = today or dates.today()
    report = TickReport(today)
    report.recomputed = services.recompute(today=today)
    expire_deadlines(today, report)
    if send_email:
        send_alerts(today, report)
    return report
