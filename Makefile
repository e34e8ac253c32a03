# alliance-study: the front door.  `make report` builds the study, `make test` checks it.
# Both build .venv first (make setup) with pip from requirements.lock; a second run is a no-op.

PYTHON  ?= $(shell command -v python3.11 || command -v python3)
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
PIP     := $(BIN)/python -m pip --disable-pip-version-check
KERNEL  := alliance-study

.PHONY: setup report test bench lock clean help

help:
	@echo "make report   build reports/framing_report.html from data/raw (sets up .venv first)"
	@echo "make test     run the test suite (sets up .venv first)"
	@echo "make bench    run the scoring benchmark (benchmarks/results.json)"
	@echo "make lock     re-resolve requirements.lock from pyproject.toml"
	@echo "make clean    remove .venv, data/processed outputs and reports/"

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q -r requirements.lock
	$(PIP) install -q --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (alliance-study)" >/dev/null
	@touch $(STAMP)

report: $(STAMP)
	$(BIN)/alliance-study build

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_score.py

lock:
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv
	.lockvenv/bin/python -m pip install -q --upgrade pip
	.lockvenv/bin/python -m pip install -q ".[test]"
	{ echo "# Exact pins for make setup (pip install -r requirements.lock). Ranges live in pyproject.toml."; \
	  echo "# Regenerate with: make lock   (resolves pyproject ranges + [test] in a clean venv and freezes)"; \
	  .lockvenv/bin/python -m pip freeze --all --exclude-editable | grep -v -i -e '^pip==' -e '^alliance-study'; } > requirements.lock
	rm -rf .lockvenv

clean:
	rm -rf $(VENV) reports data/processed/*.parquet data/processed/*.csv data/processed/*.json
