"""The benchmark suite (issue 9). Each benchmark returns a JSON-ready dict with raw numbers and
ratios against a baseline measured in the same run; nothing here asserts a time.

Benchmarks (functions ``bench_*``), all on the database Django is configured with:

- ``search``: p50/p95 of ``gongkai.search.query`` for 2-, 3-, 4-character queries and with
  filters, against the backend's own SQL statement (the floor) and a ``LIKE '%q%'`` scan; recall
  against the scan must be 100%.
- ``report``: the consolidated annual report (``reports.compute``, subtree of the region) against
  one hand-written SQL aggregation producing the same cells (the cells must be equal).
- ``portal``: document and search pages under gunicorn on 127.0.0.1, against a static file of the
  same size served by the same server (bounded load: time and request count).
- ``intake``: N concurrent submitters through ``intake.create_application`` for a bounded time:
  errors, lost and duplicated requests, p95; against one submitter alone.
- ``memory``: time and peak memory (tracemalloc) of the annual-report computation.
- ``exports``: the annual report rendered to XLSX, DOCX and PDF (time, peak memory), against
  rendering it to JSON.
"""

from __future__ import annotations

import datetime as dt
import http.client
import math
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of ``values`` (seconds in, milliseconds out)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(p / 100 * len(ordered))))
    return ordered[rank - 1] * 1000


def summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50_ms": round(percentile(values, 50), 3),
        "p95_ms": round(percentile(values, 95), 3),
        "mean_ms": round(statistics.fmean(values) * 1000, 3) if values else 0.0,
    }


def ratio(a: float, b: float) -> float | None:
    return round(a / b, 2) if b else None


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    began = time.perf_counter()
    result = fn()
    return time.perf_counter() - began, result


# --- (a) search --------------------------------------------------------------------------------


def sample_queries(n: int, length: int, seed: int = 3) -> list[str]:
    """Substrings of ``length`` characters taken from indexed titles and bodies (seeded)."""
    from gongkai.search.models import SearchEntry

    rng = random.Random(f"bench-queries-{seed}-{length}")
    top = SearchEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    queries: list[str] = []
    attempts = 0
    while len(queries) < n and attempts < n * 50:
        attempts += 1
        entry = SearchEntry.objects.filter(id__gte=rng.randint(1, max(1, top))).order_by("id")
        row = entry.values_list("title", "body_text").first()
        if row is None:
            continue
        source = rng.choice([t for t in row if t])
        source = "".join(ch for ch in source if "\u4e00" <= ch <= "\u9fff")
        if len(source) < length:
            continue
        start = rng.randrange(len(source) - length + 1)
        queries.append(source[start : start + length])
    return queries


def like_scan(cursor: Any, text: str, filters: Any = None) -> set[int]:
    """What a naive system does: ``LIKE '%q%'`` over every searchable column, no index."""
    from gongkai.search.backends.base import like_pattern

    pattern = like_pattern(text)
    columns = ("title", "body_text", "doc_number", "index_number")
    where = " OR ".join(f"{c} LIKE %s ESCAPE '\\'" for c in columns)
    sql = f"SELECT id FROM search_entry WHERE ({where})"
    params: list[Any] = [pattern] * len(columns)
    if filters is not None and filters.agency_path:
        sql += " AND agency_path LIKE %s"
        params.append(filters.agency_path + "%")
    if filters is not None and filters.year:
        sql += " AND year = %s"
        params.append(filters.year)
    cursor.execute(sql, params)
    return {int(row[0]) for row in cursor.fetchall()}


def all_ids(text: str, filters: Any = None) -> set[int]:
    from gongkai import search

    ids: set[int] = set()
    page = 1
    while True:
        results = search.query(text, filters, page=page, per_page=100)
        ids.update(hit.id for hit in results.hits)
        if page >= results.pages:
            return ids
        page += 1


def _time_floor(backend: Any, cursor: Any, terms: Any, filters: Any) -> float:
    """Seconds taken by the backend's own statement for a first page (the floor of a search)."""
    from gongkai.search import engine

    elapsed, _ = timed(
        lambda: backend.page(cursor, terms, filters, offset=0, limit=20, cap=engine.TOTAL_CAP)
    )
    return elapsed


