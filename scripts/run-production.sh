#!/usr/bin/env bash
# Start korch-pwa for real: PostgreSQL from DATABASE_URL, migrations applied
# first, gunicorn with the measured settings (deploy/gunicorn.conf.py), JSON
# logs. Refuses to start without PostgreSQL or with a missing or dev secret.
# Put it behind a reverse proxy that speaks HTTPS (cookies are Secure).
set -euo pipefail
cd "$(dirname "$0")/.."

refuse() { echo "run-production: $*" >&2; exit 2; }

case "${DATABASE_URL:-}" in
  postgres://*|postgresql://*|postgresql+psycopg://*) ;;
  "") refuse "set DATABASE_URL to the PostgreSQL database (postgresql://user:password@host:5432/korch)" ;;
  *) refuse "DATABASE_URL must be PostgreSQL: SQLite is for one laptop, not for many workers" ;;
esac
secret="${SECRET_KEY:-}"
if [ "${#secret}" -lt 32 ] || [[ "$secret" == dev-* ]]; then
  refuse "set SECRET_KEY to a random value of at least 32 characters, the same on every host:" \
         "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
fi

export KORCH_ENV=production FLASK_APP=wsgi.py
[ -x .venv/bin/gunicorn ] || bash scripts/setup.sh
.venv/bin/flask db upgrade
# Every worker's metrics in one directory of this server's own (emptied at start).
export PROMETHEUS_MULTIPROC_DIR="${PROMETHEUS_MULTIPROC_DIR:-$PWD/instance/prometheus}"
exec .venv/bin/gunicorn -c deploy/gunicorn.conf.py wsgi:app
