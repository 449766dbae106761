"""The SMS simulator follows sms-api.md over real HTTP: auth, validation codes, idempotency, faults."""

import re
import threading
import time
from email.utils import parsedate_to_datetime

import pytest

from app.notifications.sms.simulator.store import IDEMPOTENCY_TTL_SECONDS


@pytest.mark.parametrize("auth", [None, ("ACtest0001", "wrong-token"), ("ACother", "sms-s3cret-token-9f2e")])
def test_missing_or_wrong_credentials_are_401_20003(sms_sim, auth):
    response = sms_sim.post_message(sms_sim.form(), auth=auth)
    assert response.status_code == 401
    assert response.json()["code"] == 20003 and response.json()["message"] == "Authenticate"
    assert sms_sim.messages() == []


def test_credentials_of_another_account_do_not_open_this_one(sms_sim):
    sms_sim.control("POST", "/accounts", {"sid": "ACother", "token": "other-token", "numbers": ["+15550002222"]})
    response = sms_sim.post_message(sms_sim.form(), auth=("ACother", "other-token"))
    assert response.status_code == 401
    assert sms_sim.post_message(sms_sim.form(From="+15550002222"), account="ACother",
                                auth=("ACother", "other-token")).status_code == 201


def test_accepted_message_has_the_contract_shape(sms_sim):
    response = sms_sim.post_message(sms_sim.form(body="Hello"), key="order-1-sms")
    assert response.status_code == 201
    message = response.json()
    assert re.fullmatch(r"SM[0-9a-f]{32}", message["sid"])
    assert (message["status"], message["to"], message["from"], message["body"]) == (
        "queued", "+15557654321", "+15550001111", "Hello")
    assert message["num_segments"] == "1"
    created = parsedate_to_datetime(message["date_created"])
    assert abs(created.timestamp() - time.time()) < 60 and created.utcoffset().total_seconds() == 0
    fetched = sms_sim.get_message(message["sid"])
    assert fetched.status_code == 200
    assert fetched.json()["status"] == "queued" and fetched.json()["error_code"] is None
    assert "error_message" in fetched.json()
    assert sms_sim.messages()[0]["idempotency_key"] == "order-1-sms"


def test_unknown_message_is_404_20404(sms_sim):
    response = sms_sim.get_message("SM" + "0" * 32)
    assert response.status_code == 404 and response.json()["code"] == 20404


@pytest.mark.parametrize(("change", "code"), [
    ({"To": "5557654321"}, 21211),
    ({"To": "+1234567"}, 21211),
    ({"To": "+1234567890123456"}, 21211),
    ({"To": "+1555765432١"}, 21211),  # an Arabic-Indic digit is not an E.164 digit
    ({"To": None}, 21211),
    ({"Body": ""}, 21602),
    ({"Body": None}, 21602),
    ({"Body": "x" * 1601}, 21617),
    ({"From": "+15559999999"}, 21606),
    ({"From": None}, 21606),
    ({"StatusCallback": "not a url"}, 21609),
    ({"StatusCallback": "ftp://example.com/cb"}, 21609),
    ({"StatusCallback": "/relative/path"}, 21609),
])
def test_each_form_error_is_400_with_its_code(sms_sim, change, code):
    form = {name: value for name, value in {**sms_sim.form(), **change}.items() if value is not None}
    response = sms_sim.post_message(form, key="k-1")
    assert response.status_code == 400
    assert response.json()["code"] == code and response.json()["message"]
    assert sms_sim.messages() == []


