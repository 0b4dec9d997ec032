#!/usr/bin/env bash
# The main job on the embedded defaults: a synthetic world, the shared database, training, a
# champion, demo accounts, then the service and the officer console.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
MZ="$BIN/mizugiwa"
SEED=${SEED:-20091222}
APPS=${APPS:-60000}
ENTRIES=${ENTRIES:-20000}
WORLD=${WORLD:-var/world-$SEED-$APPS}

step() { printf '\n==> %s\n' "$1"; }

if [ ! -f "$WORLD/manifest.json" ]; then
  step "synthetic world (seed $SEED): $APPS applications, $ENTRIES border entries"
  "$MZ" synth --seed "$SEED" --applications "$APPS" --entries "$ENTRIES" --out "$WORLD"
fi

step "shared trafficking database"
"$MZ" db upgrade
"$MZ" db load "$WORLD/tipdb.jsonl"
"$MZ" db stats

step "visa applications known to the service (so border entries can refer to them)"
"$MZ" cases load "$WORLD/applications.jsonl"

step "look-back: facts recorded after the applications they concern become follow-ups"
"$MZ" lookback --since 2000-01-01
step "airline passenger lists of the last 14 arrival days (pre-arrival screening)"
if [ ! -d "$WORLD/passenger-lists" ]; then  # a world written before the lists were
  "$BIN/python" -c "import sys; from pathlib import Path; from mizugiwa.training.synth.passenger_lists import write_passenger_lists as w; w(Path(sys.argv[1]) / 'entries.jsonl', Path(sys.argv[1]) / 'passenger-lists', int(sys.argv[2]))" "$WORLD" "$SEED"
fi
LISTS=()
for day in $(ls "$WORLD/passenger-lists" | tail -n 14); do LISTS+=("$WORLD/passenger-lists/$day"/*.edi); done
# and a hand-written flight that shows what only a list shows (docs/passenger-lists.md)
"$MZ" paxlst load "${LISTS[@]}" examples/passenger-lists/*.edi > var/passenger-lists.log
echo "$(wc -l < var/passenger-lists.log) lists stored and screened (var/passenger-lists.log)"

step "training, evaluation and fairness audit (MLflow: var/mlflow.sqlite3)"
"$MZ" train --data "$WORLD" --seed "$SEED" | tee var/train-summary.log
VERSION=$(tail -n 1 var/train-summary.log | "$BIN/python" -c 'import json,sys; print(json.load(sys.stdin)["model_version"])')

step "promotion of version $VERSION to champion"
if ! "$MZ" promote --version "$VERSION"; then
  if [ -n "$("$BIN/python" -c 'from mizugiwa.models.registry import alias_version; print(alias_version("champion") or "")')" ]; then
    echo "The gates refused version $VERSION; the current champion keeps serving."
  else
    echo "The gates refused version $VERSION and there is no champion yet."
    echo "Read the fairness report in the MLflow run before promoting it by hand with"
    echo "  $MZ promote --version $VERSION --force --reason TEXT"
    echo "The service starts without a model: /readyz answers 503 until a champion exists."
  fi
fi

step "demo accounts (tokens in var/demo-accounts.txt)"
: > var/demo-accounts.txt
for spec in "officer_mnl consular_officer MNL" "officer_bkk consular_officer BKK" \
            "inspector border_inspector -" "investigator investigator -" "analyst analyst -" \
            "auditor auditor -" "admin admin -" "airline_gw api_feed -"; do
  set -- $spec
  if [ "$3" = "-" ]; then "$MZ" users add "$1" --role "$2" >/dev/null 2>&1 || true
  else "$MZ" users add "$1" --role "$2" --post "$3" >/dev/null 2>&1 || true; fi
  printf '%-12s %-17s %s\n' "$1" "$2" "$("$MZ" users token "$1")" >> var/demo-accounts.txt
done
cat var/demo-accounts.txt

URL="http://${MIZUGIWA_HOST:-127.0.0.1}:${MIZUGIWA_PORT:-8000}"
step "serving on $URL/ (console: /console/, API docs: /docs)"
"$MZ" serve &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true' INT TERM
for _ in $(seq 1 240); do
  if "$BIN/python" -c "import httpx,sys; sys.exit(httpx.get('$URL/readyz', timeout=2).status_code != 200)" 2>/dev/null; then
    break
  fi
  if ! kill -0 "$SERVER" 2>/dev/null; then echo "the service stopped"; exit 1; fi
  sleep 0.5
done

step "a day of the world's traffic through the API (so worklists, charts and drift have content)"
"$BIN/python" scripts/replay_day.py --world "$WORLD" --url "$URL" \
  || echo "the replay did not complete: pages stay empty until cases are scored"

echo
echo "Console: $URL/console/  (accounts and tokens: var/demo-accounts.txt)"
wait "$SERVER"