def _time_queries(
    backend: Any, queries: list[str], filters: Any
) -> tuple[list[float], list[float], list[tuple[str, Any]]]:
    """Seconds of ``search.query`` and of its floor for each query, and each query's results.

    The measured call and its floor run back to back, in alternating order: whichever runs
    second finds the pages the first one read in the cache.
    """
    from django.db import connection

    from gongkai import search
    from gongkai.search.text import parse_query

    api: list[float] = []
    raw: list[float] = []
    outcomes = []
    for number, text in enumerate(queries):
        terms = parse_query(text).terms
        with connection.cursor() as cursor:
            if number % 2:
                raw.append(_time_floor(backend, cursor, terms, filters))
            elapsed, results = timed(lambda t=text, f=filters: search.query(t, f))
            api.append(elapsed)
            if not number % 2:
                raw.append(_time_floor(backend, cursor, terms, filters))
        outcomes.append((text, results))
    return api, raw, outcomes


def _repeated(s_api: dict[str, Any], s_raw: dict[str, Any]) -> dict[str, Any]:
    return {
        "search_query": s_api,
        "raw_engine": s_raw,
        "p95_vs_raw": ratio(s_api["p95_ms"], s_raw["p95_ms"]),
    }


def bench_search(queries_per_case: int = 20, recall_limit: int = 300) -> dict[str, Any]:
    from django.db import connection

    from gongkai import search
    from gongkai.agencies.models import Agency, AgencyKind
    from gongkai.search import engine

    backend = engine.backend()
    league = Agency.objects.filter(kind=AgencyKind.LEAGUE_GOVERNMENT).order_by("pk").first()
    years = list(
        engine.SearchEntry.objects.order_by("year").values_list("year", flat=True).distinct()
    )
    year = years[len(years) // 2] if years else None
    cases = {
        "2 chars": (2, None),
        "3 chars": (3, None),
        "4 chars": (4, None),
        "3 chars + filters": (
            3,
            search.SearchFilters(agency_path=league.path if league else None, year=year),
        ),
    }
    out: dict[str, Any] = {"cases": {}}
    recall_failures: list[str] = []
    for name, (length, filters) in cases.items():
        queries = sample_queries(queries_per_case, length)
        like, totals = [], []
        capped = 0
        # First as they come (pages may have to be read from disk), then the same queries again
        # (their pages now cached, as for the frequent queries of a running portal). The scans
        # come afterwards, so that reading the whole table does not evict those pages in between.
        api, raw, outcomes = _time_queries(backend, queries, filters)
        api_again, raw_again, _outcomes = _time_queries(backend, queries, filters)
        for text, results in outcomes:
            totals.append(results.total)
            capped += results.total_is_lower_bound
            with connection.cursor() as cursor:
                elapsed, expected = timed(lambda c=cursor, t=text, f=filters: like_scan(c, t, f))
                like.append(elapsed)
            if results.total_is_lower_bound:
                # A capped total: the scan must find more than the cap.
                if len(expected) <= results.total:
                    recall_failures.append(f"{text}: total ≥{results.total} > scan {len(expected)}")
            elif results.total != len(expected):
                recall_failures.append(f"{text}: total {results.total} ≠ scan {len(expected)}")
            elif len(expected) <= recall_limit and all_ids(text, filters) != expected:
                recall_failures.append(f"{text}: ids differ from the scan")
        s_api, s_raw, s_like = summary(api), summary(raw), summary(like)
        out["cases"][name] = {
            "queries": len(queries),
            "mean_hits": round(statistics.fmean(totals), 1) if totals else 0,
            "capped_totals": capped,
            "search_query": s_api,
            "raw_engine": s_raw,
            "like_scan": s_like,
            "p95_vs_raw": ratio(s_api["p95_ms"], s_raw["p95_ms"]),
            "like_p95_vs_search_p95": ratio(s_like["p95_ms"], s_api["p95_ms"]),
            "repeated": _repeated(summary(api_again), summary(raw_again)),
        }
    out["recall_100"] = not recall_failures
    out["recall_failures"] = recall_failures[:20]
    return out


# --- (b) annual report -------------------------------------------------------------------------


def hand_sql_normative(agency: Any, year: int) -> dict[str, int]:
    """Table 2's computed cells (rules and normative documents) in one aggregate statement."""
    from django.db import connection

    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    made_on = "COALESCE(d.written_on, d.published_on)"
    cells = {
        "made": (f"{made_on} >= %s AND {made_on} <= %s", [first, last]),
        "abolished": (
            "d.validity <> 'in_force' AND d.invalid_on >= %s AND d.invalid_on <= %s",
            [first, last],
        ),
        "in_force": (
            f"{made_on} <= %s AND (d.validity = 'in_force' OR d.invalid_on > %s)",
            [last, last],
        ),
        "published": ("d.published_on >= %s AND d.published_on <= %s", [first, last]),
        "total": ("d.published_on <= %s", [last]),
    }
    selects, params = [], []
    for _name, (condition, values) in cells.items():
        selects.append(f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)")
        params += values
    sql = (
        f"SELECT d.normative_kind, {', '.join(selects)} FROM publications_document d "
        "JOIN agencies_agency g ON g.id = d.agency_id WHERE g.path LIKE %s "
        "AND d.status = 'published' AND d.normative_kind IN ('rule', 'normative') "
        "GROUP BY d.normative_kind"
    )
    result = {f"{p}_{c}": 0 for p in ("rules", "normative") for c in cells}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, agency.path + "%"])
        for kind, *values in cursor.fetchall():
            prefix = "rules" if kind == "rule" else "normative"
            for name, value in zip(cells, values, strict=True):
                result[f"{prefix}_{name}"] = int(value or 0)
    return result


