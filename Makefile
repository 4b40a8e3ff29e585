# One task runner: people, CI (.ci/run) and hooks call the same targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
EVAL   := ../shared/eval

.PHONY: install demo test test-unit test-integration lint format eval bench schema clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt torch==2.13.0
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

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

eval: install
	@if [ -f $(EVAL)/dev.jsonl ]; then \
	  $(BIN)/summit-consumer enrich --verbose $(EVAL)/dev.jsonl -o $(VENV)/eval-pred.jsonl && \
	  $(BIN)/python $(EVAL)/score.py $(EVAL)/dev.jsonl $(VENV)/eval-pred.jsonl && \
	  for l in ar en ru; do echo "--- $$l"; $(BIN)/python $(EVAL)/score.py $(EVAL)/dev.jsonl $(VENV)/eval-pred.jsonl --lang $$l; done; \
	  for set in team blind2 blind3 blind4 blind5 blind6 blind7; do \
	    echo "=== eval/$$set.jsonl (written for the team: see eval/README.md)"; \
	    $(BIN)/summit-consumer enrich eval/$$set.jsonl -o $(VENV)/$$set-pred.jsonl && \
	    $(BIN)/python $(EVAL)/score.py eval/$$set.jsonl $(VENV)/$$set-pred.jsonl; \
	  done; \
	  echo "=== summit identity: pairs of reports of one meeting sharing summit_id (eval/identity.py)"; \
	  $(BIN)/python eval/identity.py && \
	  $(BIN)/python eval/identity.py eval/team.jsonl eval/blind2.jsonl eval/blind3.jsonl eval/blind4.jsonl \
	    eval/blind5.jsonl eval/blind6.jsonl eval/blind7.jsonl; \
	else echo "eval: $(EVAL)/dev.jsonl not found (the labelled set lives beside this repo in ../shared); skipping"; fi

bench: install
	$(BIN)/python -m bench --json bench-results.json

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
