"""The SMTP sender against a real aiosmtpd server: what it received, over how many connections."""

import socket
import time

import pytest

from app.notifications.email.messages import OutgoingEmail, message_id
from app.notifications.email.outcomes import Misconfigured, Permanent, Sent, Transient
from app.notifications.email.smtp import InvalidSmtpUrl, SmtpSession, parse_smtp_url
from tests.notifications.sms_servers import free_port
from tests.notifications.smtp_servers import SMTP_PASSWORD, SMTP_USER, SmtpServer

# aiosmtpd warns, for every connection, that AUTH without TLS is unsafe: here that is the point.
AUTH_WITHOUT_TLS = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
MAIL_FROM = "OMS Notifications <notify@oms.example>"


def _email(n: int = 1, **changes) -> OutgoingEmail:
    fields = {"to": f"client{n}@example.com", "subject": f"Order #{n} confirmed",
              "text": f"Hello, your order {n} is confirmed.\n", "message_id": message_id(f"delivery-{n}", "oms.example"),
              "html": f"<p>Hello, your order <b>{n}</b> is confirmed.</p>"}
    return OutgoingEmail(**{**fields, **changes})


def test_a_batch_goes_over_one_connection_with_every_part_and_header(smtp_server):
    emails = [_email(n) for n in range(1, 6)]
    with SmtpSession(smtp_server.settings(), MAIL_FROM) as smtp:
        outcomes = [smtp.send(email) for email in emails]
    assert outcomes == [Sent(f"<delivery-{n}@oms.example>") for n in range(1, 6)]
    received = smtp_server.handler.received
    assert len(received) == 5
    assert len({item.peer for item in received}) == 1  # one connection for the whole batch
    for n, item in enumerate(received, start=1):
        message = item.message
        assert (item.mail_from, item.rcpt_tos) == ("notify@oms.example", [f"client{n}@example.com"])
        assert message["From"] == MAIL_FROM and message["To"] == f"client{n}@example.com"
        assert message["Subject"] == f"Order #{n} confirmed"
        assert message["Message-ID"] == f"<delivery-{n}@oms.example>"
        assert message.get_content_type() == "multipart/alternative"
        assert message.get_body(("plain",)).get_content() == f"Hello, your order {n} is confirmed.\n"
        assert message.get_body(("html",)).get_content().strip() == f"<p>Hello, your order <b>{n}</b> is confirmed.</p>"
        assert message["List-Unsubscribe"] is None and message["List-Unsubscribe-Post"] is None


def test_one_click_unsubscribe_headers(smtp_server):
    url = "https://oms.example/unsubscribe/abc.def"
    with SmtpSession(smtp_server.settings(), MAIL_FROM) as smtp:
        smtp.send(_email(unsubscribe_url=url, html=None))
    message = smtp_server.handler.received[0].message
    assert message["List-Unsubscribe"] == f"<{url}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_content_type() == "text/plain"


def test_a_resend_keeps_the_message_id_and_non_ascii_text_survives(smtp_server):
    email = _email(subject="Commande n° 7 — confirmée ✓", text="Merci ! 😀\n", message_id="delivery-7@oms.example")
    for _ in range(2):
        with SmtpSession(smtp_server.settings(), MAIL_FROM) as smtp:
            assert isinstance(smtp.send(email), Sent)
    first, second = (item.message for item in smtp_server.handler.received)
    assert first["Message-ID"] == second["Message-ID"] == "<delivery-7@oms.example>"
    assert first["Subject"] == "Commande n° 7 — confirmée ✓"
    assert first.get_body(("plain",)).get_content() == "Merci ! 😀\n"


def test_4xx_is_transient_5xx_permanent_with_the_server_reply_and_the_batch_goes_on(smtp_server):
    smtp_server.handler.refusals.update({"client2@example.com": "450 4.2.1 Mailbox busy, try later",
                                        "client3@example.com": "550 5.1.1 No such user here"})
    with SmtpSession(smtp_server.settings(), MAIL_FROM) as smtp:
        outcomes = [smtp.send(_email(n)) for n in range(1, 5)]
    assert isinstance(outcomes[0], Sent) and isinstance(outcomes[3], Sent)
    assert outcomes[1] == Transient("450 4.2.1 Mailbox busy, try later", 450)
    assert outcomes[2] == Permanent("550 5.1.1 No such user here", 550)
    received = smtp_server.handler.received
    assert [item.rcpt_tos for item in received] == [["client1@example.com"], ["client4@example.com"]]
    assert len({item.peer for item in received}) == 1


