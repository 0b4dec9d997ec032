#!/usr/bin/env bash
# The main job on the embedded defaults: a synthetic world, the shared database, training, a
# champion, demo accounts, then the service and the officer console.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
SEED=${SEED:-20091222}
APPS=${APPS:-60000}
ENTRIES=${ENTRIES:-30000}
WORLD=${WORLD:-var/world-$SEED}

"$BIN/mizugiwa" synth --seed "$SEED" --applications "$APPS" --entries "$ENTRIES" --out "$WORLD"
"$BIN/mizugiwa" db upgrade
"$BIN/mizugiwa" db load "$WORLD/tipdb.jsonl"
"$BIN/mizugiwa" db stats
"$BIN/mizugiwa" train --data "$WORLD" | tee var/train-summary.log
VERSION=$(tail -n 1 var/train-summary.log | "$BIN/python" -c 'import json,sys; print(json.load(sys.stdin)["model_version"])')
"$BIN/mizugiwa" promote --version "$VERSION" || "$BIN/mizugiwa" promote --version "$VERSION" --force \
  --reason "first champion of a new installation: no previous champion to compare with"
exec "$BIN/mizugiwa" serve
