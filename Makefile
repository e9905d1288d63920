# Comptoir — `make run` starts a helpdesk with demo data, `make test` runs every test.
# Both set up everything they need on a fresh machine (virtualenv, packages, services).

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export COMPTOIR_DATA_DIR ?= $(CURDIR)/var
CORPUS ?= ../shared/corpus

.PHONY: run test bench lint conformance venv deps-test clean messages

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || PYTHON=python3; \
	  test -x $(BIN)/python || $${PYTHON:-python3} -m venv $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	@bash scripts/run.sh

test: $(STAMP)
	@bash scripts/test.sh

bench: $(STAMP)
	@bash scripts/secret-key.sh
	$(BIN)/python -m bench $(BENCH_ARGS)

lint: $(STAMP)
	@bash scripts/secret-key.sh
	$(BIN)/ruff check comptoir tests bench
	$(BIN)/lint-imports
	$(BIN)/python scripts/check_writes.py
	$(BIN)/mypy comptoir

conformance: $(STAMP)
	@if [ -d "$(CORPUS)" ]; then $(BIN)/python -m comptoir.channels.email.conformance "$(CORPUS)"; \
	  else echo "No corpus at $(CORPUS); skipping."; fi

# Refresh the French and Dutch catalogues from the code, then compile them (needs gettext).
messages: $(STAMP)
	cd comptoir && ../$(BIN)/python -P -m comptoir makemessages -l fr -l nl --no-obsolete -e html,txt,py
	cd comptoir && ../$(BIN)/python -P -m comptoir makemessages -d djangojs -l fr -l nl --no-obsolete
	cd comptoir && ../$(BIN)/python -P -m comptoir compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache
