"""The relay: outbox rows become deliveries the preferences allow (and suppressed ones that say why), once."""
import threading

import pytest
from sqlalchemy import select

from app.common.errors import ValidationError
from app.extensions import db
from app.notifications import services
from app.notifications.events import EVENTS
from app.notifications.relay import relay_once
from app.outbox.models import OutboxEvent
from app.queues import EMAIL, SMS, get_queue
from tests.notifications.helpers import by_channel, deliveries, emit


@pytest.mark.parametrize("event_type", sorted(EVENTS))
def test_each_event_reaches_exactly_the_channels_the_preferences_allow(reachable, event_type):
    for channel in ("email", "sms"):  # flip every choice a client may make
        if EVENTS[event_type].may_turn_off(channel):
            services.set_preference(reachable.id, event_type, channel, not EVENTS[event_type].default(channel))
    allowed = services.preferences_of(reachable.id)
    emit(event_type, customer_id=reachable.id, number="ORD-000001", subject="Hello")

    relay_once()

    got = by_channel(deliveries())
    assert {channel: status for channel, (status, _) in got.items()} == {
        channel: "queued" if allowed[(event_type, channel)] else "suppressed" for channel in ("email", "sms")}
    for status, reason in got.values():
        assert (status == "suppressed") == (reason == "turned off in the customer's preferences")


def test_a_default_off_channel_is_suppressed_with_its_own_reason(reachable):
    emit("order.placed", customer_id=reachable.id, number="ORD-000001")
    relay_once()
    assert by_channel(deliveries()) == {"email": ("queued", None), "sms": ("suppressed", "off by default for this channel")}


def test_disabled_and_archived_contact_points_get_suppressed_deliveries_that_say_why(app, factory):
    customer = factory.customer()
    gone = factory.contact(customer, "email", "old@example.com")
    services.set_contact_point_archived(gone.id, True)
    factory.contact(customer, "sms", "+15557654321")
    services.set_sms_opt_out("+15557654321", True, "the recipient replied STOP")
    emit("order.confirmed", customer_id=customer.id, number="ORD-000001")

    relay_once()

    assert by_channel(deliveries()) == {
        "email": ("suppressed", "the contact point is archived"),
        "sms": ("suppressed", "the contact point is disabled: the recipient replied STOP")}


def test_relaying_twice_creates_and_enqueues_each_delivery_once(reachable):
    emit("order.confirmed", customer_id=reachable.id, number="ORD-000001")
    emit("balance.low", customer_id=reachable.id, balance="20.00", threshold="100.00")

    first, second = relay_once(), relay_once()

    assert (first.events, dict(first.created), dict(first.enqueued)) == (2, {"queued": 4}, {"email": 2, "sms": 2})
    assert (second.events, dict(second.created), dict(second.enqueued)) == (0, {}, {})
    assert len(deliveries()) == 4
    assert db.session.execute(select(OutboxEvent).where(OutboxEvent.processed_at.is_(None))).first() is None
    # Batches, not one job per message: one job per channel, carrying both delivery ids.
    for channel in (EMAIL, SMS):
        [job] = get_queue(channel).get_jobs()
        assert sorted(job.args[0]) == sorted(d.id for d in deliveries(channel=channel))


def test_an_order_rolled_back_creates_no_delivery(reachable, factory):
    item = factory.item(price="40.00", stock=1)
    with pytest.raises(ValidationError):
        factory.order(reachable, [(item, 2)])  # short of stock: nothing is written
    relay_once()
    assert deliveries() == []


def test_an_order_placed_creates_its_deliveries(reachable, factory):
    factory.deposit(reachable, "500.00")
    order = factory.order(reachable, [(factory.item(price="40.00", stock=1), 1)])
    relay_once()
    placed = deliveries(event_type="order.placed")
    assert by_channel(placed)["email"] == ("queued", None) and placed[0].address == "ops@example.com"
    assert db.session.get(OutboxEvent, placed[0].outbox_event_id).payload["number"] == order.number


def test_an_announcement_reaches_every_active_customer(app, factory):
    from app.notifications.announcements import create_announcement

    customers = [factory.customer() for _ in range(3)]
    for n, customer in enumerate(customers):
        factory.contact(customer, "email", f"c{n}@example.com")
    services.set_preference(customers[0].id, "announcement.sent", "email", False)
    create_announcement("Closed Monday", "We are closed on Monday.", sms_text=None)

    relay_once()

    assert sorted(d.status for d in deliveries()) == ["queued", "queued", "suppressed"]


def test_two_relays_at_once_on_postgresql_create_each_delivery_once(app, factory):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks (FOR UPDATE SKIP LOCKED) are PostgreSQL's")
    customers = [factory.customer() for _ in range(30)]
    for n, customer in enumerate(customers):
        factory.contact(customer, "email", f"c{n}@example.com")
        factory.contact(customer, "sms", f"+1555765{n:04d}")
        for _ in range(10):
            emit("order.confirmed", customer_id=customer.id, number=f"ORD-{n:06d}")
    db.session.commit()
    passes, errors, start = [], [], threading.Barrier(2)

    def relay():
        with app.app_context():
            start.wait()
            try:
                passes.append(relay_once())
            except Exception as error:  # noqa: BLE001  (reported by the assert below)
                errors.append(error)

    threads = [threading.Thread(target=relay) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sum(p.events for p in passes) == 300 and sum(p.created["queued"] for p in passes) == 600
    assert len(deliveries()) == 600
    assert sum(p.enqueued["email"] for p in passes) == 300  # each delivery handed to a queue once


def test_the_relay_command_runs_one_pass_and_says_what_it_did(runner, reachable):
    emit("order.placed", customer_id=reachable.id, number="ORD-000001")
    first = runner.invoke(args=["notifications", "relay"])
    again = runner.invoke(args=["notifications", "relay"])
    assert first.exit_code == 0 and first.output.strip() == (
        "1 outbox events; deliveries created: 1 queued, 1 suppressed; 0 stuck sends released; "
        "0 held for quiet hours; enqueued: 1 email.")
    assert again.exit_code == 0 and again.output.startswith("0 outbox events; deliveries created: none;")
