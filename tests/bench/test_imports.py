"""Smoke run of the import benchmark (bench/imports.py) on a tiny catalogue: no timing asserted."""

from __future__ import annotations

import pytest
from bench.imports import bench_import


@pytest.mark.django_db(transaction=True)  # the child process must see the committed world
def test_import_benchmark_imports_every_row_and_reports_peak_memory(world):
    result = bench_import(12)
    assert result["all_created"], f"only {result['created']} of 24 rows were imported: {result}"
    assert result["baseline_csv"]["rows"] == 12, result
    assert result["peak_rss_kib"] > result["baseline_csv"]["peak_rss_kib"] > 0, result
    assert result["queries_per_row"] > 0, result


@pytest.mark.django_db(transaction=True)
def test_import_benchmark_can_measure_the_child_import_alone(world):
    result = bench_import(5, timed=False)
    assert result["all_created"] and result["created"] == 5, result
    assert "rows_per_second" not in result and result["child_rows_per_second"] > 0, result
