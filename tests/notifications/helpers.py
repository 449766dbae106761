"""Small readers and actions the notification tests share."""
from sqlalchemy import select

from app.common.transactions import run_in_transaction
from app.extensions import db
from app.notifications.models import Delivery
from app.outbox.services import record_event


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
