"""Quiet hours hold an SMS (not an email) until the window ends; a resend is a new delivery linked to the first."""
from datetime import datetime, time, timezone

import pytest

from app.common.errors import ValidationError
from app.common.models import as_utc
from app.notifications.lifecycle import resend_delivery
from app.notifications.services import set_quiet_hours
from tests.notifications.helpers import deliveries, emit, relay_and_send

pytestmark = pytest.mark.usefixtures("notify_app")
EVENING = datetime(2026, 1, 15, 22, 0, tzinfo=timezone.utc)  # 22:00 in London in winter
MORNING = datetime(2026, 1, 16, 8, 0, tzinfo=timezone.utc)


def test_an_sms_inside_the_quiet_window_is_held_then_released(reachable, sms_sim, smtp_server):
    set_quiet_hours(reachable.id, "Europe/London", time(21), time(8))
    emit("order.confirmed", customer_id=reachable.id, number="ORD-000001")

    relay_and_send(now=EVENING)

    [email] = deliveries(channel="email")
    [sms] = deliveries(channel="sms")
    assert email.status == "sent" and len(smtp_server.handler.received) == 1  # email is not held
    assert (sms.status, as_utc(sms.next_attempt_at)) == ("queued", MORNING)
    assert sms.reason == "held for the customer's quiet hours until 2026-01-16 08:00 UTC"
    relay_and_send(now=MORNING.replace(hour=7, minute=59))
    assert sms_sim.messages() == [] and deliveries(channel="sms")[0].status == "queued"

    relay_and_send(now=MORNING)

    [sms] = deliveries(channel="sms")
    assert sms.status == "sent" and sms.reason is None and len(sms_sim.messages()) == 1


def test_a_resend_is_a_new_delivery_linked_to_the_first(reachable, factory, smtp_server):
    emit("order.confirmed", customer_id=reachable.id, number="ORD-000001")
    relay_and_send()
    [first] = deliveries(channel="email")

    again = resend_delivery(first.id)
    with pytest.raises(ValidationError, match="this one is queued"):
        resend_delivery(again.id)
    relay_and_send()

    assert (again.resend_of_id, again.key) == (first.id, f"{first.key}-r1")
    assert deliveries(id=again.id)[0].status == "sent"
    assert [m.message["Message-ID"] for m in smtp_server.handler.received] == [
        f"<{first.key}@127.0.0.1>", f"<{again.key}@127.0.0.1>"]
    with pytest.raises(ValidationError, match="does not exist"):
        resend_delivery(first.id, user=factory.user("customer"))
