"""deploy/systemd/*: the unit files pass ``systemd-analyze verify`` (skipped without it)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.deploy.helpers import BIN, ROOT

SYSTEMD_ANALYZE = shutil.which("systemd-analyze")
UNITS = sorted((ROOT / "deploy/systemd").iterdir())


def test_every_unit_of_the_documentation_is_shipped():
    names = {path.name for path in UNITS}
    assert names == {
        "gongkai.service",
        "gongkai-tick.service",
        "gongkai-tick.timer",
        "gongkai-backup.service",
        "gongkai-backup.timer",
    }


@pytest.mark.skipif(SYSTEMD_ANALYZE is None, reason="systemd-analyze 未安装")
def test_units_pass_systemd_analyze_verify(tmp_path: Path):
    # verify checks that ExecStart programs exist: point /srv/gongkai/.venv at this venv.
    for unit in UNITS:
        text = unit.read_text().replace("/srv/gongkai/.venv/bin/", f"{BIN}/")
        (tmp_path / unit.name).write_text(text)
    result = subprocess.run(
        [SYSTEMD_ANALYZE, "verify", *(str(tmp_path / u.name) for u in UNITS)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
