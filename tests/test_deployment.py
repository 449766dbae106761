"""Deployment pieces (issue 11, item 11): the first admin, docker-compose.yml's shape, PgBouncer settings."""
import os

import pytest
import yaml
from sqlalchemy import select

from app.auth.models import User
from app.config import load_config
from app.extensions import db

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADMIN_ENV = {"OMS_ADMIN_EMAIL": "Boss@Example.com", "OMS_ADMIN_PASSWORD": "first-admin-password-42"}


def admins():
    return db.session.execute(select(User.email).where(User.role == "admin")).scalars().all()


def test_bootstrap_admin_creates_the_first_admin_once_from_the_environment(runner):
    first = runner.invoke(args=["users", "bootstrap-admin"], env=ADMIN_ENV)
    again = runner.invoke(args=["users", "bootstrap-admin"], env={**ADMIN_ENV, "OMS_ADMIN_EMAIL": "other@example.com"})

    assert first.exit_code == 0 and "Created the first admin boss@example.com." in first.output
    assert again.exit_code == 0 and "An active admin exists (boss@example.com); nothing to do." in again.output
    assert admins() == ["boss@example.com"]
    assert ADMIN_ENV["OMS_ADMIN_PASSWORD"] not in first.output + again.output


def test_bootstrap_admin_without_settings_explains_and_does_not_fail(runner):
    result = runner.invoke(args=["users", "bootstrap-admin"], env={"OMS_ADMIN_EMAIL": "", "OMS_ADMIN_PASSWORD": ""})
    assert result.exit_code == 0 and "set OMS_ADMIN_EMAIL and OMS_ADMIN_PASSWORD" in result.output
    assert admins() == []


def test_bootstrap_admin_refuses_a_weak_password_with_one_line(runner):
    result = runner.invoke(args=["users", "bootstrap-admin"], env={**ADMIN_ENV, "OMS_ADMIN_PASSWORD": "x"})
    assert result.exit_code == 1 and admins() == []


@pytest.fixture(scope="module")
def compose():
    with open(os.path.join(ROOT, "docker-compose.yml"), encoding="utf-8") as file:
        return yaml.safe_load(file)


def test_compose_puts_a_tls_proxy_in_front_of_web_and_trusts_one_hop(compose):
    services = compose["services"]
    assert "ports" not in services["web"]  # only the proxy is reachable from outside
    assert {"80:80", "443:443"} <= set(services["proxy"]["ports"])
    assert "web:8000" in " ".join(services["proxy"]["command"])
    assert services["web"]["environment"]["TRUSTED_PROXY_HOPS"] == "1"


def test_compose_has_healthchecks_for_worker_and_scheduler_and_the_scheduler_uses_redis_url(compose):
    services = compose["services"]
    for name in ("web", "worker", "scheduler", "postgres", "redis", "pgbouncer"):
        assert services[name].get("healthcheck"), name
    assert "redis://redis" not in " ".join(services["scheduler"]["command"])
    assert "$$REDIS_URL" in " ".join(services["scheduler"]["command"])


def test_compose_runs_the_app_through_pgbouncer_in_transaction_mode_and_migrates_directly(compose):
    services = compose["services"]
    assert services["pgbouncer"]["environment"]["POOL_MODE"] == "transaction"
    for name in ("web", "worker"):
        environment = services[name]["environment"]
        assert "@pgbouncer:" in environment["DATABASE_URL"] and environment["DATABASE_BEHIND_PGBOUNCER"] == "1"
    assert "@postgres:" in services["migrate"]["environment"]["DATABASE_URL"]
    assert "bootstrap-admin" in " ".join(services["migrate"]["command"])


def test_the_pgbouncer_switch_turns_off_prepared_statements():
    url = "postgresql://oms:oms@pgbouncer:5432/oms"
    assert load_config({"DATABASE_URL": url, "DATABASE_BEHIND_PGBOUNCER": "1"})["SQLALCHEMY_ENGINE_OPTIONS"][
        "connect_args"] == {"prepare_threshold": None}
    assert "connect_args" not in load_config({"DATABASE_URL": url})["SQLALCHEMY_ENGINE_OPTIONS"]


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="needs PostgreSQL (TEST_DATABASE_URL)")
def test_the_pgbouncer_switch_reaches_the_psycopg_connection(monkeypatch, test_settings):
    from app import create_app

    monkeypatch.setenv("DATABASE_URL", os.environ["TEST_DATABASE_URL"])
    monkeypatch.setenv("DATABASE_BEHIND_PGBOUNCER", "1")
    app = create_app({"REDIS_URL": test_settings["REDIS_URL"]})
    with app.app_context():
        with db.engine.connect() as connection:
            assert connection.connection.driver_connection.prepare_threshold is None
        db.engine.dispose()


@pytest.mark.parametrize("kind", ["worker", "scheduler"])
def test_the_worker_and_scheduler_healthchecks_need_a_live_registration(app, kind, monkeypatch, capsys):
    from rq import Worker
    from rq.cron import CronScheduler

    from app.healthcheck import main
    from app.queues import get_queue
    from app.redis_client import get_redis

    monkeypatch.setenv("REDIS_URL", app.config["REDIS_URL"])
    with pytest.raises(SystemExit, match=f"unhealthy: no {kind} of"):
        main([kind])

    process = Worker([get_queue("sync")], connection=get_redis()) if kind == "worker" else CronScheduler(get_redis())
    process.register_birth()
    main([kind])
    assert capsys.readouterr().out.startswith(f"healthy: a {kind} of")

    process.register_death()
    with pytest.raises(SystemExit, match="unhealthy"):
        main([kind])


def test_the_healthcheck_says_when_redis_is_down(monkeypatch):
    from app.healthcheck import main

    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    with pytest.raises(SystemExit, match="Redis .* did not answer"):
        main(["worker"])
