# Two commands set up everything on a fresh Debian machine with Python 3.11:
#   make render   virtual environment + notebuild, then notes/BI19.yaml -> build/
#   make test     the same, plus the real clients the tests open the outputs with (LibreOffice,
#                 poppler, Chromium driven by playwright-core with axe-core), then the tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Real clients the tests open the output with (Debian packages; LibreOffice Calc reads the
# activity workbook, libsclo.so is its core). fonts-liberation2 is the face
# LibreOffice and Chromium show where KBH is missing: Liberation Sans, with Arial's widths. Node.js and npm come from
# Debian only where the machine has none: a newer one already installed is kept.
APT_PACKAGES := $(strip libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-dejavu-core fonts-liberation2 chromium \
  $(if $(shell command -v node),,nodejs) $(if $(shell command -v npm),,npm))
# axe-core and playwright-core, pinned in tests/browser/package-lock.json.
BROWSER_STAMP := tests/browser/node_modules/.installed

.PHONY: render test check lint system-packages clean bench pandoc

render: $(STAMP)
	$(BIN)/notebuild render notes/BI19.yaml

check: $(STAMP)
	$(BIN)/notebuild check notes/

test: $(STAMP) system-packages $(BROWSER_STAMP)
	$(BIN)/ruff check src tests tools benchmarks
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests tools benchmarks
	$(BIN)/ruff format --check src tests tools benchmarks

# The budget-round benchmark (benchmarks/round.py), with pandoc for the comparison; options
# through BENCH_ARGS, e.g. make bench BENCH_ARGS="--sizes 20,40 --repeat 1".
bench: $(STAMP) pandoc
	$(BIN)/python benchmarks/round.py $(BENCH_ARGS)

# pandoc from Debian, for the benchmark only (the tests do not need it).
pandoc:
	@if ! command -v pandoc >/dev/null; then \
	  echo "Installing pandoc (Debian package)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	  $(SUDO) apt-get install -y -qq --no-install-recommends pandoc; \
	fi

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV) || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3-venv && \
	  $(PYTHON) -m venv $(VENV); }
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	touch $(STAMP)

system-packages:
	@if ! command -v soffice >/dev/null || ! command -v pdftotext >/dev/null || \
	  ! test -e "$$(dirname "$$(readlink -f "$$(command -v soffice)")")/libsclo.so" || \
	  ! command -v chromium >/dev/null || ! command -v node >/dev/null || \
	  ! command -v npm >/dev/null || ! fc-list | grep -q "Liberation Sans"; then \
	  echo "Installing $(APT_PACKAGES) (Debian packages)"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	  $(SUDO) apt-get install -y -qq --no-install-recommends $(APT_PACKAGES); \
	fi

# npm ci empties node_modules first, so the stamp inside it goes whenever the packages go.
$(BROWSER_STAMP): tests/browser/package.json tests/browser/package-lock.json | system-packages
	npm ci --prefix tests/browser --no-audit --no-fund
	touch $@

clean:
	rm -rf build $(VENV) tests/browser/node_modules
