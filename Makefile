# The two commands: `make run` (the app with demo data on SQLite) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test screenshots lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# What the app needs to run, then what the tests need on top.
$(VENV)/.installed-app: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed: $(VENV)/.installed-app requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	touch $@

run: $(VENV)/.installed-app
	$(FLASK) db upgrade
	$(FLASK) load-demo
	@echo ""
	@echo "  Track-2 Workshops is running at http://$(HOST):$(PORT)/"
	@echo "  Log in with the password demo-password-2026 as one of:"
	@echo "    admin@example.org            (admin)"
	@echo "    organiser@example.org        (organiser of NADI and ASEAN-ISIS)"
	@echo "    cscap-organiser@example.org  (organiser of CSCAP)"
	@echo "    viewer@example.org           (viewer)"
	@echo "  Another port: make run PORT=8080"
	@echo ""
	$(FLASK) run --host $(HOST) --port $(PORT)

# axe-core and the Nu Html Checker for the browser tests (skipped without npm).
tests/browser/node_modules/.installed: tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: the accessibility and HTML checks will be skipped"; fi

test: $(VENV)/.installed tests/browser/node_modules/.installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The README's screenshots (docs/screenshots/*.png), taken by the browser
# tests on the demo data; `make test` leaves them alone.
screenshots: $(VENV)/.installed tests/browser/node_modules/.installed
	SCREENSHOTS=1 $(BIN)/python -m pytest -q tests/browser/test_accessible_pages.py::test_screenshots_of_the_main_pages tests/browser/test_journeys.py::test_a_participant_takes_their_agenda_on_a_phone tests/browser/test_check_in.py::test_check_in_on_a_phone_with_javascript_loads_no_page tests/browser/test_agenda_builder.py::test_an_eleven_item_two_day_agenda_is_built_with_one_page_load $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check workshops tests bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
