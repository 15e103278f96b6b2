# Two commands for a new user: `make run` and `make test`. Everything else is their setup.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1:8000
# Debian's Chromium drives the browser tests (tests/browser/conftest.py reads the same name).
CHROMIUM ?= /usr/bin/chromium
APT_GET ?= apt-get
# `make test SKIP_BROWSER=1` runs everything but the browser tests, which say they were skipped.
SKIP_BROWSER ?=
export CHROMIUM SKIP_BROWSER

.PHONY: run test setup deps assets messages static migrate data lint format clean browser gettext

run: setup data
	@echo "Serving on http://$(HOST)/ with the background worker (large imports)"
	$(MANAGE) db_worker --no-reload & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(MANAGE) runserver $(HOST)

# A missing Chromium fails the browser tests rather than skipping them unnoticed. The tests
# run on one process per core (pytest-xdist; each has its own test database and browser);
# `make test WORKERS=0` runs them in this one process.
WORKERS ?= auto
test: setup browser
	REQUIRE_BROWSER=$(if $(SKIP_BROWSER),,1) $(PY) -m pytest -n $(WORKERS) --dist worksteal

setup: deps assets messages static migrate

deps: $(VENV)/.installed
$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# npm's packages, then frontend/build.mjs (the used CSS, the font subsets, the service
# worker and the officer's offline app) on every run: it reads the templates, in a second.
assets: node_modules/.installed
	node frontend/build.mjs
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Debian's packages the Python ones need: installed where we may (root with apt-get), as
# .ci/run does; elsewhere the one command to run is printed and make stops.
browser:
ifeq ($(SKIP_BROWSER),)
	@test -x $(CHROMIUM) || $(call debian,chromium) || \
		{ echo "(or skip the browser tests on purpose: make test SKIP_BROWSER=1)"; exit 1; }
	@test -x $(CHROMIUM) || { echo "No Chromium at $(CHROMIUM)"; exit 1; }
endif

gettext:
	@command -v msgfmt >/dev/null 2>&1 || $(call debian,gettext)

define debian
{ if [ "$$(id -u)" = 0 ] && command -v $(APT_GET) >/dev/null 2>&1; then \
	echo "Installing Debian's $(1)"; $(APT_GET) update -qq && \
	DEBIAN_FRONTEND=noninteractive $(APT_GET) install -y -qq $(1) >/dev/null; \
else \
	echo "Needs Debian's $(1). Run: sudo apt-get install $(1)"; false; \
fi; }
endef

messages: deps gettext
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
