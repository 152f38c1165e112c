# mlplab — two entry points (see README):
#   make run    installs mlplab in .venv and starts the browser playground
#   make test   installs mlplab with its test tools in .venv and runs the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: run test install install-dev install-oracle system-deps lint bench notebooks clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e '.[all]'

install-dev: $(BIN)/python
	$(BIN)/pip install -q -e '.[all,dev]'

system-deps:
	bash scripts/system-deps.sh

run: install
	$(BIN)/mlplab playground

# One BLAS thread per test process: pytest-xdist runs one process per core, and OpenBLAS's
# spinning threads in several processes at once made a 14 s experiment take 110 s.
TEST_ENV = OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
test: system-deps install-dev install-oracle
	$(TEST_ENV) $(BIN)/python -m pytest -q -n auto $(PYTEST_ARGS)

# PyTorch as the oracle of tests/test_oracle_*.py; where it cannot be installed they skip
install-oracle: $(BIN)/python
	$(BIN)/pip install -q -e '.[oracle]' || echo "oracle extra not installed: oracle tests skip"

lint: install-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

notebooks: install-dev   # re-execute the example notebooks and store their outputs
	cd examples && ../$(BIN)/jupyter nbconvert --to notebook --execute --inplace *.ipynb

bench: install-dev
	$(BIN)/python benchmarks/bench_engine.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache test-output
