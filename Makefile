# Two commands on a fresh clone: `make run` and `make test`.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.parallax-installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test lint bench demo-json clean

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# torch first, pinned to the local CPU wheel: left to sentence-transformers,
# pip would pull several GB of CUDA packages. The +cpu pin fails loudly rather
# than download a CUDA build where that wheel is missing.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet "torch==2.13.0+cpu"
	$(PY) -m pip install --quiet -e ".[test]"
	-$(PY) -m reader.embedding.export  # the ONNX graph; without it the model runs on torch
	@touch $(STAMP)

run: $(STAMP)
	$(PY) main.py

lint: $(STAMP)
	$(VENV)/bin/ruff check reader ui tests bench main.py
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

test: $(STAMP) lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

bench: $(STAMP)
	$(PY) -m bench

demo-json: $(STAMP)
	$(PY) -m reader compare resources/demo/tal-afar/*.txt --json demo.json

clean:
	rm -rf $(VENV) build *.egg-info
