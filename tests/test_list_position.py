"""Where the user is on a list: the count (exact only when cheap), numbered first pages, a jump by value."""
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from flask import url_for
from flask_login import login_user
from sqlalchemy import insert, text, update

from app.common import counts
from app.common.counts import EXACT_COUNT_CAP, count_for_page
from app.common.listing import MAX_NUMBERED_PAGES, ListParams, filtered_query
from app.customers.listing import customers_list_spec
from app.customers.models import Customer
from app.extensions import db

START = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def _text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.get_data(as_text=True)))


def _codes(response) -> list[str]:
    return re.findall(r'</a></td>\s*<td>([A-Z0-9_-]+)</td>', response.get_data(as_text=True))


def _on_postgresql() -> bool:
    return db.engine.dialect.name == "postgresql"


@pytest.fixture
def many_customers(factory):
    """EXACT_COUNT_CAP + 100 customers, one of them named Needle, with fresh planner statistics."""
    factory.customer(code="NEEDLE", name="Needle")
    db.session.execute(insert(Customer), [{"code": f"M{i:05d}", "name": f"Many {i:05d}"}
                                          for i in range(EXACT_COUNT_CAP + 99)])
    db.session.commit()
    if _on_postgresql():
        db.session.execute(text("ANALYZE customers"))
        db.session.commit()
    yield
    counts._estimates.clear()  # the next test's table is small: this one's cached estimate must not outlive it


@pytest.fixture
def spread(factory):
    """40 customers with distinct names, balances and creation days, so each sort has one right landing row."""
    rows = [factory.customer(code=f"S{i:02d}", name=f"{chr(65 + i % 26)}{chr(97 + i // 26)} name {i:02d}") for i in range(40)]
    for i, row in enumerate(rows):
        db.session.execute(update(Customer).where(Customer.id == row.id).values(
            balance=Decimal((i * 17) % 40) + Decimal("0.50"), created_at=START + timedelta(days=(i * 7) % 40)))
    db.session.commit()
    return [db.session.get(Customer, row.id) for row in rows]


def test_a_list_the_page_reaches_the_end_of_is_counted_without_a_count(client, auth, factory):
    for i in range(3):
        factory.customer(code=f"F{i}")
    auth.login("operator")
    assert "1–3 of 3" in _text(client.get("/customers"))


def test_a_big_list_shows_an_estimate_and_a_narrow_one_an_exact_count(app, factory, many_customers):
    operator = factory.user("operator")
    with app.test_request_context("/customers"):
        login_user(operator)
        spec = customers_list_spec()
        broad = count_for_page(filtered_query(spec, ListParams.from_request(spec, {})))
        narrow = count_for_page(filtered_query(spec, ListParams.from_request(spec, {"q": "Many 0001"})))
    assert not broad.exact and broad.value >= EXACT_COUNT_CAP
    assert broad.kind == ("about" if _on_postgresql() else "more than")
    assert narrow.exact and narrow.value == 10  # Many 00010 … Many 00019


def test_the_exact_count_comes_in_its_own_request_and_is_cached(client, auth, factory, many_customers):
    auth.login("operator")
    page = _text(client.get("/customers"))
    total = EXACT_COUNT_CAP + 100
    estimate = "about" if _on_postgresql() else "more than"
    assert re.search(rf"1–25 of {estimate} [\d,]+ count exactly", page)
    link = re.search(r'href="([^"]*count=exact[^"]*)"', client.get("/customers").get_data(as_text=True))
    counted = client.get(link.group(1).replace("&amp;", "&"), headers={"HX-Request": "true"})
    assert counted.get_data(as_text=True).strip().endswith(f'<span id="list-total">{total:,}</span>')
    factory.customer(code="LATE")
    assert f"{total:,}" in _text(client.get("/customers?count=exact"))  # cached for a minute per query
    assert _text(client.get("/customers?q=needle&count=exact")).strip() == "1"


