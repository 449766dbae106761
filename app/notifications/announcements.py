"""Announcements: staff write one message, the relay fans it out to every active client like any event."""
from collections import Counter

from sqlalchemy import func, insert, select

from app.common.errors import ValidationError
from app.common.transactions import run_in_transaction
from app.extensions import db
from app.notifications.events import ANNOUNCEMENT
from app.notifications.models import FINAL_STATUSES, Announcement, Delivery
from app.outbox.models import OutboxEvent
from app.outbox.services import record_event


def create_announcement(subject: str, body: str, sms_text: str | None = None, user_id: int | None = None) -> int:
    """Save the announcement and its outbox event in one transaction; returns its id."""
    subject, body, sms_text = (subject or "").strip(), (body or "").strip(), (sms_text or "").strip() or None
    errors = {}
    if not subject or len(subject) > 200 or "\n" in subject:
        errors["subject"] = "Write a one-line subject of at most 200 characters."
    if not body:
        errors["body"] = "Write the email's text."
    if sms_text is not None and len(sms_text) > 1600:
        errors["sms_text"] = "An SMS can hold at most 1,600 characters."
    if errors:
        raise ValidationError(errors)

    def work():
        announcement_id = db.session.execute(insert(Announcement).returning(Announcement.id), {
            "subject": subject, "body": body, "sms_text": sms_text, "created_by_id": user_id}).scalar_one()
        record_event(ANNOUNCEMENT, {"announcement_id": announcement_id})
        return announcement_id

    return run_in_transaction(work)


def announcement_counts(announcement_id: int) -> Counter:
    """{(channel, status): n} of an announcement's deliveries."""
    rows = db.session.execute(select(Delivery.channel, Delivery.status, func.count()).where(
        Delivery.announcement_id == announcement_id).group_by(Delivery.channel, Delivery.status)).all()
    return Counter({(channel, status): n for channel, status, n in rows})


def is_finished(announcement_id: int, counts: Counter) -> bool:
    """Fanned out, and every delivery has an outcome (sent counts: the provider has it; reports come later)."""
    fanned_out = db.session.execute(select(OutboxEvent.id).where(
        OutboxEvent.event == ANNOUNCEMENT, OutboxEvent.processed_at.is_not(None),
        OutboxEvent.payload["announcement_id"].as_integer() == announcement_id)).first()
    return fanned_out is not None and all(status in FINAL_STATUSES or status == "sent" for _, status in counts)
