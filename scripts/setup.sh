#!/usr/bin/env bash
# Create .venv and install the app (and, with --dev, the test tools and Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
if [ "${1:-}" = "--dev" ]; then
  .venv/bin/python -m pip install -q -r requirements-dev.txt
  # The offline tests drive Debian's Chromium; Playwright's own download
  # cannot reach its servers here.
  if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
      sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    fi
  fi
  if ! command -v pdftoppm >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then apt-get install -y -qq poppler-utils >/dev/null || true; fi
  fi
else
  .venv/bin/python -m pip install -q -r requirements.txt
fi
