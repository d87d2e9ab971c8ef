"""Benchmark of ``gongkai import documents FILE`` (issue 9 (e)): time and peak memory.

:func:`bench_import` writes a CSV catalogue of ``count`` rows in the importer's format (标题,
发布日期, 机构编码, 栏目, 发文字号, 正文 …) to a temporary folder and runs the real command twice,
on two disjoint catalogues of the same size:

- in this process, timed plainly with its queries counted (skipped with ``timed=False``, for a
  run that only wants the memory of a large import);
- as a child process (``gongkai import documents …``), which reports its own peak resident
  memory (``VmHWM`` in ``/proc/self/status``) when it ends: everything the import held at its
  worst — Python objects, SQLite's page cache, allocator slack — measured without slowing it
  down, unlike :mod:`tracemalloc`, which made a traced import three to four times slower.

The baseline is measured the same ways in the same run: reading the same file with the
:mod:`csv` module alone (the least any importer of that file must do), in this process for the
time and in a child process started the same way (``gongkai shell -c …``: the same interpreter,
settings and Django start-up) for the peak.

The importer writes into the database of the run (the synth agencies are used), so it runs last
or on a database that is thrown away afterwards, like every benchmark of ``bench/run.py``.
"""

from __future__ import annotations

import csv
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
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
    """(seconds, result) of ``fn()``."""
    began = time.perf_counter()
    result = fn()
    return time.perf_counter() - began, result


# Runs the command, then writes the process's own high-water mark of resident memory (VmHWM: the
# peak of this process image only; the kernel's ru_maxrss of a child would include the parent's
# size at fork time) to the file named by BENCH_PEAK_FILE, in KiB.
_CHILD = """
import os, sys
from gongkai.cli import main
try:
    main(sys.argv[1:])
finally:
    with open("/proc/self/status") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    with open(os.environ["BENCH_PEAK_FILE"], "w") as out:
        out.write(peak)
"""


def child_peak(args: list[str]) -> tuple[float, int]:
    """(seconds, peak resident KiB) of ``gongkai *args`` run as a child process.

    The child inherits the environment and uses the database this process is connected to (the
    run's, or a test's); its output is discarded. Raises when the command fails, with the end of
    its error output.
    """
    with tempfile.NamedTemporaryFile(prefix="gongkai-peak-", suffix=".txt") as peak_file:
        began = time.perf_counter()
        child = subprocess.run(
            [sys.executable, "-c", _CHILD, *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={
                **os.environ,
                "GONGKAI_DATABASE_URL": _database_url(),
                "BENCH_PEAK_FILE": peak_file.name,
            },
            check=False,
        )
        seconds = time.perf_counter() - began
        if child.returncode != 0:
            raise RuntimeError(
                f"gongkai {' '.join(args[:2])} failed ({child.returncode}): "
                + child.stderr.decode("utf-8", "replace")[-2000:]
            )
        return seconds, int(Path(peak_file.name).read_text())


def _database_url() -> str:
    """The URL of the database this process's default connection uses."""
    from urllib.parse import quote

    from django.db import connection

    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    credentials = quote(settings["USER"] or "", safe="")
    if settings.get("PASSWORD"):
        credentials += ":" + quote(settings["PASSWORD"], safe="")
    host = settings["HOST"] or "localhost"
    if host.startswith("/"):  # a Unix socket directory
        return f"postgres://{credentials}@/{settings['NAME']}?host={quote(host, safe='')}" + (
            f"&port={settings['PORT']}" if settings.get("PORT") else ""
        )
    port = f":{settings['PORT']}" if settings.get("PORT") else ""
    return f"postgres://{credentials}@{host}{port}/{settings['NAME']}"


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


def bench_import(count: int, *, timed: bool = True) -> dict[str, Any]:
    """Import catalogues of ``count`` rows; seconds, rows/s and peak KiB against the baseline."""
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

    result: dict[str, Any] = {"rows": count}
    try:
        timed_path, child_path = folder / "timed.csv", folder / "child.csv"
        size = write_catalogue(child_path, count, agency.code, column_code, start=count)
        result["file_kib"] = size // 1024

        def read_with_csv() -> int:
            with child_path.open(encoding="utf-8", newline="") as handle:
                return sum(1 for _row in csv.reader(handle)) - 1

        base_seconds, base_rows = _timed(read_with_csv)
        reader = (
            "import csv; "
            f"handle = open({str(child_path)!r}, encoding='utf-8', newline=''); "
            "print(sum(1 for _row in csv.reader(handle)))"
        )
        _seconds, base_peak = child_peak(["shell", "-c", reader])
        before = Document.objects.count()
        if timed:
            write_catalogue(timed_path, count, agency.code, column_code)
            queries = [0]

            def count_queries(execute: Any, sql: str, params: Any, many: bool, ctx: Any) -> Any:
                queries[0] += 1
                return execute(sql, params, many, ctx)

            with connection.execute_wrapper(count_queries):
                seconds, _result = _timed(lambda: run_import(timed_path))
            result.update(
                seconds=round(seconds, 2),
                rows_per_second=round(count / seconds, 1) if seconds else None,
                queries_per_row=round(queries[0] / count, 2) if count else None,
            )
        child_seconds, peak = child_peak(
            ["import", "documents", str(child_path), "--user", user.username]
        )
        created = Document.objects.count() - before
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    result.update(
        created=created,
        child_seconds=round(child_seconds, 2),
        child_rows_per_second=round(count / child_seconds, 1) if child_seconds else None,
        peak_rss_kib=peak,
        peak_rss_above_baseline_kib=peak - base_peak,
        peak_rss_bytes_per_row=round((peak - base_peak) * 1024 / count, 1) if count else None,
        baseline_csv={
            "rows": base_rows,
            "seconds": round(base_seconds, 3),
            "peak_rss_kib": base_peak,
        },
        peak_ratio_to_baseline=round(peak / base_peak, 2) if base_peak else None,
        all_created=created == (2 if timed else 1) * count,
    )
    return result
