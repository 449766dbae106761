"""Real concurrency on PostgreSQL: the marks that skip it elsewhere, and an app with a pool for every thread."""
import os

import pytest

from app import create_app
from app.extensions import db

THREADS = 24
# The suite runs on PostgreSQL exactly when TEST_DATABASE_URL is set (see tests/conftest.py).
POSTGRES_ONLY = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"),
                       reason="real row locks and concurrency need PostgreSQL (set TEST_DATABASE_URL)"),
]


@pytest.fixture
def pg_app(app, test_settings):
    """A second app on the same (emptied) database with a pool big enough for every thread."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("real row locks and concurrency need PostgreSQL (set TEST_DATABASE_URL)")
    options = {"pool_size": THREADS, "max_overflow": 0, "pool_timeout": 60}
    concurrent = create_app({**test_settings, "SQLALCHEMY_ENGINE_OPTIONS": options})
    yield concurrent
    with concurrent.app_context():
        db.engine.dispose()
