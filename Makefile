# Gongkai: `make run` serves the demo on http://127.0.0.1:8000, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format bench clean install system-deps vendor

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

system-deps:
	scripts/system-deps.sh

vendor: system-deps
	scripts/vendor.sh

run: install vendor
	$(BIN)/gongkai migrate --noinput
	$(BIN)/gongkai createcachetable
	$(BIN)/gongkai demo
	$(BIN)/gongkai collectstatic --noinput --verbosity 0
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(BIN)/gunicorn gongkai.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile -

test: install vendor
	scripts/test.sh

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: install
	scripts/bench.sh

clean:
	rm -rf $(VENV) var node_modules src/gongkai/site/static/vendor build *.egg-info src/*.egg-info
