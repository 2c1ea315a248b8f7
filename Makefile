# The whole set-up is `make demo` or `make test` on a fresh machine.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test install benchmark clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# torch first, pinned to the CPU build; a looser pin could pull a multi-GB CUDA build
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e ".[test,distributed]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/flowgan run --name demo

test: $(STAMP)
	$(PY) -m pytest

# On demand, not in CI: about an hour on 2 cores; each script writes benchmarks/results/*.md
benchmark: $(STAMP)
	for b in load simulate cgan evaluate; do PYTHONPATH=src $(PY) benchmarks/bench_$$b.py || exit 1; done

clean:
	rm -rf $(VENV) runs .pytest_cache
