"""Helpers of the production-configuration tests (tests/deploy)."""

from __future__ import annotations

import os
import socket
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
GONGKAI = BIN / "gongkai"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def child_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a gongkai/gunicorn child: no inherited GONGKAI_* settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GONGKAI_")}
    env.update(
        GONGKAI_VAR_DIR=str(var_dir),
        GONGKAI_DATABASE_URL=f"sqlite:///{var_dir / 'gongkai.sqlite3'}",
        GONGKAI_SECRET_KEY="deploy-test-" + "k" * 40,
        GONGKAI_LOG_LEVEL="ERROR",
    )
    env.update(extra)
    return env


def copy_database(source: Path, target: Path) -> Path:
    """Copy a (WAL-mode) SQLite file through the backup API, so no -wal file is needed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return target
