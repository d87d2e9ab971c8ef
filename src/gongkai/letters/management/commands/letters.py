"""``gongkai letters verify [--agency CODE]``: check every issued letter's stored files against
their SHA-256; ``gongkai letters kinds``: list the letter kinds with their steps and articles.

``verify`` prints one line per problem and exits non-zero when any file is missing or altered
(issued letters are never regenerated, so a mismatch means the stored bytes were changed).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gongkai.core.errors import DomainError
from gongkai.letters import kinds, services
from gongkai.letters.models import Letter


class Command(BaseCommand):
    help = "文书：gongkai letters verify（校验已出具文书的文件）| gongkai letters kinds（文书种类）"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="verify|kinds")
        verify = actions.add_parser("verify", help=_("校验已出具文书的 DOCX、PDF 文件与 SHA-256"))
        verify.add_argument("--agency", help=_("只校验该机构编码的文书"))
        actions.add_parser("kinds", help=_("列出文书种类、对应的办理步骤和依据"))

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "kinds":
            for spec in kinds.KINDS.values():
                self.stdout.write(
                    f"{spec.code}\t{spec.label}\t{spec.event_labels()}\t{spec.legal_basis}"
                )
            return
        letters = Letter.objects.select_related("agency").order_by("id")
        if options.get("agency"):
            letters = letters.filter(agency__code=options["agency"])
        checked = failed = 0
        for letter in letters.iterator():
            for fmt in ("pdf", "docx"):
                checked += 1
                try:
                    services.read_bytes(letter, fmt)
                except DomainError as exc:
                    failed += 1
                    self.stderr.write(f"{letter.pk}\t{letter.agency.code}\t{fmt}\t{exc.message}")
        if failed:
            raise CommandError(
                _("%(failed)d/%(checked)d 个文书文件校验失败。")
                % {"failed": failed, "checked": checked}
            )
        self.stdout.write(_("已校验 %(checked)d 个文书文件，全部一致。") % {"checked": checked})
