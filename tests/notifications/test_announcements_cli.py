"""flask announcements send --wait, with a real worker process sending, as in production."""
import pytest

from tests.notifications.helpers import deliveries, start_worker

pytestmark = pytest.mark.usefixtures("notify_app")


@pytest.fixture
def worker(app, tmp_path):
    """A real worker on the email and sms queues for the test, stopped (by its pid) afterwards."""
    process = start_worker(app, tmp_path / "worker.log", "email", "sms")
    yield process
    process.terminate()
    process.wait(timeout=10)


def test_send_and_wait_prints_the_counts_and_fails_if_any_delivery_failed(runner, factory, worker, smtp_server, sms_sim):
    for n in range(3):
        customer = factory.customer()
        factory.contact(customer, "email", f"client{n}@example.com")
        factory.contact(customer, "sms", f"+1555700{n:04d}")
    factory.contact(factory.customer(), "email", "gone@example.com")
    smtp_server.handler.refusals["gone@example.com"] = "550 5.1.1 no such mailbox"

    result = runner.invoke(args=["announcements", "send", "--subject", "Closed Monday", "--body", "We are closed.",
                                 "--sms", "Closed Monday", "--wait", "--timeout", "60"])

    assert result.exit_code == 1, result.output
    assert result.output.strip().splitlines()[-1] == "email: failed 1, sent 3; sms: sent 3"
    assert len(smtp_server.handler.received) == 3 and len(sms_sim.messages()) == 3
    assert {d.announcement_id for d in deliveries()} == {1}


def test_send_without_wait_fans_out_and_returns(runner, factory):
    factory.contact(factory.customer(), "email", "a@example.com")
    result = runner.invoke(args=["announcements", "send", "--subject", "Hi", "--body", "Hello"])
    assert result.exit_code == 0 and "sent to the relay" in result.output
    assert [d.status for d in deliveries()] == ["queued"]


def test_a_bad_announcement_is_refused_in_one_line(runner):
    result = runner.invoke(args=["announcements", "send", "--subject", " ", "--body", "Hello"])
    assert result.exit_code != 0 and "one-line subject" in result.output
