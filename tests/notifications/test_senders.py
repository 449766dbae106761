"""The sender jobs, run by a real burst worker: email to a real SMTP server, SMS to the simulator over HTTP."""
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.common.models import as_utc, utcnow
from app.extensions import db
from app.notifications.announcements import create_announcement
from app.notifications.models import ContactPoint, DeliveryAttempt
from app.notifications.services import preferences_of
from tests.notifications.helpers import PHONE, deliveries, emit, relay_and_send

pytestmark = pytest.mark.usefixtures("notify_app")


def test_an_order_email_arrives_with_its_bodies_and_deterministic_message_id(reachable, smtp_server):
    emit("order.confirmed", customer_id=reachable.id, number="ORD-000042", total="40.00", note="Paid by phone")
    relay_and_send()

    [message] = smtp_server.handler.received
    [delivery] = deliveries(channel="email")
    mail = message.message
    assert message.rcpt_tos == ["ops@example.com"] and mail["Subject"] == "Order ORD-000042 confirmed"
    assert mail["Message-ID"] == f"<{delivery.key}@127.0.0.1>" == delivery.provider_id
    assert "Your order ORD-000042 has been confirmed (total 40.00)" in mail.get_body(("plain",)).get_content()
    assert "<strong>ORD-000042</strong>" in mail.get_body(("html",)).get_content()
    assert mail["List-Unsubscribe"] is None  # only announcements carry it
    assert delivery.status == "sent" and delivery.attempts == 1
    assert [a.outcome for a in db.session.execute(select(DeliveryAttempt)).scalars()] == ["sent", "sent"]


def test_an_announcement_email_has_a_one_click_unsubscribe_that_works(reachable, smtp_server, client):
    create_announcement("Closed Monday", "We are closed on Monday.\n\nSee you Tuesday.", sms_text="Closed Monday")
    relay_and_send()

    [message] = smtp_server.handler.received
    link = message.message["List-Unsubscribe"].strip("<>")
    assert message.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = link.split("127.0.0.1", 1)[1].split("/", 1)[1]
    assert client.post(f"/{path}x").status_code == 404  # a token we did not sign
    assert preferences_of(reachable.id)[("announcement.sent", "email")] is True
    assert client.post(f"/{path}", data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert preferences_of(reachable.id)[("announcement.sent", "email")] is False
    assert preferences_of(reachable.id)[("announcement.sent", "sms")] is True


def test_a_permanent_smtp_refusal_fails_the_delivery_and_disables_the_address(reachable, smtp_server):
    smtp_server.handler.refusals["ops@example.com"] = "550 5.1.1 no such mailbox"
    emit("order.confirmed", customer_id=reachable.id, number="ORD-000001")
    relay_and_send()
    [delivery] = deliveries(channel="email")
    point = db.session.get(ContactPoint, delivery.contact_point_id)
    assert (delivery.status, delivery.reason) == ("failed", "550 5.1.1 no such mailbox")
    assert point.disabled_reason == "550 5.1.1 no such mailbox"


def test_a_transient_smtp_refusal_is_retried_after_the_backoff(reachable, smtp_server):
    smtp_server.handler.refusals["ops@example.com"] = "451 4.3.0 try again later"
    emit("order.confirmed", customer_id=reachable.id, number="ORD-000001")
    relay_and_send()
    [delivery] = deliveries(channel="email")
    assert delivery.status == "queued" and delivery.reason.startswith("will retry: 451")
    assert as_utc(delivery.next_attempt_at) > utcnow() + timedelta(seconds=10)

    smtp_server.reset()
    relay_and_send()  # not due yet: nothing goes
    assert smtp_server.handler.received == []
    relay_and_send(now=as_utc(delivery.next_attempt_at) + timedelta(seconds=1))
    [delivery] = deliveries(channel="email")
    assert delivery.status == "sent" and delivery.attempts == 2
    assert [m.message["Message-ID"] for m in smtp_server.handler.received] == [f"<{delivery.key}@127.0.0.1>"]


def test_an_sms_goes_with_the_delivery_key_and_a_status_callback(reachable, sms_sim, notify_app):
    emit("order.confirmed", customer_id=reachable.id, number="ORD-000042", total="40.00")
    relay_and_send()
    [message] = sms_sim.messages()
    [delivery] = deliveries(channel="sms")
    assert message["idempotency_key"] == delivery.key and message["to"] == PHONE
    assert message["status_callback"] == notify_app.config["OMS_PUBLIC_URL"] + "/webhooks/sms/status"
    assert "ORD-000042" in message["body"]
    assert (delivery.status, delivery.provider_id) == ("sent", message["sid"])


def test_429_waits_at_least_the_retry_after(reachable, sms_sim, factory):
    other = factory.customer()
    factory.contact(other, "sms", "+15557650000")
    sms_sim.control("POST", "/faults", {"rate_limit_per_second": 1, "rate_limit_window_seconds": 30})
    emit("order.confirmed", customer_id=reachable.id, number="ORD-000001")
    emit("order.confirmed", customer_id=other.id, number="ORD-000002")
    before = utcnow()
    relay_and_send()
    statuses = sorted((d.status, d.reason or "") for d in deliveries(channel="sms"))
    assert [s for s, _ in statuses] == ["queued", "sent"]
    assert "slow down" in statuses[0][1]
    [waiting] = deliveries(channel="sms", status="queued")
    assert as_utc(waiting.next_attempt_at) >= before + timedelta(seconds=29)


def test_a_5xx_after_acceptance_is_retried_with_the_same_key_and_sent_once(reachable, sms_sim):
    sms_sim.control("POST", "/faults", {"accept_then_fail_next": 1})
    emit("order.confirmed", customer_id=reachable.id, number="ORD-000001")
    relay_and_send()
    [delivery] = deliveries(channel="sms")
    assert delivery.status == "queued"
    relay_and_send(now=as_utc(delivery.next_attempt_at) + timedelta(seconds=1))
    [delivery] = deliveries(channel="sms")
    [message] = sms_sim.messages()  # the provider sent it once
    assert delivery.status == "sent" and delivery.attempts == 2 and delivery.provider_id == message["sid"]


@pytest.mark.parametrize("setup, reason", [
    ("opted_out", "recipient opted out"), ("invalid", "invalid number")])
def test_21610_and_21211_fail_at_once_and_disable_the_number(reachable, sms_sim, setup, reason):
    if setup == "opted_out":
        sms_sim.control("POST", "/numbers", {"number": PHONE, "opted_out": True})
    else:  # a number stored before E.164 was checked: the provider calls it malformed
        db.session.execute(update(ContactPoint).where(ContactPoint.channel == "sms").values(address="+1555-765"))
        db.session.commit()
    emit("order.confirmed", customer_id=reachable.id, number="ORD-000001")
    relay_and_send()
    [delivery] = deliveries(channel="sms")
    assert (delivery.status, delivery.reason, delivery.attempts) == ("failed", reason, 1)
    assert db.session.get(ContactPoint, delivery.contact_point_id).disabled_reason == reason
