"""``gongkai clock explain FILE``: compute a request's reply deadline from a JSON event log.

Input (FILE, or ``-`` for standard input)::

    {"received_on": "2026-02-13",
     "events": [{"type": "correction_requested", "on": "2026-02-16", "deadline": "2026-03-06"},
                {"type": "correction_received", "on": "2026-03-04"},
                {"type": "consultation_opened", "on": "2026-03-10", "party": "third_party",
                 "party_received_on": "2026-03-12"},
                {"type": "consultation_closed", "on": "2026-03-20"},
                {"type": "extension_granted", "on": "2026-04-01", "workdays": 20},
                {"type": "art35_deadline", "on": "…", "due_on": "…"},
                {"type": "reply_issued", "on": "…", "outcome": "disclosed"}],
     "today": "2026-04-02"}

Every key of an event other than ``type`` and ``on`` goes into the event's data; ``today`` is
optional (also ``--today``). Output: JSON with ``due_on``, ``status``, ``paused`` (list of
[from, to]), ``explanation`` (Chinese sentences) and the other fields of
:meth:`gongkai.applications.clock.ClockResult.as_json`. The rules are those of
:mod:`gongkai.applications.clock`, the same function that backs the explanation panel.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils.translation import gettext as _

from gongkai.applications.clock import ClockEvent, compute
from gongkai.core.dates import parse_date
from gongkai.core.errors import DomainError
from gongkai.workdays.calendar import WorkdayCalendar, get_calendar, national_calendar


class Command(BaseCommand):
    help = "依申请公开答复期限：gongkai clock explain 文件（“-”表示从标准输入读取）"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="explain")
        explain = actions.add_parser(
            "explain", help=_("根据事项记录（JSON）计算答复期限，并逐日说明计算过程")
        )
        explain.add_argument("file", help=_("JSON 文件路径，“-”表示标准输入"))
        explain.add_argument(
            "--today", help=_("按哪一天计算（YYYY-MM-DD，默认今天），影响逾期和尚未结束的暂停")
        )
        explain.add_argument(
            "--national",
            action="store_true",
            help=_("只用内置的全国节假日安排，不读取数据库中的调整（无需数据库）"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        document = self._read(options["file"])
        received_on, events, today = self._parse(document)
        if options.get("today"):
            today = self._date(options["today"], "--today")
        calendar = self._calendar(national=options.get("national", False))
        try:
            result = compute(received_on, events, calendar, today=today)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False, indent=2))

    # ----------------------------------------------------------------------------------------

    def _read(self, name: str) -> Any:
        try:
            if name == "-":
                text = sys.stdin.read()
            else:
                text = Path(name).read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise CommandError(_("找不到文件：%(name)s") % {"name": name}) from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(
                _("无法读取文件 %(name)s：%(error)s") % {"name": name, "error": exc}
            ) from exc
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(
                _("输入不是有效的 JSON（第%(line)d行第%(col)d列）：%(msg)s")
                % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}
            ) from exc

    def _date(self, value: Any, where: str) -> Any:
        if not isinstance(value, str):
            raise CommandError(
                _("%(where)s：日期应为 YYYY-MM-DD 格式的字符串。") % {"where": where}
            )
        try:
            return parse_date(value)
        except DomainError as exc:
            raise CommandError(f"{where}：{exc.message}") from exc

    def _parse(self, document: Any) -> tuple[Any, list[ClockEvent], Any]:
        if not isinstance(document, dict):
            raise CommandError(_("输入应为 JSON 对象，包含 received_on 和 events。"))
        if "received_on" not in document:
            raise CommandError(_("缺少 received_on（收到申请之日）。"))
        received_on = self._date(document["received_on"], "received_on")
        raw_events = document.get("events", [])
        if not isinstance(raw_events, list):
            raise CommandError(_("events 应为事项列表。"))
        events: list[ClockEvent] = []
        for number, raw in enumerate(raw_events, start=1):
            where = _("第%(n)d个事项") % {"n": number}
            if not isinstance(raw, dict):
                raise CommandError(_("%(where)s应为 JSON 对象。") % {"where": where})
            if "type" not in raw or "on" not in raw:
                raise CommandError(_("%(where)s缺少 type 或 on。") % {"where": where})
            on = self._date(raw["on"], f"{where}（on）")
            data = {key: value for key, value in raw.items() if key not in ("type", "on")}
            events.append(ClockEvent(type=raw["type"], on=on, data=data))
        today = document.get("today")
        if today is not None:
            today = self._date(today, "today")
        return received_on, events, today

    def _calendar(self, *, national: bool) -> WorkdayCalendar:
        if national:
            return national_calendar()
        try:
            return get_calendar()
        except DatabaseError as exc:
            raise CommandError(
                _(
                    "无法从数据库读取节假日日历（%(error)s）。请先运行 gongkai migrate，"
                    "或加 --national 只使用内置的全国节假日安排。"
                )
                % {"error": exc}
            ) from exc
