"""What a delivery says: subject and bodies rendered from templates, plus the signed unsubscribe link."""
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from app.extensions import db
from app.notifications.email.messages import OutgoingEmail, message_id
from app.notifications.events import ANNOUNCEMENT, EVENTS
from app.notifications.models import Announcement, Delivery
from app.outbox.models import OutboxEvent

UNSUBSCRIBE_PATH = "/notifications/unsubscribe/"


class _Blank(dict):
    """format_map that leaves a missing payload field blank instead of failing the whole batch."""

    def __missing__(self, key):
        return ""


@dataclass(frozen=True)
class Content:
    """The words of one delivery."""

    subject: str
    context: dict
    announcement: Announcement | None


def content_of(delivery: Delivery) -> Content:
    """The event's payload (or the announcement) as the templates see it."""
    payload = db.session.get(OutboxEvent, delivery.outbox_event_id).payload if delivery.outbox_event_id else {}
    announcement = db.session.get(Announcement, delivery.announcement_id) if delivery.announcement_id else None
    if announcement is not None:
        return Content(announcement.subject, {"announcement": announcement}, announcement)
    event = EVENTS[delivery.event_type]
    return Content(event.subject.format_map(_Blank(payload)), {"payload": payload, "event": event}, None)


def render(name: str, **context) -> str:
    """A template rendered without the page context processors: a job has no request to give them."""
    return current_app.jinja_env.get_template(name).render(**context)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="notifications.unsubscribe")


def unsubscribe_token(customer_id: int, channel: str) -> str:
    """A signed token naming the customer and channel whose announcements a one-click POST turns off."""
    return _serializer().dumps([customer_id, channel])


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """(customer id, channel) from a token we signed, or None for anything else."""
    try:
        customer_id, channel = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    return (customer_id, channel) if isinstance(customer_id, int) and isinstance(channel, str) else None


def email_for(delivery: Delivery) -> OutgoingEmail:
    """The email of a delivery; its Message-ID comes from the delivery key, so a resend of it keeps it."""
    content = content_of(delivery)
    public_url = current_app.config["OMS_PUBLIC_URL"]
    template = f"notifications/email/{delivery.event_type}"
    context = {**content.context, "subject": content.subject}
    unsubscribe = None
    if delivery.event_type == ANNOUNCEMENT:
        unsubscribe = public_url + UNSUBSCRIBE_PATH + unsubscribe_token(delivery.customer_id, delivery.channel)
    return OutgoingEmail(
        to=delivery.address, subject=content.subject, text=render(f"{template}.txt", **context),
        html=render(f"{template}.html", **context), unsubscribe_url=unsubscribe,
        message_id=message_id(delivery.key, urlsplit(public_url).hostname or "oms.invalid"))


def sms_text_for(delivery: Delivery) -> str:
    """The SMS body of a delivery."""
    content = content_of(delivery)
    if content.announcement is not None:
        return content.announcement.sms_text or content.subject
    return render(f"notifications/sms/{delivery.event_type}.txt", subject=content.subject,
                           **content.context).strip()
