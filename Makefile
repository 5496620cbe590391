# Two entry points for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test venv lint bench clean browser vendor-leaflet

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	$(BIN)/stakeholders sync --manifest sample/manifest.yaml
	$(BIN)/stakeholders audience --issue protest --near "EC2R 8AH" --radius-m 500 --channel any

# The browser tests drive Debian's Chromium (a test tool's own browser download is not used).
browser:
	@command -v chromium >/dev/null 2>&1 || [ -n "$$STAKEHOLDERS_CHROMIUM" ] || { \
	  echo "installing Debian's chromium for the browser tests" >&2; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get install -y -q chromium >/dev/null 2>&1 || \
	  { $$SUDO apt-get update -q >/dev/null && $$SUDO apt-get install -y -q chromium >/dev/null; }; }

test: $(STAMP) browser
	$(BIN)/ruff check .
	$(BIN)/pytest

# Leaflet and Leaflet-Geoman from npm into web/static/vendor (see web/static/vendor/README.md).
vendor-leaflet:
	scripts/vendor_leaflet.sh $(LEAFLET_VERSION) $(GEOMAN_VERSION)

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache
