# Every target sets up .venv itself (pinned by constraints.txt), so a fresh clone needs only
# `make demo` or `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup demo test lint typecheck unit serve loadtest bench proto clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt setuptools
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt \
		--no-build-isolation -e ".[dev,postgres,load]"
	@touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(VENV)/bin/wfm demo --out demo-output

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: setup
	$(VENV)/bin/mypy scheduler forecasts

unit: setup
	$(PY) -m pytest

test: lint typecheck unit

serve: setup
	$(VENV)/bin/wfm serve

loadtest: setup
	$(PY) loadtests/run.py --users 10 --run-time 20s

bench: setup
	$(VENV)/bin/wfm bench curtois --time-limit 60 --solutions benchmarks/results/curtois-solutions --json

proto: setup
	$(PY) -m scheduler.service.protogen

clean:
	rm -rf $(VENV) demo-output .pytest_cache .mypy_cache .ruff_cache build *.egg-info
