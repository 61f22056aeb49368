# carteira — every target sets up what it needs; only python3 (>= 3.11) and make are assumed.
PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
RUN := $(UV) run --frozen
SAMPLE_DB := .demo/carteira-demo.db

.PHONY: demo demo-check setup check lint test snap-update format bench sample clean

# Bootstrap uv (the only tool installed outside the project venv) into ./.tools.
$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==0.13.8

# Create .venv from uv.lock with the test and static groups.
$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON)
	touch $@

setup: $(VENV)/.synced  ## create the environment

# First README command: set up, build the demo database from sample_data/ and open the app.
demo: setup
	$(RUN) carteira demo --db $(SAMPLE_DB)

# The non-interactive form of `demo`, for scripts and CI: prints a summary and exits.
demo-check: setup
	$(RUN) carteira demo --db $(SAMPLE_DB) --no-ui

# Second README command (and .ci/run): set up, lint, then the whole test suite.
check: lint test

# Static checks: formatting, lint, strict types, layer contracts.
lint: setup
	$(RUN) ruff format --check src tests benchmarks scripts
	$(RUN) ruff check src tests benchmarks scripts
	$(RUN) mypy
	$(RUN) lint-imports

# The test suite, in parallel on the machine's cores.
test: setup
	$(RUN) pytest -n auto -q

# Rewrite the snapshot SVGs: only after reading snapshot_report.html.
snap-update: setup
	$(RUN) pytest tests/tui --snapshot-update

# Format the code in place.
format: setup
	$(RUN) ruff format src tests benchmarks scripts
	$(RUN) ruff check --fix src tests benchmarks scripts

# Regenerate sample_data/ from the seeded generator.
sample: setup
	$(RUN) python scripts/generate_portfolio.py --clients 2000 --out sample_data

# Benchmarks at 100k and 1M clients (minutes; not part of check).
bench: setup
	$(RUN) python benchmarks/run.py

# Remove the environment and caches.
clean:
	rm -rf $(TOOLS) $(VENV) .demo .pytest_cache .mypy_cache .ruff_cache
