"""The Content-Security-Policy in a real browser: htmx pages work under it and nothing is refused."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser_fixtures import RECORD_VIOLATIONS, click_and_settle, htmx_idle
from tests.factories import PASSWORD, Factory

pytestmark = pytest.mark.browser

# Chromium fires this DOM event for every blocked script, style, image or eval.
def test_signed_in_htmx_pages_run_with_no_csp_violation(page, live_app):
    app, base_url = live_app
    with app.app_context():
        Factory().customer(code="ZEPH", name="Zephyr Kites")
        Factory().user("admin", email="boss@test.example")
    page.add_init_script(RECORD_VIOLATIONS)

    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill("boss@test.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    click_and_settle(page, page.get_by_role("link", name="Customers"))  # boosted navigation
    page.get_by_role("searchbox").press_sequentially("zeph", delay=40)  # active search (hx-trigger)
    expect(page).to_have_url(re.compile(r"q=zeph"))
    expect(page.locator("#list tbody tr")).to_have_count(1)
    click_and_settle(page, page.get_by_role("link", name="Orders"))
    htmx_idle(page)
    assert page.evaluate("window.cspViolations") == []
    assert page.evaluate("htmx.config.allowEval") is False

    # The recorder itself works: an inline script is refused and reported.
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
                  " document.head.appendChild(s); }")
    page.wait_for_function("window.cspViolations.length > 0")
    assert page.evaluate("window.ran") is None
