# Two commands: `make run` (demo on SQLite, gunicorn on 127.0.0.1:8000) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi

.PHONY: run test install lint translations bench screenshots

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.runtime: $(BIN)/activate requirements.txt
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

# Each catalogue compiled when its .po changed (never rewritten under a running test).
CATALOGUES := $(wildcard app/translations/*/LC_MESSAGES/messages.po)
translations: $(CATALOGUES:.po=.mo)

app/translations/%/LC_MESSAGES/messages.mo: app/translations/%/LC_MESSAGES/messages.po $(VENV)/.runtime
	$(BIN)/pybabel compile -d app/translations -l $* 2>/dev/null

install: $(VENV)/.runtime translations

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	$(BIN)/gunicorn -c gunicorn.conf.py --workers 2 wsgi:app  # one JSON log line per request (app/core/observability.py)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-logo  # the one-way stack of packages (pyproject.toml)

test: $(VENV)/.dev translations lint
	$(BIN)/python -m pytest -q

# The documentation's pictures (docs/screenshots/): the browser tests, saving there
# instead of a temporary folder. `make test` never writes into docs/.
screenshots: $(VENV)/.dev translations
	SCREENSHOTS_DIR=docs/screenshots $(BIN)/python -m pytest -q tests/e2e

bench: $(VENV)/.dev
	$(BIN)/python -m matching bench
