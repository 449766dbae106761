"""The dev servers start from their documented commands and do their job over real sockets."""

import subprocess
import sys
import time

import pytest
import requests

from app.notifications.email.messages import OutgoingEmail
from app.notifications.email.outcomes import Sent
from app.notifications.email.smtp import SmtpSession, parse_smtp_url
from app.notifications.sms.client import SmsClient
from app.notifications.sms.outcomes import Accepted
from tests.notifications.sms_servers import free_port


@pytest.fixture
def start():
    """Start `python -m module args...` and wait for its first line; stop it after the test."""
    processes = []

    def run(*args: str) -> subprocess.Popen:
        process = subprocess.Popen([sys.executable, "-u", "-m", *args], stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True)
        processes.append(process)
        process.first_line = process.stdout.readline()
        return process

    yield run
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


def _wait_until(check, seconds: float = 10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except (requests.ConnectionError, OSError):
            pass
        time.sleep(0.1)
    raise AssertionError("the server did not come up")


def test_the_smtp_sink_prints_each_message(start):
    port = free_port()
    sink = start("app.notifications.email.sink", "--port", str(port))
    assert f"smtp://127.0.0.1:{port}" in sink.first_line
    with SmtpSession(parse_smtp_url(f"smtp://127.0.0.1:{port}?timeout=5"), "oms@example.com") as smtp:
        outcome = smtp.send(OutgoingEmail("a@example.com", "Order shipped", "Hello", "<d-1@oms.example>"))
    assert outcome == Sent("<d-1@oms.example>")
    line = sink.stdout.readline()
    assert "<d-1@oms.example>" in line and "a@example.com" in line and "Order shipped" in line


def test_the_sms_simulator_runs_with_its_account(start):
    port = free_port()
    start("app.notifications.sms.simulator", "--port", str(port), "--account", "AC0123",
          "--token", "dev-token", "--from", "+15550001111", "--seed", "3")
    url = f"http://127.0.0.1:{port}"
    _wait_until(lambda: requests.get(f"{url}/_sim/faults", timeout=1).ok)
    outcome = SmsClient(url, "AC0123", "dev-token", "+15550001111").send("+15557654321", "Hi", "k-1")
    assert isinstance(outcome, Accepted)
    requests.post(f"{url}/_sim/reset", timeout=5)  # the start-up account survives a reset
    again = SmsClient(url, "AC0123", "dev-token", "+15550001111").send("+15557654321", "Hi", "k-1")
    assert isinstance(again, Accepted) and not again.replayed


@pytest.mark.parametrize(("args", "message"), [
    (["--account", "AC1"], "--account needs --token and --from"),
    (["--account", "AC1", "--token", "t", "--from", "5550001111"], "--from must be E.164"),
    (["--account", "AC1", "--token", "t", "--from", "+15550001111", "--inbound-url", "oms/hook"], "--inbound-url"),
])
def test_the_sms_simulator_refuses_bad_options(args, message):
    result = subprocess.run([sys.executable, "-m", "app.notifications.sms.simulator", *args],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and message in result.stderr
