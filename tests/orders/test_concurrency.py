"""Real concurrency on PostgreSQL: threads, each with its own app context, session and connection."""
import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from sqlalchemy import func, select

from app.common.errors import ValidationError
from app.extensions import db
from app.orders.models import Order
from tests.concurrency_fixtures import POSTGRES_ONLY, THREADS
from tests.ledgers import assert_ledgers_add_up, balance_of, stock_of

pytestmark = POSTGRES_ONLY


def run_all(app, calls):
    """Run the calls on THREADS threads at once; returns [('ok'|'refused'|'error', detail)].

    Calls must capture plain ids, never ORM objects of the test's own session (sessions are not thread-safe).
    """
    barrier = threading.Barrier(min(THREADS, len(calls)))

    def attempt(numbered):
        index, call = numbered
        with app.app_context():
            if index < barrier.parties:  # the first wave starts together; the rest follow as threads free up
                barrier.wait(timeout=30)
            try:
                return "ok", call().number
            except ValidationError as error:
                return "refused", str(error)
            except Exception as error:  # anything else reaching a user is a failure of the test
                return "error", repr(error)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(attempt, enumerate(calls)))


def outcomes(results, kind):
    """The details of the results of one kind."""
    return [detail for outcome, detail in results if outcome == kind]


def test_200_orders_for_10_units_place_exactly_10(app, pg_app, factory):
    customer = factory.customer()
    factory.deposit(customer, "100000.00")
    item = factory.item(price="1.00", stock=10)
    customer_id, item_id = customer.id, item.id
    results = run_all(pg_app, [lambda: factory.order(customer_id, [(item_id, 1)]) for _ in range(200)])
    assert outcomes(results, "error") == []
    assert len(outcomes(results, "ok")) == 10
    refused = outcomes(results, "refused")
    assert len(refused) == 190 and all(r.startswith("lines: Not enough stock for 1 line(s)") for r in refused)
    assert stock_of(item) == 0
    assert db.session.execute(select(func.count()).select_from(Order)).scalar_one() == 10
    assert_ledgers_add_up()


def test_50_orders_against_a_balance_for_10_place_exactly_10(app, pg_app, factory):
    customer = factory.customer()
    factory.deposit(customer, "100.00")
    item = factory.item(price="10.00", stock=1000)
    customer_id, item_id = customer.id, item.id
    results = run_all(pg_app, [lambda: factory.order(customer_id, [(item_id, 1)]) for _ in range(50)])
    assert outcomes(results, "error") == []
    assert len(outcomes(results, "ok")) == 10
    refused = outcomes(results, "refused")
    assert len(refused) == 40 and all("short by 10.00" in r for r in refused)
    assert balance_of(customer) == Decimal("0.00") and stock_of(item) == 990
    assert_ledgers_add_up()


def test_opposite_line_orders_never_deadlock(app, pg_app, factory):
    customer = factory.customer()
    factory.deposit(customer, "100000.00")
    left, right = factory.item(stock=1000), factory.item(stock=1000)
    customer_id, left_id, right_id = customer.id, left.id, right.id
    calls = []
    for n in range(60):
        lines = [(left_id, 1), (right_id, 1)] if n % 2 else [(right_id, 1), (left_id, 1)]
        calls.append(lambda lines=lines: factory.order(customer_id, lines))
    results = run_all(pg_app, calls)
    assert outcomes(results, "error") == [] and outcomes(results, "refused") == []
    assert (stock_of(left), stock_of(right)) == (940, 940)
    assert_ledgers_add_up()


def test_concurrent_double_submit_places_one_order(app, pg_app, factory):
    customer = factory.customer()
    factory.deposit(customer, "1000.00")
    item = factory.item(stock=5)
    customer_id, item_id = customer.id, item.id
    results = run_all(pg_app, [lambda: factory.order(customer_id, [(item_id, 1)], key="same-key-123") for _ in range(20)])
    assert outcomes(results, "error") == [] and outcomes(results, "refused") == []
    assert len(set(outcomes(results, "ok"))) == 1 and stock_of(item) == 4
