"""``gongkai workdays …``: working-day arithmetic and loading the yearly holiday notice.

::

    gongkai workdays add 2026-02-13 20          → 2026-03-19 (the 20th working day after)
    gongkai workdays check 2026-02-14           → 2026-02-14（周六）：工作日（春节调休上班）
    gongkai workdays between 2026-02-13 2026-03-19   → 20 (working days in (A, B])
    gongkai workdays years                      → covered years and where their data comes from
    gongkai workdays load-notice 通知.txt [--year 2027] [--yes] [--source 依据]

``add``, ``check`` and ``between`` take ``--region 机构编码`` to use an agency's calendar
(regional overrides of its subtree). ``load-notice`` prints the derived rest days, make-up
working days and the differences from the calendar in force, asks for confirmation on a
terminal, refuses without ``--yes`` when standard input is not a terminal, then loads. Errors
are Chinese messages on standard error with a non-zero exit, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils.translation import gettext as _

from gongkai.core.dates import parse_date
from gongkai.core.errors import DomainError
from gongkai.workdays.calendar import WorkdayCalendar, get_calendar, year_sources
from gongkai.workdays.loading import Preview, load_arrangement, preview
from gongkai.workdays.notice import parse_notice

WEEKDAYS = "一二三四五六日"


def _day(day: dt.date) -> str:
    return f"{day.isoformat()}（周{WEEKDAYS[day.weekday()]}）"


class Command(BaseCommand):
    help = "工作日计算与节假日安排：add、check、between、years、load-notice"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{add,check,between,years,load-notice}"
        )
        add = actions.add_parser("add", help=_("某日之后第N个工作日（当日不计入）"))
        add.add_argument("date", help=_("起算日期，YYYY-MM-DD"))
        add.add_argument("n", help=_("工作日数（非负整数）"))
        check = actions.add_parser("check", help=_("某日是否为工作日及原因"))
        check.add_argument("date", help=_("日期，YYYY-MM-DD"))
        between = actions.add_parser("between", help=_("两日之间的工作日数（不含A，含B）"))
        between.add_argument("a", help=_("开始日期，YYYY-MM-DD"))
        between.add_argument("b", help=_("结束日期，YYYY-MM-DD"))
        for sub in (add, check, between):
            sub.add_argument(
                "--region", help=_("机构编码：使用该机构所在地区的日历（含地方节假日调整）")
            )
        actions.add_parser("years", help=_("已有节假日数据的年份及其来源"))
        load = actions.add_parser(
            "load-notice", help=_("载入国务院办公厅关于某年部分节假日安排的通知")
        )
        load.add_argument("file", help=_("通知全文的文本文件（UTF-8 或 GB18030），“-”为标准输入"))
        load.add_argument("--year", help=_("年份（默认取通知标题中的年份）"))
        load.add_argument("--source", help=_("依据（默认为通知标题和文号）"))
        load.add_argument("--yes", action="store_true", help=_("不询问，直接载入"))

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "add":
                self._add(options)
            elif action == "check":
                self._check(options)
            elif action == "between":
                self._between(options)
            elif action == "years":
                self._years()
            else:
                self._load(options)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        except DatabaseError as exc:
            raise CommandError(
                _("无法读写数据库中的节假日日历（%(error)s）。请先运行 gongkai migrate。")
                % {"error": exc}
            ) from exc

    # --------------------------------------------------------------------------------------

    def _calendar(self, options: dict[str, Any]) -> WorkdayCalendar:
        code = options.get("region")
        if not code:
            return get_calendar()
        from gongkai.agencies.models import Agency

        agency = Agency.objects.filter(code=code).first()
        if agency is None:
            raise CommandError(_("找不到机构编码为“%(code)s”的机构。") % {"code": code})
        return get_calendar(agency)

    def _date(self, value: str, label: str) -> dt.date:
        try:
            return parse_date(value)
        except DomainError as exc:
            raise CommandError(f"{label}：{exc.message}") from exc

    def _add(self, options: dict[str, Any]) -> None:
        start = self._date(options["date"], _("起算日期"))
        raw = str(options["n"]).strip()
        if not raw.isdigit():
            raise CommandError(
                _("工作日数应为非负整数，例如 20；收到“%(value)s”。") % {"value": options["n"]}
            )
        due = self._calendar(options).add_workdays(start, int(raw))
        self.stdout.write(due.isoformat())

    def _check(self, options: dict[str, Any]) -> None:
        day = self._date(options["date"], _("日期"))
        _working, text = self._calendar(options).explain_day(day)
        self.stdout.write(text)

    def _between(self, options: dict[str, Any]) -> None:
        a = self._date(options["a"], _("开始日期"))
        b = self._date(options["b"], _("结束日期"))
        self.stdout.write(str(self._calendar(options).workdays_between(a, b)))

    def _years(self) -> None:
        for entry in year_sources():
            if entry.is_loaded:
                when = entry.loaded_at.date().isoformat() if entry.loaded_at else ""
                by = f"，{entry.loaded_by}" if entry.loaded_by else ""
                self.stdout.write(f"{entry.year}  {entry.source}（载入于{when}{by}）")
            else:
                self.stdout.write(f"{entry.year}  {entry.source}")

    # --------------------------------------------------------------------------------------

    def _read(self, name: str) -> str:
        if name == "-":
            return sys.stdin.read()
        path = Path(name)
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise CommandError(_("找不到文件：%(name)s") % {"name": name}) from exc
        except OSError as exc:
            raise CommandError(
                _("无法读取文件 %(name)s：%(error)s") % {"name": name, "error": exc}
            ) from exc
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise CommandError(
            _("文件 %(name)s 既不是 UTF-8 也不是 GB18030 编码的文本。") % {"name": name}
        )

    def _load(self, options: dict[str, Any]) -> None:
        year = None
        if options.get("year"):
            raw = str(options["year"]).strip()
            if not (raw.isdigit() and len(raw) == 4):
                raise CommandError(_("年份应为四位数字，例如 2027。"))
            year = int(raw)
        text = self._read(options["file"])
        arrangement = parse_notice(text, year)
        summary = preview(arrangement)
        self._print_preview(summary)
        if not options.get("yes"):
            if options["file"] == "-" or not sys.stdin.isatty():
                raise CommandError(
                    _(
                        "标准输入不是交互式终端，无法确认，未作任何修改。核对以上内容无误后，"
                        "请加 --yes 重新运行。"
                    )
                )
            self.stdout.write(
                _("确认载入%(year)d年的节假日安排？[y/N] ") % {"year": arrangement.year}, ending=""
            )
            self.stdout.flush()
            answer = sys.stdin.readline().strip().lower()
            if answer not in ("y", "yes", "是"):
                raise CommandError(_("已取消，未作任何修改。"))
        result = load_arrangement(
            arrangement,
            source=options.get("source") or arrangement.source,
            notice_text=text,
        )
        self.stdout.write(
            _("已载入%(year)d年节假日安排：休息日%(rest)d天，调休上班日%(work)d天。")
            % {
                "year": result.year,
                "rest": len(arrangement.rest_days),
                "work": len(arrangement.make_up_workdays),
            }
        )

    def _print_preview(self, summary: Preview) -> None:
        arrangement = summary.arrangement
        write = self.stdout.write
        write(arrangement.source)
        write(_("放假安排："))
        for period in arrangement.holidays:
            write(
                _("  %(name)s：%(dates)s，共%(days)d天")
                % {"name": period.name, "dates": period.describe_dates(), "days": period.days}
            )
        write(_("休息日（%(n)d天）：") % {"n": len(summary.rest_days)})
        for day in summary.rest_days:
            write(f"  {_day(day.date)} {day.label}")
        write(_("调休上班日（%(n)d天）：") % {"n": len(summary.make_up_workdays)})
        for day in summary.make_up_workdays:
            write(f"  {_day(day.date)} {day.work_label}")
        if summary.replaces_previous_load:
            write(
                _("%(year)d年的安排已于%(when)s载入过，本次将替换。")
                % {
                    "year": arrangement.year,
                    "when": summary.previous.loaded_at.date().isoformat(),
                }
            )
        if summary.newly_covered:
            write(
                _("%(year)d年目前没有节假日数据；载入后即可计算该年的工作日。")
                % {"year": arrangement.year}
            )
        write(_("与现行日历的差异（%(n)d天）：") % {"n": len(summary.changes)})
        if not summary.changes:
            write(_("  无"))
        for change in summary.changes:
            write(f"  {change.describe()}")
        if arrangement.ignored:
            write(_("以下文字与日期无关，未作处理："))
            for text in arrangement.ignored:
                write(f"  {text}")
