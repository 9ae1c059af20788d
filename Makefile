# Two commands set up everything on a fresh Debian machine with Python 3.11:
#   make render   virtual environment + notebuild, then notes/BI19.yaml -> build/
#   make test     the same, plus LibreOffice and poppler for the real-client tests, then the tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Real clients the tests open the output with (Debian packages).
APT_PACKAGES := libreoffice-writer-nogui poppler-utils fonts-dejavu-core

.PHONY: render test check lint system-packages clean

render: $(STAMP)
	$(BIN)/notebuild render notes/BI19.yaml

check: $(STAMP)
	$(BIN)/notebuild check notes/

test: $(STAMP) system-packages
	$(BIN)/ruff check src tests tools benchmarks
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests tools benchmarks
	$(BIN)/ruff format --check src tests tools benchmarks

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV) || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3-venv && \
	  $(PYTHON) -m venv $(VENV); }
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $(STAMP)

system-packages:
	@if ! command -v soffice >/dev/null || ! command -v pdftotext >/dev/null; then \
	  echo "Installing $(APT_PACKAGES) (Debian packages)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	  $(SUDO) apt-get install -y -qq --no-install-recommends $(APT_PACKAGES); \
	fi

clean:
	rm -rf build $(VENV)
