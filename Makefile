# 院报问答 — two commands: `make run` (set up, ingest the bundled archive if needed, start the page)
# and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
STAMP  := $(VENV)/.installed

export HF_HUB_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: run test setup ingest check bench clean

setup: $(STAMP)

# torch first, from the CPU wheel on this disk: anything that pulls torch later finds it satisfied
# instead of downloading a multi-GB CUDA build.
$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check torch==2.13.0
	$(PIP) install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $(STAMP)

ingest: $(STAMP)
	$(PY) -m ingest archive/

run: $(STAMP)
	$(PY) -m ingest archive/ --if-empty
	$(PY) app.py

test: $(STAMP)
	$(PY) -m pytest -q

check: $(STAMP)
	$(PY) -m pytest -q -m "not integration"

bench: $(STAMP)
	$(PY) -m eval.bench_ingest

clean:
	rm -rf var test-output
