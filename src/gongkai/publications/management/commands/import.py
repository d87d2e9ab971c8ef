"""``gongkai import documents FILE`` and ``gongkai import pages DIR``: load an old site's archive.

Both validate everything first and write nothing when any row or page is bad (the report names
the row or file and the field); ``--dry-run`` prints what would be created; re-running creates
nothing new. The source is read twice, to check and then to write, so that memory stays flat
however long the catalogue; a file changed in between is refused. ``--user`` is the staff account the import is recorded under (it needs the reviewer,
head or administrator role in every agency concerned).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from gongkai.agencies.models import Agency
from gongkai.core.errors import DomainError
from gongkai.publications.importing.common import Plan, Progress, describe, write
from gongkai.publications.importing.site import page_files, plan_pages
from gongkai.publications.importing.table import plan_table


class Command(BaseCommand):
    help = "导入旧网站的主动公开信息：documents（XLSX/CSV 目录表）或 pages（保存的网页）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True, parser_class=CommandParser)
        documents = sub.add_parser("documents", help="从 XLSX 或 CSV 目录表导入")
        documents.add_argument("file", help="XLSX 或 CSV 文件")
        documents.add_argument("--agency", help="表中没有“机构编码”列时使用的机构编码")
        documents.add_argument("--column", help="表中没有“栏目”列时使用的栏目编码或名称")
        pages = sub.add_parser("pages", help="从保存的网页（HTML 或 TXT）导入")
        pages.add_argument("dir", help="网页所在文件夹（含子文件夹）")
        pages.add_argument("--agency", required=True, help="发布机构编码")
        pages.add_argument("--column", default="policies", help="栏目编码（默认 policies）")
        for p in (documents, pages):
            p.add_argument("--user", required=True, help="记录为导入人的工作人员用户名")
            p.add_argument("--dry-run", action="store_true", help="只检查并列出将要创建的文件")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self._user(options["user"])
        try:
            if options["what"] == "documents":
                self._documents(actor, options)
            else:
                self._pages(actor, options)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _user(self, username: str) -> Any:
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(_("没有用户名为 %(name)s 的有效用户。") % {"name": username})
        return user

    def _agency(self, code: str | None) -> Agency | None:
        if not code:
            return None
        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            raise CommandError(_("没有编码为 %(code)s 的机构。") % {"code": code})
        return agency

    def _documents(self, actor: Any, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("找不到文件 %(path)s。") % {"path": path})
        self.stderr.write(_("读取 %(name)s …") % {"name": path.name})
        plan = plan_table(
            path,
            actor=actor,
            default_agency=self._agency(options.get("agency")),
            default_column=options.get("column"),
        )
        self._finish(actor, plan, options, _("导入目录表"))

    def _pages(self, actor: Any, options: dict[str, Any]) -> None:
        folder = Path(options["dir"])
        if not folder.is_dir():
            raise CommandError(_("找不到文件夹 %(path)s。") % {"path": folder})
        agency = self._agency(options["agency"])
        files = page_files(folder)
        if not files:
            raise CommandError(
                _("%(path)s 中没有 .html、.htm、.shtml 或 .txt 文件。") % {"path": folder}
            )
        progress = Progress(len(files), _("解析网页"), self.stderr)
        plan = plan_pages(
            folder, actor=actor, agency=agency, column_code=options["column"], progress=progress
        )
        self._finish(actor, plan, options, _("导入网页"))

    def _finish(self, actor: Any, plan: Plan, options: dict[str, Any], label: str) -> None:
        for source, reason in plan.skipped:
            self.stdout.write(
                _("跳过 %(source)s：%(reason)s") % {"source": source, "reason": reason}
            )
        if not plan.ok:
            for problem in plan.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                _("发现 %(n)d 处问题，未导入任何文件。请修正后重新导入。")
                % {"n": len(plan.problems)}
            )
        if options["dry_run"]:
            for item in plan.items():
                self.stdout.write(_("将创建 %(item)s") % {"item": describe(item)})
            self.stdout.write(
                _("试运行：将创建 %(n)d 份文件，跳过 %(skipped)d 份；未写入任何数据。")
                % {"n": plan.count, "skipped": len(plan.skipped)}
            )
            return
        progress = Progress(plan.count, label, self.stderr)
        # The lines are listed once the transaction has committed; until then they wait in a
        # temporary file (a line per document of a 100,000-row catalogue is megabytes).
        with tempfile.TemporaryFile("w+", encoding="utf-8") as lines:
            created = write(
                actor,
                plan.items(),
                review_note=lambda item: (
                    _("迁移导入：原网站已公开（%(source)s）") % {"source": item.source}
                ),
                progress=progress,
                on_created=lambda document: lines.write(
                    _("已创建 %(number)s 《%(title)s》")
                    % {"number": document.index_number, "title": document.title}
                    + "\n"
                ),
            )
            lines.seek(0)
            for line in lines:
                self.stdout.write(line.rstrip("\n"))
        self.stdout.write(
            _("完成：创建 %(n)d 份文件，跳过 %(skipped)d 份。")
            % {"n": created, "skipped": len(plan.skipped)}
        )
