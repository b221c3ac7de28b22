# Two commands: `make lab` opens the course, `make test` proves it runs.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python

.PHONY: lab test install-course install-test clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

install-course: $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .

install-test: $(VENV)/bin/python
	$(PY) -m pip install --quiet -e ".[test]"

# One BLAS thread: faster at the course's sizes on 2 cores, and exact reversal (notebook 09) needs it.
export OMP_NUM_THREADS = 1
export OPENBLAS_NUM_THREADS = 1
export MKL_NUM_THREADS = 1

# Jupyter refuses to run as root unless told; containers and CI machines often are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: install-course
	$(PY) -m jupyter lab $(ALLOW_ROOT) notebooks/00_start_here.ipynb

# Unit tests, then every notebook under strict nbval (one worker per notebook).
test: install-test
	$(PY) -m pytest -q -n 2 tests
	$(PY) -m pytest -q -p no:python --nbval --nbval-current-env \
	  --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout=300 \
	  -n 2 --dist loadscope notebooks

clean:
	rm -rf $(VENV) .pytest_cache
