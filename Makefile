# Studyhall: `make run` serves the demo site, `make test` runs every test.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := app

.PHONY: run serve test e2e bench lint typecheck fmt clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load-if-empty
	$(BIN)/flask run --host 127.0.0.1 --port 5000

# Production: gunicorn, WEB_CONCURRENCY workers (default 2 x cores + 1) on BIND.
serve: $(STAMP)
	$(BIN)/flask db upgrade
	$(BIN)/gunicorn --workers "$${WEB_CONCURRENCY:-$$((2 * $$(nproc) + 1))}" \
		--bind "$${BIND:-127.0.0.1:8000}" --access-logfile - 'app:create_app()'

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

e2e: $(STAMP)
	$(BIN)/python -m pytest tests/e2e

bench: $(STAMP)
	$(BIN)/python bench/pathological.py
	$(BIN)/python bench/run.py

lint: $(STAMP)
	$(BIN)/ruff check .

# mypy --strict over app/ (settings in pyproject.toml [tool.mypy]); not yet part of `test`.
typecheck: $(STAMP)
	$(BIN)/mypy

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
