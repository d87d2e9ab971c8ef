"""``gongkai supervision …``: supervision commands.

::

    gongkai supervision tick [--today 2026-11-23] [--no-email]

``tick`` refreshes the traffic lights of open tasks, the website inspection state of every
catalogue column, and e-mails the owners of yellow and red tasks (at most once per light per
day; see :mod:`gongkai.supervision.periodic`). Run it daily from cron or a systemd timer; it is
idempotent and catch-up safe.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gongkai.core.dates import parse_date
from gongkai.core.errors import DomainError
from gongkai.supervision.periodic import run


class Command(BaseCommand):
    help = _("督查督办：tick（刷新预警灯和栏目检查结果，向黄灯、红灯任务的责任人发送提醒邮件）")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{tick}")
        tick = actions.add_parser("tick", help=_("每日例行任务，可重复运行"))
        tick.add_argument("--today", help=_("按哪一天运行（YYYY-MM-DD，默认今天）"))
        tick.add_argument("--no-email", action="store_true", help=_("不发送提醒邮件"))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] != "tick":  # pragma: no cover - argparse refuses other actions
            raise CommandError(_("未知的子命令。"))
        try:
            today = parse_date(options["today"], field="today") if options["today"] else None
            summary = run(today, send_email=not options["no_email"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for line in summary.lines():
            self.stdout.write(line)
        if summary.failed:
            raise CommandError(_("有 %(n)d 项未能完成，详见上文。") % {"n": len(summary.failed)})
