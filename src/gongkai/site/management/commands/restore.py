"""``gongkai restore DIR``: restore a backup made by ``gongkai backup`` into an empty database.

``--check`` only verifies the files against the manifest. See :mod:`gongkai.core.backup` and
docs/operations.md ("备份与恢复").
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gongkai.core.backup import BackupError, restore_backup, verify_backup


class Command(BaseCommand):
    help = _(
        "从 gongkai backup 做的备份恢复：先校验每个文件的 SHA-256，再恢复到空数据库、复制上传文件，"
        "最后核对各表行数。--check 只校验不恢复。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help=_("备份目录"))
        parser.add_argument("--check", action="store_true", help=_("只校验备份文件，不恢复"))

    def handle(self, *args: Any, **options: Any) -> None:
        directory = options["directory"]
        try:
            if options["check"]:
                manifest = verify_backup(directory)
                self.stdout.write(
                    _("备份 %(path)s 校验通过：%(n)d 个文件与清单一致（%(created)s，%(vendor)s）。")
                    % {
                        "path": directory,
                        "n": len(manifest["files"]),
                        "created": manifest.get("created_at", "?"),
                        "vendor": manifest["database"]["vendor"],
                    }
                )
                return
            report = restore_backup(directory)
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(_("已恢复数据库和 %(n)d 个上传文件。") % {"n": report.media_files})
        mismatches = report.mismatches
        for table, (expected, actual) in sorted(mismatches.items()):
            self.stderr.write(
                _("%(table)s：备份中 %(expected)d 行，恢复后 %(actual)s 行")
                % {
                    "table": table,
                    "expected": expected,
                    "actual": _("（表不存在）") if actual is None else actual,
                }
            )
        if mismatches:
            raise CommandError(
                _("%(n)d 张表的行数与备份清单不一致，见上文。") % {"n": len(mismatches)}
            )
        self.stdout.write(
            _("全部 %(n)d 张表的行数与备份清单一致，共 %(rows)d 行。")
            % {
                "n": len(report.tables),
                "rows": sum(expected for expected, _actual in report.tables.values()),
            }
        )
        if report.pending_migrations:
            self.stdout.write(
                _("备份之后本版本新增了 %(n)d 个数据库迁移：请运行 gongkai migrate。")
                % {"n": len(report.pending_migrations)}
            )
