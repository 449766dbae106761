"""The SMS client against the simulator over real HTTP: each reply becomes the right typed outcome."""

import logging
import socket
import threading

import pytest

from app.notifications.sms.client import SmsClient
from app.notifications.sms.outcomes import Accepted, Misconfigured, Permanent, Transient
from tests.notifications.sms_servers import SMS_TOKEN, free_port


def test_send_is_accepted_with_sid_status_and_segments(sms_sim, webhooks):
    callback = f"{webhooks.url}/webhooks/sms/status"
    outcome = sms_sim.client().send("+15557654321", "😀" * 36, "delivery-1", callback)
    assert isinstance(outcome, Accepted)
    assert (outcome.status, outcome.segments, outcome.replayed) == ("queued", 2, False)
    [message] = sms_sim.messages()
    assert (message["sid"], message["idempotency_key"], message["status_callback"]) == (
        outcome.sid, "delivery-1", callback)
    assert (message["to"], message["from"], message["body"]) == ("+15557654321", sms_sim.from_number, "😀" * 36)


def test_repeating_a_send_with_the_same_key_sends_once(sms_sim):
    client = sms_sim.client()
    first = client.send("+15557654321", "Hello", "delivery-2")
    again = client.send("+15557654321", "Hello", "delivery-2")
    assert isinstance(again, Accepted) and again.replayed and again.sid == first.sid
    assert len(sms_sim.messages()) == 1


def test_a_5xx_after_acceptance_is_transient_and_the_retry_with_the_same_key_sends_nothing(sms_sim):
    sms_sim.control("POST", "/faults", {"accept_then_fail_next": 1})
    client = sms_sim.client()
    lost = client.send("+15557654321", "Hello", "delivery-3")
    assert isinstance(lost, Transient) and lost.status == 500
    retried = client.send("+15557654321", "Hello", "delivery-3")
    assert isinstance(retried, Accepted) and retried.replayed
    assert [m["idempotency_key"] for m in sms_sim.messages()] == ["delivery-3"]


@pytest.mark.parametrize("status", [500, 503])
def test_5xx_is_transient(sms_sim, status):
    sms_sim.control("POST", "/faults", {"fail_next": 1, "fail_next_status": status})
    outcome = sms_sim.client().send("+15557654321", "Hello", "delivery-4")
    assert isinstance(outcome, Transient) and outcome.status == status and outcome.retry_after is None


def test_429_is_transient_with_the_providers_retry_after(sms_sim):
    sms_sim.control("POST", "/faults", {"rate_limit_per_second": 1, "rate_limit_window_seconds": 30})
    client = sms_sim.client()
    assert isinstance(client.send("+15557654321", "one", "delivery-5"), Accepted)
    outcome = client.send("+15557654321", "two", "delivery-6")
    assert isinstance(outcome, Transient) and outcome.status == 429
    assert outcome.retry_after is not None and 25 <= outcome.retry_after <= 30
    assert len(sms_sim.messages()) == 1


def test_timeout_is_transient(sms_sim):
    sms_sim.control("POST", "/faults", {"latency_ms": 1500})
    outcome = sms_sim.client(read_timeout=0.3).send("+15557654321", "Hello", "delivery-7")
    assert isinstance(outcome, Transient) and "in time" in outcome.reason


def test_connection_refused_is_transient():
    client = SmsClient(f"http://127.0.0.1:{free_port()}", "AC1", "token", "+15550001111", connect_timeout=1)
    outcome = client.send("+15557654321", "Hello", "delivery-8")
    assert isinstance(outcome, Transient) and "reached" in outcome.reason


def test_a_server_that_never_answers_is_transient():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection in the backlog, never answers
    try:
        client = SmsClient(f"http://127.0.0.1:{listener.getsockname()[1]}", "AC1", "token", "+15550001111",
                           connect_timeout=1, read_timeout=0.3)
        assert isinstance(client.send("+15557654321", "Hello", "delivery-9"), Transient)
    finally:
        listener.close()


@pytest.mark.parametrize(("to", "body", "code", "flag"), [
    ("555-0100", "Hello", 21211, "invalid_number"),
    ("+15557654321", "x" * 1601, 21617, None),
    ("+15557654321", "", 21602, None),
])
def test_400_is_permanent_with_its_code(sms_sim, to, body, code, flag):
    outcome = sms_sim.client().send(to, body, "delivery-10")
    assert isinstance(outcome, Permanent) and (outcome.code, outcome.status) == (code, 400)
    assert outcome.reason
    assert outcome.invalid_number is (flag == "invalid_number") and outcome.opted_out is False


def test_invalid_number_and_opted_out_are_said_plainly(sms_sim):
    sms_sim.control("POST", "/numbers", {"number": "+15557654321", "opted_out": True})
    client = sms_sim.client()
    stopped = client.send("+15557654321", "Hello", "delivery-11")
    assert isinstance(stopped, Permanent) and stopped.opted_out and stopped.reason == "recipient opted out"
    invalid = client.send("12", "Hello", "delivery-12")
    assert invalid.invalid_number and invalid.reason == "invalid number"


def test_a_bad_idempotency_key_or_status_callback_is_permanent(sms_sim):
    client = sms_sim.client()
    assert client.send("+15557654321", "Hello", "k" * 256).code == 20001
    assert client.send("+15557654321", "Hello", "k-cb", "not a url").code == 21609


def test_reusing_a_key_for_another_message_is_permanent(sms_sim):
    client = sms_sim.client()
    client.send("+15557654321", "one", "delivery-13")
    outcome = client.send("+15557654321", "two", "delivery-13")
    assert isinstance(outcome, Permanent) and (outcome.code, outcome.status) == (20422, 422)


def test_a_sender_number_of_another_account_is_permanent(sms_sim):
    outcome = SmsClient(sms_sim.url, sms_sim.account, SMS_TOKEN, "+15559999999").send("+15557654321", "Hi", "k")
    assert isinstance(outcome, Permanent) and outcome.code == 21606


def test_wrong_token_or_base_url_is_misconfigured(sms_sim):
    wrong_token = SmsClient(sms_sim.url, sms_sim.account, "wrong", sms_sim.from_number)
    assert isinstance(wrong_token.send("+15557654321", "Hi", "k"), Misconfigured)
    wrong_url = SmsClient(f"{sms_sim.url}/api", sms_sim.account, SMS_TOKEN, sms_sim.from_number)
    assert isinstance(wrong_url.send("+15557654321", "Hi", "k"), Misconfigured)
    assert isinstance(SmsClient("not a url", "AC1", "t", "+15550001111").send("+15557654321", "Hi", "k"),
                      Misconfigured)
    assert sms_sim.messages() == []


def test_a_token_that_cannot_go_in_a_header_is_misconfigured_not_a_crash(sms_sim):
    outcome = SmsClient(sms_sim.url, sms_sim.account, "tøkén€", sms_sim.from_number).send("+15557654321", "Hi", "k")
    assert isinstance(outcome, Misconfigured)


def test_fetch_reads_the_current_status(sms_sim):
    client = sms_sim.client()
    sid = client.send("+15557654321", "Hello", "delivery-14").sid
    sms_sim.control("POST", "/callbacks")
    fetched = client.fetch(sid)
    assert isinstance(fetched, Accepted) and (fetched.sid, fetched.status) == (sid, "delivered")
    missing = client.fetch("SM" + "f" * 32)
    assert isinstance(missing, Permanent) and missing.code == 20404


def test_the_auth_token_is_never_logged_or_shown(sms_sim, caplog):
    sms_sim.control("POST", "/faults", {"fail_next": 1})
    client = sms_sim.client()
    with caplog.at_level(logging.DEBUG):
        outcomes = [client.send("+15557654321", "Hello", "delivery-15"),
                    client.send("+15557654321", "Hello", "delivery-15"),
                    client.send("bad", "Hello", "delivery-16")]
    assert "delivery-15" in caplog.text  # the log does say what was sent
    for shown in (caplog.text, repr(client), *map(repr, outcomes)):
        assert SMS_TOKEN not in shown


def test_one_client_is_safe_across_threads(sms_sim):
    client = sms_sim.client()
    outcomes = []
    threads = [threading.Thread(target=lambda n=n: outcomes.append(client.send("+15557654321", f"m{n}", f"t-{n}")))
               for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(isinstance(outcome, Accepted) for outcome in outcomes)
    assert sorted(m["idempotency_key"] for m in sms_sim.messages()) == sorted(f"t-{n}" for n in range(8))
