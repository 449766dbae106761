"""/api/v1/orders: Idempotency-Key (missing, replay, other payload, concurrent), scoping, history, transitions."""
import uuid

from app.orders.models import Order
from tests.ledgers import assert_ledgers_add_up, count, stock_of


def _key() -> dict:
    return {"Idempotency-Key": str(uuid.uuid4())}


def _shop(factory, stock=10):
    customer = factory.customer()
    factory.deposit(customer, "1000.00")
    return customer, factory.item(sku="MUG-1", price="2.00", stock=stock)


def test_placing_needs_an_idempotency_key(app, staff_api, factory):
    customer, item = _shop(factory)
    body = {"customer_id": customer.id, "lines": [{"item_id": item.id, "quantity": 1}]}
    missing = staff_api.post("/api/v1/orders", json=body)
    assert missing.status_code == 400 and "Idempotency-Key" in missing.json["detail"]
    assert count(Order) == 0


def test_the_same_key_replays_and_another_payload_is_refused(app, staff_api, factory):
    customer, item = _shop(factory)
    body = {"customer_id": customer.id, "lines": [{"item_id": item.id, "quantity": 2}], "notes": "rush"}
    key = _key()
    first = staff_api.post("/api/v1/orders", json=body, headers=key)
    assert first.status_code == 201 and "Idempotent-Replayed" not in first.headers
    assert first.json["lines"][0]["sku"] == "MUG-1" and first.json["total"] == "4.00"
    assert first.json["events"][0]["to_status"] == "pending"
    again = staff_api.post("/api/v1/orders", json=dict(reversed(list(body.items()))), headers=key)
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json["id"] == first.json["id"]
    other = staff_api.post("/api/v1/orders", json={**body, "notes": "other"}, headers=key)
    assert other.status_code == 422 and "Idempotency-Key" in other.json["detail"]
    assert count(Order) == 1 and stock_of(item) == 8


def test_a_key_held_by_a_running_request_is_a_409(app, staff_api, factory):
    from app.api.idempotency import client_key
    from app.redis_client import get_redis

    customer, item = _shop(factory)
    key = _key()
    with app.test_request_context(headers=key):
        held = f"oms:api:idempotency:{client_key(staff_api.user.id)}"
    get_redis().set(held, "1")  # what the first request holds while it places the order
    body = {"customer_id": customer.id, "lines": [{"item_id": item.id, "quantity": 1}]}
    response = staff_api.post("/api/v1/orders", json=body, headers=key)
    assert response.status_code == 409 and count(Order) == 0
    get_redis().delete(held)
    assert staff_api.post("/api/v1/orders", json=body, headers=key).status_code == 201


def test_a_short_line_is_a_422_naming_its_sku_and_nothing_changes(app, staff_api, factory):
    customer, item = _shop(factory, stock=1)
    response = staff_api.post("/api/v1/orders", headers=_key(),
                              json={"customer_id": customer.id, "lines": [{"item_id": item.id, "quantity": 3}]})
    assert response.status_code == 422 and "MUG-1" in response.json["errors"]["lines"]
    assert stock_of(item) == 1 and count(Order) == 0
    assert_ledgers_add_up()


def test_a_customer_token_sees_and_acts_only_on_its_customer(app, api_as, factory):
    mine, item = _shop(factory)
    theirs = factory.customer()
    factory.deposit(theirs)
    their_order = factory.order(theirs, [(item, 1)])
    client = api_as("customer", customer=mine)
    placed = client.post("/api/v1/orders", headers=_key(), json={"lines": [{"item_id": item.id, "quantity": 1}]})
    assert placed.status_code == 201 and placed.json["customer_id"] == mine.id
    assert [o["id"] for o in client.get("/api/v1/orders").json] == [placed.json["id"]]
    assert client.get(f"/api/v1/orders?customer_id={theirs.id}").json == []
    assert client.get(f"/api/v1/orders/{their_order.id}").status_code == 404
    for_them = client.post("/api/v1/orders", headers=_key(),
                           json={"customer_id": theirs.id, "lines": [{"item_id": item.id, "quantity": 1}]})
    assert for_them.status_code == 403 and count(Order) == 2
    moved = client.post(f"/api/v1/orders/{placed.json['id']}/transitions", json={"action": "cancel"})
    assert moved.status_code == 403  # as on the pages, only staff change a status


def test_history_filters_and_transitions_with_if_match(app, staff_api, factory):
    customer, item = _shop(factory)
    order = factory.order(customer, [(item, 1)])
    assert [o["id"] for o in staff_api.get(f"/api/v1/orders?customer_id={customer.id}&status=pending").json] == [order.id]
    assert staff_api.get("/api/v1/orders?status=confirmed").json == []
    assert staff_api.get("/api/v1/orders?status=bogus").status_code == 422
    assert staff_api.get("/api/v1/orders?placed_from=2000-01-01&placed_until=2999-01-01").json[0]["id"] == order.id
    etag = staff_api.get(f"/api/v1/orders/{order.id}").headers["ETag"]
    confirmed = staff_api.post(f"/api/v1/orders/{order.id}/transitions", json={"action": "confirm", "note": "ok"},
                               headers={"If-Match": etag})
    assert confirmed.status_code == 200 and confirmed.json["status"] == "confirmed"
    assert confirmed.json["events"][-1]["note"] == "ok"
    stale = staff_api.post(f"/api/v1/orders/{order.id}/transitions", json={"action": "cancel"}, headers={"If-Match": etag})
    assert stale.status_code == 412
    assert staff_api.get(f"/api/v1/orders/{order.id}").json["status"] == "confirmed" and stock_of(item) == 9
    wrong = staff_api.post(f"/api/v1/orders/{order.id}/transitions", json={"action": "confirm"})
    assert wrong.status_code == 422 and "can only become" in wrong.json["detail"]
