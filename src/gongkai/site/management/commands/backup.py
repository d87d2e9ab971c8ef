"""``gongkai backup DIR``: a consistent backup of the database and uploaded files, site running.

See :mod:`gongkai.core.backup` and docs/operations.md ("备份与恢复").
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gongkai.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = _(
        "把数据库和上传的文件备份到一个新目录（目录不能已存在且非空）。网站运行时也可备份："
        "数据库是同一时刻的一致快照，manifest.json 记录迁移、各表行数和每个文件的 SHA-256。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", help=_("备份目录（新目录）"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = create_backup(options["directory"])
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        files = manifest["files"]
        media = [entry for name, entry in files.items() if name != manifest["database"]["file"]]
        self.stdout.write(
            _(
                "备份完成：%(path)s\n"
                "数据库（%(vendor)s）：%(tables)d 张表，共 %(rows)d 行，%(migrations)d 个迁移；"
                "上传文件 %(media)d 个，共 %(bytes)d 字节。"
            )
            % {
                "path": options["directory"],
                "vendor": manifest["database"]["vendor"],
                "tables": len(manifest["tables"]),
                "rows": sum(manifest["tables"].values()),
                "migrations": len(manifest["migrations"]),
                "media": len(media),
                "bytes": sum(entry["size"] for entry in media),
            }
        )
        if manifest.get("media_note"):
            self.stdout.write(manifest["media_note"])
