"""An operator's path through orders in a real browser: place a two-line order, see stock drop, cancel it."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser_fixtures import click_and_settle
from tests.factories import PASSWORD, Factory

pytestmark = pytest.mark.browser


@pytest.fixture
def shop(live_app):
    """An operator login, a funded customer and two items."""
    app, base_url = live_app
    with app.app_context():
        factory = Factory()
        factory.deposit(factory.customer(code="ACME", name="Acme Coffee"), "200.00")
        mug = factory.item(sku="MUG-1", name="Blue mug", price="4.50", stock=10)
        tee = factory.item(sku="TEE-1", name="Logo tee", price="12.00", stock=5)
        factory.user("operator", email="ops@test.example")
        return base_url, str(mug.id), str(tee.id)


def test_operator_places_a_two_line_order_and_cancels_it(page, shop):
    base_url, mug_id, tee_id = shop
    page.on("dialog", lambda dialog: dialog.accept())  # hx-confirm on Cancel order

    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill("ops@test.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Customers")).to_be_visible()

    click_and_settle(page, page.get_by_role("link", name="Orders"))
    click_and_settle(page, page.get_by_role("button", name="New order"))
    total = page.locator("#order-total")
    page.get_by_label("Customer").select_option(label="Acme Coffee (ACME)")
    expect(page.locator("#order-balance")).to_contain_text("200.00")
    page.get_by_label("Item on line 1").select_option(mug_id)
    expect(total).to_have_text("4.50")
    page.get_by_label("Quantity on line 1").fill("2")
    page.get_by_label("Quantity on line 1").press("Tab")
    expect(total).to_have_text("9.00")
    page.get_by_role("button", name="Add line").click()
    # The search box under line 2 narrows its list on Enter, without placing the order.
    page.get_by_label("Search by SKU or name, line 2").fill("tee")
    page.get_by_label("Search by SKU or name, line 2").press("Enter")
    expect(page.get_by_label("Item on line 2").locator("option")).to_have_count(2)  # the placeholder and TEE-1
    expect(page.get_by_label("Search by SKU or name, line 2")).to_be_focused()
    page.get_by_label("Item on line 2").select_option(tee_id)
    expect(total).to_have_text("21.00")
    page.get_by_label("Quantity on line 2").fill("3")
    page.get_by_label("Quantity on line 2").press("Tab")
    expect(total).to_have_text("45.00")
    expect(page.locator("#order-balance")).to_contain_text("155.00")
    page.get_by_role("button", name="Place order").click()

    expect(page.get_by_text("Placed order ORD-000001 for 45.00.")).to_be_visible()
    expect(page.locator("#timeline")).to_contain_text("Placed")
    order_url = page.url
    click_and_settle(page, page.get_by_role("link", name="MUG-1"))
    expect(page.locator("#stock-on-hand")).to_have_text("8")
    expect(page.locator("#list")).to_contain_text("Order ORD-000001")

    page.goto(order_url)
    page.get_by_label("Reason for cancelling").fill("Ordered by mistake")
    page.get_by_role("button", name="Cancel order").click()
    expect(page.get_by_text("Order ORD-000001 is now cancelled.")).to_be_visible()
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text(re.compile(r"Pending → Cancelled"))
    expect(timeline).to_contain_text("Ordered by mistake")
    click_and_settle(page, page.get_by_role("link", name="MUG-1"))
    expect(page.locator("#stock-on-hand")).to_have_text("10")
    expect(page.locator("#list")).to_contain_text("Cancelled order ORD-000001")
    page.goto(order_url.rsplit("/orders", 1)[0] + "/inventory")
    expect(page.locator("#list tbody tr").filter(has_text="TEE-1")).to_contain_text("5")
