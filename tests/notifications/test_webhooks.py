"""The SMS webhooks, called by the simulator over real HTTP: signed, forward only, STOP and START."""
import pytest

from app.extensions import db
from app.notifications.models import ContactPoint
from app.notifications.sms.signature import compute_signature
from tests.notifications.helpers import PHONE, deliveries, emit, relay_and_send

pytestmark = pytest.mark.usefixtures("notify_app")


@pytest.fixture
def sent_sms(reachable, sms_sim):
    """An SMS delivery the simulator has accepted (status `sent`), and its message sid."""
    emit("order.confirmed", customer_id=reachable.id, number="ORD-000001")
    relay_and_send()
    [delivery] = deliveries(channel="sms")
    assert delivery.status == "sent"
    return delivery


def callbacks(sms_sim, delivery, *statuses, repeat=1) -> list[dict]:
    return sms_sim.control("POST", f"/messages/{delivery.provider_id}/callbacks",
                           {"statuses": list(statuses), "repeat": repeat})


def status_of(delivery) -> str:
    return deliveries(id=delivery.id)[0].status


def test_a_status_callback_moves_the_delivery_forward(sms_sim, sent_sms):
    result = callbacks(sms_sim, sent_sms, "delivered")
    assert result[0]["attempts"] == [200]
    assert status_of(sent_sms) == "delivered"


def test_callbacks_twice_and_out_of_order_never_move_back(sms_sim, sent_sms):
    callbacks(sms_sim, sent_sms, "delivered", "sent", repeat=2)
    assert status_of(sent_sms) == "delivered"
    callbacks(sms_sim, sent_sms, "failed")  # late, after a final state
    assert status_of(sent_sms) == "delivered"


@pytest.mark.parametrize("final, status", [("undelivered", "bounced"), ("failed", "failed")])
def test_undelivered_and_failed_are_final(sms_sim, sent_sms, final, status):
    callbacks(sms_sim, sent_sms, final)
    callbacks(sms_sim, sent_sms, "delivered", "sent")
    assert status_of(sent_sms) == status


def test_a_callback_with_a_bad_signature_is_refused_and_changes_nothing(client, notify_app, sms_sim, sent_sms):
    form = {"MessageSid": sent_sms.provider_id, "MessageStatus": "delivered", "To": PHONE,
            "From": sms_sim.from_number, "AccountSid": sms_sim.account}
    public = notify_app.config["OMS_PUBLIC_URL"]
    wrong_url = compute_signature(public + "/webhooks/sms/status?x=1", form, sms_sim.token)
    wrong_token = compute_signature(public + "/webhooks/sms/status", form, "not-the-token")
    for signature in (None, "bm9wZQ==", wrong_url, wrong_token):
        headers = {"X-Twilio-Signature": signature} if signature else {}
        assert client.post("/webhooks/sms/status", data=form, headers=headers).status_code == 403
    assert status_of(sent_sms) == "sent"
    good = compute_signature(public + "/webhooks/sms/status", form, sms_sim.token)
    response = client.post("/webhooks/sms/status", data=form, headers={"X-Twilio-Signature": good})
    assert (response.status_code, response.data) == (200, b"")
    assert status_of(sent_sms) == "delivered"


def test_inbound_stop_disables_the_number_and_start_enables_it(reachable, sms_sim, notify_app):
    inbound_url = notify_app.config["OMS_PUBLIC_URL"] + "/webhooks/sms/inbound"
    sms_sim.control("POST", "/accounts", {"sid": sms_sim.account, "token": sms_sim.token,
                                          "numbers": [sms_sim.from_number], "inbound_url": inbound_url})

    def point():
        db.session.expire_all()
        return db.session.query(ContactPoint).filter_by(channel="sms").one()

    assert sms_sim.control("POST", "/inbound", {"from": PHONE, "body": " Stop "})["attempts"] == [200]
    assert point().disabled_reason == "the recipient replied STOP"
    emit("order.confirmed", customer_id=reachable.id, number="ORD-000001")
    relay_and_send()
    assert deliveries(channel="sms")[0].status == "suppressed" and sms_sim.messages() == []

    assert sms_sim.control("POST", "/inbound", {"from": PHONE, "body": "hello"})["attempts"] == [200]
    assert point().disabled_at is not None
    sms_sim.control("POST", "/inbound", {"from": PHONE, "body": "START"})
    assert point().is_active


def test_a_callback_for_a_sid_not_recorded_yet_is_not_acknowledged_so_it_comes_again(client, notify_app, sms_sim):
    form = {"MessageSid": "SM" + "0" * 32, "MessageStatus": "delivered", "To": PHONE,
            "From": sms_sim.from_number, "AccountSid": sms_sim.account}
    signature = compute_signature(notify_app.config["OMS_PUBLIC_URL"] + "/webhooks/sms/status", form, sms_sim.token)
    assert client.post("/webhooks/sms/status", data=form, headers={"X-Twilio-Signature": signature}).status_code == 404


def test_an_inbound_stop_with_a_bad_signature_is_refused_and_changes_nothing(client, reachable, sms_sim):
    form = {"MessageSid": "SM" + "1" * 32, "From": PHONE, "To": sms_sim.from_number, "Body": "STOP"}
    wrong = compute_signature("http://elsewhere.example/webhooks/sms/inbound", form, sms_sim.token)
    assert client.post("/webhooks/sms/inbound", data=form, headers={"X-Twilio-Signature": wrong}).status_code == 403
    assert db.session.query(ContactPoint).filter_by(channel="sms").one().is_active
