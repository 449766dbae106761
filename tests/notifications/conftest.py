"""Real servers for the notification tests: the SMS simulator, a webhook receiver and SMTP servers."""

import threading

import pytest
from werkzeug.serving import make_server

from app.notifications.sms.simulator import create_simulator
from tests.notifications.helpers import PHONE
from tests.notifications.sms_servers import Served, SmsSimulator, WebhookReceiver
from tests.notifications.smtp_servers import SmtpServer, authenticator


@pytest.fixture(scope="session")
def sms_server():
    """The simulator, with callbacks sent only when a test asks and retried at once."""
    served = Served(create_simulator(auto_deliver=False, retry_delay_ms=0), "sms-simulator")
    yield SmsSimulator(served.url)
    served.stop()


@pytest.fixture
def sms_sim(sms_server):
    """The simulator, reset, with account SMS_ACCOUNT (token SMS_TOKEN, number SMS_FROM)."""
    sms_server.reset()
    return sms_server


@pytest.fixture(scope="session")
def webhook_server():
    """A stand-in for OMS's webhook endpoints, for the session."""
    receiver = WebhookReceiver()
    yield receiver
    receiver.stop()


@pytest.fixture
def webhooks(webhook_server):
    """A fresh webhook receiver that answers 200 unless told otherwise."""
    webhook_server.reset()
    return webhook_server


@pytest.fixture(scope="session")
def smtp_server_session():
    """A plain SMTP server for the session."""
    server = SmtpServer()
    yield server
    server.controller.stop()


@pytest.fixture
def smtp_server(smtp_server_session):
    """A plain SMTP server without auth that accepts every message unless told to refuse."""
    smtp_server_session.reset()
    return smtp_server_session


@pytest.fixture
def smtp_auth_server():
    """An SMTP server that requires AUTH (allowed without TLS: no certificate can be made here)."""
    server = SmtpServer(authenticator=authenticator, auth_required=True, auth_require_tls=False)
    yield server
    server.controller.stop()


@pytest.fixture
def notify_app(app, smtp_server, sms_sim):
    """The test app sending through the test SMTP server and SMS simulator, and served on a port of its
    own as OMS_PUBLIC_URL, so the simulator's callbacks reach its webhooks over real HTTP."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="oms-webhooks", daemon=True)
    thread.start()
    app.config.update(
        SMTP_URL=f"smtp://127.0.0.1:{smtp_server.port}?timeout=5", MAIL_FROM="OMS <oms@test.example>",
        SMS_BASE_URL=sms_sim.url, SMS_ACCOUNT_SID=sms_sim.account, SMS_AUTH_TOKEN=sms_sim.token,
        SMS_FROM=sms_sim.from_number, OMS_PUBLIC_URL=f"http://127.0.0.1:{server.server_port}")
    yield app
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def reachable(app, factory):
    """A customer with an email (ops@example.com) and an SMS (PHONE) contact point."""
    customer = factory.customer(name="Acme Ltd")
    factory.contact(customer, "email", "ops@example.com")
    factory.contact(customer, "sms", PHONE)
    return customer
