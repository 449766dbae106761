"""Too much input is refused with a message, never cut silently (issue 11, item 8)."""
from app.common.views import MAX_BULK_IDS
from app.customers.models import Customer
from app.extensions import db
from app.orders.models import Order
from app.orders.services import MAX_LINES
from tests.ledgers import count, stock_of


def test_an_order_with_more_lines_than_allowed_is_refused_and_nothing_is_placed(client, auth, factory):
    customer = factory.customer()
    factory.deposit(customer, "100000.00")
    items = [factory.item(price="1.00", stock=5) for _ in range(MAX_LINES + 10)]
    data = {"customer_id": customer.id, "idempotency_key": "key-0123456789"}
    for n, item in enumerate(items):
        data[f"lines-{n}-item_id"], data[f"lines-{n}-quantity"] = item.id, 1
    auth.login("operator")
    for extra in ({}, {"op": "recalculate"}):
        response = client.post("/orders/new", data={**data, **extra})
        assert response.status_code == 422
        assert f"An order takes at most {MAX_LINES} lines; this one had {MAX_LINES + 10}." in response.get_data(as_text=True)
    assert count(Order) == 0 and stock_of(items[0]) == 5


def test_a_bulk_action_with_more_ids_than_allowed_is_refused_and_nothing_changes(client, auth, factory):
    customers = [factory.customer() for _ in range(3)]
    auth.login("admin")
    ids = [c.id for c in customers] + list(range(10_000, 10_000 + MAX_BULK_IDS))
    response = client.post("/customers/bulk", data={"action": "archive", "ids": ids})
    assert response.status_code == 422
    assert f"Tick at most {MAX_BULK_IDS:,} rows at a time" in response.get_data(as_text=True)
    db.session.expire_all()
    assert all(db.session.get(Customer, c.id).archived_at is None for c in customers)
