"""The campaigns list on the shared machinery: search, every sort both ways, filters, pages, CSV, fragments."""
import csv
import io
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from flask import url_for
from sqlalchemy import delete, event

from app.campaigns.models import Campaign
from app.common.models import utcnow
from app.extensions import db
from app.platforms.models import Platform
from tests.campaigns.helpers import listed_titles

LIST = "/platforms/1/campaigns"
# title, advertiser, start day, end day (None: open-ended), status, budget (None: no budget)
ROWS = (
    ("Delta", "Zeta Foods", 3, None, "active", "250.00"),
    ("Alpha", "Acme Coffee", 5, 9, "draft", None),
    ("Charlie", "Acme Coffee", 1, 4, "paused", "99.99"),
    ("Bravo", "Mango Ltd", 5, 6, "completed", "1000.00"),
    ("Echo", "Mango Ltd", 2, None, "active", "250.00"),
    ("Foxtrot", "Bolt Bikes", 4, 4, "draft", None),
)


def add_campaign(customer, n, title, advertiser="Adv", start=1, end=None, status="draft", budget=None, **extra):
    """A stored campaign row (list tests need no platform)."""
    campaign = Campaign(
        customer_id=customer.id, platform_id=extra.pop("platform_id", 1), platform_campaign_id=f"pc-{n:04d}-x",
        title=title, advertiser=advertiser, start_date=date(2026, 1, start),
        end_date=date(2026, 1, end) if end else None, status=status, budget=Decimal(budget) if budget else None,
        platform_updated_at=extra.pop("updated", datetime(2026, 2, 1, tzinfo=UTC) + timedelta(hours=(7 * n) % 5)),
        **extra)
    db.session.add(campaign)
    db.session.commit()
    return campaign


@pytest.fixture
def listed(factory):
    """Six campaigns of two customers with ties and empty values in every sortable column."""
    acme, globex = factory.customer(code="ACME", name="Acme"), factory.customer(code="GLOBEX", name="Globex")
    campaigns = [add_campaign(acme if n % 2 else globex, n, *row) for n, row in enumerate(ROWS)]
    return acme, globex, campaigns


def titles(client, query: str = "", **headers) -> list[str]:
    response = client.get(f"{LIST}?{query}", headers=headers)
    assert response.status_code == 200
    return listed_titles(response.get_data(as_text=True))


SORT_VALUES = {
    "title": lambda c: c.title, "advertiser": lambda c: c.advertiser, "start": lambda c: c.start_date,
    "end": lambda c: c.end_date, "status": lambda c: c.status, "budget": lambda c: c.budget,
    "updated": lambda c: c.platform_updated_at,
}


@pytest.mark.parametrize("key", list(SORT_VALUES))
def test_every_sort_key_both_ways(client, auth, listed, key):
    auth.login("operator")
    value = SORT_VALUES[key]
    rows = listed[2]
    # NULLs last going up (first going down); ties broken by id, in the same direction.
    expected = [c.title for c in sorted(rows, key=lambda c: (value(c) is None, value(c) or 0, c.id))]
    assert titles(client, f"sort={key}&dir=asc") == expected
    assert titles(client, f"sort={key}&dir=desc") == expected[::-1]


def test_the_default_order_is_most_recently_updated_first(client, auth, listed):
    auth.login("operator")
    newest_first = sorted(listed[2], key=lambda c: (c.platform_updated_at, c.id), reverse=True)
    assert titles(client) == [c.title for c in newest_first]


def test_search_matches_title_advertiser_and_platform_id(client, auth, listed):
    auth.login("operator")
    assert titles(client, "q=CHAR") == ["Charlie"]
    assert sorted(titles(client, "q=ACME+coffee")) == ["Alpha", "Charlie"]
    assert titles(client, "q=pc-0005-x") == ["Foxtrot"]
    assert titles(client, "q=pc-0005") == ["Foxtrot"]  # platform ids match from their start
    assert titles(client, "q=0005-x") == []  # not from the middle: see id_search_columns
    assert titles(client, "q=nothing+like+this") == []


