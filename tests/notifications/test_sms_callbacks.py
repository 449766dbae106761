"""Status callbacks and inbound messages from the simulator: signed, retried, late, twice, out of order."""

from app.notifications.sms.client import verify_signature
from app.notifications.sms.simulator.callbacks import MAX_RETRIES


def _send(sms_sim, webhooks, to="+15557654321", key="delivery-1", path="/webhooks/sms/status?d=1"):
    response = sms_sim.post_message(sms_sim.form(to=to, StatusCallback=f"{webhooks.url}{path}"), key=key)
    assert response.status_code == 201
    return response.json()["sid"]


def _statuses(webhooks) -> list[str]:
    return [hit["form"]["MessageStatus"][0] for hit in webhooks.requests]


def _flat(form: dict) -> dict:
    return {name: values[0] for name, values in form.items()}


def test_callbacks_are_signed_over_the_full_url_and_every_parameter(sms_sim, webhooks):
    sid = _send(sms_sim, webhooks)
    sms_sim.control("POST", "/callbacks")
    assert _statuses(webhooks) == ["sent", "delivered"]
    for hit in webhooks.requests:
        form = hit["form"]
        assert hit["url"] == f"{webhooks.url}/webhooks/sms/status?d=1"
        assert _flat(form)["MessageSid"] == sid and _flat(form)["AccountSid"] == sms_sim.account
        assert (_flat(form)["To"], _flat(form)["From"]) == ("+15557654321", sms_sim.from_number)
        assert "ErrorCode" not in form
        assert verify_signature(hit["url"], form_pairs(form), hit["signature"], sms_sim.token)
        assert not verify_signature(hit["url"], form_pairs(form), hit["signature"], "another-token")
        assert not verify_signature(hit["url"].replace("?d=1", ""), form_pairs(form), hit["signature"],
                                    sms_sim.token)
    assert sms_sim.get_message(sid).json()["status"] == "delivered"


def form_pairs(form: dict) -> list[tuple[str, str]]:
    return [(name, value) for name, values in form.items() for value in values]


def test_a_callback_not_answered_2xx_is_sent_again_up_to_3_times(sms_sim, webhooks):
    sid = _send(sms_sim, webhooks)
    webhooks.statuses.extend([500] * 10)
    result = sms_sim.control("POST", f"/messages/{sid}/callbacks", {"statuses": ["sent"]})
    assert result == [{"status": "sent", "attempts": [500] * (1 + MAX_RETRIES)}]
    assert len(webhooks.requests) == 1 + MAX_RETRIES == 4
    assert len({hit["signature"] for hit in webhooks.requests}) == 1


def test_retrying_stops_at_the_first_2xx(sms_sim, webhooks):
    sid = _send(sms_sim, webhooks)
    webhooks.statuses.extend([503, 403, 204])
    result = sms_sim.control("POST", f"/messages/{sid}/callbacks", {"statuses": ["delivered"]})
    assert result[0]["attempts"] == [503, 403, 204]
    assert [entry["status"] for entry in sms_sim.callbacks()] == [503, 403, 204]


def test_an_unreachable_callback_url_is_retried_and_logged(sms_sim):
    response = sms_sim.post_message(sms_sim.form(StatusCallback="http://127.0.0.1:9/cb"), key="k")
    result = sms_sim.control("POST", f"/messages/{response.json()['sid']}/callbacks", {"statuses": ["sent"]})
    assert result[0]["attempts"] == [None] * 4


def test_undeliverable_number_fails_without_sent_and_carries_error_code(sms_sim, webhooks):
    sms_sim.control("POST", "/numbers", {"number": "+15550009999", "undeliverable": "failed", "error_code": 30005})
    sid = _send(sms_sim, webhooks, to="+15550009999")
    sms_sim.control("POST", "/callbacks")
    assert _statuses(webhooks) == ["failed"]
    assert _flat(webhooks.requests[0]["form"])["ErrorCode"] == "30005"
    message = sms_sim.get_message(sid).json()
    assert (message["status"], message["error_code"]) == ("failed", 30005)
    assert message["error_message"]


def test_undelivered_comes_after_sent(sms_sim, webhooks):
    sms_sim.control("POST", "/numbers", {"number": "+15550009998", "undeliverable": "undelivered"})
    _send(sms_sim, webhooks, to="+15550009998")
    sms_sim.control("POST", "/callbacks")
    assert _statuses(webhooks) == ["sent", "undelivered"]
    assert _flat(webhooks.requests[1]["form"])["ErrorCode"] == "30003"
    assert "ErrorCode" not in webhooks.requests[0]["form"]


def test_callbacks_can_come_out_of_order_and_twice_but_the_status_only_moves_forward(sms_sim, webhooks):
    sid = _send(sms_sim, webhooks)
    sms_sim.control("POST", f"/messages/{sid}/callbacks", {"statuses": ["delivered", "sent"], "repeat": 2})
    assert _statuses(webhooks) == ["delivered", "delivered", "sent", "sent"]
    assert sms_sim.get_message(sid).json()["status"] == "delivered"


def test_a_late_callback_after_a_flush_is_still_signed(sms_sim, webhooks):
    sid = _send(sms_sim, webhooks)
    sms_sim.control("POST", "/callbacks")
    sms_sim.control("POST", f"/messages/{sid}/callbacks", {"statuses": ["sent"]})
    late = webhooks.requests[-1]
    assert _flat(late["form"])["MessageStatus"] == "sent"
    assert verify_signature(late["url"], form_pairs(late["form"]), late["signature"], sms_sim.token)


def test_messages_without_status_callback_get_no_posts(sms_sim, webhooks):
    sid = sms_sim.post_message(sms_sim.form()).json()["sid"]
    assert sms_sim.control("POST", "/callbacks") == {"advanced": 1}
    assert webhooks.requests == [] and sms_sim.get_message(sid).json()["status"] == "delivered"


def test_auto_delivery_sends_callbacks_in_the_background(sms_sim, webhooks):
    sms_sim.control("POST", "/delivery", {"auto_deliver": True})
    _send(sms_sim, webhooks)
    assert [hit["form"]["MessageStatus"][0] for hit in webhooks.wait_for(2)] == ["sent", "delivered"]


def test_inbound_stop_is_posted_signed_and_opts_the_number_out_then_start_opts_in(sms_sim, webhooks):
    inbound_url = f"{webhooks.url}/webhooks/sms/inbound"
    sms_sim.control("POST", "/accounts", {"sid": sms_sim.account, "token": sms_sim.token,
                                          "numbers": [sms_sim.from_number], "inbound_url": inbound_url})
    result = sms_sim.control("POST", "/inbound", {"from": "+15557654321", "body": "  stop "})
    assert result["attempts"] == [200] and result["opt_change"] == "out"
    hit = webhooks.requests[0]
    form = _flat(hit["form"])
    assert hit["url"] == inbound_url
    assert (form["From"], form["To"], form["Body"]) == ("+15557654321", sms_sim.from_number, "  stop ")
    assert form["MessageSid"].startswith("SM")
    assert verify_signature(hit["url"], form_pairs(hit["form"]), hit["signature"], sms_sim.token)
    assert sms_sim.post_message(sms_sim.form()).json()["code"] == 21610

    sms_sim.control("POST", "/inbound", {"from": "+15557654321", "body": "START"})
    assert sms_sim.post_message(sms_sim.form()).status_code == 201


def test_inbound_needs_a_url(sms_sim):
    response = sms_sim.http.post(f"{sms_sim.url}/_sim/inbound", json={"from": "+15557654321", "body": "hi"})
    assert response.status_code == 422 and "url" in response.json()["fields"]
