#!/usr/bin/env bash
# Set up and run the whole suite: on SQLite, then on PostgreSQL when one answers.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --dev
PG_URL=${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test}
unset DATABASE_URL
echo "== tests on SQLite"
.venv/bin/python -m pytest -q "$@"
if .venv/bin/python - "$PG_URL" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1].replace("postgresql+psycopg://", "postgresql://"), connect_timeout=3).close()
except Exception as exc:
    print(f"PostgreSQL not reachable ({exc}); SQLite run only")
    sys.exit(1)
PY
then
  echo "== tests on PostgreSQL"
  DATABASE_URL="$PG_URL" .venv/bin/python -m pytest -q -m "not sqlite_only" "$@"
fi
