# hilos-client: openapi.json -> patches/ -> generated/ -> tests/. `make help` lists the targets.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := all

PYTHON_BOOTSTRAP ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# Set-up is redone only when the pinned tool list changes.
SETUP_STAMP := $(VENV)/.installed-$(shell cksum requirements/tools.txt | cut -d' ' -f1)
# Wheels of the runtime dependencies (pinned by tools.txt) that the publish end-to-end test serves from its
# local index, fetched here because tests never use the network.
WHEELHOUSE := $(VENV)/wheelhouse
# Its stamp names what the recipe fetches, so a checkout whose wheelhouse lacks a part fetches it again.
WHEELHOUSE_STAMP := $(WHEELHOUSE)/.complete-runtime-and-pytest-$(shell cat requirements/tools.txt pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: all help setup generate update-spec check stock-templates test corpus record bench build publish wheelhouse clean lock

all: setup generate build wheelhouse ## Set up pinned tools, regenerate generated/, build wheel and sdist into dist/, fetch the test wheelhouse

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

setup: $(SETUP_STAMP) ## Create .venv with the pinned tools (idempotent; quick when nothing changed)

$(SETUP_STAMP): requirements/tools.txt
	@echo "setup: creating $(VENV) with the tools pinned in requirements/tools.txt"
	@test -x $(PY) || $(PYTHON_BOOTSTRAP) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/tools.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

wheelhouse: $(WHEELHOUSE_STAMP) ## Download the runtime dependencies' wheels for the publish test's local index (and pytest's, for its app)

$(WHEELHOUSE_STAMP): $(SETUP_STAMP) pyproject.toml
	@echo "wheelhouse: downloading the runtime dependencies' wheels into $(WHEELHOUSE)"
	@rm -rf $(WHEELHOUSE)
	@# Through a requirements file: a dependency with an environment marker holds spaces.
	@$(PY) -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))' \
		> $(VENV)/wheelhouse-requirements.txt
	@$(PY) -m pip download --quiet --disable-pip-version-check --only-binary=:all: --dest $(WHEELHOUSE) \
		--constraint requirements/tools.txt --requirement $(VENV)/wheelhouse-requirements.txt
	@# pytest for the README app's tests in the fresh virtualenv (tests/publish/test_readme_app.py), installed
	@# from this subfolder alone: the index serves only the wheels above, the runtime dependencies.
	@$(PY) -m pip download --quiet --disable-pip-version-check --only-binary=:all: --dest $(WHEELHOUSE)/app-tests \
		--constraint requirements/tools.txt pytest
	@touch $@

generate: setup ## Patch openapi.json and regenerate generated/ (spec + patches + templates -> code)
	@$(PY) -m pipeline.generating.generate generated

update-spec: setup ## Take a new upstream spec (SPEC=<path or URL>): replace openapi.json, regenerate, report changes and version bump
	@test -n "$(SPEC)" || { echo "update-spec: usage: make update-spec SPEC=<path or URL>"; exit 2; }
	@$(PY) -m pipeline.change_report.update_spec "$(SPEC)"

check: setup ## Prove generated/ is what the pipeline makes today and forked stock templates are as recorded; ruff, mypy --strict, pyright and pyright --verifytypes
	@$(PY) -m pipeline.generating.check_drift
	@$(PY) -m pipeline.generating.stock_templates check
	@$(BIN)/ruff check pipeline patches/runtime tests bench generated/hilos_client
	@$(BIN)/ruff format --check --quiet pipeline patches/runtime tests bench
	@$(BIN)/mypy --strict patches/runtime
	@$(BIN)/mypy --strict generated/hilos_client tests pipeline bench
	@# pyright finds the dependencies through the `python` on PATH; it fails on any public symbol it cannot type.
	@PATH="$(CURDIR)/$(BIN):$$PATH" PYTHONPATH=generated $(BIN)/pyright --verifytypes hilos_client --ignoreexternal \
		> $(VENV)/verifytypes.txt || { cat $(VENV)/verifytypes.txt; \
		echo "check: pyright --verifytypes hilos_client is under 100% (above: the public symbols it cannot type)"; exit 1; }
	@# The package itself in pyright's standard mode (the checks a user's editor runs on it): 0 errors.
	@PATH="$(CURDIR)/$(BIN):$$PATH" PYTHONPATH=generated $(BIN)/pyright generated/hilos_client > $(VENV)/pyright.txt \
		|| { cat $(VENV)/pyright.txt; echo "check: pyright reports errors in generated/hilos_client (above)"; exit 1; }
	@echo "check: OK"

stock-templates: setup ## Record the installed generator's stock templates our overrides are based on (after merging an upgrade)
	@$(PY) -m pipeline.generating.stock_templates record

test: setup wheelhouse ## Run the test suite (contract tests on synthesized fixtures, loopback end-to-end tests; no network once `make` has run)
	@$(BIN)/pytest

corpus: setup ## Generate the drf-spectacular corpus's documents, build each with our pipeline and with stock, print one row per document (~2 min): CONTRIBUTING.md
	@$(PY) -m tests.corpus.run $(if $(ONLY),--only $(ONLY))

bench: setup ## Measure parsing, import time and auto-pagination against baselines in one run (~4 min; ONLY=parse,import for some sections): one table, see bench/README.md
	@$(PY) bench/benchmarks.py $(if $(ONLY),--only $(ONLY))

record: setup ## Re-record tests/contract/cassettes/ from the live API (needs HILOS_API_TOKEN, HILOS_BASE_URL; CASE=name for one)
	@if [ -z "$${HILOS_API_TOKEN:-}" ] || [ -z "$${HILOS_BASE_URL:-}" ]; then \
		echo "record: refusing: set HILOS_API_TOKEN (your API key) and HILOS_BASE_URL (for example" \
			"https://<account>.api-us1.com/api/3) to re-record the cassettes from the live API" >&2; \
		exit 2; \
	fi
	@$(BIN)/pytest -q --record-mode=rewrite \
		"tests/contract/test_list_flow_execution_contacts.py::test_client_sends_exactly_the_recorded_request$(if $(CASE),[$(CASE)])"
	@$(BIN)/pytest -q tests/contract
	@echo "record: done; review 'git diff tests/contract/cassettes' before committing"

build: setup ## Build the wheel and sdist into dist/ and verify what they hold (twine check, check-wheel-contents, deptry, sdist contents)
	@$(PY) -m pipeline.releasing.dist dist

publish: setup ## Upload a new release to the index in HILOS_INDEX_URL or HILOS_INDEX_REPOSITORY (RELEASING.md)
	@$(PY) -m pipeline.releasing.publish

lock: ## Re-pin requirements/tools.txt from requirements/tools.in (uses the network)
	@rm -rf $(VENV).lock && $(PYTHON_BOOTSTRAP) -m venv $(VENV).lock
	@$(VENV).lock/bin/pip install --quiet -r requirements/tools.in
	@{ echo "# Generated by 'make lock' from requirements/tools.in; do not edit by hand."; \
	   $(VENV).lock/bin/pip freeze --all --exclude-editable | grep -v "^setuptools=="; } > requirements/tools.txt
	@rm -rf $(VENV).lock
	@echo "lock: requirements/tools.txt updated"

clean: ## Remove the virtualenv, build outputs and caches
	rm -rf $(VENV) dist build .pytest_cache .mypy_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
