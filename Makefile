# Parity: commands for a newcomer (`make run`, `make totp`, `make test`), plus the usual habits.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run totp test services venv migrate seed lint fmt typecheck imports check worker beat clean

$(BIN)/python:
	$(PY) -m venv $(VENV)

venv: $(BIN)/python
	$(BIN)/pip install -q --disable-pip-version-check -e '.[dev]'

## make run: the app with the demo practice on embedded defaults (SQLite, in-process tasks).
run: venv
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=1 HOST=$(HOST) PORT=$(PORT) $(BIN)/python manage.py seed_demo
	DJANGO_DEBUG=1 WARM_UP_ON_START=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

## make totp: the demo accounts' current two-factor code (for a second terminal while `make run` serves).
totp: venv
	DJANGO_DEBUG=1 $(BIN)/python manage.py demo_totp

## make test: provision PostgreSQL, Redis, Chromium and the venv (as CI does), then run the suite.
test:
	bash .ci/run

## make services: PostgreSQL and Redis on 127.0.0.1 (started only if not answering), as CI uses them.
services:
	bash .ci/services

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

fmt: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: venv
	$(BIN)/mypy .

worker:
	$(BIN)/celery -A billing worker -l INFO -P solo

beat:
	$(BIN)/celery -A billing beat -l INFO

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 audit-anchor.jsonl .pytest_cache .mypy_cache .ruff_cache
