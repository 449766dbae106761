"""Ad platforms OMS talks to; row 1 (megaphone) is created by the first migration."""
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common.checks import between
from app.common.models import TimestampMixin
from app.extensions import db

MEGAPHONE_ID = 1
# Minutes between scheduled syncs: at least five, at most a week.
MIN_INTERVAL, MAX_INTERVAL = 5, 7 * 24 * 60


class Platform(TimestampMixin, db.Model):
    """An ad platform kind, e.g. Megaphone."""

    __tablename__ = "platforms"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))


class PlatformConnection(TimestampMixin, db.Model):
    """One customer's account on one platform: organisation, API token and sync schedule."""

    __tablename__ = "platform_connections"
    __table_args__ = (
        UniqueConstraint("customer_id", "platform_id", name="uq_platform_connections_customer_platform"),
        CheckConstraint(between("sync_interval_minutes", MIN_INTERVAL, MAX_INTERVAL), name="sync_interval_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id"))
    organization: Mapped[str] = mapped_column(String(120))
    # Write-only in the UI and never logged; repr below leaves it out on purpose.
    api_token: Mapped[str] = mapped_column(String(255))
    sync_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    sync_interval_minutes: Mapped[int] = mapped_column(Integer, default=60, server_default="60")
    last_sync_started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_synced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    customer = relationship("Customer", lazy="joined")
    platform = relationship("Platform", lazy="joined")

    def __repr__(self) -> str:
        return f"<PlatformConnection {self.id} customer={self.customer_id} org={self.organization}>"