def hand_sql_report(agency: Any, year: int) -> tuple[dict, dict, dict[str, int]]:
    """Table 3, table 4 and table 2's computed cells from three hand-written aggregate
    statements (the floor)."""
    from django.db import connection

    from gongkai.reports import formats

    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    grid = {r.id: dict.fromkeys(formats.TABLE3_COLUMNS, 0) for r in formats.table3_rows(year)}
    sql = """
        SELECT a.applicant_type, a.outcome,
          SUM(CASE WHEN a.received_on >= %s AND a.received_on <= %s THEN 1 ELSE 0 END),
          SUM(CASE WHEN a.received_on < %s AND (a.closed_on IS NULL OR a.closed_on >= %s)
              THEN 1 ELSE 0 END),
          SUM(CASE WHEN a.received_on <= %s AND (a.closed_on IS NULL OR a.closed_on > %s)
              THEN 1 ELSE 0 END),
          SUM(CASE WHEN a.closed_on >= %s AND a.closed_on <= %s THEN 1 ELSE 0 END)
        FROM applications_application a JOIN agencies_agency g ON g.id = a.agency_id
        WHERE g.path LIKE %s AND a.received_on IS NOT NULL
        GROUP BY a.applicant_type, a.outcome
    """
    params = [first, last, first, first, last, last, first, last, agency.path + "%"]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        cursor.execute(
            """SELECT p.kind, p.result, COUNT(*) FROM applications_appeal p
               JOIN applications_application a ON a.id = p.application_id
               JOIN agencies_agency g ON g.id = a.agency_id
               WHERE g.path LIKE %s AND p.filed_on >= %s AND p.filed_on <= %s
               GROUP BY p.kind, p.result""",
            [agency.path + "%", first, last],
        )
        appeal_rows = cursor.fetchall()
    for applicant, outcome, new, over, forward, closed in rows:
        grid[formats.NEW][applicant] += int(new or 0)
        grid[formats.CARRIED_OVER][applicant] += int(over or 0)
        grid[formats.CARRIED_FORWARD][applicant] += int(forward or 0)
        if closed:
            grid[formats.outcome_row(outcome, year)][applicant] += int(closed)
    leaves = formats.table3_leaf_ids(year)
    for column in formats.APPLICANT_COLUMNS:
        grid[formats.RESULTS_TOTAL][column] = sum(grid[r][column] for r in leaves)
    for cells in grid.values():
        cells[formats.TOTAL_COLUMN] = sum(cells[c] for c in formats.APPLICANT_COLUMNS)
    table4 = {b: {r: 0 for r, _ in formats.TABLE4_RESULTS} for b, _ in formats.TABLE4_BLOCKS}
    for kind, result, n in appeal_rows:
        table4[kind][result] += int(n)
    for cells in table4.values():
        cells["total"] = sum(v for k, v in cells.items() if k != "total")
    return grid, table4, hand_sql_normative(agency, year)


