"""The place-order form (with and without htmx), the order page and its actions."""
import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.orders.models import Order
from app.common.picker import PICKER_SIZE
from tests.ledgers import balance_of, stock_of

HTMX = {"HX-Request": "true"}


@pytest.fixture
def shop(app, factory):
    """A funded customer and two items."""
    customer = factory.customer(code="ACME", name="Acme Coffee")
    factory.deposit(customer, "100.00")
    return customer, factory.item(sku="MUG-1", price="4.50", stock=10), factory.item(sku="TEE-1", price="12.00", stock=2)


def form_data(customer, lines, key="key-0123456789", **extra):
    """The POST body of the order form."""
    data = {"customer_id": customer.id, "idempotency_key": key, "notes": "", **extra}
    for n, (item, qty) in enumerate(lines):
        data[f"lines-{n}-item_id"], data[f"lines-{n}-quantity"] = (item.id if item else ""), qty
    return data


def orders_count() -> int:
    return db.session.execute(select(func.count()).select_from(Order)).scalar_one()


def test_the_form_carries_a_fresh_one_time_key(client, auth, shop):
    auth.login("operator")
    first, second = (client.get("/orders/new").get_data(as_text=True) for _ in range(2))
    key = 'name="idempotency_key" type="hidden" value="'
    assert key in first and first.split(key)[1][:32] != second.split(key)[1][:32]


def test_place_a_two_line_order_through_the_form(client, auth, shop):
    customer, mug, tee = shop
    auth.login("operator")
    response = client.post("/orders/new", data=form_data(customer, [(mug, 2), (tee, 1)], notes="Gift wrap"))
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Placed order ORD-000001 for 21.00." in page and "Gift wrap" in page and "Placed</strong> (pending)" in page
    assert (stock_of(mug), stock_of(tee), balance_of(customer)) == (8, 1, Decimal("79.00"))


def test_htmx_adds_and_removes_lines_and_recalculates_the_total(client, auth, shop):
    customer, mug, tee = shop
    auth.login("operator")
    data = form_data(customer, [(mug, 2), (tee, 1)], op="add")
    body = client.post("/orders/new", data=data, headers=HTMX).get_data(as_text=True)
    assert "<html" not in body and 'id="lines-2-item_id"' in body and 'id="order-total">21.00<' in body
    assert "after this order\n  <strong>79.00" in body
    body = client.post("/orders/new", data={**data, "op": "remove-0"}, headers=HTMX).get_data(as_text=True)
    assert 'id="lines-0-item_id"' not in body and 'id="order-total">12.00<' in body
    assert orders_count() == 0  # redrawing the form never places anything


def test_without_javascript_add_line_redraws_the_whole_page(client, auth, shop):
    customer, mug, _ = shop
    auth.login("operator")
    body = client.post("/orders/new", data=form_data(customer, [(mug, 3)], op="add")).get_data(as_text=True)
    assert "<html" in body and 'id="lines-1-item_id"' in body and 'id="order-total">13.50<' in body


def test_short_lines_are_named_and_nothing_changes(client, auth, shop):
    customer, mug, tee = shop
    auth.login("operator")
    response = client.post("/orders/new", data=form_data(customer, [(mug, 11), (tee, 3)]))
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Not enough stock for 2 line(s)" in body and "MUG-1" in body and "only 10 available" in body
    assert "only 2 available" in body and body.count('class="short-line"') == 2
    assert (stock_of(mug), stock_of(tee), balance_of(customer), orders_count()) == (10, 2, Decimal("100.00"), 0)


def test_short_balance_says_by_how_much(client, auth, shop, factory):
    customer, mug, _ = shop
    auth.login("operator")
    response = client.post("/orders/new", data=form_data(customer, [(mug, 10)]))  # 45.00 of 100.00: fine
    assert response.status_code == 303
    response = client.post("/orders/new", data=form_data(customer, [(mug, 0)], key="key-second-123"))
    assert response.status_code == 422 and "whole number from 1" in response.get_data(as_text=True)
    tee = factory.item(sku="BIG-1", price="60.00", stock=5)
    response = client.post("/orders/new", data=form_data(customer, [(tee, 1)], key="key-third-1234"))
    assert response.status_code == 422 and "short by 5.00" in response.get_data(as_text=True)


