# dualtrack — `make run` sets up and serves the demo; `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := run

VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 3
# The suite runs in one process per core and one more (pytest-xdist: a process waiting on the
# database or the browser leaves its core to another); TEST_WORKERS=0 runs it in this one. Each
# process is given its next test when it is done with the last (tests marked with one
# xdist_group, which share a costly fixture, go to one process); the browser tests are spread
# over the first half of the run (conftest.py).
TEST_WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))

# Django 6.1 needs Python 3.12 or newer: take the first interpreter that really runs.
PYTHON_CANDIDATES := python3.13 python3.12 $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3) \
	$(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3) $(wildcard /usr/local/bin/python3.1[2-9]) \
	$(wildcard /usr/bin/python3.1[2-9]) python3
BASE_PYTHON ?= $(shell for p in $(PYTHON_CANDIDATES); do \
	if $$p -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then \
	command -v $$p 2>/dev/null || echo $$p; break; fi; done)

.PHONY: run test bench lint assets messages migrate seed serve clean system-deps-run system-deps-test \
	cluster cluster-stop

# The system packages beyond Python and Node (CJK font, gettext; Chromium for the tests): installed
# with apt-get when run as root, or one message naming them. Listed first, so it runs first.
system-deps-run:
	@scripts/system_deps.sh run

system-deps-test:
	@scripts/system_deps.sh test

$(VENV)/.installed: pyproject.toml
	@if [ -z "$(BASE_PYTHON)" ]; then \
		echo "dualtrack needs Python 3.12 or newer (Django 6.1); none was found." >&2; \
		echo "Install python3.12 or python3.13, or run: make BASE_PYTHON=/path/to/python3.12" >&2; \
		exit 1; fi
	@echo "Using $(BASE_PYTHON) ($$($(BASE_PYTHON) --version))"
	$(BASE_PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/vendor/.built: node_modules/.installed scripts/build_assets.mjs
	node scripts/build_assets.mjs
	touch $@

assets: static/vendor/.built

# Compiled translations are build output, like the front-end assets.
messages: $(VENV)/.installed
	@$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --no-input -v0

seed: migrate
	$(PY) manage.py seed_demo --if-empty

serve: $(VENV)/.installed assets messages
	$(PY) manage.py collectstatic --no-input -v0
	@$(PY) manage.py demo_logins
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C stops the server and the task worker)"
	@# The demo shows a job seeker's one-time code on the page (JOBS_CODE_SENDER=shown).
	@# One JSON line a request on stderr (REQUEST_LOG); /metrics adds up the gunicorn workers'
	@# counts kept in PROMETHEUS_MULTIPROC_DIR, emptied at every start (docs/operations.md).
	@export PROMETHEUS_MULTIPROC_DIR=$$(mktemp -d -t dualtrack-metrics.XXXXXX); \
	trap 'rm -rf "$$PROMETHEUS_MULTIPROC_DIR"; kill 0' EXIT INT TERM; \
	$(PY) manage.py run_worker >/dev/null 2>&1 & \
	DEBUG=$${DEBUG:-0} SECURE_COOKIES=$${SECURE_COOKIES:-0} JOBS_CODE_SENDER=$${JOBS_CODE_SENDER:-shown} \
		$(VENV)/bin/gunicorn config.wsgi:application \
		--bind $(HOST):$(PORT) --workers $(WORKERS) --log-level warning

run: system-deps-run $(VENV)/.installed assets messages seed serve

test: system-deps-test $(VENV)/.installed assets messages
	$(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadgroup --durations=20

# ruff (DTZ: no naive datetimes), import-linter (the layers, the contracts inside each app and the
# demo's), mypy strict on the application code, modules over 500 lines, dead code (vulture).
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy dualtrack config
	$(PY) scripts/check_module_size.py
	$(PY) scripts/check_dead_code.py
	$(PY) manage.py makemigrations --check --dry-run

# Each benchmark prints its figures as ratios against a baseline measured in the same run;
# BENCH=checkpoints runs one of them (run = the foundation's seeding and resident pages).
BENCHES ?= run checkpoints enterprises supplies prediction jobs subsidies services volunteers command dashboard pages
# The benchmarks' own comparisons (OpenFisca for the subsidies) are not the suite's business.
$(VENV)/.bench-installed: $(VENV)/.installed
	$(PY) -m pip install --quiet -e ".[dev,bench]"
	touch $@

bench: $(VENV)/.bench-installed assets messages
	@for b in $(if $(BENCH),$(BENCH),$(BENCHES)); do \
		echo "== bench/$$b.py"; $(PY) bench/$$b.py $(BENCH_ARGS) || exit 1; done

# The whole deployment on one machine: primary, replica, PgBouncer, two app servers behind nginx,
# the task worker (deploy/cluster.sh; README "Several servers on one machine").
cluster: $(VENV)/.installed assets messages
	PY=$(PY) deploy/cluster.sh start

cluster-stop:
	deploy/cluster.sh stop

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles db.sqlite3*
