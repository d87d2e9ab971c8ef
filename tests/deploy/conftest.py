"""Fixtures of the production-configuration tests: a SQLite file migrated by the real CLI."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.deploy.helpers import GONGKAI, ROOT, child_env


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated by ``gongkai migrate`` (copy it; do not write to it)."""
    var_dir = tmp_path_factory.mktemp("migrated")
    subprocess.run(
        [str(GONGKAI), "migrate", "--noinput", "-v0"],
        env=child_env(var_dir),
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    return var_dir / "gongkai.sqlite3"
