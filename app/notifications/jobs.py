"""The notification jobs: the relay pass, and the senders that take one batch of deliveries each.

Thin wrappers run by worker.py inside its app context; the rules live in lifecycle.py and content.py.
"""
import logging

from flask import current_app

from app.notifications.content import email_for, sms_text_for
from app.notifications.email.outcomes import Permanent as EmailPermanent
from app.notifications.email.outcomes import Sent
from app.notifications.email.smtp import SmtpSession, parse_smtp_url
from app.notifications.lifecycle import claim, mark_failed, mark_for_retry, mark_sent, move_forward
from app.notifications.relay import relay_once
from app.notifications.sms.client import SmsClient
from app.notifications.sms.outcomes import Accepted
from app.notifications.sms.outcomes import Permanent as SmsPermanent
from app.notifications.webhooks import STATUS_PATH, provider_status

logger = logging.getLogger("oms.notifications")


def relay_job() -> str:
    """The scheduler's periodic job: one relay pass; returns its summary."""
    return relay_once().summary()


def send_email_batch_job(delivery_ids: list[int]) -> int:
    """Send a batch of email deliveries over one SMTP connection; returns how many were sent."""
    config = current_app.config
    sent = 0
    with SmtpSession(parse_smtp_url(config["SMTP_URL"]), config["MAIL_FROM"]) as smtp:
        for delivery_id in delivery_ids:
            delivery = claim(delivery_id)
            if delivery is None:
                continue  # sent, failed or being sent by another worker
            outcome = smtp.send(email_for(delivery))
            if isinstance(outcome, Sent):
                mark_sent(delivery, outcome.message_id, "accepted by the SMTP server")
                sent += 1
            elif isinstance(outcome, EmailPermanent):
                mark_failed(delivery, outcome.reason, disable_contact=True)
            else:  # Transient, or Misconfigured: our settings, not the address, so try again later
                mark_for_retry(delivery, outcome.reason)
    return sent


def send_sms_batch_job(delivery_ids: list[int]) -> int:
    """Send a batch of SMS deliveries through one HTTP session; returns how many the provider took."""
    config = current_app.config
    client = SmsClient.from_config(config)
    callback = config["OMS_PUBLIC_URL"] + STATUS_PATH
    sent = 0
    for delivery_id in delivery_ids:
        delivery = claim(delivery_id)
        if delivery is None:
            continue
        # The delivery key is the Idempotency-Key: a resend after a crash is answered, not sent again.
        outcome = client.send(delivery.address, sms_text_for(delivery), delivery.key, status_callback=callback)
        if isinstance(outcome, Accepted):
            mark_sent(delivery, outcome.sid, f"accepted as {outcome.sid} ({outcome.status})")
            status = provider_status(outcome.status)
            if status:
                move_forward(delivery.id, status)
            sent += 1
        elif isinstance(outcome, SmsPermanent):
            mark_failed(delivery, outcome.reason, disable_contact=outcome.opted_out or outcome.invalid_number)
        else:
            mark_for_retry(delivery, outcome.reason, getattr(outcome, "retry_after", None))
    return sent
