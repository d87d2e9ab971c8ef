"""Smoke runs of the benchmark harness on minimal sizes: it runs and its checks hold.

No timing assertions (benchmarks are never timed inside ``make test``); the portal benchmark
(gunicorn + collectstatic) is exercised only by ``make bench``.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from bench import harness, report
from gongkai.synth.generator import SynthConfig, generate

TINY = SynthConfig(agencies=30, documents=150, requests=200, seed=2, batch=100)


@pytest.fixture
def tiny_synth(db):
    generate(TINY)


def test_percentile_uses_nearest_rank():
    values = [0.001 * i for i in range(1, 101)]
    assert harness.percentile(values, 50) == pytest.approx(50.0)
    assert harness.percentile(values, 95) == pytest.approx(95.0)
    assert harness.percentile([], 95) == 0.0


def test_search_benchmark_runs_and_finds_full_recall(tiny_synth):
    result = harness.bench_search(queries_per_case=3)
    assert result["recall_100"], result["recall_failures"]
    assert set(result["cases"]) == {"2 chars", "3 chars", "4 chars", "3 chars + filters"}
    for name, case in result["cases"].items():
        assert case["queries"] == 3, name
        assert case["search_query"]["n"] == 3, name


def test_like_scan_finds_a_planted_title_term(tiny_synth):
    from django.db import connection

    from gongkai.search.models import SearchEntry

    entry = SearchEntry.objects.order_by("id").first()
    term = entry.title[2:5]
    with connection.cursor() as cursor:
        assert entry.id in harness.like_scan(cursor, term)


def test_report_benchmark_finds_the_same_cells_as_hand_written_sql(tiny_synth):
    result = harness.bench_report(repeats=1)
    assert result["cells_equal"], "reports.compute and the hand-written SQL disagree"
    assert result["units"] == 30


def test_hand_written_sql_counts_the_requests_received_in_the_year(tiny_synth):
    from gongkai.applications.models import Application

    region, year = harness.report_scope()
    table3, _table4, _table2 = harness.hand_sql_report(region, year)
    received = Application.objects.filter(received_on__year=year).count()
    assert table3["new"]["total"] == received


def test_memory_benchmark_reports_a_peak(tiny_synth):
    result = harness.bench_memory()
    assert result["report_peak_kib"] > 0


@pytest.mark.django_db(transaction=True)
def test_intake_benchmark_loses_and_duplicates_nothing():
    generate(SynthConfig(agencies=5, documents=5, requests=5, seed=3, batch=10))
    result = harness.bench_intake(submitters=3, seconds=1.0, max_per_submitter=3)
    crowd = result["concurrent"]
    assert crowd["errors"] == 0, crowd["error_samples"]
    assert (crowd["lost"], crowd["duplicated"], crowd["unexpected"]) == (0, 0, 0)
    assert crowd["accepted"] == 9
    assert result["ok"]


def test_report_writes_the_table_between_the_markers(tmp_path):
    run = {
        "label": "sqlite",
        "vendor": "sqlite",
        "database_version": "3.40.1",
        "started": dt.datetime(2026, 1, 1).isoformat(),
        "scale": 0.001,
        "sizes": {"agencies": 30, "documents": 1000, "requests": 200},
        "machine": {"load_average_at_start": [1.0, 1.0, 1.0]},
        "synth": {"seconds": 1.0, "documents_per_second": 1000.0},
        "benchmarks": {"report": {"error": "RuntimeError: boom"}},
    }
    (tmp_path / "sqlite.json").write_text(json.dumps(run), encoding="utf-8")
    target = tmp_path / "performance.md"
    target.write_text(f"# Before\n\n{report.START}\nold\n{report.END}\n\nAfter\n", encoding="utf-8")
    assert report.main([str(tmp_path), str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Before") and text.rstrip().endswith("After")
    assert "old" not in text
    assert "| 1,000 |" in text or "1,000" in text
    assert "16.7 min" in text, "1,000,000 documents at 1,000/s is 16.7 minutes"
    assert "sqlite / report: RuntimeError: boom" in text


def test_bench_run_writes_a_json_result_on_a_fresh_database(tmp_path):
    """The whole ``bench/run.py`` on minimal sizes, in a subprocess with its own SQLite file."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_")}
    completed = subprocess.run(
        [
            sys.executable,
            str(repo / "bench" / "run.py"),
            "--label",
            "smoke",
            "--scale",
            "0.0001",
            "--only",
            "search,report,memory",
            "--queries",
            "2",
            "--out",
            str(tmp_path),
        ],
        env=env,
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    result = json.loads((tmp_path / "smoke.json").read_text(encoding="utf-8"))
    assert result["sizes"] == {"agencies": 30, "documents": 100, "requests": 100}
    assert result["benchmarks"]["search"]["recall_100"]
    assert result["benchmarks"]["report"]["cells_equal"]
    assert result["database_megabytes"] > 0


def test_exports_benchmark_renders_every_format(tiny_synth):
    result = harness.bench_exports(repeats=1)
    for fmt in ("json", "xlsx", "docx", "pdf"):
        assert result["formats"][fmt]["bytes"] > 0, fmt
    assert result["formats"]["pdf"]["peak_kib"] > 0


def test_letters_benchmark_renders_a_reply_to_every_format(tiny_synth):
    result = harness.bench_letters(repeats=1)
    for fmt in ("html", "docx", "pdf"):
        assert result["formats"][fmt]["bytes"] > 0, fmt
    assert result["pdf_vs_html"] is not None
