# Two commands for a newcomer: `make run` (the site with demo data) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
INSTALLED := $(VENV)/.installed
DEV_INSTALLED := $(VENV)/.installed-dev

.PHONY: run test install install-dev lock migrate demo lint e2e bench bench-quality messages clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "PartnerHub needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Exactly the locked versions, each checked against its hash; then the project itself.
# Running the site needs requirements.lock only; the tests, lint and browser tests
# install requirements-dev.lock (the same versions plus their tools) on top.
$(INSTALLED): pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(INSTALLED)

$(DEV_INSTALLED): pyproject.toml requirements.lock requirements-dev.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(INSTALLED) $(DEV_INSTALLED)

# After changing a dependency in pyproject.toml: regenerate both hashed lock files.
# The development lock is resolved first; the runtime lock is held to its versions,
# so installing one over the other never changes a package.
PIP_COMPILE := $(BIN)/python -m piptools compile --quiet --generate-hashes --allow-unsafe \
	--strip-extras --no-emit-index-url --no-emit-find-links --annotation-style line
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet pip-tools==7.6.2
	$(PIP_COMPILE) --extra dev --output-file requirements-dev.lock pyproject.toml
	$(PIP_COMPILE) --constraint requirements-dev.lock --output-file requirements.lock pyproject.toml

install: $(INSTALLED)

install-dev: $(DEV_INSTALLED)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo_data

# The task worker (e-mail and notifications) runs beside the development server and
# stops with it; its e-mails are printed in this terminal like the server's.
run: demo
	$(BIN)/python manage.py task_worker --queue-name '*' --interval 1 & \
	worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install-dev
	$(BIN)/python -m pytest

e2e: install-dev
	$(BIN)/python -m pytest -m e2e tests/e2e

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

# make bench BENCH_ARGS="--sizes 10000 100000 1000000"  (the million is opt-in: ~10 min to generate)
bench: install-dev
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Real consortia (Horizon 2020, ../shared/data/): the engine against four baselines.
bench-quality: install-dev
	$(BIN)/python bench/quality.py --projects 300

# Needs GNU gettext; the compiled .mo files are committed so nobody else does.
messages: install
	$(BIN)/python manage.py makemessages -l lv -l lt --ignore=.venv --ignore=bench --ignore=tests
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache .ruff_cache
