#!/usr/bin/env bash
# The whole suite: lint, then pytest on SQLite, then pytest on a real PostgreSQL server started
# here on 127.0.0.1 in a temporary data directory (stopped again on exit).
# Extra arguments go to pytest, e.g. scripts/test.sh tests/workdays -x
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
export PATH="$PWD/$VENV/bin:$PATH"
export GONGKAI_VAR_DIR="${GONGKAI_VAR_DIR:-$PWD/var/test}"
unset GONGKAI_DATABASE_URL GONGKAI_TODAY

echo "== ruff"
ruff check src tests bench

echo "== pytest on SQLite"
pytest -q -n 2 "$@"

if [ "${GONGKAI_SKIP_PG:-0}" = "1" ]; then echo "GONGKAI_SKIP_PG=1: PostgreSQL run skipped"; exit 0; fi

echo "== pytest on PostgreSQL"
# shellcheck source=scripts/pg.sh
source scripts/pg.sh
start_pg
pytest -q -n 2 "$@"