def test_double_submit_of_the_form_places_one_order(client, auth, shop):
    customer, mug, _ = shop
    auth.login("operator")
    data = form_data(customer, [(mug, 1)])
    first, second = client.post("/orders/new", data=data), client.post("/orders/new", data=data)
    assert first.headers["Location"] == second.headers["Location"]
    assert "already placed from this form" in client.get(second.headers["Location"]).get_data(as_text=True)
    assert orders_count() == 1 and stock_of(mug) == 9


def test_a_form_reused_for_another_customer_gets_a_new_key(client, auth, shop, factory):
    customer, mug, _ = shop
    other = factory.customer()
    factory.deposit(other, "50.00")
    auth.login("operator")
    client.post("/orders/new", data=form_data(customer, [(mug, 1)]))
    response = client.post("/orders/new", data=form_data(other, [(mug, 1)]))  # Back, other customer, submit
    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "It now has a new key" in body and "key-0123456789" not in body
    new_key = body.split('name="idempotency_key" type="hidden" value="')[1].split('"')[0]
    assert client.post("/orders/new", data=form_data(other, [(mug, 1)], key=new_key)).status_code == 303
    assert orders_count() == 2


def test_no_lines_and_no_customer_are_answered_in_place(client, auth, shop):
    customer, _, _ = shop
    auth.login("operator")
    body = client.post("/orders/new", data=form_data(customer, [(None, 1)])).get_data(as_text=True)
    assert "Add at least one line" in body
    response = client.post("/orders/new", data={"idempotency_key": "key-0123456789", "lines-0-item_id": "1"})
    assert response.status_code == 422 and "Choose a customer." in response.get_data(as_text=True)


def test_a_campaign_must_belong_to_the_customer(client, auth, shop, factory):
    from datetime import date

    from app.campaigns.models import Campaign
    from app.common.models import utcnow

    customer, mug, _ = shop
    other = factory.customer()
    campaign = Campaign(customer_id=other.id, platform_id=1, platform_campaign_id="c1", title="Spring",
                        advertiser="Other", start_date=date(2026, 1, 1), platform_updated_at=utcnow())
    db.session.add(campaign)
    db.session.commit()
    auth.login("operator")
    response = client.post("/orders/new", data=form_data(customer, [(mug, 1)], campaign_id=campaign.id))
    assert response.status_code == 422 and "active campaigns, or none" in response.get_data(as_text=True)
    assert orders_count() == 0


def test_status_buttons_follow_the_state_machine(client, auth, shop, factory):
    customer, mug, _ = shop
    order = factory.order(customer, [(mug, 2)])
    auth.login("operator")
    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert 'value="confirmed">Confirm<' in page and 'value="cancelled"' in page and 'value="fulfilled"' not in page
    client.post(f"/orders/{order.id}/status", data={"to": "confirmed", "note": "Paid"})
    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert "Pending → <strong>Confirmed" in page and "Paid" in page and 'value="fulfilled"' in page
    response = client.post(f"/orders/{order.id}/status", data={"to": "pending"}, follow_redirects=True)
    assert "it can only become fulfilled or cancelled, not pending" in response.get_data(as_text=True)
    client.post(f"/orders/{order.id}/status", data={"to": "cancelled"})
    assert (stock_of(mug), balance_of(customer)) == (10, Decimal("100.00"))


def test_archiving_hides_finished_orders_from_the_default_list(client, auth, shop, factory):
    customer, mug, _ = shop
    open_order, done = factory.order(customer, [(mug, 1)]), factory.order(customer, [(mug, 1)])
    auth.login("operator")
    client.post(f"/orders/{done.id}/status", data={"to": "cancelled"})
    response = client.post("/orders/bulk", data={"action": "archive", "ids": [open_order.id, done.id]},
                           follow_redirects=True)
    assert "Archived 1 order(s). 1 skipped" in response.get_data(as_text=True)
    listed = client.get("/orders").get_data(as_text=True)
    assert open_order.number in listed and done.number not in listed
    assert done.number in client.get("/orders?archived=archived").get_data(as_text=True)


def _options(page: str, select_id: str) -> list[str]:
    """The labels of a select's options, placeholder first."""
    body = page.split(f'id="{select_id}"', 1)[1].split("</select>", 1)[0]
    return re.findall(r"<option[^>]*>([^<]*)</option>", body)


def test_the_item_picker_offers_a_bounded_list_that_its_search_narrows(client, auth, shop, factory):
    customer, _, _ = shop
    bulk = [factory.item(sku=f"BULK-{k:03d}", name=f"Bulk thing {k}", stock=5) for k in range(60)]
    auth.login("operator")
    options = _options(client.get("/orders/new").get_data(as_text=True), "lines-0-item_id")
    assert len(options) == 1 + PICKER_SIZE and options[1].startswith("BULK-000")

    # Line 2 searches by name and finds an item beyond the first 50; line 1 keeps its choice outside them.
    data = form_data(customer, [(bulk[55], 1), (None, 1)], op="refresh", **{"lines-1-item_search": "thing 59"})
    body = client.post("/orders/new", data=data, headers=HTMX).get_data(as_text=True)
    assert [o.split(" · ")[0] for o in _options(body, "lines-1-item_id")[1:]] == ["BULK-059"]
    first_line = _options(body, "lines-0-item_id")
    assert len(first_line) == 2 + PICKER_SIZE and first_line[1].startswith("BULK-055")
    assert re.search(r'<option selected value="%d">BULK-055' % bulk[55].id, body)

    # A search that matches nothing leaves only the placeholder; LIKE wildcards are plain characters.
    data = form_data(customer, [(None, 1)], op="refresh", **{"lines-0-item_search": "%_"})
    assert _options(client.post("/orders/new", data=data, headers=HTMX).get_data(as_text=True),
                    "lines-0-item_id") == ["— choose an item —"]


def test_the_customer_and_campaign_pickers_are_bounded_and_searchable(client, auth, shop, factory):
    from datetime import date

    from app.campaigns.models import Campaign
    from app.common.models import utcnow

    acme, mug, _ = shop
    for k in range(PICKER_SIZE + 5):
        factory.customer(code=f"ZZ{k:03d}", name=f"Zulu {k:03d}")
    db.session.add_all(Campaign(customer_id=acme.id, platform_id=1, platform_campaign_id=f"c{k}", title=title,
                                advertiser="Acme", start_date=date(2026, 1, 1), platform_updated_at=utcnow())
                       for k, title in enumerate(["Spring sale", "Summer sale", "Winter launch"]))
    db.session.commit()
    auth.login("operator")
    customers = _options(client.get("/orders/new").get_data(as_text=True), "customer_id")
    assert len(customers) == 1 + PICKER_SIZE and customers[1] == "Acme Coffee (ACME)"

    data = form_data(acme, [(mug, 1)], op="refresh", customer_search="zz054", campaign_search="SALE")
    body = client.post("/orders/new", data=data, headers=HTMX).get_data(as_text=True)
    assert _options(body, "customer_id")[1:] == ["Acme Coffee (ACME)", "Zulu 054 (ZZ054)"]  # the choice stays
    assert _options(body, "campaign_id")[1:] == ["Spring sale", "Summer sale"]


def test_ids_too_big_for_the_database_are_no_choice_not_an_error(client, auth, shop):
    customer, mug, _ = shop
    auth.login("operator")
    huge = "9" * 20
    assert client.get("/orders/new", query_string={"customer_id": huge}).status_code == 200
    data = {**form_data(customer, [(mug, 1)]), "customer_id": huge, "campaign_id": huge, "lines-1-item_id": huge,
            "lines-1-quantity": "1"}
    response = client.post("/orders/new", data=data)
    assert response.status_code == 422 and "Choose a customer." in response.get_data(as_text=True)
    assert orders_count() == 0


def test_removing_a_line_that_is_no_line_number_only_redraws_the_form(client, auth, shop):
    customer, mug, tee = shop
    auth.login("operator")
    for op in ("remove-²", "remove-99", "remove-x"):  # '²'.isdigit() is True, int('²') is an error
        data = form_data(customer, [(mug, 1), (tee, 2)], op=op)
        response = client.post("/orders/new", data=data, headers=HTMX)
        assert response.status_code == 200, op
        assert 'id="lines-1-item_id"' in response.get_data(as_text=True)  # both lines still there
    assert orders_count() == 0
