"""Small readers and actions the notification tests share."""
from sqlalchemy import select

from app.common.transactions import run_in_transaction
from app.extensions import db
from app.notifications.models import Delivery
from app.notifications.relay import relay_once
from app.outbox.services import record_event
from app.queues import EMAIL, SMS
from tests.sync.helpers import run_worker

PHONE = "+15557654321"


def deliveries(**where) -> list[Delivery]:
    """Every delivery (optionally filtered by column values), oldest first, read fresh."""
    db.session.expire_all()
    stmt = select(Delivery).filter_by(**where).order_by(Delivery.id)
    return db.session.execute(stmt).scalars().all()


def emit(event: str, **payload) -> None:
    """Write one outbox event in its own transaction, as a domain service does."""
    run_in_transaction(lambda: record_event(event, payload))


def by_channel(rows: list[Delivery]) -> dict[str, tuple[str, str | None]]:
    """{channel: (status, reason)} for one event's deliveries."""
    return {row.channel: (row.status, row.reason) for row in rows}


def relay_and_send(now=None) -> None:
    """One relay pass, then a real burst worker on the email and sms queues until they are empty."""
    relay_once(now)
    run_worker(EMAIL, SMS)
