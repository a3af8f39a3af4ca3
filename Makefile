# The verbs people type. `make run` and `make test` are all a newcomer needs.
SHELL := /bin/bash
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
UV := $(PYTHON) -m uv
# The suite runs on PostgreSQL: DATABASE_URL when it names one, else the local server.
POSTGRES_URL := $(if $(filter postgres%,$(DATABASE_URL)),$(DATABASE_URL),postgres://postgres@127.0.0.1:5432/residency)
# The SQLite pass runs only the tests marked databases_differ (tests/conftest.py says which).
SQLITE_TEST_URL ?= sqlite:///var/test.sqlite3
# Tests run in parallel (pytest-xdist), each worker on a test database of its own
# (test_residency_gw0, ...). WORKERS=0 runs them in one process.
WORKERS ?= auto
# The SQLite pass is short and runs beside the PostgreSQL one: one process, one migration.
SQLITE_WORKERS ?= 0

.PHONY: help install run serve test test-postgres test-sqlite check lint format browser curator bench clean

help:
	@echo "make run      install, migrate, load the shipped data once, serve on http://$(HOST):$(PORT)"
	@echo "make test     install, then run the whole suite on PostgreSQL (and on SQLite what differs)"
	@echo "make serve    production-style: gunicorn, compressed static files, DEBUG off"
	@echo "make curator  create a curator login for /admin/"
	@echo "make lint     ruff lint and format check"
	@echo "make bench    measure every page on the shipped data, then on 100,000 generated programs (N=0: the shipped data alone)"

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv \
		|| $(PYTHON) -m pip install --quiet --user --break-system-packages uv
	$(UV) sync --frozen
	@touch $@

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_directory --if-empty
	@echo
	@echo "  Residency Programs: http://$(HOST):$(PORT)/"
	@echo "  Curator admin:      http://$(HOST):$(PORT)/admin/"
	@echo "  Create a curator login with:  make curator"
	@echo
	DEBUG=$${DEBUG:-true} $(PY) manage.py runserver $(HOST):$(PORT)

serve: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_directory --if-empty
	DEBUG=false $(PY) manage.py collectstatic --noinput -v0
	@echo "  Serving on http://$(HOST):$(PORT)/ with gunicorn (DEBUG off)"
	DEBUG=false HOST=$(HOST) PORT=$(PORT) $(VENV)/bin/gunicorn -c gunicorn.conf.py residency_site.wsgi

curator: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py create_curator

# The two passes run side by side (their tests wait on the databases and the browser), each
# printing its output whole when it ends.
test: install browser check
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-postgres test-sqlite

test-postgres: install
	@DATABASE_URL="$(POSTGRES_URL)" $(PY) bin/ensure_postgres.py
	DATABASE_URL="$(POSTGRES_URL)" $(VENV)/bin/pytest -n $(WORKERS) $(PYTEST_ARGS)

test-sqlite: install
	DATABASE_URL="$(SQLITE_TEST_URL)" $(VENV)/bin/pytest -n $(SQLITE_WORKERS) -m "databases_differ and not browser" $(PYTEST_ARGS)

check: install
	DATABASE_URL="sqlite:///var/check.sqlite3" $(PY) manage.py makemigrations --check --dry-run
	DEBUG=false SECRET_KEY="check-deploy-$$(openssl rand -hex 24 2>/dev/null || date +%s%N)" \
		SECURE_SSL_REDIRECT=true SECURE_COOKIES=true SECURE_HSTS_SECONDS=31536000 \
		SECURE_HSTS_INCLUDE_SUBDOMAINS=true SECURE_HSTS_PRELOAD=true \
		EMAIL_URL="smtp+tls://mailer@127.0.0.1:587" \
		DATABASE_URL="sqlite:///var/check.sqlite3" \
		$(PY) manage.py check --deploy --fail-level WARNING

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Throughput and latency per page, as a share of /healthz, on databases of its own
# (BENCH_DATABASE_URL, default residency_bench on the local server, and the same name with
# _shipped), one table per size: the shipped data, then 100,000 generated programs.
# N picks the sizes: N=0 the shipped data alone, N=20000 that many, N=0,20000 both.
bench: install
	@DATABASE_URL="$(POSTGRES_URL)" $(PY) bin/ensure_postgres.py
	$(PY) bin/bench.py $(if $(N),--programs=$(N)) $(BENCH_ARGS)

# Browser tests drive Debian's Chromium; install it where we may, otherwise they are skipped.
browser: node_modules/.installed
	@if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		echo "Installing Chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

# axe-core, which the browser tests inject to check each page's accessibility.
node_modules/.installed: package.json package-lock.json
	@if ! command -v npm >/dev/null && command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		echo "Installing Node.js and npm for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	fi
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

clean:
	rm -rf $(VENV) node_modules staticfiles var/test.sqlite3 var/check.sqlite3 var/screenshots
