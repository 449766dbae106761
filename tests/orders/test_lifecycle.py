"""The order lifecycle: one state machine, an event and an outbox row per change, cancel gives back."""
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.common.errors import ValidationError
from app.extensions import db
from app.orders import services
from app.orders.models import Order, OrderEvent
from app.orders.states import STATUSES, TRANSITIONS
from app.outbox.models import OutboxEvent
from tests.ledgers import assert_ledgers_add_up, balance_of, count, stock_of

# How to bring a fresh (pending) order into each status through legal steps.
PATHS = {"pending": [], "confirmed": ["confirmed"], "fulfilled": ["confirmed", "fulfilled"], "cancelled": ["cancelled"]}
ILLEGAL = [(current, target) for current in STATUSES for target in STATUSES if target not in TRANSITIONS[current]]


@pytest.fixture
def order_in(app, factory):
    """Build an order in a given status: order_in('confirmed')."""
    customer = factory.customer()
    factory.deposit(customer, "500.00")
    item = factory.item(price="20.00", stock=10)

    def build(status):
        order = factory.order(customer, [(item, 2)])
        for step in PATHS[status]:
            services.change_status(order.id, step)
        return order

    build.customer, build.item = customer, item
    return build


@pytest.mark.parametrize("current, target", ILLEGAL)
def test_every_illegal_transition_is_refused_and_changes_nothing(order_in, current, target):
    order = order_in(current)
    events, outbox = count(OrderEvent), count(OutboxEvent)
    stock, balance = stock_of(order_in.item), balance_of(order_in.customer)
    with pytest.raises(ValidationError) as raised:
        services.change_status(order.id, target)
    assert order.number in str(raised.value)
    assert db.session.get(Order, order.id).status == current
    assert (count(OrderEvent), count(OutboxEvent)) == (events, outbox)
    assert (stock_of(order_in.item), balance_of(order_in.customer)) == (stock, balance)


def test_unknown_status_and_unknown_order_are_refused(order_in):
    order = order_in("pending")
    with pytest.raises(ValidationError, match="not an order status"):
        services.change_status(order.id, "shipped")
    with pytest.raises(ValidationError, match="does not exist"):
        services.change_status(99999, "confirmed")


def test_happy_path_writes_timeline_and_outbox(order_in, factory):
    user = factory.user("operator")
    order = order_in("pending")
    services.change_status(order.id, "confirmed", user.id, note="Paid by phone")
    services.change_status(order.id, "fulfilled", user.id)
    events = db.session.execute(select(OrderEvent).where(OrderEvent.order_id == order.id).order_by(OrderEvent.id)).scalars()
    events = list(events)
    assert [(e.from_status, e.to_status) for e in events] == [
        (None, "pending"), ("pending", "confirmed"), ("confirmed", "fulfilled")]
    assert events[1].note == "Paid by phone" and events[1].user_id == user.id
    # The deposit that funded the order wrote its own balance.credited: only the order's events here.
    outbox = db.session.execute(select(OutboxEvent).where(OutboxEvent.event.like("order.%")).order_by(OutboxEvent.id)).scalars().all()
    assert [o.event for o in outbox] == ["order.placed", "order.confirmed", "order.fulfilled"]
    assert outbox[1].payload["number"] == order.number and outbox[1].payload["total"] == "40.00"
    assert all(o.processed_at is None for o in outbox)


@pytest.mark.parametrize("status", ["pending", "confirmed"])
def test_cancel_gives_stock_back_and_refunds(order_in, status):
    order = order_in(status)
    assert (stock_of(order_in.item), balance_of(order_in.customer)) == (8, Decimal("460.00"))
    services.cancel_order(order.id, note="Customer changed their mind")
    assert (stock_of(order_in.item), balance_of(order_in.customer)) == (10, Decimal("500.00"))
    assert db.session.get(Order, order.id).status == "cancelled"
    assert_ledgers_add_up()
    with pytest.raises(ValidationError, match="can no longer change"):
        services.cancel_order(order.id)  # a second cancel must not refund twice
    assert balance_of(order_in.customer) == Decimal("500.00")


def test_only_finished_orders_can_be_archived(order_in):
    pending, fulfilled, cancelled = order_in("pending"), order_in("fulfilled"), order_in("cancelled")
    assert services.set_orders_archived([pending.id, fulfilled.id, cancelled.id], True) == 2
    db.session.expire_all()
    assert db.session.get(Order, pending.id).archived_at is None
    assert db.session.get(Order, fulfilled.id).is_archived
    assert services.set_orders_archived([fulfilled.id], False) == 1
