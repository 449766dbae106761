"""Fixtures for browser tests: Playwright's Chromium and a page per test (the served app is `live_app`)."""
import os
import shutil

import pytest


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
# An init script that keeps every Content-Security-Policy violation of the page in window.cspViolations.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline")));
"""


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


# Counts the htmx requests started from now on; a full page load drops the counter (undefined).
COUNT_REQUESTS = ("() => { window.__htmxRequests = 0; "
                  "document.body.addEventListener('htmx:beforeRequest', () => window.__htmxRequests++); }")
REQUEST_STARTED = "() => window.__htmxRequests === undefined || window.__htmxRequests > 0"


def click_and_settle(page, locator) -> None:
    """Click once the page is idle, wait for the request the click starts, then for its swap to settle.

    A person never clicks within milliseconds of a swap; a test does, before htmx has wired
    the new content (the click then becomes a plain navigation), so tests wait for idle first.
    """
    htmx_idle(page)
    page.evaluate(COUNT_REQUESTS)
    locator.click()
    page.wait_for_function(REQUEST_STARTED)  # idle before the request starts would be the old page
    htmx_idle(page)
