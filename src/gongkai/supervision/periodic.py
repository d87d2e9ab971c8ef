"""Daily work of supervision, run by ``gongkai supervision tick`` (and by ``gongkai tick`` once
the lead adds the one line ``supervision.periodic.run(today)`` there).

1. Refresh the cached light of every open task and its units for ``today`` (a light changes with
   the calendar, not only on events: a due date comes near, a month ends without a report).
2. Refresh the website inspection cache (:mod:`gongkai.supervision.inspection`) of every agency.
3. E-mail the owners (else the contact people) of yellow and red units: one digest per person,
   each unit at most once per light per day.

Idempotent and catch-up safe: lights are recomputed from the dates, not moved one step per run;
a reminder is claimed with a conditional ``UPDATE … WHERE last_alert <> key`` before the e-mail is
sent, so a second or concurrent run sends nothing twice. E-mails go out outside any transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from gongkai.agencies.models import Agency
from gongkai.core import dates
from gongkai.core.dates import format_chinese_date
from gongkai.supervision import inspection, notify
from gongkai.supervision.models import SupervisionTask, TaskStatus, TaskUnit
from gongkai.supervision.tasks import refresh_lights

ALERT_LIGHTS = ("yellow", "red")


@dataclass
class Summary:
    today: dt.date
    tasks_changed: int = 0
    units_changed: int = 0
    columns_checked: int = 0
    column_counts: dict[str, int] = field(default_factory=dict)
    alerted: int = 0
    emails: int = 0
    unreachable: int = 0
    """Alerted units with nobody to mail (no owner, no contact with an e-mail address)."""
    failed: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        counts = self.column_counts
        return [
            _("督查督办：%(day)s") % {"day": format_chinese_date(self.today)},
            _("预警灯变化：任务 %(t)d 项，责任单位 %(u)d 个")
            % {"t": self.tasks_changed, "u": self.units_changed},
            _("栏目检查：%(n)d 个栏目，未按期更新 %(s)d，应更新未更新 %(w)d，空白 %(b)d")
            % {
                "n": self.columns_checked,
                "s": counts.get("stale", 0),
                "w": counts.get("should_update", 0),
                "b": counts.get("blank", 0),
            },
            _("黄灯、红灯提醒：%(n)d 个责任单位，发出邮件 %(m)d 封，无人可通知 %(u)d 个")
            % {"n": self.alerted, "m": self.emails, "u": self.unreachable},
            *self.failed,
        ]


def alert_key(light: str, today: dt.date) -> str:
    return f"{light}:{today.isoformat()}"


def send_alerts(today: dt.date, summary: Summary) -> None:
    candidates = (
        TaskUnit.objects.filter(task__status=TaskStatus.OPEN, light__in=ALERT_LIGHTS)
        .select_related("task", "agency", "owner")
        .order_by("task__due_on", "id")
    )
    claimed: list[TaskUnit] = []
    for unit in candidates:
        key = alert_key(unit.light, today)
        if unit.last_alert == key:
            continue
        won = TaskUnit.objects.filter(pk=unit.pk).exclude(last_alert=key).update(last_alert=key)
        if won:
            claimed.append(unit)
    if not claimed:
        return
    summary.alerted = len(claimed)
    addresses = notify.recipients(claimed)
    digests: dict[str, list[str]] = defaultdict(list)
    for unit in claimed:
        state = _("已逾期（红灯，盯办）") if unit.light == "red" else _("需催办（黄灯）")
        line = _(
            "【%(state)s】%(year)d年 %(number)s %(title)s（%(unit)s），完成时限%(due)s\n  %(url)s"
        ) % {
            "state": state,
            "year": unit.task.year,
            "number": unit.task.number,
            "title": unit.task.title,
            "unit": unit.agency.display_name,
            "due": format_chinese_date(unit.task.due_on),
            "url": notify.task_url(unit.task_id),
        }
        if not addresses.get(unit.pk):
            summary.unreachable += 1
        for address in addresses.get(unit.pk, []):
            digests[address].append(line)
    for address, lines in sorted(digests.items()):
        subject = _("【督查督办】%(n)d项任务需要办理（%(day)s）") % {
            "n": len(lines),
            "day": format_chinese_date(today),
        }
        body = "\n".join(
            [
                _("以下督办任务即将到期、缺少月度进展报告或已逾期，请尽快办理并报告进展："),
                "",
                *lines,
                "",
                _("此邮件由 gongkai supervision tick 自动发送，每项任务每种提醒每天至多一次。"),
            ]
        )
        if notify.send(address, subject, body):
            summary.emails += 1
        else:
            summary.failed.append(_("提醒邮件发送失败：%(to)s") % {"to": address})


def run(today: dt.date | None = None, *, send_email: bool = True) -> Summary:
    """One pass of the daily supervision work for ``today`` (default: the legal today)."""
    today = today or dates.today()
    summary = Summary(today)
    change = refresh_lights(SupervisionTask.objects.open(), today)
    summary.tasks_changed, summary.units_changed = change.tasks, change.units
    result = inspection.refresh(Agency.objects.all(), today)
    summary.columns_checked = result.checked
    summary.column_counts = result.counts or {}
    if send_email:
        send_alerts(today, summary)
    return summary
