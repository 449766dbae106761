"""Column mixins shared by domain models."""
from datetime import datetime, timezone

from sqlalchemy import DateTime, ForeignKey, String, func
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship


def utcnow() -> datetime:
    """Current time as an aware UTC datetime."""
    return datetime.now(timezone.utc)


def as_utc(moment: datetime | None) -> datetime | None:
    """The same moment, aware: SQLite hands timestamps back without a zone, and they were stored in UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=timezone.utc)


class TimestampMixin:
    """created_at / updated_at kept by the database and the ORM."""

    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now(), nullable=False
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow, server_default=func.now(), nullable=False
    )


class ArchivableMixin:
    """archived_at: NULL while a row is active; archiving keeps the row as history."""

    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    @property
    def is_archived(self) -> bool:
        """Whether the row has been archived."""
        return self.archived_at is not None


class LedgerEntryMixin:
    """What every ledger row (stock movements, balance entries) says besides its change: why, for
    which order, by whom and when."""

    reason: Mapped[str] = mapped_column(String(200))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @declared_attr
    def order(cls):
        return relationship("Order", lazy="raise")

    @declared_attr
    def user(cls):
        return relationship("User", lazy="raise")
