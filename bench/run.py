"""Run the benchmark suite on the database of GONGKAI_DATABASE_URL (or a fresh SQLite file).

    python bench/run.py --label sqlite [--scale 0.02] [--only search,report] [--out bench/results]
    python bench/run.py --label sqlite-report-full --scale 1 --documents 20000 --only report,memory

Sizes are the issue's full sizes (2,000 agencies, 1,000,000 documents, 200,000 requests) times
``--scale`` (default: the BENCH_SCALE environment variable, else 0.02). The database must be
empty: the run migrates it and fills it with ``gongkai synth`` (seed 1). Writes
``<out>/<label>.json`` with the raw numbers and ratios; ``bench/report.py`` turns the JSON files
into the table of docs/performance.md. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ALL = ("search", "report", "memory", "exports", "letters", "intake", "portal", "import")


def sizes(scale: float) -> dict[str, int]:
    return {
        "agencies": max(30, round(2000 * scale)),
        "documents": max(50, round(1_000_000 * scale)),
        "requests": max(100, round(200_000 * scale)),
    }


def main(argv: list[str] | None = None) -> int:
    scratch_dirs: list[str] = []
    try:
        return _main(argv, scratch_dirs)
    finally:
        for path in scratch_dirs:  # the fresh SQLite database of this run
            shutil.rmtree(path, ignore_errors=True)


def _main(argv: list[str] | None, scratch_dirs: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", required=True, help="name of the result file (sqlite, pg…)")
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", 0.02)))
    parser.add_argument("--only", default=",".join(ALL))
    parser.add_argument("--out", default=str(REPO / "bench" / "results"))
    parser.add_argument("--queries", type=int, default=int(os.environ.get("BENCH_QUERIES", 20)))
    parser.add_argument(
        "--intake-seconds", type=float, default=float(os.environ.get("BENCH_INTAKE_SECONDS", 10))
    )
    parser.add_argument(
        "--portal-seconds", type=float, default=float(os.environ.get("BENCH_PORTAL_SECONDS", 8))
    )
    parser.add_argument("--submitters", type=int, default=50)
    parser.add_argument(
        "--import-rows",
        type=int,
        default=int(os.environ["BENCH_IMPORT_ROWS"])
        if os.environ.get("BENCH_IMPORT_ROWS")
        else None,
        help="rows of the import benchmark (default: documents × 0.1, at least 1,000)",
    )
    parser.add_argument(
        "--import-child-only",
        action="store_true",
        help="import benchmark: skip the in-process timed import, run only the child process "
        "that measures peak memory (for a large catalogue)",
    )
    parser.add_argument(
        "--documents",
        type=int,
        default=None,
        help="override the number of documents (e.g. a full-scale report run needs few documents)",
    )
    args = parser.parse_args(argv)
    only = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = set(only) - set(ALL)
    if unknown:
        parser.error(f"unknown benchmarks: {sorted(unknown)}")

    if not os.environ.get("GONGKAI_DATABASE_URL"):
        scratch = tempfile.mkdtemp(prefix="gongkai-bench-")
        scratch_dirs.append(scratch)
        os.environ["GONGKAI_VAR_DIR"] = scratch
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    os.environ.pop("GONGKAI_TODAY", None)
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench import harness
    from bench.imports import bench_import
    from gongkai.synth.generator import SynthConfig, existing_data, generate, synth_present

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if synth_present() or any(existing_data().values()):
        print("数据库不是空的：基准测试需要一个空数据库。", file=sys.stderr)
        return 2
    counts = sizes(args.scale)
    if args.documents is not None:
        counts["documents"] = args.documents
    print(f"[{args.label}] synth {counts}", flush=True)
    began = time.perf_counter()
    stats = generate(SynthConfig(**counts, seed=1, batch=5000))
    synth_seconds = time.perf_counter() - began
    result: dict = {
        "label": args.label,
        "vendor": connection.vendor,
        "database_version": ".".join(str(v) for v in connection.Database.sqlite_version_info)
        if connection.vendor == "sqlite"
        else str(connection.pg_version),
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": _commit(),
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(),
        },
        "scale": args.scale,
        "sizes": counts,
        "synth": {
            "seconds": round(synth_seconds, 1),
            "parts_seconds": {k: round(v, 1) for k, v in stats.seconds.items()},
            "documents_per_second": round(stats.documents / stats.seconds["documents"], 1)
            if stats.seconds.get("documents")
            else None,
            "requests_per_second": round(stats.requests / stats.seconds["requests"], 1)
            if stats.seconds.get("requests")
            else None,
            "clock_fallbacks": stats.clock_fallbacks,
        },
        "database_megabytes": _database_megabytes(),
        "search_tokens_per_document": _tokens_per_document(),
        "benchmarks": {},
    }
    runners = {
        "search": lambda: harness.bench_search(args.queries),
        "report": harness.bench_report,
        "memory": harness.bench_memory,
        "exports": harness.bench_exports,
        "letters": harness.bench_letters,
        "intake": lambda: harness.bench_intake(args.submitters, args.intake_seconds),
        "portal": lambda: harness.bench_portal(args.portal_seconds),
        "import": lambda: bench_import(
            args.import_rows or max(1000, round(counts["documents"] * 0.1)),
            timed=not args.import_child_only,
        ),
    }
    for name in only:
        print(f"[{args.label}] {name}", flush=True)
        began = time.perf_counter()
        try:
            result["benchmarks"][name] = runners[name]()
        except Exception as exc:  # a failing benchmark is recorded, the others still run
            result["benchmarks"][name] = {"error": f"{type(exc).__name__}: {exc}"}
        result["benchmarks"][name]["wall_seconds"] = round(time.perf_counter() - began, 1)
    result["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{args.label}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"[{args.label}] wrote {path}", flush=True)
    failed = [n for n, r in result["benchmarks"].items() if "error" in r]
    return 1 if failed else 0


def _database_megabytes() -> float | None:
    """Size of the database after synth (SQLite: file and WAL; PostgreSQL: pg_database_size)."""
    from django.db import connection

    if connection.vendor == "sqlite":
        name = Path(connection.settings_dict["NAME"])
        files = [name, name.with_name(name.name + "-wal")]
        return round(sum(f.stat().st_size for f in files if f.exists()) / 2**20, 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return round(int(cursor.fetchone()[0]) / 2**20, 1)


def _tokens_per_document() -> float | None:
    """Mean number of search-index tokens per document (the size that drives indexing time)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT AVG(LENGTH(grams) - LENGTH(REPLACE(grams, ' ', '')) + 1) FROM search_entry"
            " WHERE grams <> ''"
        )
        value = cursor.fetchone()[0]
    return round(float(value), 1) if value is not None else None


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        return ""


if __name__ == "__main__":
    sys.exit(main())
