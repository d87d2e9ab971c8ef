"""``gongkai check --deploy`` passes, without a warning, with the production settings of
docs/deployment.md (``GONGKAI_HTTPS=1``, debug off, a long secret key, real host names)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest


def run_check(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("GONGKAI_", "DJANGO_"))
    }
    base.update(
        GONGKAI_VAR_DIR=str(tmp_path / "var"),
        GONGKAI_SECRET_KEY=secrets.token_urlsafe(60),
        GONGKAI_ALLOWED_HOSTS="gongkai.example.gov.cn",
        GONGKAI_CSRF_TRUSTED_ORIGINS="https://gongkai.example.gov.cn",
        GONGKAI_DEBUG="0",
    )
    base.update(env)
    return subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("deploy")


def test_production_settings_pass_the_deploy_check(workdir):
    result = run_check(workdir, GONGKAI_HTTPS="1")
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"deploy check failed:\n{output}"
    assert "no issues" in output, output


def test_without_https_the_deploy_check_complains(workdir):
    result = run_check(workdir, GONGKAI_HTTPS="0")
    output = result.stdout + result.stderr
    assert result.returncode != 0, "the check must notice the missing HTTPS settings"
    for check in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert check in output, f"{check} missing from:\n{output}"
