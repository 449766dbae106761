"""In the browser: an admin presses Sync now and watches the run page's status fragment reach succeeded."""
import re

import pytest
from playwright.sync_api import expect
from rq import SimpleWorker

from app.queues import SYNC, get_queue
from app.redis_client import get_redis
from tests.browser_fixtures import htmx_idle
from tests.factories import PASSWORD, Factory

pytestmark = pytest.mark.browser

# Every swap of the run's status fragment, as the page saw it.
RECORD_SWAPS = """window.__statuses = [];
document.body.addEventListener('htmx:afterSwap', () => {
  const status = document.querySelector('#run-status');
  if (status) window.__statuses.push(status.dataset.status);
});"""


@pytest.fixture
def live_sync(live_app, simulator):
    """The live app pointed at the simulator, with an admin and the demo connection."""
    app, base_url = live_app
    simulator.set_faults(rate_limit_per_minute=None, latency_ms=120)
    simulator.seed(1500, invalid=2)
    app.config["MEGAPHONE_BASE_URL"] = simulator.api_url
    with app.app_context():
        factory = Factory()
        factory.connection(simulator, "ACME")
        factory.user("admin", email="boss@test.example")
    return app, base_url


def test_sync_now_and_watch_the_run_finish(page, live_sync):
    app, base_url = live_sync
    page.clock.install()  # time flows as usual, but the test can jump it to prove the polling stopped
    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill("boss@test.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Sync runs").click()
    expect(page.get_by_role("heading", name="Sync runs")).to_be_visible()

    page.get_by_role("button", name="Sync now: ACME on Megaphone").click()
    expect(page).to_have_url(re.compile(r"/sync/runs/\d+$"))
    status = page.locator("#run-status")
    expect(status).to_have_attribute("data-status", "queued")
    expect(status).to_contain_text("waiting for a worker")
    page.evaluate(RECORD_SWAPS)

    with app.app_context():
        assert get_queue(SYNC).count == 1
        # A real worker takes the job from Redis while the page keeps polling on its own.
        SimpleWorker([get_queue(SYNC)], connection=get_redis()).work(burst=True)

    expect(status).to_have_attribute("data-status", "succeeded", timeout=15_000)
    expect(status.locator('[data-count="inserted"]')).to_have_text("1500")
    expect(status.locator('[data-count="skipped_invalid"]')).to_have_text("2")
    expect(status).not_to_have_attribute("hx-trigger", re.compile("every"))
    swaps = page.evaluate("window.__statuses.length")
    page.clock.run_for(5_000)  # five polls' worth of timers: a poll still scheduled would fire now
    htmx_idle(page)
    assert page.evaluate("window.__statuses.length") == swaps  # it stopped polling
    assert page.evaluate("window.__statuses")[-1] == "succeeded"

    page.get_by_role("button", name="All runs").click()
    expect(page.locator("#list tbody tr").first).to_contain_text("succeeded")
