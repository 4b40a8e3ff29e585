# One task runner: people, CI (.ci/run) and hooks call the same targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
EVAL   := ../shared/eval
# the compiled handlers (mypyc, handlers/native.py): rebuilt when a source mypyc reads changed, or when
# SUMMIT_PURE_PYTHON=1 (plain Python, compiled modules removed) is switched on or off
PURE   := $(filter-out 0,$(SUMMIT_PURE_PYTHON))
NATIVE := $(VENV)/.native$(if $(PURE),-pure)
NATIVE_INPUTS := setup.py $(wildcard handlers/*.py schemas/*.py)

.PHONY: install demo test test-unit test-integration lint format train eval bench digest schema clean

install: $(NATIVE)

# dependencies first, nothing compiled yet: the compile below type-checks against them
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt torch==2.13.0
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt setuptools  # builds without isolation below
	SUMMIT_PURE_PYTHON=1 $(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	rm -f $(VENV)/.native $(VENV)/.native-pure
	touch $(STAMP)

# the same build as a plain `pip install -e .`, with the venv's pinned mypy and setuptools
$(NATIVE): $(STAMP) $(NATIVE_INPUTS)
	rm -f $(VENV)/.native $(VENV)/.native-pure
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt --no-deps --no-build-isolation -e .
	touch $(NATIVE)

demo: install
	$(BIN)/summit-consumer demo

test: install
	$(BIN)/pytest -q

test-unit: install
	$(BIN)/pytest -q tests/unit tests/component

test-integration: install
	$(BIN)/pytest -q tests/integration

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

schema: install
	$(BIN)/summit-consumer schema --write

# the learned models: rebuilt from the labelled real articles in ../shared/eval (deterministic)
train: install
	@if [ -f $(EVAL)/train.jsonl ]; then $(BIN)/python -m training train; \
	else echo "train: $(EVAL)/train.jsonl not found (the labelled set lives beside this repo in ../shared)"; exit 2; fi

# grouped cross-validation over train + dev (the headline figure), then dev alone with the committed models
eval: install
	@if [ -f $(EVAL)/train.jsonl ]; then \
	  $(BIN)/python -m training eval && \
	  echo "=== summit identity over the cross-validated events: reports of one meeting sharing summit_id (eval/identity.py)" && \
	  $(BIN)/python eval/identity.py --pred $(VENV)/cv-pred.jsonl; \
	else echo "eval: $(EVAL)/train.jsonl not found (the labelled set lives beside this repo in ../shared); skipping"; fi

bench: install
	$(BIN)/python -m bench --json bench-results.json

# speed steps keep outputs byte-identical: the handlers' outcomes on a fixed article set, this tree vs a revision
DIGEST_REF ?= HEAD
digest: install
	$(BIN)/python -m bench.digest --against $(DIGEST_REF)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build handlers/native.json handlers/*.so
