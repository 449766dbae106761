"""SyncRun: one sync of one platform connection, visible to staff while it runs and after."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common.checks import one_of
from app.common.models import TimestampMixin
from app.extensions import db

TRIGGERS = ("schedule", "manual", "cli")
RUN_STATUSES = ("queued", "running", "succeeded", "failed", "skipped")


class SyncRun(TimestampMixin, db.Model):
    """Trigger, status, counts and progress of one sync; updated as each page lands."""

    __tablename__ = "sync_runs"
    __table_args__ = (
        CheckConstraint(one_of("trig", TRIGGERS), name="trigger_known"),
        CheckConstraint(one_of("status", RUN_STATUSES), name="status_known"),
        Index("ix_sync_runs_created_id", "created_at", "id"),
        Index("ix_sync_runs_status_id", "status", "id"),
        Index("ix_sync_runs_finished_id", "finished_at", "id"),
        Index("ix_sync_runs_started_id", "started_at", "id"),
        # At most one waiting run per connection: two "Sync now" clicks or two schedulers racing
        # each other can't queue the same sync twice (the loser gets the waiting run back).
        Index("uq_sync_runs_one_queued_per_connection", "connection_id", unique=True,
              sqlite_where=text("status = 'queued'"), postgresql_where=text("status = 'queued'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    connection_id: Mapped[int] = mapped_column(ForeignKey("platform_connections.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    trigger: Mapped[str] = mapped_column("trig", String(12))
    status: Mapped[str] = mapped_column(String(12), default="queued")
    job_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    pages: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    inserted: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    updated: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    unchanged: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    skipped_invalid: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    marked_deleted: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    connection = relationship("PlatformConnection", lazy="joined")
    customer = relationship("Customer", lazy="joined")

    @property
    def is_finished(self) -> bool:
        """Whether the run has reached a final status."""
        return self.status in ("succeeded", "failed", "skipped")


@dataclass
class Tally:
    """What a page (or the deletion pass) adds to its run's counts, in the transaction that writes it."""

    pages: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_invalid: int = 0
    marked_deleted: int = 0
