#!/usr/bin/env bash
# Extract the Thai source strings, update the English catalog, compile it.
# Thai is the source language; English is the translation.
set -euo pipefail
cd "$(dirname "$0")/.."
T=korch_pwa/translations
.venv/bin/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext --no-location \
  --sort-output -o "$T/messages.pot" .
if [ -f "$T/en/LC_MESSAGES/messages.po" ]; then
  .venv/bin/pybabel -q update -N -i "$T/messages.pot" -d "$T" -l en
else
  .venv/bin/pybabel -q init -i "$T/messages.pot" -d "$T" -l en
fi
.venv/bin/pybabel -q compile -d "$T" -l en
