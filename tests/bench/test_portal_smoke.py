"""Smoke run of the portal benchmark (issue 9 (c)): ``bench/run.py --only portal`` at the
smallest size, as a child process with its own scratch database, gunicorn and load generator.

It checks that the benchmark still runs end to end and that every request it makes is answered
200; the figures themselves are noise at this size and are not asserted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.deploy.helpers import ROOT, child_env


@pytest.mark.skipif(
    os.environ.get("GONGKAI_DATABASE_URL", "").startswith("postgres"),
    reason="runs on its own scratch SQLite database: once, in the SQLite leg of make test",
)
def test_the_portal_benchmark_runs_and_every_request_succeeds(tmp_path: Path):
    env = child_env(tmp_path / "var")
    del env["GONGKAI_DATABASE_URL"]  # bench/run.py makes a fresh scratch database
    del env["GONGKAI_VAR_DIR"]
    completed = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--label",
            "smoke",
            "--scale",
            "0.0001",
            "--only",
            "portal",
            "--portal-seconds",
            "1",
            "--out",
            str(tmp_path),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    portal = json.loads((tmp_path / "smoke.json").read_text(encoding="utf-8"))["benchmarks"][
        "portal"
    ]
    for kind in ("static_file", "document_page", "search_page"):
        assert portal[kind]["requests"] > 0, f"{kind}: no request completed: {portal[kind]}"
        assert portal[kind]["failures"] == 0, f"{kind}: {portal[kind]['failure_samples']}"
    assert portal["document_rps_vs_static"] > 0
