# make run   the embedded demo stack: Airflow standalone + demo feed + mail sink (Ctrl-C stops all)
# make test  ruff, mypy and the whole test suite (unit, dags, e2e)
# make schema-doc  regenerate docs/schema.md from the column comments in sql/schema/95_comments.sql
#
# Both create .venv when it is missing and re-install the project only when pyproject.toml is newer
# than the stamp file written after the last install.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.newswatch-installed

.PHONY: run test lint typecheck pytest schema-doc clean-var

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/newswatch stack

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest tests -q

schema-doc: $(STAMP)
	$(BIN)/python scripts/gen_schema_doc.py

# Forget all local state of the demo: database, snapshot, mail and the Airflow home.
clean-var:
	rm -rf var
