"""Real servers for the notification tests: the SMS simulator and a webhook receiver."""

import pytest

from app.notifications.sms.simulator import create_simulator
from tests.notifications.sms_servers import Served, SmsSimulator, WebhookReceiver


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
