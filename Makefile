# Two commands for a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test lint format bench migrate seed translations extract clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Compile the shared catalogue and each capability's own (<package>/translations).
translations: $(STAMP)
	@for dir in translations */translations; do \
	  if [ -d "$$dir" ]; then $(BIN)/pybabel compile -d "$$dir" >/dev/null || exit 1; fi; \
	done

migrate: $(STAMP) translations
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) seed --demo

# The notification worker and the LINE event processor run beside the web server and stop with
# it (Ctrl-C). With the LINE simulator (no LINE channel) the processor has nothing to do and says so.
run: seed
	$(FLASK) notifications run & notify=$$!; $(FLASK) line run & line=$$!; \
	trap 'kill $$notify $$line 2>/dev/null' EXIT; \
	$(FLASK) run --host $(HOST) --port $(PORT) --debug

test: $(STAMP) translations
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script; done

# Re-extract the Thai source strings after editing templates or Python text.
extract: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage
