#!/usr/bin/env bash
# Set up, load Thailand's geography and the Lampang demo into SQLite, and serve.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export FLASK_APP=wsgi.py
PORT=${PORT:-5000}
.venv/bin/flask db upgrade
.venv/bin/flask geo load
.venv/bin/flask demo load ${DEMO_PASSWORD:+--password "$DEMO_PASSWORD"}
echo
echo "open http://127.0.0.1:${PORT}/ and log in as one of the users above"
exec .venv/bin/gunicorn --bind "127.0.0.1:${PORT}" --workers 2 --access-logfile - wsgi:app
