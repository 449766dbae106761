"""Shared fixtures: app, client, runner, a clean database and Redis per test, the factory, login helper.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set.
The schema is built once per session by the real migrations, then emptied before every test.
The simulator fixtures live in tests/simulator_fixtures.py, the browser's in tests/browser_fixtures.py;
rows are built by tests/factories.py.
"""
import logging
import os
import tempfile
import threading
from contextlib import contextmanager

import pytest
from flask import g
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

os.environ["OMS_ENV"] = "test"
# Plain helper modules whose asserts should explain themselves like a test's own.
pytest.register_assert_rewrite("tests.ledgers", "tests.sync.helpers", "tests.waiting")

from app import create_app  # noqa: E402
from app.config import normalise_database_url  # noqa: E402
from app.devtools import empty_postgres_database  # noqa: E402
from app.extensions import db  # noqa: E402
from app.redis_client import get_redis  # noqa: E402
from tests.factories import PASSWORD, Factory  # noqa: E402

pytest_plugins = ["tests.simulator_fixtures", "tests.browser_fixtures", "tests.concurrency_fixtures"]

KEPT_TABLES = {"alembic_version", "platforms"}  # reference data the migrations create
MEMORY_DIR = "/dev/shm"


def _database_url(tmp_dir: str) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    return normalise_database_url(url) if url else f"sqlite:///{tmp_dir}/oms-test.sqlite3"


def _recreate_database(url: str) -> None:
    """Start from an empty database so the migrations are tested from scratch (SQLite's file is new anyway)."""
    if make_url(url).get_backend_name() == "postgresql":
        empty_postgres_database(url)


@pytest.fixture(scope="session")
def test_settings():
    """Settings every test app shares: the test database and a Redis database of its own."""
    # SQLite commits after nearly every step; in memory-backed /dev/shm a commit skips the disk's fsync (~4x faster).
    with tempfile.TemporaryDirectory(prefix="oms-tests-", dir=MEMORY_DIR if os.path.isdir(MEMORY_DIR) else None) as tmp_dir:
        url = _database_url(tmp_dir)
        _recreate_database(url)
        settings = {
            "SQLALCHEMY_DATABASE_URI": url,
            "REDIS_URL": os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"),
            "WTF_CSRF_ENABLED": False,
            "SERVER_NAME": None,
        }
        app = create_app(settings)
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            db.engine.dispose()
        yield settings


def empty_database() -> None:
    """Remove every row but the reference data, fast on both databases."""
    tables = [t for t in db.metadata.sorted_tables if t.name not in KEPT_TABLES]
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(tables):
            db.session.execute(table.delete())
    db.session.commit()


class FreshRequestClient(FlaskClient):
    """Test client whose requests do not inherit the test's cached login.

    pytest-flask keeps one app context pushed for the whole test, so every request shares its
    `g`, where Flask-Login caches the user; production loads the user anew on each request.
    """

    def open(self, *args, **kwargs):
        g.pop("_login_user", None)
        return super().open(*args, **kwargs)


@contextmanager
def fresh_app(settings: dict):
    """An app on an emptied database and Redis database, disposed of afterwards."""
    app = create_app(settings)
    app.test_client_class = FreshRequestClient
    with app.app_context():
        empty_database()
        get_redis().flushdb()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def app(test_settings):
    """A fresh app on an empty database and an empty Redis database (CSRF off for brevity)."""
    with fresh_app(dict(test_settings)) as app:
        yield app


@pytest.fixture
def csrf_app(test_settings):
    """The same app with CSRF protection on, as in production."""
    with fresh_app({**test_settings, "WTF_CSRF_ENABLED": True}) as app:
        yield app


@pytest.fixture
def live_app(test_settings):
    """The app with CSRF on, served on 127.0.0.1 by a threaded server; yields (app, base_url)."""
    with fresh_app({**test_settings, "WTF_CSRF_ENABLED": True}) as app:
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield app, f"http://127.0.0.1:{server.server_port}"
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture
def runner(app):
    """Click runner for flask CLI commands."""
    return app.test_cli_runner()


@pytest.fixture
def factory(app):
    """The row factory (tests/factories.py), used inside the test app."""
    return Factory()


@pytest.fixture
def all_logs(caplog):
    """caplog at DEBUG from every logger (HTTP libraries included), for 'never logged' checks."""
    caplog.set_level(logging.DEBUG)
    return caplog


class AuthActions:
    """Sign in and out through the real login form."""

    def __init__(self, client, factory):
        self._client, self._factory = client, factory

    def login(self, role="admin", customer=None):
        """Create a user of the role and sign in as it; returns the user."""
        user = self._factory.user(role, customer=customer)
        self.login_as(user.email)
        return user

    def login_as(self, email, password=PASSWORD):
        """Sign in as an existing user."""
        return self._client.post("/login", data={"email": email, "password": password})

    def logout(self):
        """Sign out."""
        return self._client.post("/logout")


@pytest.fixture
def auth(client, factory):
    """Login helper: auth.login('admin' | 'operator' | 'customer')."""
    return AuthActions(client, factory)
