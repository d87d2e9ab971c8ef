"""``gongkai search reindex`` and ``gongkai search query TEXT``.

``reindex`` rebuilds the index from ``gongkai.publications.indexing.iter_search_records()``
(and uses ``count_search_records()`` from the same module for the progress bar when it exists),
in batches of ``--batch-size``, one transaction per batch; a progress bar is shown on a terminal.

``query`` prints the matching document ids and titles, as text (one ``id<TAB>title`` line per hit
after a summary line) or as JSON (``--format json``: query, total, page, pages, per_page and hits
with id, title, title_match, published_at, doc_number, index_number, agency_id).
"""

from __future__ import annotations

import argparse
import importlib
import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils.translation import gettext as _

from gongkai import search
from gongkai.search.engine import MAX_PER_PAGE, REINDEX_BATCH_SIZE
from gongkai.search.types import SearchFilters, SearchResults

RECORDS_MODULE = "gongkai.publications.indexing"


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(_("应为正整数：%(value)s") % {"value": value})
    return number


class Command(BaseCommand):
    help = "全文检索：gongkai search reindex（重建索引）| gongkai search query 关键词"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="reindex|query")
        reindex = actions.add_parser("reindex", help=_("根据已发布的文件重建全文索引"))
        reindex.add_argument(
            "--batch-size",
            type=_positive_int,
            default=REINDEX_BATCH_SIZE,
            help=_("每批写入的文件数（每批一个事务），默认 %(default)s"),
        )
        found = actions.add_parser("query", help=_("检索并列出匹配文件的编号和标题"))
        found.add_argument("text", help=_("搜索词，多个词用空格分隔（须同时包含）"))
        found.add_argument("--format", choices=["text", "json"], default="text")
        found.add_argument("--agency", metavar="CODE", help=_("只检索该机构及其下级机构"))
        found.add_argument("--column", help=_("栏目"))
        found.add_argument("--category", help=_("主题分类"))
        found.add_argument("--year", type=_positive_int, help=_("年份"))
        found.add_argument("--validity", help=_("有效性"))
        found.add_argument("--page", type=_positive_int, default=1, help=_("页码，默认 1"))
        found.add_argument(
            "--per-page",
            type=_positive_int,
            default=20,
            help=_("每页条数，默认 20，最多 %(max)d") % {"max": MAX_PER_PAGE},
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "reindex":
                self.reindex(options["batch_size"])
            else:
                self.query(options)
        except DatabaseError as exc:
            raise CommandError(
                _("无法访问全文索引（%(error)s）。请先运行 gongkai migrate。") % {"error": exc}
            ) from exc

    # --- reindex ------------------------------------------------------------------------------

    def reindex(self, batch_size: int) -> None:
        try:
            module = importlib.import_module(RECORDS_MODULE)
        except ModuleNotFoundError as exc:
            if exc.name not in (RECORDS_MODULE, "gongkai.publications"):
                raise
            raise CommandError(
                _("尚无可索引的文件来源（未找到 %(module)s），索引未重建。")
                % {"module": RECORDS_MODULE}
            ) from exc
        if not hasattr(module, "iter_search_records"):
            raise CommandError(
                _("%(module)s 未提供 iter_search_records()，索引未重建。")
                % {"module": RECORDS_MODULE}
            )
        total = None
        if hasattr(module, "count_search_records"):
            total = int(module.count_search_records())
        bar = ProgressBar(self.stdout, total) if self.stdout.isatty() else None
        started = time.monotonic()
        count = search.reindex(
            module.iter_search_records(),
            progress=bar.update if bar else None,
            batch_size=batch_size,
        )
        if bar:
            bar.finish()
        self.stdout.write(
            _("已重建全文索引：%(count)d 个文件，用时 %(seconds).1f 秒。")
            % {"count": count, "seconds": time.monotonic() - started}
        )

    # --- query --------------------------------------------------------------------------------

    def query(self, options: dict[str, Any]) -> None:
        agency_path = None
        if options.get("agency"):
            from gongkai.agencies.models import Agency

            agency = Agency.objects.filter(code=options["agency"]).first()
            if agency is None:
                raise CommandError(_("找不到机构编码：%(code)s") % {"code": options["agency"]})
            agency_path = agency.path
        filters = SearchFilters(
            agency_path=agency_path,
            column=options.get("column"),
            category=options.get("category"),
            year=options.get("year"),
            validity=options.get("validity"),
        )
        results = search.query(
            options["text"], filters, page=options["page"], per_page=options["per_page"]
        )
        if results.notice:
            raise CommandError(results.notice)
        if options["format"] == "json":
            self.stdout.write(json.dumps(as_json(results), ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            _("“%(query)s”：共 %(total)s 条结果（第 %(page)d/%(pages)d 页）")
            % {
                "query": results.query,
                "total": f"{results.total}+" if results.total_is_lower_bound else results.total,
                "page": results.page,
                "pages": results.pages,
            }
        )
        for hit in results.hits:
            self.stdout.write(f"{hit.id}\t{hit.title}")


def as_json(results: SearchResults) -> dict[str, Any]:
    return {
        "query": results.query,
        "total": results.total,
        "total_is_lower_bound": results.total_is_lower_bound,
        "page": results.page,
        "pages": results.pages,
        "per_page": results.per_page,
        "hits": [
            {
                "id": hit.id,
                "title": hit.title,
                "title_match": hit.title_match,
                "published_at": hit.published_at.isoformat() if hit.published_at else None,
                "doc_number": hit.doc_number,
                "index_number": hit.index_number,
                "agency_id": hit.agency_id,
            }
            for hit in results.hits
        ],
    }


class ProgressBar:
    """A one-line progress bar redrawn with a carriage return (terminals only)."""

    WIDTH = 30

    def __init__(self, out: Any, total: int | None) -> None:
        self.out = out
        self.total = total
        self.update(0)

    def update(self, count: int) -> None:
        if self.total:
            done = min(count, self.total)
            filled = self.WIDTH * done // self.total
            line = _("重建索引 [%(bar)s] %(percent)3d%% %(count)d/%(total)d") % {
                "bar": "█" * filled + "·" * (self.WIDTH - filled),
                "percent": 100 * done // self.total,
                "count": count,
                "total": self.total,
            }
        else:
            line = _("重建索引：已处理 %(count)d 个文件") % {"count": count}
        self.out.write("\r" + line, ending="")
        self.out.flush()

    def finish(self) -> None:
        self.out.write("")
