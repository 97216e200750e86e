# Veerkracht: `make demo` and `make test` are the two commands a new machine needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/veerkracht
HOST ?= 127.0.0.1
PORT ?= 8000
# Two workers: the machine has two cores.
PYTEST_ARGS ?= -n 2

.PHONY: help install install-test chromium demo serve worker test test-sqlite test-postgres lint format messages bench clean

help:
	@echo "make demo   install into .venv, migrate SQLite under var/, load demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test   install test dependencies (and Debian's chromium), lint, run the suite on SQLite and PostgreSQL"
	@echo "make bench  run the benchmarks in benchmarks/"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Re-install when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Browser tests drive Debian's Chromium (Playwright's own browser download is not used).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

demo: install
	$(BIN)/veerkracht migrate --no-input -v 0
	$(BIN)/veerkracht demo
	@echo ""
	@echo "Veerkracht runs on http://$(HOST):$(PORT)  (stop with Ctrl+C)"
	@echo "Log in with one of the demo accounts above (password: veerkracht-demo)."
	@echo ""
	@set -m; $(BIN)/veerkracht worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/veerkracht serve $(HOST):$(PORT) --noreload

serve: install
	$(BIN)/veerkracht serve $(HOST):$(PORT)

worker: install
	$(BIN)/veerkracht worker

lint: install-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(PY) manage.py makemigrations --check --dry-run -v 0
	$(PY) scripts/check_translations.py

format: install-test
	$(BIN)/ruff check --fix src tests benchmarks
	$(BIN)/ruff format src tests benchmarks

# Extract translatable strings into the .po files; translate, then `make messages` again compiles.
messages: install
	cd src/veerkracht && ../../$(PY) ../../manage.py makemessages -l nl -l en --no-obsolete --ignore 'planning/*' -v 0
	cd src/veerkracht && ../../$(PY) ../../manage.py compilemessages -v 0

test: install-test chromium lint
	@ran=""; \
	echo "== Test suite on SQLite"; \
	$(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS) || exit 1; ran="SQLite"; \
	if [ -n "$$DATABASE_URL" ] || $(PY) scripts/pg_reachable.py "$(PG_URL)"; then \
	  echo "== Test suite on PostgreSQL"; \
	  DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS) -m "not browser" || exit 1; \
	  ran="$$ran, PostgreSQL"; \
	else echo "== PostgreSQL not reachable: skipped"; fi; \
	echo "== Backends that ran: $$ran"

test-sqlite: install-test
	$(BIN)/pytest

test-postgres: install-test
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(BIN)/pytest -m "not browser"

bench: install
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
