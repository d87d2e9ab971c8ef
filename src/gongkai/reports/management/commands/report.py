"""``gongkai report annual --agency CODE --year 2026 --scope self|subtree --format json``."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.agencies.models import Agency
from gongkai.core.errors import DomainError
from gongkai.reports import compute, locking
from gongkai.reports.models import AnnualReport
from gongkai.reports.renderers import RENDERERS


class Command(BaseCommand):
    help = "年度报告：按国家格式计算并导出（json、xlsx、docx、pdf）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        annual = sub.add_parser("annual", help="计算并导出一个机构某年度的年度报告")
        annual.add_argument("--agency", required=True, help="机构编码，例如 152200")
        annual.add_argument("--year", required=True, type=int)
        annual.add_argument("--scope", default="self", choices=["self", "subtree"])
        annual.add_argument("--format", default="json", dest="fmt")
        annual.add_argument("--output", help="输出文件；省略时写到标准输出")

    def handle(self, *args, **options) -> None:
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(f"找不到机构编码“{options['agency']}”。")
        fmt = options["fmt"]
        if fmt not in RENDERERS:
            raise CommandError(f"不支持的格式“{fmt}”，可选：{'、'.join(sorted(RENDERERS))}。")
        report = AnnualReport.objects.filter(
            agency=agency, year=options["year"], scope=options["scope"]
        ).first()
        try:
            if report is not None and report.snapshot is not None:
                data = dict(report.snapshot)
                data["status"] = report.status
                data["drift"] = [
                    {"cell": d.cell, "locked": d.locked, "current": d.current}
                    for d in locking.drift(report)
                ]
            else:
                data = compute.compute(agency, options["year"], options["scope"]).to_json()
                data["status"] = report.status if report else "draft"
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        payload = RENDERERS[fmt](data)
        if options.get("output"):
            Path(options["output"]).write_bytes(payload)
        elif fmt == "json":
            sys.stdout.write(payload.decode("utf-8") + "\n")
        else:
            raise CommandError(f"{fmt} 格式是二进制文件，请用 --output 指定输出文件。")
