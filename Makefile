# One command to run the bot, one to run the tests; each sets up what it needs.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# The bot alone (make run) needs the project's own dependencies; the tests and
# the linters add theirs (make test, make lint). Each set has its stamp.
STAMP  := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run
# npm ci empties node_modules/, so the stamp inside it goes when the packages go.
NODE_STAMP := node_modules/.installed

.PHONY: run test lint check-kb teams-app clean system-deps

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $(RUN_STAMP)

$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	@touch $(STAMP)

run: $(RUN_STAMP)
	$(BIN)/python app.py

# Debian packages the tests drive for real: Chromium for the browser tests,
# redis-server for the shared rate limit, Node.js to install and run
# the npm packages below, an emoji font and a Japanese font so that the cards'
# 👍/👎 and Japanese labels are drawn, and measured, with real glyphs. Installed
# when missing and when we may (root with apt-get); otherwise the tests that
# need them say so.
# Debian's nodejs has no npm: npm is installed after these when the command is missing
# (not listed here, so that a Node.js from NodeSource, which includes npm, is left alone).
SYSTEM_PACKAGES := chromium redis-server nodejs fonts-noto-color-emoji fonts-ipafont-gothic

system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "missing Debian packages:$$missing (install them as root; their tests will skip)" >&2; \
	  fi; \
	fi; \
	if ! command -v npm >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian package: npm (Debian's nodejs comes without it)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
	fi

# npm packages the browser tests drive (package.json, locked by package-lock.json):
# Microsoft's Adaptive Cards renderer and Teams host config, Web Chat, a local
# Direct Line server, axe-core. Reinstalled only when the lockfile changes.
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund --loglevel=error && touch $(NODE_STAMP); \
	else \
	  echo "npm is missing (install Node.js 18+ with npm); the tests that need npm packages will skip" >&2; \
	fi

test: $(STAMP) system-deps $(NODE_STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

check-kb: $(RUN_STAMP)
	$(BIN)/python -m knowledge check

teams-app: $(RUN_STAMP)
	$(BIN)/python -m bot.teams_app --output teams-app.zip

clean:
	rm -rf $(VENV) node_modules build *.egg-info .pytest_cache .mypy_cache .ruff_cache
