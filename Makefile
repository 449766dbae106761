# OMS: `make run` starts everything on this machine, `make test` runs the whole suite twice
# (SQLite, then PostgreSQL). See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
PORT ?= 5000
SIMULATOR_PORT ?= 5055
SMTP_PORT ?= 1025
SMS_PORT ?= 5056
export REDIS_URL ?= redis://127.0.0.1:6379/0
export MEGAPHONE_BASE_URL ?= http://127.0.0.1:$(SIMULATOR_PORT)/api
# Notifications go to the local SMTP sink (it prints each mail) and the SMS simulator, which calls OMS back.
export SMTP_URL ?= smtp://127.0.0.1:$(SMTP_PORT)
export SMS_BASE_URL ?= http://127.0.0.1:$(SMS_PORT)
export SMS_ACCOUNT_SID ?= AC0123
export SMS_AUTH_TOKEN ?= dev-sms-token
export SMS_FROM ?= +15550001111
export OMS_PUBLIC_URL ?= http://127.0.0.1:$(PORT)
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/oms_test

.PHONY: run test test-sqlite test-postgres migrate seed clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	@$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

migrate: $(VENV)/.installed
	@$(FLASK) db upgrade

seed: migrate
	@$(FLASK) seed demo

# Web app, RQ worker (every queue), RQ scheduler, the ad-platform simulator, the SMTP sink and the SMS
# simulator in the foreground; Ctrl-C stops them all.
# Background jobs of a non-interactive shell ignore SIGINT, so the traps TERM them by name; the Ctrl-C trap
# resets itself first (`kill 0` also signalled this shell and re-entered the trap until bash crashed with
# "Segmentation fault") and exits 0, so make reports no error for a deliberate stop.
run: $(VENV)/.installed
	@$(PY) -m app.devtools check-redis
	@$(MAKE) --no-print-directory seed
	@trap 'trap - INT TERM EXIT; kill $$(jobs -p) 2>/dev/null; wait; exit 0' INT TERM; \
	trap 'kill $$(jobs -p) 2>/dev/null' EXIT; \
	$(PY) -m app.platforms.megaphone.simulator --host 127.0.0.1 --port $(SIMULATOR_PORT) \
		--org demo --token demo-token --seed 250 --state instance/megaphone-simulator.json & \
	$(PY) -m app.notifications.email.sink --host 127.0.0.1 --port $(SMTP_PORT) & \
	$(PY) -m app.notifications.sms.simulator --host 127.0.0.1 --port $(SMS_PORT) --account $(SMS_ACCOUNT_SID) \
		--token $(SMS_AUTH_TOKEN) --from $(SMS_FROM) --inbound-url $(OMS_PUBLIC_URL)/webhooks/sms/inbound & \
	$(PY) worker.py & \
	$(VENV)/bin/rq cron app.sync.schedule --url $(REDIS_URL) & \
	$(FLASK) run --host 127.0.0.1 --port $(PORT) & \
	$(PY) -m app.devtools wait-ready http://127.0.0.1:$(PORT) && \
	echo "OMS is running at http://127.0.0.1:$(PORT) (Ctrl-C stops everything). Demo logins are listed above."; \
	wait

test: test-sqlite test-postgres

# TEST_DATABASE_URL picks PostgreSQL in tests/conftest.py, so the SQLite run must unset it.
test-sqlite: $(VENV)/.installed
	@echo "== Test suite on SQLite =="
	@env -u TEST_DATABASE_URL $(PY) -m pytest

test-postgres: $(VENV)/.installed
	@echo "== Test suite on PostgreSQL ($(TEST_DATABASE_URL)) =="
	@TEST_DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m pytest

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis
