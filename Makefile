# Netral: `make run` to try it, `make test` to test it. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: lint run serve worker test install install-dev system-deps messages setup demo bench bench-cases bench-register bench-national bench-staff bench-followup bench-load bench-faults bench-intake bench-pages clean-data audit-deps prod-check api-client-check s3-check

$(VENV)/.installed: requirements/base.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.installed-dev: requirements/dev.txt requirements/base.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements/dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Debian packages: gettext (compiling translations), chromium (browser tests), and what
# WeasyPrint loads at run time to print the letters: Pango (with its FreeType backend) and
# the fonts the letters use (Liberation Sans, DejaVu Sans). Libraries have no command to
# look for, so dpkg says whether they are installed.
system-deps:
	@command -v msgfmt >/dev/null && command -v chromium >/dev/null \
	  && dpkg -s libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation fonts-dejavu-core >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext chromium libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation fonts-dejavu-core >/dev/null; \
	  else echo "Please install the Debian packages gettext, chromium, libpango-1.0-0, libpangoft2-1.0-0, fonts-liberation and fonts-dejavu-core (sudo apt-get install gettext chromium libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation fonts-dejavu-core)."; exit 1; fi; }

messages: install
	@command -v msgfmt >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq gettext >/dev/null; }
	$(MANAGE) compilemessages --ignore='.venv*' --verbosity 0

setup: install messages
	$(MANAGE) migrate --noinput --verbosity 0
	$(MANAGE) createcachetable
	$(MANAGE) load_rules
	$(MANAGE) seed_demo --url http://$(HOST):$(PORT)/
	$(MANAGE) demo_totp

# The development server and the background worker (register imports) side by side; Ctrl-C stops both.
run: setup
	$(MAKE) --no-print-directory -j2 serve worker

serve:
	NETRAL_DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)

# The task worker under a stable id (host and slot): restarted, it re-queues the task it was
# running when killed (ops/workers.py). A second worker on this machine: make worker SLOT=1.
SLOT ?= 0
worker:
	NETRAL_DEBUG=1 $(MANAGE) netral_worker --slot $(SLOT)

# The whole country on top of the demo (or of an empty database): every province, regency/city,
# district and village of the shipped edition of the Kemendagri codes (regions/data, about 15 s),
# then Bawaslu RI, the 38 province and 514 regency/city offices and the 552 regional governments.
# Idempotent; a later edition is applied as a difference (docs/deploy.md, "Region data").
# Without villages: make country COUNTRY_LEVELS=province,regency,district
.PHONY: country
COUNTRY_LEVELS ?= province,regency,district,village
country: install
	$(MANAGE) migrate --noinput --verbosity 0
	$(MANAGE) load_regions --levels $(COUNTRY_LEVELS)
	$(MANAGE) load_offices

# The direction of the code (import-linter: the layers of shared/DESIGN.md, pyproject.toml) and
# ruff (pyflakes errors and import order); both take a few seconds and run before the suite.
lint: install-dev
	$(VENV)/bin/ruff check .
	PYTHONPATH=. $(VENV)/bin/lint-imports

test: install-dev system-deps messages lint
	$(PY) -m pytest

bench: install-dev messages
	$(PY) bench/run.py

clean-data:
	rm -rf data

bench-cases: install-dev messages
	$(PY) bench/cases.py

bench-followup: install-dev messages
	$(PY) bench/followup.py

bench-register: install-dev messages
	$(PY) bench/register_import.py

# The register at national size (6,000,000 employees by COPY on PostgreSQL, round the country's 552 regional
# governments and their units), searched, shown and counted for the pledges' coverage.
bench-national: install-dev messages
	$(PY) bench/national.py

# Every other staff page (agreements, prevention, checklists, meetings, identity requests, register,
# signatories, onboarding, /staf/, typed searches) at national scale, three accounts (bench/staff_pages.py).
bench-staff: install-dev messages
	$(PY) bench/staff_pages.py $(STAFF_ARGS)

# The production stack (ops/stack.py: gunicorn, a task worker, the daily jobs) on a fresh
# PostgreSQL database, smoke-tested over HTTP, then stopped and dropped (ops/prodcheck.py).
prod-check: install-dev messages
	$(PY) ops/prodcheck.py

# The API as a generated client sees it: openapi-spec-validator checks the document a live test
# server serves, openapi-python-client builds a client from it (into pytest's temporary folder,
# never committed) and ops/api_client_calls.py calls every public endpoint and a partner list,
# detail, action and submission with it (api/tests/test_generated_client.py). The two tools live
# in a virtualenv of their own (.venv-openapi, requirements/openapi.txt).
OPENAPI_VENV := .venv-openapi
$(OPENAPI_VENV)/.installed: requirements/openapi.txt
	$(PYTHON) -m venv $(OPENAPI_VENV)
	$(OPENAPI_VENV)/bin/pip install --quiet -r requirements/openapi.txt
	touch $@

api-client-check: install-dev messages $(OPENAPI_VENV)/.installed
	NETRAL_OPENAPI_VENV=$(OPENAPI_VENV) $(PY) -m pytest -n 0 -p no:cacheprovider api/tests/test_generated_client.py

