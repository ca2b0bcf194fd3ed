# Chain Investigations Lab. Two commands: `make lab` (set up + open the course) and `make test` (set up + run every check).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(abspath $(VENV))/bin
export PATH := $(BIN):$(PATH)
STAMP := $(VENV)/.installed-stamp
MODULES := $(notdir $(wildcard solutions/[0-9][0-9]_*))

MODULE ?= 00
TEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))

.PHONY: setup lab hub test check lint format bench keys release release-cohort grade clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || \
	  { echo "Python 3.11 or newer is needed; '$(PYTHON)' is $$($(PYTHON) --version 2>&1). Install it, or run: make PYTHON=python3.12 ..."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test,hub]'
	@touch $@

## setup: create .venv with pinned dependencies (constraints.txt) and build the default data set if missing
setup: $(STAMP)
	@$(BIN)/chainlab datasets build

# JupyterLab refuses to run as root (as in many containers) unless told it may.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--ServerApp.allow_root=True)

## lab: set up, then open the course in JupyterLab (with CI=true: set up only; LAB_ARGS="--port=9999" passes options on)
# The learner works in my-course/ (git-ignored), which no release or git pull overwrites; it opens on the course home.
lab: setup
	@$(BIN)/chainlab my-course
ifeq ($(CI),true)
	@echo "Set-up complete. CI=true, so JupyterLab is not started."
else
	JUPYTER_CONFIG_DIR="$(CURDIR)/my-course/.jupyter" $(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)/my-course" \
	  --LabApp.default_url="/lab/tree/course_home.ipynb" $(ALLOW_ROOT) $(LAB_ARGS)
endif

## hub: set up, then start the course server, JupyterHub (HUB_MODE=classroom LEARNERS="a b c" for a trial): docs/course-server.md
hub: setup
	@sh scripts/install-proxy.sh
	@sh scripts/hub.sh

## test: set up, then run every check (lint, unit tests, notebooks, release sync, grading round trip, browser)
# One test file per worker (cores + 1 workers: the grading and browser tests wait on kernels and pages part of the
# time); the browser tests run after the rest, apart from the grading tests. nbval does not run the notebooks a
# second time here: the round trip autogrades every solution strict (no cell may fail) and the browser runs every
# learner release (Run All, no error). A plain `python -m pytest` (no make) runs solutions/ and course/ under nbval too.
test: setup lint
	@bash scripts/install-browser.sh || test "$(CI)" != true  # under CI a browser can always be installed; elsewhere the browser test skips and says why
	@sh scripts/install-proxy.sh || test "$(CI)" != true  # JupyterHub's proxy, for the course server's test (tests/test_hub.py)
	@bash scripts/install-sandbox.sh || test "$(CI)" != true  # the grading sandbox (bubblewrap); without it the hostile-cohort test skips and says why
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --durations=15 -m "not browser" tests
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --durations=10 -m browser tests

## check: the fast subset while you work (lint, unit tests, module 00's notebook; no nbgrader round trip, server or browser)
check: setup lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile -m "not slow and not browser" tests solutions/00_getting_started

## lint: ruff's linter and formatter, as configured in pyproject.toml (make format applies the formatter)
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## keys: rebuild the hashed answer keys from solutions/
keys: setup
	$(BIN)/chainlab keys

## release: rebuild keys, then regenerate course/ from solutions/ with nbgrader (a learner's work found in course/ is saved to my-course/ first)
release: keys
	@$(BIN)/chainlab my-course --rescue
	@for module in $(MODULES); do $(BIN)/nbgrader generate_assignment $$module --force --log-level=WARN || exit 1; done

## release-cohort: release MODULE to a cohort (SEED=41 gives the cohort its own data and answer keys at its first release)
release-cohort: setup
	$(BIN)/chainlab grade release $(MODULE) $(if $(SEED),--seed $(SEED))

## grade: collect FROM=<folder or LMS zip>, then autograde, feedback, CSV and report for MODULE
grade: setup
	@test -n "$(FROM)" || { echo "Say where the submissions are: make grade MODULE=00 FROM=path/to/download.zip"; exit 2; }
	$(BIN)/chainlab grade run $(MODULE) "$(FROM)"

## bench: run the benchmarks; tables are printed and saved under benchmarks/results/
bench: setup
	@for script in benchmarks/bench_*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) grading/gradebook.db grading/submitted grading/autograded grading/feedback \
	  grading/cohort grading/release grading/status grading/reports grading/replaced
