#!/usr/bin/env bash
# Create .venv and install the app (and, with --dev, the test tools and Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
if [ "${1:-}" = "--dev" ]; then
  .venv/bin/python -m pip install -q -r requirements-dev.txt
  # The offline tests drive Debian's Chromium (Playwright's own download
  # cannot reach its servers here); the PDF tests render with poppler's pdftoppm;
  # the login-throttle tests start their own redis-server; the reverse-proxy
  # tests run deploy/Caddyfile in Caddy.
  missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  command -v caddy >/dev/null 2>&1 || missing+=(caddy)
  if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
else
  .venv/bin/python -m pip install -q -r requirements.txt
fi