def test_filters_by_customer_status_sync_state_and_archive(client, auth, listed):
    acme, globex, campaigns = listed
    campaigns[0].archived_at = utcnow()
    campaigns[1].sync_state = "deleted_on_platform"
    db.session.commit()
    auth.login("operator")
    assert sorted(titles(client, f"customer={acme.id}")) == ["Alpha", "Bravo", "Foxtrot"]
    assert titles(client, "status=active") == ["Echo"]  # Delta is active too, but archived
    assert sorted(titles(client, "status=active&archived=all")) == ["Delta", "Echo"]
    assert titles(client, "archived=archived") == ["Delta"]
    assert titles(client, "sync=deleted_on_platform") == ["Alpha"]
    page = client.get(f"{LIST}?status=bogus&sort=nope").get_data(as_text=True)
    assert "Ignored status “bogus”: not a valid value." in page and "Unknown sort “nope”" in page


def test_pages_are_keyset_pages_that_keep_the_platform_in_every_link(client, auth, factory):
    customer = factory.customer()
    for n in range(30):
        add_campaign(customer, n, f"Campaign {n:02d}")
    auth.login("operator")
    first = client.get(f"{LIST}?sort=title&dir=asc").get_data(as_text=True)
    assert listed_titles(first)[:2] == ["Campaign 00", "Campaign 01"] and len(listed_titles(first)) == 25
    next_url = re.search(r'<a href="([^"]+)"[^>]*>Next ›</a>', first).group(1).replace("&amp;", "&")
    assert next_url.startswith(f"{LIST}?")  # a numbered page here (the first pages are numbered), keyset beyond
    second = client.get(next_url).get_data(as_text=True)
    assert listed_titles(second) == [f"Campaign {n}" for n in range(25, 30)]


def test_htmx_gets_the_fragment_and_everyone_else_the_page(client, auth, listed):
    auth.login("operator")
    fragment = client.get(f"{LIST}?q=echo", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and listed_titles(fragment) == ["Echo"] and 'id="flashes" hx-swap-oob' in fragment
    boosted = client.get(f"{LIST}?q=echo", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in boosted.get_data(as_text=True)


def test_csv_has_every_matching_row_with_the_platform_ids(client, auth, listed):
    auth.login("operator")
    response = client.get(f"{LIST}?format=csv&q=mango&sort=title&dir=asc")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["title"], r["platform_campaign_id"], r["customer"]) for r in rows] == [
        ("Bravo", "pc-0003-x", "ACME"), ("Echo", "pc-0004-x", "GLOBEX")]


def test_the_list_loads_customers_in_the_same_query(client, auth, factory, app):
    auth.login("operator")
    statements = []
    event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    counts = []
    for n in range(20):
        add_campaign(factory.customer(), n, f"C{n}")
        if n in (1, 19):
            statements.clear()
            assert client.get(LIST).status_code == 200
            counts.append(len(statements))
    assert counts[0] == counts[1]


def test_unknown_platforms_are_404_and_the_first_platform_is_the_default(client, auth, app):
    auth.login("operator")
    for path in ("/platforms/99/campaigns", "/platforms/99/campaigns/new", "/platforms/99/campaigns/1"):
        assert client.get(path).status_code == 404
    assert url_for("campaigns.index") == LIST
    assert 'href="/platforms/1/campaigns"' in client.get("/customers").get_data(as_text=True)  # the navigation


@pytest.fixture
def second_platform(app):
    """A second platform row (platforms is reference data the per-test cleanup keeps, so remove it after)."""
    platform = Platform(id=2, slug="other", name="Other Ads")
    db.session.add(platform)
    db.session.commit()
    yield platform
    db.session.rollback()
    db.session.execute(delete(Campaign).where(Campaign.platform_id == 2))
    db.session.execute(delete(Platform).where(Platform.id == 2))
    db.session.commit()


def test_lists_of_another_platform_keep_its_id_in_every_link(client, auth, factory, listed, second_platform):
    add_campaign(factory.customer(), 50, "Elsewhere", platform_id=2)
    auth.login("operator")
    page = client.get("/platforms/2/campaigns?q=else").get_data(as_text=True)
    assert listed_titles(page) == ["Elsewhere"]
    assert "/platforms/1/campaigns" not in page.split("<main")[1]
    assert 'href="/platforms/2/campaigns?q=else&amp;format=csv"' in page


def test_the_customer_page_lists_its_campaigns_with_a_link_to_all(client, auth, listed):
    acme = listed[0]
    auth.login("operator")
    page = client.get(f"/customers/{acme.id}").get_data(as_text=True)
    section = page.split('id="customer-campaigns"')[1]
    assert sorted(listed_titles(section)) == ["Alpha", "Bravo", "Foxtrot"]
    assert f'href="/platforms/1/campaigns?customer={acme.id}&amp;archived=all"' in section
