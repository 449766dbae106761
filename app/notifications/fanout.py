"""Fan-out: one outbox event becomes one delivery row per contact point, queued or suppressed with the reason."""
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.customers.models import Customer
from app.extensions import db
from app.notifications.events import ANNOUNCEMENT, EVENTS, SMS
from app.notifications.models import QUEUED, SUPPRESSED, Announcement, ContactPoint, Delivery, Preference
from app.notifications.services import effective_choice
from app.outbox.models import OutboxEvent

INSERT_CHUNK = 1000


def delivery_key(event_id: int, channel: str, point_id: int) -> str:
    """The unique key of one event's delivery to one contact point (also the SMS Idempotency-Key)."""
    return f"ev{event_id}-{channel}-{point_id}"


def _audience(event: OutboxEvent) -> list[int] | None:
    """The customer ids an event is for: its customer, or every active customer for an announcement."""
    if event.event == ANNOUNCEMENT:
        return db.session.execute(select(Customer.id).where(Customer.archived_at.is_(None))).scalars().all()
    customer_id = (event.payload or {}).get("customer_id")
    return [customer_id] if isinstance(customer_id, int) else None


def _choices(customer_ids: list[int], event_type: str) -> dict[tuple[int, str], bool]:
    """{(customer, channel): enabled} for the rows customers saved for one event type."""
    rows = db.session.execute(select(Preference.customer_id, Preference.channel, Preference.enabled).where(
        Preference.customer_id.in_(customer_ids), Preference.event_type == event_type)).all()
    return {(customer, channel): enabled for customer, channel, enabled in rows}


def _why_not(point: ContactPoint, event_type, chosen: bool | None, announcement: Announcement | None) -> str | None:
    """Why this contact point does not get this event, or None when it does."""
    if point.archived_at is not None:
        return "the contact point is archived"
    if point.disabled_at is not None:
        return f"the contact point is disabled: {point.disabled_reason}"
    if not effective_choice(event_type, point.channel, chosen):
        return "turned off in the customer's preferences" if chosen is False else "off by default for this channel"
    if announcement is not None and point.channel == SMS and not announcement.sms_text:
        return "the announcement has no SMS text"
    return None


def expand(event: OutboxEvent) -> list[dict]:
    """The delivery rows for one event (none for an event no client hears about)."""
    event_type = EVENTS.get(event.event)
    customer_ids = _audience(event) if event_type else None
    if not customer_ids:
        return []
    announcement_id = (event.payload or {}).get("announcement_id") if event.event == ANNOUNCEMENT else None
    announcement = db.session.get(Announcement, announcement_id) if announcement_id else None
    rows = []
    for start in range(0, len(customer_ids), INSERT_CHUNK):
        chunk = customer_ids[start:start + INSERT_CHUNK]
        chosen = _choices(chunk, event.event)
        points = db.session.execute(select(ContactPoint).where(ContactPoint.customer_id.in_(chunk))
                                    .order_by(ContactPoint.id)).scalars()
        for point in points:
            reason = _why_not(point, event_type, chosen.get((point.customer_id, point.channel)), announcement)
            rows.append({
                "key": delivery_key(event.id, point.channel, point.id), "outbox_event_id": event.id,
                "announcement_id": announcement_id, "customer_id": point.customer_id, "contact_point_id": point.id,
                "channel": point.channel, "address": point.address, "event_type": event.event,
                "status": SUPPRESSED if reason else QUEUED, "reason": reason})
    return rows


def insert_new(rows: list[dict]) -> dict[str, int]:
    """INSERT .. ON CONFLICT (key) DO NOTHING; returns how many new rows per status."""
    table = Delivery.__table__
    dialect_insert = postgresql_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = dialect_insert(table).on_conflict_do_nothing(index_elements=["key"]).returning(table.c.status)
    counts: dict[str, int] = defaultdict(int)
    for start in range(0, len(rows), INSERT_CHUNK):
        for (status,) in db.session.execute(statement, rows[start:start + INSERT_CHUNK]).all():
            counts[status] += 1
    return dict(counts)
