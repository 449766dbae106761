"""The API docs page: the vendored Swagger UI renders every operation in a real browser under the app's CSP."""
import pytest
from playwright.sync_api import expect

from tests.browser_fixtures import RECORD_VIOLATIONS

pytestmark = pytest.mark.browser


def test_the_docs_page_renders_the_document_with_no_csp_violation(page, live_app):
    _app, base_url = live_app
    page.add_init_script(RECORD_VIOLATIONS)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{base_url}/api/v1/docs")
    expect(page.locator(".opblock-summary-path").first).to_be_visible(timeout=15_000)
    assert page.locator(".opblock").count() >= 20  # every operation of the document is drawn
    expect(page.get_by_text("/api/v1/orders/{order_id}/transitions")).to_be_visible()
    assert page.evaluate("window.cspViolations") == []
    assert all(url.startswith(base_url) for url in requested), "no CDN or other host is fetched"
