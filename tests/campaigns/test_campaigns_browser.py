"""An operator's path through the campaigns page in a real browser, against the simulator."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser_fixtures import click_and_settle
from tests.simulator_fixtures import FAST_PLATFORM_SETTINGS
from tests.factories import SPRING
from tests.factories import PASSWORD, Factory

pytestmark = pytest.mark.browser


def platform_ids(simulator) -> set[str]:
    return {record["id"] for record in simulator.campaigns()}


@pytest.fixture
def operator_with_campaigns(live_app, simulator):
    """The live app pointed at the simulator, an operator, and three campaigns of a connected customer."""
    app, base_url = live_app
    app.config.update(MEGAPHONE_BASE_URL=simulator.api_url, **FAST_PLATFORM_SETTINGS)
    with app.app_context():
        factory = Factory()
        acme = factory.connection(simulator, "ACME")
        for title, advertiser in (("Spring Promo", "Acme Coffee"), ("Autumn Sale", "Mango Ltd"),
                                  ("Winter Warmers", "Bolt Bikes")):
            acme.campaign(title=title, advertiser=advertiser)
        factory.customer(code="BOLT", name="Bolt Bikes")  # a second customer for the picker's search to leave out
        factory.user("operator", email="ops@test.example")
    return base_url, simulator


def test_operator_searches_sorts_creates_edits_archives_and_restores(page, operator_with_campaigns):
    base_url, simulator = operator_with_campaigns
    confirmations = []
    page.on("dialog", lambda dialog: (confirmations.append(dialog.message), dialog.accept()))

    page.goto(f"{base_url}/login")
    page.get_by_label("Email", exact=True).fill("ops@test.example")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    click_and_settle(page, page.get_by_role("link", name="Campaigns"))
    expect(page.get_by_role("heading", name=re.compile("^Campaigns"))).to_be_visible()
    rows = page.locator("#list tbody tr")
    expect(rows).to_have_count(3)

    page.get_by_role("searchbox").fill("mango")
    expect(page).to_have_url(re.compile(r"/platforms/1/campaigns\?q=mango"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Autumn Sale")
    page.get_by_role("searchbox").fill("")
    expect(rows).to_have_count(3)
    click_and_settle(page, page.get_by_role("link", name=re.compile("^Title")))
    expect(page).to_have_url(re.compile(r"sort=title"))
    expect(rows.first).to_contain_text("Autumn Sale")
    click_and_settle(page, page.get_by_role("link", name=re.compile("^Title")))
    expect(rows.first).to_contain_text("Winter Warmers")

    page.get_by_role("button", name="New campaign").click()
    expect(page.get_by_role("heading", name="New campaign on Megaphone")).to_be_visible()
    # The search box under the customer select narrows it as the user types, without submitting.
    customers = page.get_by_label("Customer", exact=True)
    expect(customers.locator("option")).to_have_count(3)
    page.get_by_label("Search by name or code").fill("acme")
    page.get_by_label("Search by name or code").press("Enter")
    expect(customers.locator("option")).to_have_count(2)  # the blank choice and Acme
    expect(page.get_by_role("heading", name="New campaign on Megaphone")).to_be_visible()
    customers.select_option(label="Acme Ltd (ACME)")
    page.get_by_label("Title", exact=True).fill("Summer Splash")
    page.get_by_label("Advertiser", exact=True).fill("Zephyr Kites")
    page.get_by_label("Start date", exact=True).fill("2026-06-01")
    page.get_by_label("End date", exact=True).fill("2026-05-01")  # before the start: the platform will say so
    page.get_by_label("Status", exact=True).select_option("active")
    page.get_by_label("Budget", exact=True).fill("750")
    page.get_by_role("button", name="Create campaign").click()
    expect(page.get_by_text("End date must be on or after the start date.")).to_be_visible()
    page.get_by_label("End date", exact=True).fill("2026-08-31")
    page.get_by_role("button", name="Create campaign").click()
    expect(page.get_by_text("Created “Summer Splash” on Megaphone.")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Summer Splash"))).to_be_visible()
    first_platform_id = page.locator("table.details code").inner_text()
    assert first_platform_id in platform_ids(simulator)

    page.get_by_role("button", name="Edit").click()
    expect(page.get_by_role("heading", name="Edit Summer Splash")).to_be_visible()
    page.get_by_label("Title", exact=True).fill("Summer Splash XL")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Saved “Summer Splash XL”.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Budget"))).to_contain_text("750.00")

    page.get_by_role("button", name="Archive").click()
    expect(page.get_by_text("Archived “Summer Splash XL”.")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Summer Splash XL"))).to_contain_text("Archived")
    assert confirmations and confirmations[-1].startswith("Archive “Summer Splash XL”?")
    assert first_platform_id not in platform_ids(simulator)

    page.get_by_role("button", name="Restore").click()
    expect(page.get_by_text("Restored “Summer Splash XL”.")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Summer Splash XL"))).to_contain_text("Live")
    new_platform_id = page.locator("table.details code").inner_text()
    assert new_platform_id != first_platform_id and new_platform_id in platform_ids(simulator)
    assert SPRING["title"] in {r["title"] for r in simulator.campaigns()}