def test_body_of_exactly_1600_characters_is_accepted(sms_sim):
    response = sms_sim.post_message(sms_sim.form(body="x" * 1600))
    assert response.status_code == 201 and response.json()["num_segments"] == str(-(-1600 // 153))


@pytest.mark.parametrize("key", ["", "k" * 256, "naïve-key", "tab\tkey"])
def test_bad_idempotency_key_is_400_20001(sms_sim, key):
    response = sms_sim.http.post(f"{sms_sim.messages_url()}.json", data=sms_sim.form(),
                                 headers={"Idempotency-Key": key.encode("utf-8")},
                                 auth=(sms_sim.account, sms_sim.token), timeout=30)
    assert response.status_code == 400 and response.json()["code"] == 20001


def test_same_key_and_form_answers_the_first_message_as_it_is_now_and_sends_nothing(sms_sim, webhooks):
    form = sms_sim.form(StatusCallback=f"{webhooks.url}/webhooks/sms/status")
    first = sms_sim.post_message(form, key="delivery-7")
    sms_sim.control("POST", f"/messages/{first.json()['sid']}/callbacks", {"statuses": ["sent"]})
    again = sms_sim.post_message(form, key="delivery-7")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["sid"] == first.json()["sid"] and again.json()["status"] == "sent"
    assert [m["idempotency_key"] for m in sms_sim.messages()] == ["delivery-7"]


def test_same_key_with_another_form_is_422_20422(sms_sim):
    assert sms_sim.post_message(sms_sim.form(body="one"), key="delivery-8").status_code == 201
    response = sms_sim.post_message(sms_sim.form(body="two"), key="delivery-8")
    assert response.status_code == 422 and response.json()["code"] == 20422
    assert len(sms_sim.messages()) == 1


def test_a_key_is_kept_24_hours_then_forgotten(sms_sim):
    first = sms_sim.post_message(sms_sim.form(), key="delivery-9").json()["sid"]
    sms_sim.control("POST", "/clock", {"advance_seconds": IDEMPOTENCY_TTL_SECONDS - 60})
    assert sms_sim.post_message(sms_sim.form(), key="delivery-9").json()["sid"] == first
    sms_sim.control("POST", "/clock", {"advance_seconds": 120})
    later = sms_sim.post_message(sms_sim.form(), key="delivery-9")
    assert later.status_code == 201 and later.json()["sid"] != first


def test_keys_belong_to_their_account(sms_sim):
    sms_sim.control("POST", "/accounts", {"sid": "ACother", "token": "other-token", "numbers": ["+15550002222"]})
    sms_sim.post_message(sms_sim.form(), key="shared-key")
    other = sms_sim.post_message(sms_sim.form(From="+15550002222", body="other"), key="shared-key",
                                 account="ACother", auth=("ACother", "other-token"))
    assert other.status_code == 201


def test_opted_out_recipient_is_400_21610(sms_sim):
    sms_sim.control("POST", "/numbers", {"number": "+15557654321", "opted_out": True})
    response = sms_sim.post_message(sms_sim.form(), key="k-stop")
    assert response.status_code == 400 and response.json()["code"] == 21610
    assert response.json()["message"] == "Attempt to send to unsubscribed recipient"
    sms_sim.control("POST", "/numbers", {"number": "+15557654321", "opted_out": False})
    assert sms_sim.post_message(sms_sim.form(), key="k-stop").status_code == 201


def test_too_fast_is_429_with_retry_after_and_every_request_counts(sms_sim):
    sms_sim.control("POST", "/faults", {"rate_limit_per_second": 2, "rate_limit_window_seconds": 30})
    sent = sms_sim.post_message(sms_sim.form())
    read = sms_sim.get_message(sent.json()["sid"])
    refused = sms_sim.post_message(sms_sim.form())
    assert (sent.status_code, read.status_code, refused.status_code) == (201, 200, 429)
    assert 25 <= int(refused.headers["Retry-After"]) <= 30
    assert refused.json()["code"] == 20429
    assert len(sms_sim.messages()) == 1


def test_the_rate_limit_window_is_one_second_by_default(sms_sim):
    sms_sim.control("POST", "/faults", {"rate_limit_per_second": 1})
    assert sms_sim.post_message(sms_sim.form()).status_code == 201
    time.sleep(1.05)
    assert sms_sim.post_message(sms_sim.form()).status_code == 201


def test_the_rate_limit_is_per_account(sms_sim):
    sms_sim.control("POST", "/accounts", {"sid": "ACother", "token": "other-token", "numbers": ["+15550002222"]})
    sms_sim.control("POST", "/faults", {"rate_limit_per_second": 1, "rate_limit_window_seconds": 30})
    assert sms_sim.post_message(sms_sim.form()).status_code == 201
    assert sms_sim.post_message(sms_sim.form()).status_code == 429
    other = sms_sim.post_message(sms_sim.form(From="+15550002222"), account="ACother", auth=("ACother", "other-token"))
    assert other.status_code == 201


@pytest.mark.parametrize("status", [500, 503])
def test_fail_next_answers_5xx_and_sends_nothing(sms_sim, status):
    sms_sim.control("POST", "/faults", {"fail_next": 1, "fail_next_status": status})
    assert sms_sim.post_message(sms_sim.form()).status_code == status
    assert sms_sim.messages() == []
    assert sms_sim.post_message(sms_sim.form()).status_code == 201


def test_error_rate_is_repeatable_with_a_seed(sms_sim):
    def run() -> list[int]:
        sms_sim.control("POST", "/reset", {"seed": 5})
        sms_sim.control("POST", "/accounts", {"sid": sms_sim.account, "token": sms_sim.token,
                                              "numbers": [sms_sim.from_number]})
        sms_sim.control("POST", "/faults", {"error_rate": 0.5})
        return [sms_sim.post_message(sms_sim.form()).status_code for _ in range(12)]

    first = run()
    assert set(first) <= {201, 500, 503} and 201 in first and set(first) - {201}
    assert run() == first


def test_a_5xx_may_come_after_the_message_was_accepted(sms_sim):
    sms_sim.control("POST", "/faults", {"accept_then_fail_next": 1})
    assert sms_sim.post_message(sms_sim.form(), key="k-lost").status_code == 500
    retry = sms_sim.post_message(sms_sim.form(), key="k-lost")
    assert retry.status_code == 200
    assert [m["sid"] for m in sms_sim.messages()] == [retry.json()["sid"]]


def test_latency_delays_the_answer(sms_sim):
    sms_sim.control("POST", "/faults", {"latency_ms": 300})
    started = time.monotonic()
    sms_sim.post_message(sms_sim.form())
    assert time.monotonic() - started >= 0.3


def test_a_request_slowed_past_a_reset_does_not_land_after_it(sms_sim):
    sms_sim.control("POST", "/faults", {"latency_ms": 800})
    answers = []
    slow = threading.Thread(target=lambda: answers.append(sms_sim.post_message(sms_sim.form())))
    slow.start()
    time.sleep(0.3)
    sms_sim.reset()  # what the next test does while the previous test's client has given up
    slow.join()
    assert answers[0].status_code == 503 and sms_sim.messages() == []


@pytest.mark.parametrize(("path", "body"), [
    ("/faults", {"error_rate": 2}),
    ("/faults", {"fail_next_status": 404}),
    ("/faults", {"rate_limit_window_seconds": 0}),
    ("/faults", {"nonsense": 1}),
    ("/accounts", {"sid": "ACx", "token": "t", "numbers": ["5550001111"]}),
    ("/numbers", {"number": "+15557654321", "undeliverable": "lost"}),
    ("/inbound", {"from": "+15557654321"}),
])
def test_controls_refuse_bad_settings_with_422(sms_sim, path, body):
    response = sms_sim.http.post(f"{sms_sim.url}/_sim{path}", json=body, timeout=30)
    assert response.status_code == 422 and response.json()["fields"]


def test_reset_brings_back_only_the_start_up_accounts(sms_sim):
    sms_sim.post_message(sms_sim.form())
    sms_sim.control("POST", "/reset")
    assert sms_sim.messages() == []
    assert sms_sim.post_message(sms_sim.form()).status_code == 401
