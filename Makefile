# Two commands for a new user: `make run` and `make test`. Everything else is their setup.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1:8000

.PHONY: run test setup deps assets messages static migrate data lint format clean

run: setup data
	@echo "Serving on http://$(HOST)/ with the background worker (large imports)"
	$(MANAGE) db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(MANAGE) runserver $(HOST)

test: setup
	$(PY) -m pytest

setup: deps assets messages static migrate

deps: $(VENV)/.installed
$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

assets: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

messages: deps
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v0

static: deps assets
	$(MANAGE) collectstatic --noinput -v0

migrate: deps
	$(MANAGE) migrate --noinput -v0

data: migrate
	$(MANAGE) load_geography
	$(MANAGE) demo

lint: deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: deps
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3