def test_connection_refused_is_transient():
    with SmtpSession(parse_smtp_url(f"smtp://127.0.0.1:{free_port()}?timeout=2"), MAIL_FROM) as smtp:
        outcome = smtp.send(_email())
    assert isinstance(outcome, Transient) and "ConnectionRefusedError" in outcome.reason


def test_a_server_that_never_greets_is_a_transient_timeout():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    try:
        settings = parse_smtp_url(f"smtp://127.0.0.1:{listener.getsockname()[1]}?timeout=0.3")
        with SmtpSession(settings, MAIL_FROM) as smtp:
            outcome = smtp.send(_email())
    finally:
        listener.close()
    assert isinstance(outcome, Transient) and "timed out" in outcome.reason


def test_a_link_the_server_dropped_is_transient_and_the_next_send_reconnects():
    server = SmtpServer(timeout=1.0)  # aiosmtpd closes a connection idle for 1 s
    try:
        with SmtpSession(server.settings(), MAIL_FROM) as smtp:
            assert isinstance(smtp.send(_email(1)), Sent)
            time.sleep(2.5)
            assert isinstance(smtp.send(_email(2)), Transient)
            assert isinstance(smtp.send(_email(3)), Sent)
    finally:
        server.controller.stop()
    received = server.handler.received
    assert [item.rcpt_tos for item in received] == [["client1@example.com"], ["client3@example.com"]]
    assert len({item.peer for item in received}) == 2


@AUTH_WITHOUT_TLS
def test_login_with_the_url_credentials(smtp_auth_server):
    user = f"{SMTP_USER}:{SMTP_PASSWORD.replace('@', '%40').replace(' ', '%20')}@"
    with SmtpSession(smtp_auth_server.settings(user), MAIL_FROM) as smtp:
        assert isinstance(smtp.send(_email()), Sent)
    assert len(smtp_auth_server.handler.received) == 1


@AUTH_WITHOUT_TLS
def test_wrong_password_or_missing_login_is_misconfigured(smtp_auth_server):
    with SmtpSession(smtp_auth_server.settings(f"{SMTP_USER}:wrong@"), MAIL_FROM) as smtp:
        assert isinstance(smtp.send(_email()), Misconfigured)
    with SmtpSession(smtp_auth_server.settings(), MAIL_FROM) as smtp:
        outcome = smtp.send(_email())
    assert isinstance(outcome, Misconfigured) and outcome.code == 530
    assert smtp_auth_server.handler.received == []


def test_starttls_against_a_server_without_it_is_misconfigured(smtp_server):
    settings = parse_smtp_url(f"smtp://127.0.0.1:{smtp_server.port}?starttls=1&timeout=5")
    with SmtpSession(settings, MAIL_FROM) as smtp:
        outcome = smtp.send(_email())
    assert isinstance(outcome, Misconfigured) and "STARTTLS" in outcome.reason
    assert smtp_server.handler.received == []


def test_a_header_with_a_line_break_is_refused_before_sending(smtp_server):
    with SmtpSession(smtp_server.settings(), MAIL_FROM) as smtp:
        outcome = smtp.send(_email(subject="Hi\nBcc: everyone@example.com"))
    assert isinstance(outcome, Permanent) and smtp_server.handler.received == []


@pytest.mark.parametrize(("url", "expected"), [
    ("smtp://127.0.0.1:1025", ("127.0.0.1", 1025, False, False, None, None)),
    ("smtp://mail.example.com", ("mail.example.com", 25, False, False, None, None)),
    ("smtp://user:pass@mail.example.com:587?starttls=1", ("mail.example.com", 587, False, True, "user", "pass")),
    ("smtp://mail.example.com?starttls=true", ("mail.example.com", 587, False, True, None, None)),
    ("smtps://u%40x.com:p%3Aw%20d@mail.example.com", ("mail.example.com", 465, True, False, "u@x.com", "p:w d")),
    ("smtps://mail.example.com:2465", ("mail.example.com", 2465, True, False, None, None)),
])
def test_parse_smtp_url(url, expected):
    s = parse_smtp_url(url)
    assert (s.host, s.port, s.implicit_tls, s.starttls, s.username, s.password) == expected


@pytest.mark.parametrize("url", [
    "http://mail.example.com", "smtp://", "smtp://:25", "smtp://host:99999", "smtp://host?starttls=maybe",
    "smtps://host?starttls=1", "smtp://host?timeout=0", "smtp://host?timeout=x", "smtp://host?tls=1",
])
def test_parse_smtp_url_refuses_unusable_urls(url):
    with pytest.raises(InvalidSmtpUrl):
        parse_smtp_url(url)


def test_the_password_stays_out_of_repr():
    assert "hunter2" not in repr(parse_smtp_url("smtp://user:hunter2@mail.example.com"))
