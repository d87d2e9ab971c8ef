"""``gongkai tick``: the daily work on disclosure requests (see :mod:`gongkai.applications.periodic`).

Run it once a day from cron or a systemd timer (docs/operations.md). It is idempotent and
catch-up safe: running it twice sends nothing twice; running it after missed days handles every
deadline that passed meanwhile. ``--today 2026-03-02`` runs it as of another day (tests, catch-up
after restoring a backup).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gongkai.applications.periodic import tick
from gongkai.core.dates import parse_date
from gongkai.core.errors import DomainError
from gongkai.supervision import periodic as supervision


class Command(BaseCommand):
    help = _(
        "每日例行任务：重新计算依申请公开答复期限，终止逾期不补正、逾期未缴费的申请，"
        "向承办人发送黄灯、红灯提醒邮件；刷新督办任务红黄绿灯和栏目更新检查并提醒责任人。可重复运行。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help=_("按哪一天运行（YYYY-MM-DD，默认今天）"))
        parser.add_argument("--no-email", action="store_true", help=_("不发送提醒邮件"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = parse_date(options["today"], field="today") if options["today"] else None
            report = tick(today, send_email=not options["no_email"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for line in report.lines():
            self.stdout.write(line)
        try:
            supervision_report = supervision.run(report.today, send_email=not options["no_email"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        for line in supervision_report.lines():
            self.stdout.write(line)
        if report.failed:
            raise CommandError(_("有 %(n)d 项未能完成，详见上文。") % {"n": len(report.failed)})
