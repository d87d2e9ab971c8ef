"""Smoke run of the import benchmark (bench/imports.py) on a tiny catalogue: no timing asserted."""

from __future__ import annotations

import pytest
from bench.imports import bench_import


@pytest.mark.django_db
def test_import_benchmark_imports_every_row_and_reports_peak_memory(world):
    result = bench_import(12)
    assert result["all_created"], f"only {result['created']} of 12 rows were imported: {result}"
    assert result["peak_kib"] > 0 and result["baseline_csv"]["rows"] == 12, result
