# The compendium's two jobs: `make book` (the main job) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The pinned requirements are installed by uv (bootstrapped from PyPI with pip, pinned here): about ten times
# faster than pip. `make INSTALLER=pip` installs the same pins with pip alone. Both leave every module compiled to
# bytecode: where PYTHONDONTWRITEBYTECODE is set, Python would otherwise compile every imported module from source
# in every process (each notebook kernel, each worker), seconds each time.
UV_VERSION := 0.13.8
INSTALLER ?= uv
# The analyses multiply small matrices: one BLAS thread per process is faster than several competing ones (a
# notebook kernel has it by default, loopbaanleren.build.kernels.KERNEL_ENVIRONMENT; this is for the tests and scripts).
export OPENBLAS_NUM_THREADS ?= 1

.PHONY: book test browser rdeps benchmark clean clean-data pdf install

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
ifeq ($(INSTALLER),uv)
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -r requirements.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
else
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
endif
	$(BIN)/python -m compileall -q src
	$(BIN)/python -m ipykernel install --prefix $(VENV) --name python3 >/dev/null
	touch $(STAMP)

# A fresh environment for this folder: after copying or moving the project, its .venv still runs the package
# (and Python) of the folder it was made in.
install:
	rm -rf $(VENV)
	$(MAKE) $(STAMP)

# GNU make exits 2 whenever a recipe fails; the build's own code (2: bad input or parameters, nothing built;
# 1: a notebook or the book failed) is printed and shows in make's "Error N". scripts/book exits with it.
book: $(STAMP)
	@$(BIN)/loopbaanleren build $(ARGS); status=$$?; \
	if [ $$status -eq 2 ]; then echo "make book: exit 2 (bad input or parameters; nothing was built)" >&2; \
	elif [ $$status -ne 0 ]; then echo "make book: exit $$status (the build failed; the previous book is kept)" >&2; fi; \
	exit $$status

# The layers' import contract (.importlinter) first: a few seconds, and a broken layer is named before the tests run.
test: $(STAMP) browser rdeps
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

# The browser test drives Debian's chromium package; install it when missing (needs root, as in CI).
CHROMIUM := /usr/bin/chromium
browser:
	@if [ -x $(CHROMIUM) ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	else \
		echo "note: $(CHROMIUM) is missing and only root can install it (apt-get install chromium);" \
			"the browser test will be skipped"; \
	fi

# The R reference suite (tests/test_r_reference.py) runs Debian's R packages; install them when missing (needs root).
R_PACKAGES := r-base-core r-cran-lme4 r-cran-mass r-cran-clubsandwich r-cran-sandwich r-cran-psych r-cran-haven r-cran-performance
R_CHECK := for (p in c("lme4", "clubSandwich", "sandwich", "psych", "haven", "performance")) if (!requireNamespace(p, quietly = TRUE)) quit(status = 1)
rdeps:
	@if command -v Rscript >/dev/null && Rscript -e '$(R_CHECK)' 2>/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(R_PACKAGES); \
	else \
		echo "note: R or its packages are missing and only root can install them (apt-get install $(R_PACKAGES));" \
			"the R reference tests will be skipped"; \
	fi

# The whole book as one PDF, printed by headless Chromium from book/_build/html (run `make book` first).
pdf: $(STAMP) browser
	$(BIN)/python -m loopbaanleren.book.pdf

benchmark: $(STAMP)
	$(BIN)/python scripts/benchmark.py $(ARGS)

clean:
	rm -rf book/_build results .build

# Simulated data (data/synthetic/, 4.4 MB per seed at the study's size; a build keeps the five most recently used):
# all removed; a build simulates again what it needs, in seconds.
clean-data:
	rm -rf data/synthetic
