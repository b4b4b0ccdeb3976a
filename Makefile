# Jazari Skills: the two commands are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

# Python 3.12: `python3.12` on the PATH, else pyenv's 3.12.x.
PYTHON312 := $(shell for c in python3.12 $$HOME/.pyenv/versions/3.12*/bin/python3.12; do \
	"$$c" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null \
	&& { command -v "$$c"; break; }; done)

.PHONY: help install install-dev run test lint format bench lock messages clean

help:
	@echo "make run    install, migrate, load demo data, serve http://$(HOST):$(PORT)/"
	@echo "make test   run the whole test suite (SQLite, or PostgreSQL when DATABASE_URL is set)"
	@echo "make lint   ruff format --check, ruff check, makemigrations --check"
	@echo "make bench  benchmarks in bench/ (PostgreSQL, gunicorn)"
	@echo "make lock   re-resolve requirements.lock and requirements-dev.lock from pyproject.toml"

$(VENV)/bin/python:
	@if [ -z "$(PYTHON312)" ]; then \
		echo "Python 3.12 was not found. Install it (e.g. 'apt install python3.12 python3.12-venv'"; \
		echo "or 'pyenv install 3.12') and run make again."; exit 1; fi
	$(PYTHON312) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip uv

$(VENV)/.installed: $(VENV)/bin/python requirements.lock
	$(VENV)/bin/uv pip sync --quiet -p $(PY) requirements.lock
	@rm -f $(VENV)/.installed-dev
	@touch $@

$(VENV)/.installed-dev: $(VENV)/bin/python requirements-dev.lock
	$(VENV)/bin/uv pip sync --quiet -p $(PY) requirements-dev.lock
	@rm -f $(VENV)/.installed
	@touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

run: export DJANGO_SETTINGS_MODULE = jazari.settings.dev
# Links in emails, calendar files and certificates made outside a request use this address.
run: export WAGTAILADMIN_BASE_URL ?= http://$(HOST):$(PORT)
run:
	@if [ ! -f $(VENV)/.installed ] && [ ! -f $(VENV)/.installed-dev ]; then $(MAKE) install; fi
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	$(MANAGE) runserver $(HOST):$(PORT)

# Test workers (pytest-xdist), one per core of the 2-core machines; TEST_WORKERS=0 runs the
# tests in one process. The 15 slowest tests are listed at the end.
TEST_WORKERS ?= 2

test: export DJANGO_SETTINGS_MODULE = jazari.settings.test
test: install-dev
	$(PY) -m pytest -n $(TEST_WORKERS) --durations=15 $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	DJANGO_SETTINGS_MODULE=jazari.settings.test $(MANAGE) makemigrations --check --dry-run

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install-dev
	$(PY) bench/run.py
	$(PY) bench/enrol.py
	$(PY) bench/material.py
	$(PY) bench/faults.py
	$(PY) bench/reports.py

lock: $(VENV)/bin/python
	$(VENV)/bin/uv pip compile --quiet --python-version 3.12 --override requirements-overrides.txt pyproject.toml -o requirements.lock
	$(VENV)/bin/uv pip compile --quiet --python-version 3.12 --override requirements-overrides.txt --extra dev pyproject.toml -o requirements-dev.lock

messages: install-dev
	$(MANAGE) makemessages --all --ignore='.venv/*' --ignore='tests/*' --ignore='bench/*'
	$(MANAGE) compilemessages --ignore='.venv/*'

clean:
	rm -rf $(VENV) db.sqlite3 media static
