# carteira — every target sets up what it needs; only python3 (>= 3.11) and make are assumed.
PYTHON ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
RUN := $(UV) run --frozen --no-sync
SAMPLE_DB := .demo/carteira-demo.db

.PHONY: demo demo-check runtime setup check lint test snap-update format bench bench-keys sample clean

# Bootstrap uv (the only tool installed outside the project venv) into ./.tools.
$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==0.13.8

# The runtime alone, from uv.lock: what a person who only runs the app needs (no test or lint
# tools). --inexact keeps the development tools when they are already there.
$(VENV)/.runtime: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --inexact --no-default-groups --python $(PYTHON)
	touch $@

# The runtime plus the test and static groups (pyproject's default groups), for `make check`.
$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON)
	touch $@ $(VENV)/.runtime

runtime: $(VENV)/.runtime  ## the app's environment only
setup: $(VENV)/.synced  ## the development environment (runtime + test + static)

# First README command: set up the runtime, build the demo database from sample_data/ and open
# the app.
demo: runtime
	$(VENV)/bin/carteira demo --db $(SAMPLE_DB)

# The non-interactive form of `demo`, for scripts and CI: prints a summary and exits.
demo-check: runtime
	$(VENV)/bin/carteira demo --db $(SAMPLE_DB) --no-ui

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

# Bytes written to the terminal per key (tmux + script), at 120x40 and 80x24, on the demo base.
bench-keys: setup demo-check
	$(RUN) python benchmarks/bytes_per_key.py --db $(SAMPLE_DB)

# Benchmarks at 100k and 1M clients (minutes; not part of check).
bench: setup
	$(RUN) python benchmarks/run.py

# Remove the environment and caches.
clean:
	rm -rf $(TOOLS) $(VENV) .demo .pytest_cache .mypy_cache .ruff_cache
