"""Benchmark of ``gongkai import documents FILE`` (issue 9 (e)): time and peak memory.

:func:`bench_import` writes a CSV catalogue of ``count`` rows in the importer's format (标题,
发布日期, 机构编码, 栏目, 发文字号, 正文 …) to a temporary folder, runs the real command in-process
(timed plainly with its queries counted, then on a second, disjoint catalogue of the same size
under :mod:`tracemalloc`) and reports seconds, rows per second, queries per row and the peak of
Python memory,
against a baseline measured the same way in the same run: reading the same file with the
:mod:`csv` module alone (the least any importer of that file must do).

The importer writes into the database of the run (the synth agencies are used), so it runs last
or on a database that is thrown away afterwards, like every benchmark of ``bench/run.py``.
"""

from __future__ import annotations

import csv
import random
import shutil
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

HEADER = [
    "标题",
    "发布日期",
    "机构编码",
    "栏目",
    "发文字号",
    "成文日期",
    "有效性",
    "内容概述",
    "正文",
]
WORDS = "政府 信息 公开 关于 印发 实施 方案 通知 加强 管理 工作 推进 建设 发展 改革 服务".split()


def write_catalogue(
    path: Path, count: int, agency_code: str, column_code: str, *, start: int = 0
) -> int:
    """A CSV catalogue of ``count`` distinct rows numbered from ``start`` (catalogues with
    disjoint ranges share no row); returns the file size in bytes."""
    rng = random.Random(9 + start)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(start, start + count):
            title = "".join(rng.choices(WORDS, k=6)) + f"的通知（第{i + 1}号）"
            body = "\n".join(
                "".join(rng.choices(WORDS, k=rng.randint(8, 30))) + "。"
                for _p in range(rng.randint(1, 6))
            )
            year = 2015 + i % 10
            writer.writerow(
                [
                    title,
                    f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                    agency_code,
                    column_code,
                    f"合政发〔{year}〕{i + 1}号",
                    f"{year}年{1 + i % 12}月{1 + i % 28}日",
                    "现行有效",
                    body[:60],
                    body,
                ]
            )
    return path.stat().st_size


class _Discard:
    """A stdout/stderr that keeps nothing (the command prints a line per created document)."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """(seconds, result) of ``fn()``, without tracemalloc (which slows allocation-heavy code)."""
    began = time.perf_counter()
    result = fn()
    return time.perf_counter() - began, result


def _measured(fn: Callable[[], Any]) -> tuple[float, int, Any]:
    """(seconds, peak KiB of Python allocations, result) of ``fn()``."""
    tracemalloc.start()
    try:
        began = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - began
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return seconds, peak // 1024, result


def _importer_and_agency() -> tuple[Any, Any, str]:
    """A user allowed to import into an agency of the database, the agency and a column code."""
    from django.contrib.auth import get_user_model

    from gongkai.agencies.models import Agency, Membership, Role
    from gongkai.publications.columns import ensure_standard_columns
    from gongkai.publications.models import Column

    agency = Agency.objects.order_by("depth", "pk").first()
    if agency is None:
        agency = Agency.objects.create(code="bench-import", name="基准测试机构", kind="region")
    ensure_standard_columns(agency)
    column = Column.objects.filter(agency=agency, is_active=True).order_by("id").first()
    user, _created = get_user_model().objects.get_or_create(username="bench-importer")
    Membership.objects.get_or_create(user=user, agency=agency, role=Role.REVIEWER)
    return user, agency, column.code


def bench_import(count: int) -> dict[str, Any]:
    """Import a catalogue of ``count`` rows; seconds, rows/s and peak KiB against the baseline."""
    from django.core.management import call_command
    from django.db import connection

    from gongkai.publications.models import Document

    user, agency, column_code = _importer_and_agency()
    folder = Path(tempfile.mkdtemp(prefix="gongkai-bench-import-"))

    def run_import(path: Path) -> None:
        call_command(
            "import",
            "documents",
            str(path),
            "--user",
            user.username,
            stdout=_Discard(),
            stderr=_Discard(),
        )

    try:
        # Two disjoint catalogues of the same size: one timed plainly, one imported under
        # tracemalloc for the peak (tracemalloc slows allocation-heavy code several times).
        timed_path, traced_path = folder / "timed.csv", folder / "traced.csv"
        size = write_catalogue(timed_path, count, agency.code, column_code)
        write_catalogue(traced_path, count, agency.code, column_code, start=count)

        def read_with_csv() -> int:
            with timed_path.open(encoding="utf-8", newline="") as handle:
                return sum(1 for _row in csv.reader(handle)) - 1

        base_seconds, base_rows = _timed(read_with_csv)
        _traced_seconds, base_peak, _rows = _measured(read_with_csv)
        before = Document.objects.count()
        queries = [0]

        def count_queries(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            queries[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count_queries):
            seconds, _result = _timed(lambda: run_import(timed_path))
        traced_seconds, peak, _result = _measured(lambda: run_import(traced_path))
        created = Document.objects.count() - before
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {
        "rows": count,
        "created": created,
        "traced_seconds": round(traced_seconds, 2),
        "file_kib": size // 1024,
        "seconds": round(seconds, 2),
        "rows_per_second": round(count / seconds, 1) if seconds else None,
        "queries_per_row": round(queries[0] / count, 2) if count else None,
        "peak_kib": peak,
        "peak_bytes_per_row": round(peak * 1024 / count, 1) if count else None,
        "baseline_csv": {
            "rows": base_rows,
            "seconds": round(base_seconds, 3),
            "peak_kib": base_peak,
        },
        "peak_ratio_to_baseline": round(peak / base_peak, 1) if base_peak else None,
        "all_created": created == 2 * count,
    }
