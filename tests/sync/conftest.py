"""Sync fixtures: the test app pointed at the simulator with sync settings, and a connection to it."""
import pytest

from tests.sync.helpers import LOCK_TTL_SECONDS


@pytest.fixture
def sync_app(app, simulator):
    """The test app pointed at the reset simulator, with client retries kept short and no rate limit."""
    app.config.update(MEGAPHONE_BASE_URL=simulator.api_url, MEGAPHONE_READ_TIMEOUT=5,
                      MEGAPHONE_MAX_RETRY_SECONDS=3, SYNC_LOCK_TTL_SECONDS=LOCK_TTL_SECONDS)
    simulator.set_faults(rate_limit_per_minute=None)
    return app


@pytest.fixture
def connection(sync_app, simulator, factory):
    """Customer ACME connected to the simulator's default organization (a PlatformConnection)."""
    return factory.connection(simulator, "ACME", interval_minutes=60).connection