def report_scope() -> tuple[Any, int]:
    """The synthetic region and the last full year of its requests."""
    from gongkai.agencies.models import Agency, AgencyKind
    from gongkai.applications.models import Application

    region = Agency.objects.get(kind=AgencyKind.REGION_GOVERNMENT, code__startswith="synth-")
    last = Application.objects.order_by("-received_on").values_list("received_on", flat=True)
    return region, (last.first() or dt.date.today()).year - 1


def bench_report(repeats: int = 5) -> dict[str, Any]:
    from gongkai.reports import compute

    region, year = report_scope()
    full, floor = [], []
    equal = True
    for _i in range(repeats):
        elapsed, data = timed(lambda: compute.compute(region, year, "subtree"))
        full.append(elapsed)
        elapsed, (table3, table4, table2) = timed(lambda: hand_sql_report(region, year))
        floor.append(elapsed)
        computed2 = {k: v for k, v in data.table2.items() if k in table2}
        floor2 = {k: table2[k] for k in computed2}
        equal = equal and (data.table3, data.table4, computed2) == (table3, table4, floor2)
    s_full, s_floor = summary(full), summary(floor)
    return {
        "year": year,
        "units": data.units,
        "requests_in_scope": data.table3["new"]["total"] + data.table3["carried_over"]["total"],
        "cells_equal": equal,
        "compute": s_full,
        "hand_sql": s_floor,
        "p50_vs_hand_sql": ratio(s_full["p50_ms"], s_floor["p50_ms"]),
    }


# --- (e) report computation memory -------------------------------------------------------------


def bench_memory() -> dict[str, Any]:
    from gongkai.reports import compute

    region, year = report_scope()
    compute.compute(region, year, "subtree")  # warm caches
    tracemalloc.start()
    elapsed, data = timed(lambda: compute.compute(region, year, "subtree"))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    tracemalloc.start()
    floor_elapsed, _ = timed(lambda: hand_sql_report(region, year))
    _current, floor_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "report_compute_ms": round(elapsed * 1000, 3),
        "report_peak_kib": round(peak / 1024, 1),
        "hand_sql_ms": round(floor_elapsed * 1000, 3),
        "hand_sql_peak_kib": round(floor_peak / 1024, 1),
        "peak_vs_hand_sql": ratio(peak, floor_peak),
        "units": data.units,
    }


def bench_exports(repeats: int = 3) -> dict[str, Any]:
    """(e) The annual report rendered to XLSX, DOCX and PDF: time and peak memory, against
    rendering the same report to JSON (the cheapest renderer, same input)."""
    from gongkai.reports import compute
    from gongkai.reports.renderers import RENDERERS

    region, year = report_scope()
    data = compute.compute(region, year, "subtree").to_json()
    out: dict[str, Any] = {"formats": {}}
    for fmt in ("json", "xlsx", "docx", "pdf"):
        render = RENDERERS[fmt]
        render(data)  # warm up (imports, fonts)
        times = []
        for _i in range(repeats):
            elapsed, body = timed(lambda r=render: r(data))
            times.append(elapsed)
        tracemalloc.start()
        render(data)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        out["formats"][fmt] = {
            **summary(times),
            "bytes": len(body),
            "peak_kib": round(peak / 1024, 1),
        }
    base = out["formats"]["json"]["p50_ms"]
    for fmt in ("xlsx", "docx", "pdf"):
        out[f"{fmt}_vs_json"] = ratio(out["formats"][fmt]["p50_ms"], base)
    out["not_measured"] = "peak memory of importing 100,000 documents"
    return out


# --- (d) intake under concurrency ----------------------------------------------------------------

APPLICANT = {
    "applicant_type": "natural_person",
    "applicant_name": "压测申请人",
    "id_type": "resident_id",
    "id_number": "11010519491231002X",
    "contact_person": "",
    "phone": "13912345678",
    "email": "bench@example.cn",
    "address": "内蒙古呼和浩特市",
    "postcode": "010000",
    "description": "请公开本机关2025年部门预算。",
    "document_hint": "",
    "form_wanted": "email",
    "delivery": "email",
}


