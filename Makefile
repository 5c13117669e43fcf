# Two commands: `make run` (set up and serve the demo, with a background worker) and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Links in mails and PDFs point at the port `make run` serves unless SITE_URL is given.
SITE_URL ?= http://127.0.0.1:$(PORT)
STAMP := $(VENV)/.installed

.PHONY: run test lint bench install system-deps messages clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) system-deps

# Debian packages the PDFs and browser tests need (installed only when missing).
system-deps:
	@sh scripts/system-deps.sh

run: install
	$(PY) manage.py compilemessages --ignore=.venv -v 0
	$(PY) manage.py migrate --noinput
	SITE_URL="$(SITE_URL)" $(PY) manage.py load_demo
	PY=$(PY) PORT=$(PORT) SITE_URL="$(SITE_URL)" sh scripts/run.sh

# Tests run on one xdist worker more than there are cores (the browser journeys leave a core idle while they
# wait), a file to a worker (a module that shares one loaded demo loads it once), in the order tests/conftest.py
# gives (the browser journeys first; xdist would put them last); XDIST= runs them in one process.
XDIST ?= -n $(shell echo $$(( $$(nproc) + 1 ))) --dist loadfile --no-loadscope-reorder

# Bytecode is cached even where the environment says not to (PYTHONDONTWRITEBYTECODE): each xdist worker would
# otherwise compile every module and rewrite every test's asserts again (about 3 s a worker).
test: export PYTHONDONTWRITEBYTECODE :=
test: install lint
	$(PY) manage.py compilemessages --ignore=.venv -v 0
	$(PY) -m pytest $(XDIST) $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

bench: install
	$(PY) manage.py compilemessages --ignore=.venv -v 0
	@for b in bench/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

messages: install
	$(PY) manage.py makemessages -l nb -l nn -l en --ignore=.venv --ignore=bench --ignore=tests
	$(PY) manage.py makemessages -d djangojs -l nb -l nn -l en --ignore=.venv --ignore=static/vendor

clean:
	rm -rf $(VENV) db.sqlite3 media
