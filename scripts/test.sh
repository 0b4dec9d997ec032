#!/usr/bin/env bash
# The test suite: ruff and mypy, then unit, integration (SQLite and PostgreSQL), browser and
# notebook tests.
# Installs what the browser tests need where it is missing (Debian's Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

# Japanese pages need a CJK font to render as text rather than boxes in screenshots.
fonts=$(fc-list 2>/dev/null || true)  # read whole: grep -q would cut the pipe (pipefail)
if ! command -v chromium >/dev/null 2>&1 || ! grep -qi "noto.*cjk" <<<"$fonts"; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's chromium and fonts-noto-cjk for the browser tests"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        chromium fonts-noto-cjk >/dev/null) \
      || echo "chromium could not be installed: browser tests will skip"
  else
    echo "chromium is missing and cannot be installed here: browser tests will skip"
  fi
fi

# The accessibility checker (axe-core) the browser tests inject into every console page.
if [ ! -f var/node/node_modules/axe-core/axe.min.js ]; then
  if command -v npm >/dev/null 2>&1; then
    npm install --prefix var/node --no-audit --no-fund --silent axe-core@4 \
      || echo "axe-core could not be installed: the accessibility check will skip"
  else
    echo "npm is missing: the accessibility check will skip (apt-get install npm)"
  fi
fi

echo "ruff (lint and format) and mypy"
"$BIN/ruff" check .
"$BIN/ruff" format --check .
"$BIN/mypy"

mkdir -p var/test-output
exec "$BIN/pytest" -q -p no:cacheprovider --timeout=900 "$@"
