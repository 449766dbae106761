"""The OutboxEvent model: one row per event that other parts of the system must hear about."""
from datetime import datetime

from sqlalchemy import JSON, DateTime, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.common.models import utcnow
from app.extensions import db


class OutboxEvent(db.Model):
    """An event (e.g. order.confirmed) with its JSON payload; processed_at stays NULL until consumed."""

    __tablename__ = "outbox_events"
    __table_args__ = (
        # Consumers scan the unprocessed rows oldest first.
        Index("ix_outbox_events_processed_id", "processed_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def __repr__(self) -> str:
        return f"<OutboxEvent {self.id} {self.event}>"
