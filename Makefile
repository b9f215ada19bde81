# The commands of the README: `make run`, `make test` and `make fast`. Everything else here serves them.
SHELL := /bin/bash
UV_VERSION := 0.13.8
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv

# The first Python 3.12 or newer on this machine (pyenv installs included).
PYTHON := $(shell for c in python3.13 python3.12 $$HOME/.pyenv/versions/3.1[3-9]*/bin/python3 $$HOME/.pyenv/versions/3.12*/bin/python3 python3; do \
	command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$c; break; }; done)

# pytest-xdist: the tests spread over the cores, each worker with its own test database (pytest-django adds the
# worker's name to it).
PARALLEL := -n auto --maxprocesses 4

# The port of `make run`'s web server: `make run PORT=8080`.
PORT ?= 8000

.PHONY: run test fast env system-packages runtime-packages install-packages lint demo

.uv/bin/uv:
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed"; exit 1; }
	$(PYTHON) -m venv .uv
	.uv/bin/pip install --quiet uv==$(UV_VERSION)

env: .uv/bin/uv
	.uv/bin/uv sync --locked --python $(PYTHON) --quiet
	npm ci --ignore-scripts --no-audit --no-fund --silent

# Installs the Debian packages of the lists that are missing (needs root; skipped when all are there; without root it
# names them). system-packages.txt: what the portal needs to run (WeasyPrint's libraries and fonts, for the worker's
# first verslag); test-packages.txt: what the tests need besides.
runtime-packages:
	@$(MAKE) --no-print-directory install-packages LISTS=system-packages.txt

system-packages:
	@$(MAKE) --no-print-directory install-packages LISTS="system-packages.txt test-packages.txt"

install-packages:
	@missing=$$(cat $(LISTS) | grep -v '^#' | grep . | while read p; do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then echo "Missing Debian packages (install them as root): $$missing"; exit 0; fi; \
	echo "Installing: $$missing"; \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null

# The links in the demo's mails lead to the port it runs on.
run: export STAGEGIDS_SITE_URL ?= http://127.0.0.1:$(PORT)
run: runtime-packages env
	@mkdir -p var
	DJANGO_DEBUG=true .venv/bin/python manage.py migrate --noinput
	DJANGO_DEBUG=true .venv/bin/python manage.py demo
	@echo ""
	@echo "  Stagegids draait op http://127.0.0.1:$(PORT)/  (stoppen: Ctrl-C)"
	@echo "  Demo-logins, wachtwoord stagegids-demo:"
	@echo "    praktijkopleider@installatiebedrijf-demo.nl   werkplekbegeleider@installatiebedrijf-demo.nl"
	@echo "    stagiair.bol@student-demo.nl                  mbo-begeleider@roc-demo.nl"
	@echo "    beheerder@stagegids-demo.nl (beheer op /beheer/; tweede stap: de codepagina toont de code,"
	@echo "      of zet geheim ON2G CZ3F M5UW I4ZN MRSW 23ZN GJTG CIJB in een authenticator-app)"
	@echo "  E-mail verschijnt in dit venster (console); de eerste herinneringen binnen een minuut."
	@echo ""
	DJANGO_DEBUG=true .venv/bin/honcho start --port $(PORT)

lint: env
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

# With DATABASE_URL set (CI: PostgreSQL), the journey through the whole gids (tests/test_journey.py) runs once more
# on SQLite, the laptop's database: it must pass on both.
test: system-packages env lint
	DJANGO_DEBUG=true .venv/bin/python manage.py makemigrations --check --dry-run
	.venv/bin/python -m pytest $(PARALLEL)
	if [ -n "$$DATABASE_URL" ]; then env -u DATABASE_URL .venv/bin/python -m pytest tests/test_journey.py -n 0 -q; fi

# While working: every test but the browser flows, in parallel, on SQLite whatever DATABASE_URL says.
fast: env
	env -u DATABASE_URL .venv/bin/python -m pytest -m "not browser" $(PARALLEL)
