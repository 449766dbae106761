"""Fixtures for browser tests: the app served by a real HTTP server thread, and Playwright's Chromium."""
import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]


@pytest.fixture
def live_app(test_settings):
    """The app with CSRF on, served on 127.0.0.1 by a threaded server; yields (app, base_url)."""
    from tests.conftest import fresh_app

    with fresh_app({**test_settings, "WTF_CSRF_ENABLED": True}) as app:
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield app, f"http://127.0.0.1:{server.server_port}"
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def chromium():
    """Headless Debian Chromium driven by Playwright; missing Chromium fails in CI, skips elsewhere."""
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    """A fresh browser context and page per test, failing fast instead of hanging."""
    context = chromium.new_context()
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


HTMX_IDLE = ("() => window.htmx && document.readyState === 'complete' && "
             "!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")


def htmx_idle(page) -> None:
    """Wait until htmx has no request, swap or settle in progress (new content is wired up)."""
    page.wait_for_function(HTMX_IDLE)


def click_and_settle(page, locator) -> None:
    """Click once the page is idle, then wait for the resulting swap to settle.

    A person never clicks within milliseconds of a swap; a test does, before htmx has wired
    the new content (the click then becomes a plain navigation), so tests wait for idle first.
    """
    htmx_idle(page)
    locator.click()
    page.wait_for_timeout(50)  # let the request start before we test for idleness again
    htmx_idle(page)
