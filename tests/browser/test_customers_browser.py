"""A person's path through the shell: sign in, create, search, sort, page, archive, find, sign out."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser_fixtures import click_and_settle
from tests.factories import PASSWORD, Factory

pytestmark = pytest.mark.browser


@pytest.fixture
def admin_with_customers(live_app):
    """An admin login and 30 customers, so the list has a second page."""
    app, base_url = live_app
    with app.app_context():
        factory = Factory()
        for i in range(30):
            factory.customer(code=f"B{i:02d}", name=f"Business {i:02d}")
        factory.user("admin", email="boss@test.example")
    return base_url, "boss@test.example"


def test_admin_manages_customers_in_the_browser(page, admin_with_customers):
    base_url, email = admin_with_customers
    page.on("dialog", lambda dialog: dialog.accept())  # hx-confirm on bulk archive

    page.goto(f"{base_url}/customers")
    expect(page).to_have_url(re.compile(r"/login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Customers")).to_be_visible()

    page.get_by_role("button", name="New customer").click()
    expect(page.get_by_role("heading", name="New customer")).to_be_visible()
    page.get_by_label("Code", exact=True).fill("zeph")
    page.get_by_label("Name", exact=True).fill("Zephyr Kites")
    page.get_by_label("Email", exact=True).fill("fly@zephyr.example")
    page.get_by_role("button", name="Create customer").click()
    expect(page.get_by_role("heading", name=re.compile("Zephyr Kites"))).to_be_visible()
    expect(page.get_by_text("Saved customer ZEPH.")).to_be_visible()

    click_and_settle(page, page.get_by_role("link", name="Customers"))
    page.get_by_role("searchbox").press_sequentially("zephyr", delay=40)
    expect(page).to_have_url(re.compile(r"q=zephyr"))
    rows = page.locator("#list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("ZEPH")

    page.get_by_role("searchbox").clear()
    expect(rows).to_have_count(25)
    click_and_settle(page, page.get_by_role("link", name=re.compile("^Name")))  # already by name: now Z→A
    expect(page).to_have_url(re.compile(r"sort=name&dir=desc|dir=desc"))
    expect(rows.first).to_contain_text("Zephyr Kites")
    click_and_settle(page, page.get_by_role("link", name=re.compile("^Name")))  # back to A→Z
    expect(rows.first).to_contain_text("Business 00")
    click_and_settle(page, page.get_by_role("link", name="Next ›"))
    expect(rows).to_have_count(6)
    expect(rows.last).to_contain_text("Zephyr Kites")

    page.get_by_role("searchbox").press_sequentially("zephyr", delay=40)
    expect(rows).to_have_count(1)
    page.get_by_label("Select Zephyr Kites").check()
    click_and_settle(page, page.get_by_role("button", name="Archive selected"))
    expect(page.get_by_text("Archived 1 customer(s).")).to_be_visible()
    expect(page.get_by_text("No customers match.")).to_be_visible()

    page.get_by_label("Show").select_option("archived")
    expect(page).to_have_url(re.compile(r"archived=archived"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Archived")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    page.goto(f"{base_url}/customers")
    expect(page).to_have_url(re.compile(r"/login"))