def test_numbered_pages_show_where_the_user_is(client, auth, spread):
    auth.login("operator")
    by_name = [c.code for c in sorted(spread, key=lambda c: (c.name, c.id))]
    second = client.get("/customers?page=2")
    assert _codes(second) == by_name[25:] and "26–40 of 40" in _text(second)
    html = second.get_data(as_text=True)
    assert '<span aria-current="page">2</span>' in html and re.search(r'<a href="/customers"[^>]*>1</a>', html)
    previous = re.search(r'<a href="([^"]+)"[^>]*>‹ Previous</a>', html).group(1)
    assert _codes(client.get(previous)) == by_name[:25]
    refused = client.get(f"/customers?page={MAX_NUMBERED_PAGES + 1}")
    assert _codes(refused) == by_name[:25] and f"Page numbers go from 1 to {MAX_NUMBERED_PAGES}" in _text(refused)


def _landing(rows, key, direction, accepts, size=25):
    ordered = sorted(rows, key=lambda c: (key(c), c.id), reverse=direction == "desc")
    return [c.code for c in ordered if accepts(key(c))][:size]


@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_jumping_by_text_lands_on_the_first_row_with_those_letters(client, auth, spread, direction):
    auth.login("operator")
    landing = client.get(f"/customers?sort=name&dir={direction}&at=Mb")
    # Ascending: the first name at or after "Mb"; descending: the last name starting with "Mb" (or before it).
    accepts = (lambda name: name >= "Mb") if direction == "asc" else (lambda name: name < "Mc")
    assert _codes(landing) == _landing(spread, lambda c: c.name, direction, accepts)
    assert _codes(landing)[0] == "S38"  # "Mb name 38": the only name with those letters, first either way


@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_jumping_by_amount_lands_on_the_first_row_past_it(client, auth, spread, direction):
    auth.login("operator")
    landing = client.get(f"/customers?sort=balance&dir={direction}&at=20.5")
    accepts = (lambda v: v >= Decimal("20.5")) if direction == "asc" else (lambda v: v <= Decimal("20.5"))
    expected = _landing(spread, lambda c: c.balance, direction, accepts)
    assert _codes(landing) == expected and spread[[c.code for c in spread].index(expected[0])].balance == Decimal("20.50")


@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_jumping_by_date_lands_on_that_day(client, auth, spread, direction):
    auth.login("operator")
    day = (START + timedelta(days=12)).date()
    landing = client.get(f"/customers?sort=created&dir={direction}&at={day.isoformat()}")
    accepts = (lambda v: v.date() >= day) if direction == "asc" else (lambda v: v.date() <= day)
    expected = _landing(spread, lambda c: c.created_at.replace(tzinfo=UTC), direction, accepts)
    assert _codes(landing) == expected
    first = next(c for c in spread if c.code == expected[0])
    assert first.created_at.date() == day
    # From the landing page, Previous goes back through the rows before it (a keyset cursor).
    html = landing.get_data(as_text=True)
    previous = re.search(r'<a href="([^"]+)"[^>]*>‹ Previous</a>', html).group(1).replace("&amp;", "&")
    before = _landing(spread, lambda c: c.created_at.replace(tzinfo=UTC), direction, lambda v: not accepts(v), None)
    assert _codes(client.get(previous)) == before[-25:]


@pytest.mark.parametrize("value", ["not-a-date", "2026-13-45", "9" * 300])
def test_a_jump_that_is_no_value_of_the_column_says_so(client, auth, spread, value):
    auth.login("operator")
    response = client.get(f"/customers?sort=created&at={value}")
    assert "Cannot jump to" in _text(response) and len(_codes(response)) == 25


def test_row_links_built_once_per_page_are_the_links_url_for_builds(app, client, auth, spread):
    auth.login("operator")
    hrefs = re.findall(r'<td><a href="(/customers/[^"]+)">', client.get("/customers").get_data(as_text=True))
    by_name = sorted(spread, key=lambda c: (c.name, c.id))[:25]
    with app.test_request_context():
        assert hrefs == [url_for("customers.show", customer_id=c.id) for c in by_name]
