"""Placing orders: all or nothing, idempotent, with messages that name what is short."""
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.balances.models import BalanceEntry
from app.common.errors import ValidationError
from app.extensions import db
from app.inventory.models import StockMovement
from app.orders.models import Order, OrderEvent, OrderLine
from app.orders.services import KeyAlreadyUsed
from app.outbox.models import OutboxEvent
from tests.factories import new_key
from tests.ledgers import assert_ledgers_add_up, balance_of, count, stock_of


def test_order_reserves_stock_debits_balance_and_writes_every_ledger(app, factory):
    customer = factory.customer()
    factory.deposit(customer, "100.00")
    mug, tee = factory.item(price="4.50", stock=10), factory.item(price="12.25", stock=3)
    order = factory.order(customer, [(mug, 2), (tee, 3)], notes="Rush")
    assert order.number == f"ORD-{order.id:06d}"
    assert order.status == "pending" and order.total == Decimal("45.75")
    assert (stock_of(mug), stock_of(tee)) == (8, 0)
    assert balance_of(customer) == Decimal("54.25")
    assert count(OrderLine) == 2 and count(OrderEvent) == 1
    # The deposit's credit, then the order, whose debit took the balance below the low mark.
    events = db.session.execute(select(OutboxEvent.event).order_by(OutboxEvent.id)).scalars().all()
    assert sorted(events) == ["balance.credited", "balance.low", "order.placed"]
    assert count(BalanceEntry) == 2 and count(StockMovement) == 4
    assert_ledgers_add_up()


def test_same_item_on_two_lines_is_one_line(app, factory):
    customer = factory.customer()
    factory.deposit(customer)
    mug = factory.item(stock=5)
    order = factory.order(customer, [(mug, 2), (mug, 1)])
    assert count(OrderLine) == 1 and stock_of(mug) == 2 and order.total == Decimal("30.00")


def test_one_short_line_changes_nothing_and_names_every_short_line(app, factory):
    customer = factory.customer()
    factory.deposit(customer, "1000.00")
    ok, empty = factory.item(sku="OK-1", stock=10), factory.item(sku="EMPTY-1", stock=0)
    short = factory.item(sku="SHORT-1", stock=2, name="Blue mug")
    before = (count(StockMovement), count(BalanceEntry), count(OutboxEvent))
    with pytest.raises(ValidationError) as raised:
        factory.order(customer, [(ok, 1), (short, 3), (empty, 1)])
    message = raised.value.errors["lines"]
    assert message.startswith("Not enough stock for 2 line(s)")
    assert "SHORT-1 Blue mug: ordered 3, only 2 available" in message
    assert "EMPTY-1" in message and "only 0 available" in message and "OK-1" not in message
    assert (stock_of(ok), stock_of(short), stock_of(empty)) == (10, 2, 0)
    assert balance_of(customer) == Decimal("1000.00")
    assert count(Order) == 0 and count(OrderLine) == 0 and count(OrderEvent) == 0
    assert (count(StockMovement), count(BalanceEntry), count(OutboxEvent)) == before


def test_short_balance_says_by_how_much_and_changes_nothing(app, factory):
    customer = factory.customer()
    factory.deposit(customer, "10.00")
    item = factory.item(price="7.50", stock=10)
    with pytest.raises(ValidationError) as raised:
        factory.order(customer, [(item, 2)])
    assert "short by 5.00" in raised.value.errors["balance"]
    assert stock_of(item) == 10 and balance_of(customer) == Decimal("10.00") and count(Order) == 0


def test_short_balance_and_short_stock_are_both_named(app, factory):
    customer = factory.customer()
    factory.deposit(customer, "10.00")
    item = factory.item(sku="SHORT-2", price="7.50", stock=1)
    with pytest.raises(ValidationError) as raised:
        factory.order(customer, [(item, 2)])
    assert "SHORT-2" in raised.value.errors["lines"] and "only 1 available" in raised.value.errors["lines"]
    assert "short by 5.00" in raised.value.errors["balance"]
    assert stock_of(item) == 1 and balance_of(customer) == Decimal("10.00") and count(Order) == 0


def test_double_submit_returns_the_first_order(app, factory):
    customer = factory.customer()
    factory.deposit(customer)
    item = factory.item(stock=1)
    key = new_key()
    first = factory.placed_order(customer, [(item, 1)], key=key)
    again = factory.placed_order(customer, [(item, 1)], key=key)  # the stock is gone now, yet the replay still succeeds
    assert again.order.id == first.order.id and again.replayed and not first.replayed
    assert count(Order) == 1 and stock_of(item) == 0


def test_a_key_reused_for_another_customer_is_refused(app, factory):
    one, two = factory.customer(), factory.customer()
    factory.deposit(one), factory.deposit(two)
    item = factory.item(stock=5)
    key = new_key()
    factory.order(one, [(item, 1)], key=key)
    with pytest.raises(KeyAlreadyUsed, match="already used"):
        factory.order(two, [(item, 1)], key=key)


@pytest.mark.parametrize("lines, message", [
    ([], "at least one line"),
    ([("x", 1)], "Choose an item"),
    ([(1, 0)], "whole number from 1"),
    ([(1, -2)], "whole number from 1"),
    ([(1, 10_001)], "whole number from 1"),
    ([(1, "2")], "whole number from 1"),
])
def test_bad_lines_are_refused(app, factory, lines, message):
    customer = factory.customer()
    factory.item(stock=5)
    with pytest.raises(ValidationError, match=message):
        factory.order(customer, lines)


def test_archived_items_and_unknown_items_cannot_be_ordered(app, factory):
    from app.inventory.services import set_items_archived

    customer = factory.customer()
    factory.deposit(customer)
    item = factory.item(sku="OLD-1", stock=5)
    set_items_archived([item.id], True)
    with pytest.raises(ValidationError, match="OLD-1"):
        factory.order(customer, [(item, 1)])
    with pytest.raises(ValidationError, match="does not exist"):
        factory.order(customer, [(99999, 1)])
    assert count(Order) == 0 and stock_of(item) == 5


def test_an_archived_customer_cannot_order_even_a_short_line(app, factory):
    from app.customers.services import set_customers_archived

    customer = factory.customer(name="Old Co")
    factory.deposit(customer, "100.00")
    item = factory.item(price="1.00", stock=1)
    set_customers_archived([customer.id], True)
    for quantity in (1, 5):  # the debit refuses it; with a short line too, the customer is still what is said
        with pytest.raises(ValidationError) as raised:
            factory.order(customer, [(item, quantity)])
        assert raised.value.errors == {"customer_id": "Old Co is archived and cannot place orders."}
    assert count(Order) == 0 and stock_of(item) == 1 and balance_of(customer) == Decimal("100.00")


def test_missing_key_is_refused(app, factory):
    customer = factory.customer()
    item = factory.item(stock=5)
    with pytest.raises(ValidationError, match="one-time key"):
        factory.order(customer, [(item, 1)], key=" ")
