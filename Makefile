# Statecraft: `make run` serves the app on the embedded default; `make test` runs everything.
PORT ?= 8000
HOST ?= 127.0.0.1
VENV := .venv
PY := $(VENV)/bin/python
STAMPS := .setup-stamps
# The test suite runs on the production parts; these are the machine's local services.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/statecraft
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
# Production settings need a SECRET_KEY; the suite's processes share this one (not a secret).
# The API's per-user rate limit is tested on servers of its own; the suite itself is not throttled.
TEST_SECRET_KEY ?= statecraft-test-suite-only-key-not-secret-0123456789abcdefghij
TEST_ENV := SECRET_KEY=$(TEST_SECRET_KEY) API_THROTTLE_USER=100000/second
PYTEST := $(TEST_ENV) DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(VENV)/bin/pytest
FRONTEND_SOURCES := $(shell find frontend/src -type f 2>/dev/null) frontend/index.html frontend/vite.config.ts frontend/tsconfig.json

.PHONY: run test setup setup-dev frontend migrate lint format services bench clean

run: setup migrate
	$(PY) manage.py bootstrap
	$(PY) manage.py serve --host $(HOST) --port $(PORT)

setup: $(STAMPS)/python frontend

setup-dev: setup $(STAMPS)/python-dev

$(STAMPS)/python: requirements.txt
	@mkdir -p $(STAMPS)
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(STAMPS)/python-dev: $(STAMPS)/python requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

frontend/node_modules/.package-lock.json: frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	@touch $@

static/app/main.js: frontend/node_modules/.package-lock.json $(FRONTEND_SOURCES)
	cd frontend && npm run build

frontend: static/app/main.js

# The AWS SDK for JavaScript, for its smoke test (tests/awsapi/test_aws_sdk_js.py).
tests/awsapi/js/node_modules/.package-lock.json: tests/awsapi/js/package-lock.json
	cd tests/awsapi/js && npm ci --no-audit --no-fund
	@touch $@

migrate: $(STAMPS)/python
	$(PY) manage.py migrate --verbosity 0

services:
	bin/ensure-services

test: setup-dev services tests/awsapi/js/node_modules/.package-lock.json
	cd frontend && npx tsc --noEmit && npx vitest run
	$(PYTEST) -m "not browser" $(PYTEST_ARGS)
	# Playwright's sync API keeps an event loop in the main thread: browser tests run last,
	# in their own session, so the asyncio tests never meet it.
	$(PYTEST) -m browser $(PYTEST_ARGS)

lint: setup-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy asl designer executor config awsapi
	# The language package is held to mypy's full strict mode on its own.
	$(VENV)/bin/mypy --strict asl

format: setup-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: setup-dev services
	$(PY) bench/asl_bench.py
	$(PY) bench/live_latency.py
	$(PY) bench/advance_cost.py
	$(PY) bench/e2e_throughput.py

clean:
	rm -rf $(STAMPS) static/app frontend/node_modules
