#!/usr/bin/env bash
# Set up and run the whole suite: on SQLite and, when one answers, on PostgreSQL.
#
# Much of a run is waiting (servers booting, workers racing, timers), so the
# two databases' runs of everything but the browser tests go side by side
# (each has its own database, ports, Redis, S3 server and pytest cache); the
# browser tests (tests/e2e), which want the CPU to themselves, then run on
# one database after the other. KORCH_TEST_SERIAL=1, or naming tests, runs
# plainly one database after the other. Either database failing fails the whole.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
PG_URL=${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test}
unset DATABASE_URL
sqlite_run() { .venv/bin/python -m pytest -q -o cache_dir=.pytest_cache/sqlite "$@"; }
pg_run() { DATABASE_URL="$PG_URL" .venv/bin/python -m pytest -q -o cache_dir=.pytest_cache/pg \
             -m "not sqlite_only" "$@"; }

if ! .venv/bin/python - "$PG_URL" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1].replace("postgresql+psycopg://", "postgresql://"), connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL not reachable ({exc}); SQLite run only")
    sys.exit(1)
PY
then
  echo "== tests on SQLite"
  sqlite_run "$@"
  exit
fi

failed=()
if [ "${KORCH_TEST_SERIAL:-}" = 1 ] || [ $# -gt 0 ]; then
  echo "== tests on SQLite"
  sqlite_run "$@" || failed+=("SQLite")
  echo "== tests on PostgreSQL"
  pg_run "$@" || failed+=("PostgreSQL")
else
  pg_log=$(mktemp)
  trap 'rm -f "$pg_log"' EXIT
  echo "== tests on SQLite and PostgreSQL side by side, browser tests apart (PostgreSQL's report follows)"
  pg_run --ignore=tests/e2e > "$pg_log" 2>&1 &
  pg_pid=$!
  sqlite_run --ignore=tests/e2e || failed+=("SQLite")
  wait "$pg_pid" || failed+=("PostgreSQL")
  echo "== tests on PostgreSQL"
  cat "$pg_log"
  echo "== browser tests on SQLite"
  sqlite_run tests/e2e || failed+=("SQLite browser")
  echo "== browser tests on PostgreSQL"
  pg_run tests/e2e || failed+=("PostgreSQL browser")
fi
if [ ${#failed[@]} -gt 0 ]; then
  echo "== FAILED: ${failed[*]}"
  exit 1
fi
echo "== every run passed"
