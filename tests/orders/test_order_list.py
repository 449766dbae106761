"""The orders list (search, filters, sort, CSV) and what a customer login may see and do."""
from datetime import datetime, timezone
from decimal import Decimal

import pytest
from sqlalchemy import update

from app.extensions import db
from app.orders.models import Order
from tests.ledgers import balance_of, stock_of


@pytest.fixture
def two_customers(app, factory):
    """ACME with two orders (one old, confirmed), GLOBEX with one."""
    from app.orders.services import change_status

    acme, globex = factory.customer(code="ACME", name="Acme Coffee"), factory.customer(code="GLOBEX", name="Globex")
    factory.deposit(acme, "500.00"), factory.deposit(globex, "500.00")
    mug, tee = factory.item(sku="MUG-1", price="5.00", stock=50), factory.item(sku="TEE-1", price="20.00", stock=50)
    old = factory.order(acme, [(mug, 1)])
    recent = factory.order(acme, [(tee, 2), (mug, 1)])
    theirs = factory.order(globex, [(tee, 1)])
    change_status(old.id, "confirmed")
    last_year = datetime(2025, 3, 1, 12, tzinfo=timezone.utc)
    db.session.execute(update(Order).where(Order.id == old.id).values(created_at=last_year))
    db.session.commit()
    return acme, globex, old.number, recent.number, theirs.number


def listed(client, query="") -> list[str]:
    """Order numbers on the list page, in page order."""
    body = client.get("/orders" + query).get_data(as_text=True)
    return [part.split("<")[0] for part in body.split(">ORD-")[1:]]


def test_search_by_number_customer_and_sku(client, auth, two_customers):
    _, _, old, recent, theirs = two_customers
    auth.login("operator")
    assert sorted(listed(client)) == ["000001", "000002", "000003"]
    assert listed(client, "?q=ord-000002") == ["000002"]
    assert sorted(listed(client, "?q=globex")) == ["000003"]
    assert sorted(listed(client, "?q=acme")) == ["000001", "000002"]
    assert sorted(listed(client, "?q=tee-1")) == ["000002", "000003"]


def test_filters_by_status_customer_and_dates(client, auth, two_customers):
    acme = two_customers[0]
    auth.login("operator")
    assert listed(client, "?status=confirmed") == ["000001"]
    assert sorted(listed(client, f"?customer={acme.id}")) == ["000001", "000002"]
    assert listed(client, "?to=2025-03-01") == ["000001"]
    assert sorted(listed(client, "?from=2025-03-02")) == ["000002", "000003"]
    body = client.get("/orders?from=yesterday&status=shipped").get_data(as_text=True)
    assert "Ignored placed from" in body and "Ignored status" in body


def test_sorts_by_total_number_and_status(client, auth, two_customers):
    auth.login("operator")
    assert listed(client, "?sort=total&dir=desc") == ["000002", "000003", "000001"]
    assert listed(client, "?sort=number&dir=asc") == ["000001", "000002", "000003"]
    assert listed(client, "?sort=status&dir=asc")[0] == "000001"  # confirmed < pending


def test_csv_has_the_filtered_orders_with_their_items(client, auth, two_customers):
    auth.login("operator")
    lines = client.get("/orders?format=csv&q=acme&sort=number&dir=asc").get_data(as_text=True).splitlines()
    assert lines[0] == "number,created_at,customer,status,total,items,notes,archived_at"
    assert [line.split(",")[0] for line in lines[1:]] == ["ORD-000001", "ORD-000002"]
    assert "MUG-1 x1; TEE-1 x2" in lines[2]


def test_a_customer_login_sees_only_its_own_orders(client, auth, two_customers):
    acme, globex, old, recent, theirs = two_customers
    auth.login("customer", customer=acme)
    assert sorted(listed(client)) == ["000001", "000002"]
    assert "ORD-000003" not in client.get("/orders?format=csv").get_data(as_text=True)
    assert "ORD-000003" not in client.get(f"/orders?customer={globex.id}").get_data(as_text=True)
    assert client.get("/orders/3").status_code == 404
    assert client.post("/orders/3/status", data={"to": "cancelled"}).status_code == 403
    assert client.post("/orders/1/status", data={"to": "cancelled"}).status_code == 403
    assert client.get(f"/customers/{globex.id}").status_code == 404
    assert "ORD-000002" in client.get(f"/customers/{acme.id}").get_data(as_text=True)


def test_a_customer_login_orders_for_its_own_customer_only(client, auth, two_customers):
    acme, globex = two_customers[:2]
    auth.login("customer", customer=acme)
    form = client.get("/orders/new").get_data(as_text=True)
    assert "Acme Coffee" in form and "Globex" not in form and 'name="customer_id"' not in form
    mug_id = 1
    response = client.post("/orders/new", data={"customer_id": globex.id, "idempotency_key": "key-customer-01",
                                                 "lines-0-item_id": mug_id, "lines-0-quantity": 2})
    assert response.status_code == 303
    assert balance_of(globex) == Decimal("480.00")  # untouched: only its own order was debited
    assert balance_of(acme) == Decimal("440.00")  # 500 - 5 - 45 - this order of 10
    assert stock_of(mug_id) == 50 - 2 - 2


def test_the_customer_filter_offers_a_bounded_list_and_keeps_the_current_choice(client, auth, two_customers, factory):
    import re

    from app.common.picker import PICKER_SIZE

    acme, globex, *_ = two_customers
    last = [factory.customer(code=f"ZZ{k:03d}", name=f"Zulu {k:03d}") for k in range(PICKER_SIZE)][-1]
    auth.login("operator")

    def offered(query=""):
        page = client.get(f"/orders{query}").get_data(as_text=True)
        select = page.split('id="list-customer"', 1)[1].split("</select>", 1)[0]
        return re.findall(r'<option value="(\d+)" ?(selected)?>', select)

    first = offered()
    assert len(first) == PICKER_SIZE and first[0] == (str(acme.id), "")  # by name: Acme, Globex, Zulu 000…
    assert (str(last.id), "") not in first
    assert offered(f"?customer={last.id}")[0] == (str(last.id), "selected")  # filtered by it: offered first
