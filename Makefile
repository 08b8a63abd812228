# Studyhall: `make run` serves the demo site, `make test` runs every test.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := app

.PHONY: run serve test test-pg system-packages bench-packages e2e bench lint typecheck fmt clean
# Debian packages the PostgreSQL run and the multi-server tests need (installed as root when missing).
SYSTEM_PACKAGES := postgresql redis-server
# And what make bench needs: wrk drives the load, PostgreSQL gets its own columns.
BENCH_PACKAGES := wrk postgresql

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

# The whole suite on SQLite, then every database test again on a throwaway PostgreSQL.
test: $(STAMP) system-packages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest --ignore=tests/deploy
	$(MAKE) test-pg

test-pg: $(STAMP) system-packages
	$(BIN)/python -m pytest --database=postgresql tests/web tests/deploy

# Install the Debian packages $(1) that are missing, as root with apt-get; otherwise say
# which are missing and what happens without them ($(2)).
# Not on PATH is fine: tests/postgres.py finds /usr/lib/postgresql/*/bin. Debian's package would
# create and start a `main` cluster on port 5432; createcluster.conf tells it not to.
define install_packages
	@missing=""; for package in $(1); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" \
			|| missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		mkdir -p /etc/postgresql-common; \
		test -e /etc/postgresql-common/createcluster.conf \
			|| echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.conf; \
		DEBIAN_FRONTEND=noninteractive apt-get update -q \
			&& DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o Dpkg::Options::=--force-confold $$missing </dev/null; \
	elif [ -n "$$missing" ]; then \
		echo "missing:$$missing ($(2))"; \
	fi
endef

system-packages:
	$(call install_packages,$(SYSTEM_PACKAGES),run as root or apt-get install them; their tests skip)

bench-packages:
	$(call install_packages,$(BENCH_PACKAGES),run as root or apt-get install them; make bench then uses its Python load generator instead of wrk and leaves out the PostgreSQL columns)

e2e: $(STAMP)
	$(BIN)/python -m pytest tests/e2e

bench: $(STAMP) bench-packages
	$(BIN)/python bench/pathological.py
	$(BIN)/python bench/run.py

lint: $(STAMP)
	$(BIN)/ruff check .

# mypy --strict over app/ (settings in pyproject.toml [tool.mypy]); `test` runs it too.
typecheck: $(STAMP)
	$(BIN)/mypy

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
