# Two commands: `make lab` opens the course, `make test` proves it runs.
# Both install the exact versions in requirements-lock.txt, so the course behaves the same in
# week 12 as in week 1; `make test-latest` runs the same tests on the newest releases instead.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
LOCK   := requirements-lock.txt
LATEST := .venv-latest

.PHONY: lab test test-latest lock install-course install-test clean site

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

install-course: $(VENV)/bin/python
	$(PY) -m pip install --quiet -c $(LOCK) -e .

install-test: $(VENV)/bin/python
	$(PY) -m pip install --quiet -c $(LOCK) -e ".[test]"

# One BLAS thread: faster at the course's sizes on 2 cores, and exact reversal (notebook 09) needs it.
export OMP_NUM_THREADS = 1
export OPENBLAS_NUM_THREADS = 1
export MKL_NUM_THREADS = 1

# Jupyter refuses to run as root unless told; containers and CI machines often are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: install-course
	$(PY) -m jupyter lab $(ALLOW_ROOT) notebooks/00_start_here.ipynb

# Strict nbval over every notebook, one worker per notebook.
NBVAL := -m pytest -q -p no:python --nbval --nbval-current-env \
  --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout=300 \
  -n 2 --dist loadscope notebooks

# Unit tests; nbval in this machine's floating-point environment; nbval again with NumPy on its
# baseline SIMD code and OpenBLAS on an old kernel (tools/fp_env.py), so a checked output that
# depends on one CPU's rounding fails here rather than on a student's laptop.
# Matplotlib's font cache lives beside the environment and is built before the notebooks run: a cache
# shared with another (since deleted) environment points at missing fonts and makes every plot warn on
# stderr, which strict nbval rightly counts as a changed output.
define run_tests
	$(1) -c "import matplotlib.font_manager"
	$(1) -m pytest -q -n 2 tests
	$(1) $(NBVAL)
	$(1) tools/fp_env.py --run $(1) $(NBVAL)
endef

test: export MPLCONFIGDIR := $(CURDIR)/$(VENV)/mplconfig
test: install-test
	$(call run_tests,$(PY))

# The same tests on the newest releases (no lock): drift shows up here before it reaches students.
test-latest: export MPLCONFIGDIR := $(CURDIR)/$(LATEST)/mplconfig
test-latest:
	$(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/python -m pip install --quiet --upgrade pip
	$(LATEST)/bin/python -m pip install --quiet --upgrade --upgrade-strategy eager -e ".[test]"
	$(call run_tests,$(LATEST)/bin/python)

# The course website in site/ (tools/build_site.py): static HTML from the committed notebooks, with
# MathJax from the site extra so maths renders offline. `make site BINDER_REPO=owner/repo` points
# each page's Binder link at that GitHub repository.
site: $(VENV)/bin/python
	$(PY) -m pip install --quiet -c $(LOCK) -e ".[site]"
	$(PY) tools/build_site.py $(if $(BINDER_REPO),--binder-repo $(BINDER_REPO))

# Regenerate the lock after changing dependencies in pyproject.toml (needs the package index).
lock:
	$(PYTHON) -m venv .venv-tools
	.venv-tools/bin/python -m pip install --quiet uv
	.venv-tools/bin/uv pip compile pyproject.toml --extra test --extra site --universal --python-version 3.10 -o $(LOCK)

clean:
	rm -rf $(VENV) $(LATEST) .venv-tools .pytest_cache
