# talentdesk — two commands do everything on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) backend/manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate seed serve lint messages bench worker beat clean cluster cluster-test cluster-tools

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

migrate: install
	$(MANAGE) migrate --noinput -v0

seed: migrate
	$(MANAGE) seed_demo --if-empty

## make run: virtualenv, install, migrate, demo data (first time), serve on 127.0.0.1:8000
run: seed
	@echo ""
	@echo "  talentdesk is running at http://$(HOST):$(PORT)/"
	@echo "  Demo accounts (password: talentdesk-demo):"
	@echo "    clerk       window staff at the Overseas Returnee Window"
	@echo "    officer     dedicated officer (returnee and general windows)"
	@echo "    supervisor  supervisor of the City Talent Service Centre"
	@echo "    admin       administrator (also /admin/)"
	@echo "  supervisor and admin set up two-factor sign-in at their first sign-in (README: Demo and two-factor sign-in)"
	@echo "  Talent portal: http://$(HOST):$(PORT)/status/   API docs: http://$(HOST):$(PORT)/api/docs/"
	@echo ""
	$(MANAGE) runserver $(HOST):$(PORT)

## make test: the whole suite; SQLite by default, PostgreSQL + Redis when DATABASE_URL /
## CELERY_BROKER_URL are set. Extra pytest arguments: make test ARGS="-k claim"
test: install
	$(PY) -m ruff check backend tests
	PYTHONPATH=backend $(VENV)/bin/lint-imports --no-cache
	$(MANAGE) makemigrations --check --dry-run -v0
	$(PY) -m pytest $(ARGS)

lint: install
	$(PY) -m ruff check backend tests
	PYTHONPATH=backend $(VENV)/bin/lint-imports --no-cache

## make messages APP=workspace: refresh backend/<app>/locale from the app's code and its
## templates in frontend/templates/<app>/ (core: the shared templates), then compile.
APP ?= core
messages: install
	cd backend/$(APP) && mkdir -p locale _tpl && \
	  if [ "$(APP)" = core ]; then ln -sfn ../../../frontend/templates/base.html _tpl/base.html; \
	    ln -sfn ../../../frontend/templates/partials _tpl/partials; \
	  elif [ -d ../../frontend/templates/$(APP) ]; then ln -sfn ../../../frontend/templates/$(APP) _tpl/$(APP); fi && \
	  ../../$(PY) ../manage.py makemessages -l zh_Hans --symlinks --no-obsolete --ignore=migrations -v0; \
	  status=$$?; rm -rf _tpl; exit $$status
	cd backend/$(APP) && ../../$(PY) ../manage.py compilemessages -v0

worker: install
	cd backend && ../$(PY) -m celery -A config worker -l info

beat: install
	cd backend && ../$(PY) -m celery -A config beat -l info

## make bench: wrk (installed with apt-get when missing; without it the Python load generator)
bench: install
	@command -v wrk >/dev/null || (command -v apt-get >/dev/null && \
	  (apt-get install -y -q wrk || sudo -n apt-get install -y -q wrk) >/dev/null 2>&1) || \
	  echo "wrk not available: falling back to the Python load generator"
	$(PY) tests/load/bench.py $(BENCH_ARGS)

## make cluster: two app hosts and an nginx load balancer in network namespaces (root;
## PostgreSQL td_cluster, Redis :6379 dbs 12-13), up for CLUSTER_SECONDS, then torn down.
## make cluster-test: the same with the fault test (a host killed and restarted under load).
## docs/operations.md, "The cluster drill". Not part of make test: it takes minutes.
CLUSTER_SECONDS ?= 60
cluster-tools:
	@command -v nginx >/dev/null && command -v socat >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light socat >/dev/null)

cluster: install cluster-tools
	$(PY) tests/cluster/cluster.py up --seconds $(CLUSTER_SECONDS)

cluster-test: install cluster-tools
	$(PY) tests/cluster/cluster.py test

clean:
	rm -rf $(VENV) var
