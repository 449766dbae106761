"""The shared list machinery, exercised through the customers list (search, sort, pages, archive, CSV)."""
import csv
import io
import re
from decimal import Decimal

import pytest
from sqlalchemy import update

from app.customers.listing import customers_list_spec
from app.customers.models import Customer
from app.extensions import db

SORT_KEYS = list(customers_list_spec().sort_keys)


def _codes(response) -> list[str]:
    """Customer codes in table order, read from the rendered rows."""
    html = response.get_data(as_text=True)
    return re.findall(r'</a></td>\s*<td>([A-Z0-9_-]+)</td>', html)


@pytest.fixture
def customers(factory):
    """Thirty customers with distinct names, codes and balances."""
    rows = [factory.customer(code=f"C{i:02d}", name=f"Name {chr(65 + (i * 7) % 26)}{i:02d}") for i in range(30)]
    for i, row in enumerate(rows):
        db.session.execute(update(Customer).where(Customer.id == row.id).values(balance=Decimal(i * 37 % 11)))
    db.session.commit()
    return rows


def _all_pages(client, url: str) -> list[str]:
    """Follow Next links to the end and collect every code in order."""
    codes = []
    for _ in range(10):
        response = client.get(url)
        assert response.status_code == 200
        codes += _codes(response)
        match = re.search(r'<a href="([^"]+)"[^>]*>Next ›</a>', response.get_data(as_text=True))
        if not match:
            return codes
        url = match.group(1).replace("&amp;", "&")
    raise AssertionError("pagination did not end")


def test_search_matches_name_code_email_and_phone(client, auth, factory):
    factory.customer(code="ACME", name="Acme Coffee", email="ops@acme.example", phone="+44 20 1234")
    factory.customer(code="GLOBEX", name="Globex", email="hi@globex.example")
    auth.login("operator")
    for term, expected in (("coffee", ["ACME"]), ("glob", ["GLOBEX"]), ("acme.example", ["ACME"]),
                           ("20 1234", ["ACME"]), ("nothing-like-this", [])):
        assert _codes(client.get(f"/customers?q={term}")) == expected, term


def test_search_treats_wildcards_literally(client, auth, factory):
    factory.customer(code="PCT", name="100% Juice")
    factory.customer(code="PLAIN", name="1000 Juice")
    auth.login("operator")
    assert _codes(client.get("/customers?q=100%25")) == ["PCT"]
    assert _codes(client.get("/customers?q=_")) == []


@pytest.mark.parametrize("key", SORT_KEYS)
@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_every_sort_key_both_ways_across_pages(client, auth, customers, key, direction):
    auth.login("operator")
    attribute = {"name": "name", "code": "code", "balance": "balance", "created": "created_at"}[key]
    ordered = sorted(customers, key=lambda c: (getattr(c, attribute), c.id), reverse=direction == "desc")
    assert _all_pages(client, f"/customers?sort={key}&dir={direction}") == [c.code for c in ordered]


def test_previous_and_last_pages(client, auth, customers):
    auth.login("operator")
    by_name = [c.code for c in sorted(customers, key=lambda c: (c.name, c.id))]
    first = client.get("/customers")
    assert _codes(first) == by_name[:25]
    assert "« First</span>" in first.get_data(as_text=True)  # disabled on the first page
    last = client.get("/customers?last=1")
    assert _codes(last) == by_name[-25:]
    html = last.get_data(as_text=True)
    assert "Next ›</span>" in html
    previous_url = re.search(r'<a href="([^"]+)"[^>]*>‹ Previous</a>', html).group(1).replace("&amp;", "&")
    assert _codes(client.get(previous_url)) == by_name[:5]
    assert "6–30 of 30" in re.sub(r"<[^>]+>", "", html)  # where the user is, counted exactly


@pytest.mark.parametrize("query", [
    "sort=password_hash", "sort=name;drop table customers", "dir=sideways", "archived=maybe",
    "after=not-a-cursor", "before=%%%", "after=WzEsMiwzXQ", "last=yes", "q=" + "x" * 5000,
])
def test_nonsense_parameters_fall_back_without_errors(client, auth, customers, query):
    auth.login("operator")
    response = client.get(f"/customers?{query}")
    assert response.status_code == 200
    assert len(_codes(response)) in (0, 25)


def test_unknown_sort_says_what_it_did(client, auth, customers):
    auth.login("operator")
    html = client.get("/customers?sort=evil").get_data(as_text=True)
    assert "Unknown sort “evil”: sorted by Name." in html


def test_archived_filter_and_bulk_archive_restore(client, auth, factory):
    keep, gone = factory.customer(code="KEEP"), factory.customer(code="GONE")
    auth.login("operator")
    response = client.post("/customers/bulk", data={"action": "archive", "ids": [str(gone.id), "junk"]})
    assert response.status_code == 303
    assert _codes(client.get("/customers")) == ["KEEP"]
    assert _codes(client.get("/customers?archived=archived")) == ["GONE"]
    assert sorted(_codes(client.get("/customers?archived=all"))) == ["GONE", "KEEP"]
    client.post("/customers/bulk", data={"action": "restore", "ids": [str(gone.id)]})
    assert sorted(_codes(client.get("/customers"))) == ["GONE", "KEEP"]
    assert keep.archived_at is None


def test_bulk_without_selection_explains(client, auth, factory):
    factory.customer(code="ONE")
    auth.login("operator")
    response = client.post("/customers/bulk", data={"action": "archive"}, follow_redirects=True)
    assert "Tick at least one customer" in response.get_data(as_text=True)


def test_csv_exports_every_matching_row_not_one_page(client, auth, customers, factory):
    factory.customer(code="FORMULA", name="=HYPERLINK(\"x\")")
    auth.login("operator")
    response = client.get("/customers?format=csv&sort=code&dir=desc")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 31
    assert [r["code"] for r in rows] == sorted((r["code"] for r in rows), reverse=True)
    formula = next(r for r in rows if r["code"] == "FORMULA")
    assert formula["name"].startswith("'=")  # defused for spreadsheets
    searched = client.get("/customers?format=csv&q=FORMULA").get_data(as_text=True)
    assert len(list(csv.DictReader(io.StringIO(searched)))) == 1


def test_htmx_gets_the_fragment_and_a_normal_request_the_page(client, auth, customers):
    auth.login("operator")
    page = client.get("/customers").get_data(as_text=True)
    fragment = client.get("/customers", headers={"HX-Request": "true"}).get_data(as_text=True)
    boosted = client.get("/customers", headers={"HX-Request": "true", "HX-Boosted": "true"}).get_data(as_text=True)
    assert "<html" in page and "<html" in boosted
    assert "<html" not in fragment and 'id="list-filters"' not in fragment
    assert _codes(client.get("/customers", headers={"HX-Request": "true"})) == _codes(client.get("/customers"))
    assert "HX-Request" in client.get("/customers").headers["Vary"]


def test_customer_login_lists_only_its_customer(client, auth, factory):
    mine = factory.customer(code="MINE")
    factory.customer(code="THEIRS")
    auth.login("customer", customer=mine)
    assert _codes(client.get("/customers?archived=all")) == ["MINE"]
    exported = client.get("/customers?format=csv").get_data(as_text=True)
    assert "THEIRS" not in exported and "MINE" in exported