def _submitters(
    n: int, seconds: float, max_per_submitter: int, run: str, agency: Any
) -> dict[str, Any]:
    from django.db import connection
    from django.utils import timezone

    from gongkai.applications import intake

    latencies: list[float] = []
    errors: list[str] = []
    sent: list[str] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    barrier = threading.Barrier(n)

    def worker(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            count = 0
            while time.perf_counter() < deadline and count < max_per_submitter:
                token = f"{run}-{index}-{count}"
                began = time.perf_counter()
                try:
                    application = intake.create_application(
                        agency,
                        applicant=APPLICANT,
                        channel="online",
                        arrived_at=timezone.now(),
                        submission_token=token,
                    )
                    if count % 5 == 0:  # a double submission must return the same request
                        again = intake.create_application(
                            agency,
                            applicant=APPLICANT,
                            channel="online",
                            arrived_at=timezone.now(),
                            submission_token=token,
                        )
                        if again.pk != application.pk:
                            raise AssertionError(f"duplicate for {token}")
                except Exception as exc:  # every failure is counted
                    with lock:
                        errors.append(f"{type(exc).__name__}: {exc}"[:200])
                else:
                    with lock:
                        latencies.append(time.perf_counter() - began)
                        sent.append(token)
                count += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    from gongkai.applications.models import Application

    stored = list(
        Application.objects.filter(submission_token__startswith=f"{run}-").values_list(
            "submission_token", flat=True
        )
    )
    return {
        "submitters": n,
        "seconds": round(wall, 2),
        "accepted": len(sent),
        "errors": len(errors),
        "error_samples": errors[:5],
        "lost": len(set(sent) - set(stored)),
        "duplicated": len(stored) - len(set(stored)),
        "unexpected": len(set(stored) - set(sent)),
        "per_second": round(len(sent) / wall, 1) if wall else None,
        **summary(latencies),
    }


def bench_intake(
    submitters: int = 50, seconds: float = 10.0, max_per_submitter: int | None = None
) -> dict[str, Any]:
    """``submitters`` threads submitting for ``seconds`` (and at most ``max_per_submitter``
    each: by default 20 per second of the run, more than a submitter manages, so the time bounds
    the run), against one submitter alone."""
    from gongkai.agencies.models import Agency, AgencyKind

    if max_per_submitter is None:
        max_per_submitter = max(1, round(20 * seconds))

    agency = Agency.objects.filter(kind=AgencyKind.COUNTY_GOVERNMENT).order_by("pk").first()
    agency = agency or Agency.objects.order_by("pk").first()
    stamp = f"bench{int(time.time())}"
    alone = _submitters(1, min(seconds, 5.0), max_per_submitter, f"{stamp}a", agency)
    crowd = _submitters(submitters, seconds, max_per_submitter, f"{stamp}c", agency)
    return {
        "alone": alone,
        "concurrent": crowd,
        "p95_vs_alone": ratio(crowd["p95_ms"], alone["p95_ms"]),
        "ok": crowd["errors"] == 0 and crowd["lost"] == 0 and crowd["duplicated"] == 0,
    }


# --- (c) portal throughput ----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(conn: http.client.HTTPConnection, path: str) -> tuple[int, int]:
    conn.request("GET", path, headers={"Host": "127.0.0.1"})
    response = conn.getresponse()
    body = response.read()
    return response.status, len(body)


def load(
    port: int, paths: list[str], seconds: float, max_requests: int, clients: int
) -> dict[str, Any]:
    """A bounded threaded load generator on 127.0.0.1 (keep-alive connections)."""
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    issued = [0]

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        i = index
        while time.perf_counter() < deadline:
            with lock:
                if issued[0] >= max_requests:
                    break
                issued[0] += 1
            path = paths[i % len(paths)]
            i += clients
            began = time.perf_counter()
            try:
                status, _size = _get(conn, path)
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                with lock:
                    failures.append(f"{path}: {exc}")
                continue
            elapsed = time.perf_counter() - began
            with lock:
                if status == 200:
                    latencies.append(elapsed)
                else:
                    failures.append(f"{path}: HTTP {status}")
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    return {
        "requests": len(latencies),
        "failures": len(failures),
        "failure_samples": failures[:5],
        "rps": round(len(latencies) / wall, 1) if wall else None,
        **summary(latencies),
    }


def bench_portal(seconds: float = 10.0, max_requests: int = 5000, clients: int = 8) -> dict:
    """gunicorn (2 workers, as ``make run``) on 127.0.0.1; whitenoise serves the static file."""
    from django.conf import settings

    from gongkai.publications.models import Document
    from gongkai.search.models import SearchEntry

    docs = list(
        Document.objects.published()
        .filter(agency__code__startswith="synth-")
        .order_by("pk")
        .values_list("agency__code", "pk")[:200]
    )
    titles = list(SearchEntry.objects.order_by("pk").values_list("title", flat=True)[:50])
    from urllib.parse import quote

    doc_paths = [f"/documents/{code}/{pk}/" for code, pk in docs]
    search_paths = [f"/documents/search/?q={quote(t[2:5])}" for t in titles if len(t) >= 5]
    static_dir = Path(tempfile.mkdtemp(prefix="gongkai-bench-static-"))
    env = {
        **os.environ,
        "GONGKAI_STATIC_ROOT": str(static_dir),
        "GONGKAI_DEBUG": "0",
        "GONGKAI_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    subprocess.run(
        [str(Path(sys.executable).parent / "gongkai"), "collectstatic", "--noinput", "-v0"],
        env=env,
        check=True,
    )
    port = _free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "gongkai.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _i in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        status, size = _get(conn, doc_paths[0])
        conn.close()
        if status != 200:
            raise RuntimeError(f"document page answered HTTP {status}")
        # A static file of the same size as a document page, served by the same server.
        (static_dir / "bench").mkdir(exist_ok=True)
        (static_dir / "bench" / "same-size.html").write_bytes(b"x" * size)
        server.terminate()
        server.wait(timeout=30)
        server = subprocess.Popen(
            [str(gunicorn), "gongkai.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for _i in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        static_path = f"{settings.STATIC_URL}bench/same-size.html"
        for path in doc_paths[:3] + search_paths[:3] + [static_path]:  # warm up
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            _get(conn, path)
            conn.close()
        static = load(port, [static_path], seconds, max_requests, clients)
        document = load(port, doc_paths, seconds, max_requests, clients)
        searching = load(port, search_paths, seconds, max_requests, clients)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(static_dir, ignore_errors=True)
    return {
        "server": "gunicorn, 2 sync workers, 127.0.0.1",
        "clients": clients,
        "page_bytes": size,
        "static_file": static,
        "document_page": document,
        "search_page": searching,
        "document_rps_vs_static": ratio(document["rps"] or 0, static["rps"] or 0),
        "search_rps_vs_static": ratio(searching["rps"] or 0, static["rps"] or 0),
    }


# --- (e) reply letters ------------------------------------------------------------------------


def bench_letters(repeats: int = 5) -> dict[str, Any]:
    """(e) One reply letter (予以公开) rendered to DOCX and PDF — what issuing does — against
    rendering the same letter to its HTML preview (same content and layout, no file format)."""
    from gongkai.agencies.models import Agency
    from gongkai.letters import content, fonts, kinds
    from gongkai.letters.rendering.docx import render_docx
    from gongkai.letters.rendering.pdf import render_html, render_pdf
    from gongkai.letters.sample import sample_case

    agency = Agency.objects.exclude(doc_prefix="").order_by("depth", "id").first()
    spec = kinds.reply_kind("disclosed")
    application, event, history = sample_case(agency, spec)
    document = content.compose(spec, application, event, history=history).document
    plan = fonts.plan()
    renderers = {
        "html": lambda: render_html(document, plan),
        "docx": lambda: render_docx(document),
        "pdf": lambda: render_pdf(document, plan),
    }
    out: dict[str, Any] = {"formats": {}}
    for name, render in renderers.items():
        render()  # warm up (imports, fonts)
        times = [timed(render)[0] for _i in range(repeats)]
        tracemalloc.start()
        body = render()
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        out["formats"][name] = {
            **summary(times),
            "bytes": len(body),
            "peak_kib": round(peak / 1024, 1),
        }
    base = out["formats"]["html"]["p50_ms"]
    for name in ("docx", "pdf"):
        out[f"{name}_vs_html"] = ratio(out["formats"][name]["p50_ms"], base)
    return out