# Evidence in object storage against a real S3-compatible server: moto in server mode (its own
# virtualenv .venv-s3, requirements/s3.txt) on a free port of 127.0.0.1, a bucket on it, and the
# S3 tests (ops/tests/test_s3_storage.py: public form upload, staff download, backup, restore into
# an emptied bucket, integrity check) with the NETRAL_S3_* variables pointing at it; fails when a
# test is skipped or none ran; the server is stopped at the end (ops/s3check.py).
S3_VENV := .venv-s3
$(S3_VENV)/.installed: requirements/s3.txt
	$(PYTHON) -m venv $(S3_VENV)
	$(S3_VENV)/bin/pip install --quiet -r requirements/s3.txt
	touch $@

s3-check: install-dev messages $(S3_VENV)/.installed
	NETRAL_S3_VENV=$(S3_VENV) $(PY) ops/s3check.py

# The read replica against a real standby: a throw-away primary (initdb on a free port) and a
# standby streaming from it (pg_basebackup -R), both in a temporary folder and removed after;
# ops/tests/test_standby.py reads the dashboards from the standby, pauses its replay and stops it
# (ops/standby.py, docs/deploy.md section 8). Needs PostgreSQL's server binaries (initdb, pg_ctl,
# pg_basebackup); as root they run as the postgres user. About 3 minutes, most of it `migrate`.
.PHONY: replica-check
replica-check: install-dev messages
	$(PY) ops/standby.py

# Load and fault runs against the production stack (ops/stack.py) on PostgreSQL; locust and
# py-spy live in a virtualenv of their own (.venv-load, requirements/load.txt). Short runs:
# make bench-load LOAD_ARGS="--duration 60 --burst-duration 30 --ceiling-duration 15"
# (docs/performance.md, docs/operations.md "Load and faults").
LOAD_VENV := .venv-load
$(LOAD_VENV)/.installed: requirements/load.txt
	$(PYTHON) -m venv $(LOAD_VENV)
	$(LOAD_VENV)/bin/pip install --quiet -r requirements/load.txt
	touch $@

bench-load: install messages $(LOAD_VENV)/.installed
	$(PY) bench/load.py $(LOAD_ARGS)

bench-faults: install messages
	$(PY) bench/faults.py $(FAULT_ARGS)

# WhatsApp webhooks at 50 a second for a minute against the production stack, then a check that
# nothing was lost (bench/intake_burst.py; PostgreSQL with DATABASE_URL, else SQLite).
# Short run: make bench-intake INTAKE_ARGS="--duration 10". Add --record to write docs/performance.md.
bench-intake: install messages
	$(PY) bench/intake_burst.py $(INTAKE_ARGS)

# Page weight and paint times of the public pages in Debian's Chromium with Slow 3G and a 4x slower
# CPU, on the production stack (bench/page_weight.py; PostgreSQL with DATABASE_URL, else SQLite).
# Fails when the report form misses its budget (first paint 2.5 s, 30 kB). PAGES_ARGS="--record"
# adds the figures to docs/performance.md.
bench-pages: install-dev system-deps messages
	$(PY) bench/page_weight.py $(PAGES_ARGS)

# Dependency audit: pip-audit, in a virtualenv of its own (its dependencies never enter .venv),
# over every pinned requirements file, against OSV or else PyPI's per-release vulnerability data.
# Where neither answers (a network that reaches only the package indexes) it says so and skips,
# unless AUDIT_REQUIRED=1. See docs/dependencies.md.
AUDIT_VENV := .venv-audit
define AUDIT_PROBE
import urllib.request
probes = [("osv", "https://api.osv.dev/v1/query", b'{"package": {"name": "django", "ecosystem": "PyPI"}, "version": "5.2"}'),
          ("pypi", "https://pypi.org/pypi/django/5.2/json", None)]
for service, url, body in probes:
    try:
        urllib.request.urlopen(urllib.request.Request(url, data=body), timeout=15)
    except Exception:
        continue
    print(service)
    break
endef
export AUDIT_PROBE

$(AUDIT_VENV)/.installed:
	$(PYTHON) -m venv $(AUDIT_VENV)
	$(AUDIT_VENV)/bin/pip install --quiet pip-audit==2.10.1
	touch $@

audit-deps: $(AUDIT_VENV)/.installed
	@service=$$($(AUDIT_VENV)/bin/python -c "$$AUDIT_PROBE"); \
	if [ -z "$$service" ]; then \
	  echo "audit-deps: SKIPPED: no vulnerability service answers from here (api.osv.dev, pypi.org/pypi/<name>/<version>/json)"; \
	  if [ "$${AUDIT_REQUIRED:-0}" = 1 ]; then exit 1; fi; \
	else \
	  echo "audit-deps: pip-audit against $$service"; \
	  $(AUDIT_VENV)/bin/pip-audit --strict --no-deps --disable-pip --progress-spinner off -s $$service \
	    $(addprefix -r ,$(wildcard requirements/*.txt)); \
	fi
