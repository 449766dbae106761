"""kill -9 of real `python worker.py email` and `worker.py sms` mid fan-out, then a rerun: nothing lost or doubled."""
from collections import Counter
from datetime import timedelta

import pytest

from app.common.models import utcnow
from app.notifications.announcements import create_announcement
from app.notifications.relay import relay_once
from tests.notifications.helpers import deliveries, relay_and_send, start_worker
from tests.processes import kill_9
from tests.waiting import wait_until

CUSTOMERS = 250  # two sender jobs per channel (batches of 200)


@pytest.mark.usefixtures("notify_app")
def test_kill_9_mid_fan_out_then_a_rerun_sends_everything_once(app, factory, smtp_server, sms_sim, tmp_path):
    for n in range(CUSTOMERS):
        customer = factory.customer()
        factory.contact(customer, "email", f"client{n}@example.com")
        factory.contact(customer, "sms", f"+1555700{n:04d}")
    create_announcement("Closed Monday", "We are closed on Monday.", sms_text="Closed Monday")
    relay_once()
    smtp_server.handler.delay = 0.03
    sms_sim.control("POST", "/faults", {"latency_ms": 30})
    workers = [start_worker(app, tmp_path / f"{queue}.log", queue) for queue in ("email", "sms")]
    try:
        wait_until(lambda: len(smtp_server.handler.received) >= 40 and len(sms_sim.messages()) >= 40, 60,
                   "both workers to be mid-way")
    finally:
        for worker in workers:
            kill_9(worker)
    in_flight = {d.key for d in deliveries(status="sending")}
    assert len(smtp_server.handler.received) < CUSTOMERS and len(sms_sim.messages()) < CUSTOMERS

    smtp_server.handler.delay = 0
    sms_sim.control("POST", "/faults", {"latency_ms": 0})
    # Past the sending timeout and the enqueue lease: the rerun picks up the stuck and the lost.
    relay_and_send(now=utcnow() + timedelta(seconds=700))

    rows = deliveries()
    assert Counter(d.status for d in rows) == {"sent": 2 * CUSTOMERS}
    sms_keys = Counter(m["idempotency_key"] for m in sms_sim.messages())
    assert set(sms_keys) == {d.key for d in rows if d.channel == "sms"} and set(sms_keys.values()) == {1}
    emails = Counter(m.message["Message-ID"] for m in smtp_server.handler.received)
    assert set(emails) == {f"<{d.key}@127.0.0.1>" for d in rows if d.channel == "email"}
    resent = {message_id.strip("<>").split("@")[0] for message_id, n in emails.items() if n > 1}
    assert resent <= in_flight and max(emails.values()) <= 2  # only an email in flight at the kill went twice
