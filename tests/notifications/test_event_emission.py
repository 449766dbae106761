"""Every declared event type is written to the outbox where it happens, in that change's transaction."""
import pytest
from sqlalchemy import select

from app.balances.services import InsufficientBalance
from app.campaigns.models import Campaign
from app.extensions import db
from app.notifications.events import ANNOUNCEMENT, EVENT_NAMES
from app.orders.services import EVENT_NAMES as ORDER_EVENTS
from app.outbox.models import OutboxEvent
from app.sync import services as sync_services


def outbox(event: str) -> list[dict]:
    """The payloads of one event name, oldest first."""
    stmt = select(OutboxEvent.payload).where(OutboxEvent.event == event).order_by(OutboxEvent.id)
    return db.session.execute(stmt).scalars().all()


def test_every_event_the_orders_write_is_declared():
    assert set(ORDER_EVENTS.values()) <= set(EVENT_NAMES)
    assert ANNOUNCEMENT in EVENT_NAMES


def test_a_deposit_writes_balance_credited(app, factory):
    customer = factory.customer()
    factory.deposit(customer, "250.00")
    assert outbox("balance.credited") == [{"customer_id": customer.id, "amount": "250.00", "balance": "250.00"}]


def test_balance_low_is_written_once_when_a_debit_crosses_the_mark(app, factory):
    customer = factory.customer()
    factory.deposit(customer, "150.00")
    item = factory.item(price="40.00", stock=10)
    factory.order(customer, [(item, 1)])  # 110: still above the mark
    assert outbox("balance.low") == []
    factory.order(customer, [(item, 1)])  # 70: crosses it
    factory.order(customer, [(item, 1)])  # 30: already below, nothing new
    assert outbox("balance.low") == [{"customer_id": customer.id, "balance": "70.00", "threshold": "100.00"}]


def test_a_rolled_back_order_writes_no_event(app, factory):
    customer = factory.customer()
    item = factory.item(price="40.00", stock=10)
    before = db.session.execute(select(OutboxEvent.id)).all()
    with pytest.raises(InsufficientBalance):
        factory.order(customer, [(item, 1)])  # no money: refused, rolled back
    assert db.session.execute(select(OutboxEvent.id)).all() == before


def test_the_sync_writes_campaign_deleted_on_the_platform(simulator, connected):
    connection = connected.connection
    simulator.seed(30)
    sync_services.sync_connection(connection.id, "cli")
    gone = simulator.mutate(delete=3)["deleted"]

    sync_services.sync_connection(connection.id, "cli")

    events = outbox("campaign.deleted_on_platform")
    local = db.session.execute(select(Campaign.id, Campaign.title).where(Campaign.platform_campaign_id.in_(gone))).all()
    assert sorted((e["campaign_id"], e["title"]) for e in events) == sorted(map(tuple, local))
    assert {e["customer_id"] for e in events} == {connection.customer_id}
