"""``gongkai audit verify [--json] [--anchor SEQ:HASH]``: check the audit log's hash chain.

Walks every entry in sequence order (streamed), recomputes its SHA-256 and checks the links, the
sequence numbers and the chain head (see :mod:`gongkai.site.audit_chain`). Prints one line per
problem and exits non-zero when any is found; docs/operations.md ("审计日志校验") says what to do.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gongkai.site import audit_chain

ANCHOR_RE = re.compile(r"^(?P<sequence>[1-9][0-9]*):(?P<hash>[0-9a-fA-F]{64})$")


class Command(BaseCommand):
    help = "审计日志：gongkai audit verify（校验审计日志的哈希链是否完整）"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="verify")
        verify = actions.add_parser(
            "verify", help=_("逐条重算审计日志的 SHA-256 哈希链，报告被修改、删除或插入的记录")
        )
        verify.add_argument("--json", action="store_true", help=_("以 JSON 输出结果（供程序读取）"))
        verify.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="SEQ:HASH",
            help=_("另行保存的某条记录的序号和哈希（可多次给出），核对其未被重写"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        anchors = self._anchors(options["anchor"])
        if options["json"]:
            self._json(anchors)
            return
        counter: list[int] = []
        found = 0
        for problem in audit_chain.problems(anchors=anchors, counter=counter):
            found += 1
            self.stderr.write(problem.message)
        if found:
            raise CommandError(
                _("审计日志校验未通过：发现 %(found)d 个问题（见上）。") % {"found": found}
            )
        entries = counter[0] if counter else 0
        self.stdout.write(
            _("审计日志完整：共 %(entries)d 条记录，哈希链校验通过") % {"entries": entries}
        )
        head = audit_chain.read_head()
        if head is not None and head.sequence:
            self.stdout.write(
                _("链头：第 %(sequence)d 条，哈希 %(hash)s（可另行保存，日后用 --anchor 核对）")
                % {"sequence": head.sequence, "hash": head.entry_hash}
            )

    def _anchors(self, values: list[str]) -> dict[int, str]:
        anchors: dict[int, str] = {}
        for value in values:
            match = ANCHOR_RE.match(value.strip())
            if not match:
                raise CommandError(
                    _("--anchor 的格式应为“序号:64位十六进制哈希”，而不是 %(value)s")
                    % {"value": value}
                )
            anchors[int(match["sequence"])] = match["hash"].lower()
        return anchors

    def _json(self, anchors: dict[int, str]) -> None:
        report = audit_chain.verify(anchors=anchors)
        data = {
            "ok": report.ok,
            "entries": report.entries,
            "head": {"sequence": report.head_sequence, "hash": report.head_hash},
            "problems": [problem.as_dict() for problem in report.problems],
        }
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        if not report.ok:
            raise CommandError(
                _("审计日志校验未通过：发现 %(found)d 个问题。") % {"found": len(report.problems)},
                returncode=1,
            )
