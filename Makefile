# The compendium's two jobs: `make book` (the main job) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The analyses multiply small matrices: one BLAS thread per process is faster than several competing ones.
export OPENBLAS_NUM_THREADS ?= 1

.PHONY: book test browser benchmark clean pdf

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --prefix $(VENV) --name python3 >/dev/null
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/loopbaanleren build $(ARGS)

test: $(STAMP) browser
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

# The whole book as one PDF, printed by headless Chromium from book/_build/html (run `make book` first).
pdf: $(STAMP) browser
	$(BIN)/python -m loopbaanleren.pdf

benchmark: $(STAMP)
	$(BIN)/python scripts/benchmark.py $(ARGS)

clean:
	rm -rf book/_build results .build
