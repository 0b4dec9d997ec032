# Mizugiwa: `make run` sets everything up and runs the main job; `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SEED   ?= 20091222
APPS   ?= 60000
ENTRIES ?= 30000
WORLD  := var/world-$(SEED)

export MIZUGIWA_ENVIRONMENT ?= local

.PHONY: run install world train serve test test-fast check lint format typecheck browser clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## The main job on the embedded defaults: synthetic world, database, training, champion, service.
run: install
	bash scripts/run.sh

## The whole suite: lint, types, then every test (unit, SQLite + PostgreSQL, browser, notebooks).
test: install
	bash scripts/test.sh

## Quick feedback while editing: unit and integration tests on both cores, no browser, notebooks
## or slow ones.
test-fast: install
	$(BIN)/pytest -q -p no:cacheprovider -n 2 -m "not browser and not notebooks and not slow"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

## Lint and types alone (make test runs them too).
check: lint typecheck

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf var/world-* var/test-output .pytest_cache .mypy_cache
