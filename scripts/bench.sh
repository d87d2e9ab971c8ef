#!/usr/bin/env bash
# The benchmark suite (issue 9): on a fresh SQLite file, then on a throwaway PostgreSQL server,
# then the table of docs/performance.md from bench/results/*.json.
#   BENCH_SCALE=0.02 (default) scales the issue's sizes (2,000 agencies, 1,000,000 documents,
#   200,000 requests); BENCH_SCALE=1 is the full size. BENCH_ONLY=search,report limits the
#   benchmarks; BENCH_SKIP_PG=1 skips PostgreSQL; BENCH_SKIP_FULL_REPORT=1 skips the full-size
#   annual report runs.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
export PATH="$PWD/$VENV/bin:$PATH"
unset GONGKAI_DATABASE_URL GONGKAI_TODAY
ONLY=${BENCH_ONLY:-search,report,memory,exports,letters,import,intake,portal}

echo "== bench on SQLite (BENCH_SCALE=${BENCH_SCALE:-0.02})"
python bench/run.py --label sqlite --only "$ONLY" || echo "some SQLite benchmarks failed (see the JSON)"

if [ "${BENCH_SKIP_PG:-0}" != "1" ]; then
  echo "== bench on PostgreSQL"
  (
    # shellcheck source=scripts/pg.sh
    source scripts/pg.sh
    start_pg -c shared_buffers=256MB
    python bench/run.py --label postgresql --only "$ONLY" || echo "some PostgreSQL benchmarks failed"
  )
fi

# The annual report at the issue's full size (2,000 agencies, 200,000 requests; few documents,
# since only table 2 reads them): minutes of synth per database. BENCH_SKIP_FULL_REPORT=1 skips it.
if [ "${BENCH_SKIP_FULL_REPORT:-0}" != "1" ]; then
  echo "== full-size annual report on SQLite"
  python bench/run.py --label sqlite-report-full --scale 1 --documents 20000 --only report,memory \
    || echo "the full-size SQLite report benchmark failed"
  if [ "${BENCH_SKIP_PG:-0}" != "1" ]; then
    echo "== full-size annual report on PostgreSQL"
    (
      source scripts/pg.sh
      start_pg -c shared_buffers=256MB
      python bench/run.py --label postgresql-report-full --scale 1 --documents 20000 \
        --only report,memory || echo "the full-size PostgreSQL report benchmark failed"
    )
  fi
fi

python bench/report.py
