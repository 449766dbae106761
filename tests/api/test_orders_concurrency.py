"""Concurrent API orders on PostgreSQL: no oversell through the API, and one order per Idempotency-Key."""
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from app.auth.tokens import create_token
from app.orders.models import Order
from tests.ledgers import assert_ledgers_add_up, count, stock_of
from tests.concurrency_fixtures import POSTGRES_ONLY, THREADS

pytestmark = POSTGRES_ONLY


def _post_all(app, secret: str, bodies_and_keys):
    """POST every (body, key) at once from THREADS threads; returns [(status, json, headers)]."""
    barrier = threading.Barrier(min(THREADS, len(bodies_and_keys)))

    def post(numbered):
        index, (body, key) = numbered
        client = app.test_client()
        if index < barrier.parties:
            barrier.wait(timeout=30)
        response = client.post("/api/v1/orders", json=body,
                               headers={"Authorization": f"Bearer {secret}", "Idempotency-Key": key})
        return response.status_code, response.get_json(), dict(response.headers)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(post, enumerate(bodies_and_keys)))


@pytest.fixture
def shop(app, factory):
    customer = factory.customer()
    factory.deposit(customer, "100000.00")
    item = factory.item(sku="HOT-1", price="1.00", stock=10)
    secret = create_token(factory.user("operator")).secret
    return customer.id, item.id, secret


def test_200_api_orders_for_10_in_stock_place_exactly_10(app, pg_app, shop):
    customer_id, item_id, secret = shop
    body = {"customer_id": customer_id, "lines": [{"item_id": item_id, "quantity": 1}]}
    results = _post_all(pg_app, secret, [(body, str(uuid.uuid4())) for _ in range(200)])
    statuses = [status for status, _, _ in results]
    assert [s for s in statuses if s >= 500] == []
    assert statuses.count(201) == 10 and statuses.count(422) == 190
    refusals = [body["errors"]["lines"] for status, body, _ in results if status == 422]
    assert all("HOT-1" in message for message in refusals)
    assert stock_of(item_id) == 0 and count(Order) == 10
    assert_ledgers_add_up()


def test_concurrent_requests_with_one_key_place_one_order(app, pg_app, shop):
    customer_id, item_id, secret = shop
    body = {"customer_id": customer_id, "lines": [{"item_id": item_id, "quantity": 1}]}
    key = str(uuid.uuid4())
    results = _post_all(pg_app, secret, [(body, key)] * 20)
    statuses = sorted(status for status, _, _ in results)
    assert set(statuses) <= {201, 409} and 201 in statuses
    assert len({body["id"] for status, body, _ in results if status == 201}) == 1
    assert count(Order) == 1 and stock_of(item_id) == 9
    assert_ledgers_add_up()
