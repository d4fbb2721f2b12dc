# Harbinger: the two documented commands are `make demo` and `make test`; both run `make setup`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test check lint typecheck clean

setup: $(STAMP)

# Re-install only when the project's declared dependencies change (idempotent, fast the second time).
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

demo: setup
	$(BIN)/harbinger ingest examples/ --show
	@echo
	@echo "The example articles are stored in harbinger.db (run again: nothing is stored twice)."
	@echo "Look further with:"
	@echo "  $(BIN)/harbinger events                       # the stored events, newest first"
	@echo "  $(BIN)/harbinger events --admin1 IQ-NI --format json"
	@echo "  $(BIN)/harbinger export --format acled-csv --out events.csv"
	@echo "  $(BIN)/harbinger analyze YOUR_REPORT.txt --format json"

test: setup
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: setup
	$(BIN)/mypy

check: lint typecheck test

clean:
	rm -rf $(VENV) harbinger.db .pytest_cache .mypy_cache .ruff_cache
