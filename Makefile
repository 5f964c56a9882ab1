PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?= -n 2

.PHONY: run test test-cluster install lint format worker scheduler cluster cluster-down bench bench-seed bench-restart messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# Links in emails, calendar files and feeds point at the address served here, unless
# MEDCONNECT_SITE_URL says otherwise (production always sets it).
SITE_URL = http://$(HOST):$(PORT)
RUN_ENV = DJANGO_DEBUG=1 MEDCONNECT_REQUIRE_MFA=$${MEDCONNECT_REQUIRE_MFA:-0} \
	MEDCONNECT_SITE_URL=$${MEDCONNECT_SITE_URL:-$(SITE_URL)}

## make run [PORT=8000] [HOST=127.0.0.1]: install, migrate, load demo data, serve with the worker and the scheduler
run: install
	@$(RUN_ENV) $(BIN)/python manage.py migrate --noinput -v0
	@$(RUN_ENV) $(BIN)/python manage.py seed_demo
	@echo "Starting on $(SITE_URL)  (Ctrl-C stops the server, the worker and the scheduler; every email is saved in var/mail/)"
	@trap 'kill 0' INT TERM EXIT; \
	$(RUN_ENV) $(BIN)/python manage.py worker --interval 1 --verbosity 0 & \
	$(RUN_ENV) $(BIN)/python manage.py scheduler --verbosity 0 & \
	$(RUN_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT) & \
	until $(BIN)/python -c "import urllib.request; urllib.request.urlopen('$(SITE_URL)/health/', timeout=2)" 2>/dev/null; do sleep 1; done; \
	$(RUN_ENV) $(BIN)/python manage.py seed_demo --logins; \
	wait

## make test: the whole suite (SQLite unless DATABASE_URL is set)
test: install
	MEDCONNECT_FAST_PASSWORD_HASHER=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

## make worker: run background tasks only (the configured backend's worker)
worker: install
	$(BIN)/python manage.py worker

## make scheduler: run the periodic jobs only
scheduler: install
	$(BIN)/python manage.py scheduler

## make cluster: two app nodes, two workers and a scheduler behind nginx on loopback (DATABASE_URL=postgres://...)
cluster: install
	deploy/cluster.sh up

cluster-down:
	deploy/cluster.sh down

## make test-cluster: the cluster's own test (sessions, cache, a 50-client race, a worker killed mid-send) on PostgreSQL
test-cluster: install
	deploy/test-cluster.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## make bench-seed: migrate and fill DATABASE_URL (PostgreSQL) with SEED_ARGS, default 1,000,000 appointments
SEED_ARGS ?= --doctors 2000 --patients 100000 --appointments 1000000
BENCH_KEY = $$(cat var/bench/encryption.key 2>/dev/null)
bench-seed: install
	@test -n "$(DATABASE_URL)" || (echo "Set DATABASE_URL=postgres://..."; exit 1)
	mkdir -p var/bench
	test -f var/bench/encryption.key || $(BIN)/python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())" > var/bench/encryption.key
	MEDCONNECT_ENCRYPTION_KEYS=$(BENCH_KEY) $(BIN)/python manage.py migrate --noinput -v0
	MEDCONNECT_ENCRYPTION_KEYS=$(BENCH_KEY) $(BIN)/python manage.py seed_scale $(SEED_ARGS)

## make bench: gunicorn with production settings under locust; BENCH_ARGS e.g. --users 10,50 --duration 20
bench: install
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python -m bench.run $(BENCH_ARGS)

## make bench-restart: as bench, plus one PostgreSQL restart during a mixed load run
bench-restart: install
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python -m bench.run --restart-db $(BENCH_ARGS)

# What makemessages skips: the virtualenv, generated files, docs and browser tests.
MESSAGES_IGNORE = --ignore=.venv --ignore=var --ignore=node_modules --ignore=docs --ignore=e2e \
	--ignore=bench --ignore=deploy --ignore='*/tests/*' --ignore=medconnect.egg-info

## make messages: refresh locale/hi/LC_MESSAGES/django.po from the code and templates, then compile it
messages: install
	$(BIN)/python manage.py makemessages -l hi --no-obsolete --add-location=file $(MESSAGES_IGNORE)
	msgcat --sort-output -o locale/hi/LC_MESSAGES/django.po locale/hi/LC_MESSAGES/django.po
	$(BIN)/python manage.py compilemessages -l hi --ignore=.venv
