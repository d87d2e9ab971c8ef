"""``gongkai privacy``: personal data at rest.

``gongkai privacy rotate-keys``
    Re-encrypt every encrypted value (identity numbers, telephones, complaint contacts) under the
    first key of ``GONGKAI_FIELD_KEYS`` and recompute the blind indexes. Rotation: put the new key
    first, run this, then remove the old key (docs/operations.md).

``gongkai privacy erase [--dry-run] [--before YYYY-MM-DD]``
    Erase the applicants' personal data of requests closed before the retention cut-off
    (``GONGKAI_RETENTION_YEARS``, default 3 years ago; ``--before`` may only be earlier).
    Prints the counts; ``--dry-run`` changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gongkai.applications import privacy
from gongkai.core import crypto, dates
from gongkai.core.errors import DomainError


class Command(BaseCommand):
    help = "个人信息：gongkai privacy rotate-keys | erase [--dry-run] [--before 日期]"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="rotate-keys|erase")
        actions.add_parser(
            "rotate-keys", help=_("用 GONGKAI_FIELD_KEYS 的第一个密钥重新加密全部个人信息")
        )
        erase = actions.add_parser("erase", help=_("删除超过保存期限的已办结申请的申请人个人信息"))
        erase.add_argument("--dry-run", action="store_true", help=_("只统计，不删除"))
        erase.add_argument(
            "--before",
            help=_("删除此日期（YYYY-MM-DD）之前办结的申请的个人信息；默认按保存期限计算"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "rotate-keys":
            self._rotate()
        else:
            self._erase(options)

    def _rotate(self) -> None:
        try:
            counts = crypto.rotate_keys()
        except crypto.DecryptionError as exc:
            raise CommandError(str(exc)) from exc
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count}")
        self.stdout.write(_("已用第一个密钥重新加密 %(n)d 行。") % {"n": sum(counts.values())})

    def _erase(self, options: dict[str, Any]) -> None:
        before = None
        if options.get("before"):
            try:
                before = dates.parse_date(options["before"], field="before")
            except DomainError as exc:
                raise CommandError(exc.message) from exc
        try:
            result = privacy.erase(
                today=dates.today(), before=before, dry_run=options["dry_run"], actor=None
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        template = (
            _(
                "试运行：%(before)s 前办结的 %(requests)d 件申请、%(attachments)d 个附件将被删除个人信息。"
            )
            if result.dry_run
            else _(
                "已删除 %(before)s 前办结的 %(requests)d 件申请的个人信息和 %(attachments)d 个附件。"
            )
        )
        self.stdout.write(
            template
            % {
                "before": result.before.isoformat(),
                "requests": result.requests,
                "attachments": result.attachments,
            }
        )
