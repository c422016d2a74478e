# Two commands do all the set-up on a fresh machine with python3:
#   make demo   - run the main job on the bundled corpus
#   make test   - lint (ruff, mypy) and run the test suite
# Both install exactly the versions in requirements.lock (hash-checked) into .venv.
#   make lock          - re-resolve requirements.lock after a change to pyproject.toml (keeps
#                        every pin that still fits)
#   make lock-upgrade  - re-resolve on the newest releases and run the suite on them: drift is
#                        found on purpose; commit the lock if green, `git checkout requirements.lock`
#                        if not
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
LOG := $(VENV)/install.log
LOCK := requirements.lock
# the layout batches (see `make zoo5` below)
ZOO_BATCHES := zoo zoo2 zoo3 zoo4 zoo5 zoo6 zoo7 zoo8 zoo9 zoo10
# A data wheel (word vectors) installed without its dependencies (see the file); `pip check` may
# only complain that ja-ginza's own pipeline dependencies (ginza, spacy) are absent.
VECTORS_LOCK := requirements-vectors.lock
# The locking tool, installed into .venv only by the lock targets. uv resolves one lock for every
# supported Python (--universal, 3.10+) with hashes, in seconds.
UV_VERSION := 0.13.9
UV := $(VENV)/bin/uv
LOCK_INPUTS := pyproject.toml requirements-build.in lock-constraints.txt
LOCK_FLAGS := pyproject.toml requirements-build.in --extra dev -c lock-constraints.txt \
	--universal --python-version 3.10 --generate-hashes --custom-compile-command "make lock" \
	--quiet -o $(LOCK)

.PHONY: demo test lint format bench $(ZOO_BATCHES) bench-structure clean lock lock-upgrade

# Quiet on success (one line); on failure the end of pip's log. textkit itself is built with the
# locked setuptools (--no-build-isolation), so nothing unpinned is fetched.
$(STAMP): $(LOCK) $(VECTORS_LOCK) pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@echo "textkit: installing the locked dependencies ($(LOCK)) into $(VENV); log: $(LOG)"
	@{ $(PY) -m pip install --require-hashes --no-deps -r $(LOCK) \
	  && $(PY) -m pip install --no-deps --no-build-isolation -e . \
	  && $(PY) -m pip install --require-hashes --no-deps -r $(VECTORS_LOCK) \
	  && { $(PY) -m pip check > $(VENV)/pip-check.txt \
	       || ! grep -v '^ja-ginza 5.3.0 requires' $(VENV)/pip-check.txt; }; } > $(LOG) 2>&1 \
	  || { tail -n 40 $(LOG); echo "textkit: install failed; full log in $(LOG)" >&2; exit 1; }
	@touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/textkit demo

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

test: lint
	$(PY) -m pytest

format: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

bench: $(STAMP)
	$(PY) scripts/bench_extract.py

$(UV):
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet uv==$(UV_VERSION)

lock: $(UV)
	$(UV) pip compile $(LOCK_FLAGS)

lock-upgrade: $(UV)
	$(UV) pip compile --upgrade $(LOCK_FLAGS)
	git diff --stat -- $(LOCK)
	$(MAKE) test

# The layout batches corpora/zoo, zoo2 … zoo10: `make zoo5` (or `make zoo5 DOCS=ze_toc_headers`)
# builds one batch from its spec scripts/zoo/zoo5.py (zoo → zoo1.py) with the shared
# scripts/zoo/kit.py. Needs LibreOffice (writer, calc, impress -nogui) and the IPAex fonts
# (fonts-ipaexfont). Its own venv: python-pptx brings lxml, which changes how openpyxl writes (see
# pyproject's zoo extra).
ZOO_VENV := .venv-zoo
$(ZOO_VENV)/.installed:
	@test -x $(ZOO_VENV)/bin/python || $(PYTHON) -m venv $(ZOO_VENV)
	$(ZOO_VENV)/bin/python -m pip install --quiet 'python-docx==1.2.0' 'python-pptx==1.0.2' \
	  'openpyxl==3.1.5' 'reportlab>=4.0'
	@touch $@

$(ZOO_BATCHES): $(ZOO_VENV)/.installed
	$(ZOO_VENV)/bin/python -m scripts.make_zoo $@ $(DOCS)

bench-structure: $(STAMP)
	$(PY) scripts/bench_structure.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
