"""The Campaign model: our copy of a platform campaign, keyed by the platform's id."""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common.checks import one_of
from app.common.models import ArchivableMixin, TimestampMixin
from app.extensions import db
# We store the platform's statuses and text as they are, so its contract sets both.
from app.platforms.megaphone.records import CAMPAIGN_STATUSES, MAX_TEXT_LENGTH

SYNCED, DELETED_ON_PLATFORM = "synced", "deleted_on_platform"
SYNC_STATES = (SYNCED, DELETED_ON_PLATFORM)


class Campaign(TimestampMixin, ArchivableMixin, db.Model):
    """A campaign of one customer on one platform.

    archived_at: staff archived it (deleted on the platform, kept here as history).
    sync_state 'deleted_on_platform': a complete sync no longer found it on the platform.
    """

    __tablename__ = "campaigns"
    __table_args__ = (
        UniqueConstraint("customer_id", "platform_id", "platform_campaign_id", name="uq_campaigns_platform_key"),
        CheckConstraint(one_of("status", CAMPAIGN_STATUSES), name="status_known"),
        CheckConstraint(one_of("sync_state", SYNC_STATES), name="sync_state_known"),
        CheckConstraint("budget IS NULL OR budget >= 0", name="budget_not_negative"),
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates_ordered"),
        # One index per sort key of the campaigns page (id breaks ties for keyset pagination).
        Index("ix_campaigns_title_id", "title", "id"),
        Index("ix_campaigns_advertiser_id", "advertiser", "id"),
        Index("ix_campaigns_start_id", "start_date", "id"),
        Index("ix_campaigns_end_id", "end_date", "id"),
        Index("ix_campaigns_status_id", "status", "id"),
        Index("ix_campaigns_budget_id", "budget", "id"),
        Index("ix_campaigns_updated_id", "platform_updated_at", "id"),
        # The platform id search is a prefix match (LIKE 'q%'): pattern ops serve it under any collation.
        Index("ix_campaigns_platform_campaign_id", "platform_campaign_id",
              postgresql_ops={"platform_campaign_id": "varchar_pattern_ops"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))  # indexed first in the unique key
    platform_id: Mapped[int] = mapped_column(ForeignKey("platforms.id"))
    platform_campaign_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(MAX_TEXT_LENGTH))
    advertiser: Mapped[str] = mapped_column(String(MAX_TEXT_LENGTH))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    budget: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    platform_created_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # NOT NULL (every platform record has updatedAt): the default sort then walks ix_campaigns_updated_id.
    platform_updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sync_state: Mapped[str] = mapped_column(String(24), default=SYNCED, server_default=SYNCED)
    deleted_on_platform_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_synced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    customer = relationship("Customer", lazy="raise")
    platform = relationship("Platform", lazy="raise")

    def __repr__(self) -> str:
        return f"<Campaign {self.id} {self.platform_campaign_id} {self.title!r}>"
