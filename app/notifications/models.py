"""Contact points, preferences, quiet hours, announcements, deliveries and their attempts."""
from datetime import datetime, time

from sqlalchemy import (
    Boolean, CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text, Time, UniqueConstraint, false,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.common.checks import one_of
from app.common.models import ArchivableMixin, TimestampMixin, utcnow
from app.extensions import db
from app.notifications.events import CHANNELS, EVENT_NAMES

QUEUED, SENDING, SENT, DELIVERED = "queued", "sending", "sent", "delivered"
FAILED, SUPPRESSED, BOUNCED = "failed", "suppressed", "bounced"
STATUSES = (QUEUED, SENDING, SENT, DELIVERED, FAILED, SUPPRESSED, BOUNCED)
FINAL_STATUSES = (DELIVERED, FAILED, SUPPRESSED, BOUNCED)
# Order of progress: a status callback only ever moves a delivery to a higher rank.
STATUS_RANK = {QUEUED: 0, SENDING: 1, SENT: 2, DELIVERED: 3, FAILED: 3, SUPPRESSED: 3, BOUNCED: 3}


class ContactPoint(TimestampMixin, ArchivableMixin, db.Model):
    """One way to reach a customer: an email address or an E.164 phone number."""

    __tablename__ = "contact_points"
    __table_args__ = (
        CheckConstraint(one_of("channel", CHANNELS), name="channel_known"),
        UniqueConstraint("customer_id", "channel", "address", name="uq_contact_points_customer_channel_address"),
        # Inbound STOP/START finds a number's contact points across customers.
        Index("ix_contact_points_channel_address", "channel", "address"),
        Index("ix_contact_points_created_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    channel: Mapped[str] = mapped_column(String(10))
    address: Mapped[str] = mapped_column(String(254))
    label: Mapped[str] = mapped_column(String(100), default="", server_default="")
    verified: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    disabled_reason: Mapped[str | None] = mapped_column(String(300))
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def is_active(self) -> bool:
        """Neither archived nor disabled: deliveries may go to it."""
        return self.archived_at is None and self.disabled_at is None


class Preference(db.Model):
    """A customer's choice for one event type on one channel; no row means the declared default."""

    __tablename__ = "notification_preferences"
    __table_args__ = (
        CheckConstraint(one_of("channel", CHANNELS), name="channel_known"),
        CheckConstraint(one_of("event_type", EVENT_NAMES), name="event_type_known"),
    )

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(60), primary_key=True)
    channel: Mapped[str] = mapped_column(String(10), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class QuietHours(db.Model):
    """A customer's time zone and the window in which SMS wait (start after end wraps midnight)."""

    __tablename__ = "quiet_hours"

    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), primary_key=True)
    time_zone: Mapped[str] = mapped_column(String(64))
    starts: Mapped[time] = mapped_column(Time)
    ends: Mapped[time] = mapped_column(Time)


class Announcement(TimestampMixin, db.Model):
    """A message staff send to every client: an email subject and body, and an optional SMS text."""

    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    sms_text: Mapped[str | None] = mapped_column(String(1600))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class Delivery(TimestampMixin, db.Model):
    """One message of one event to one address, tracked from queued to its outcome."""

    __tablename__ = "deliveries"
    __table_args__ = (
        CheckConstraint(one_of("status", STATUSES), name="status_known"),
        CheckConstraint(one_of("channel", CHANNELS), name="channel_known"),
        CheckConstraint(one_of("event_type", EVENT_NAMES), name="event_type_known"),
        # The relay's scans: due queued deliveries, and sends stuck past their timeout.
        Index("ix_deliveries_status_next_attempt", "status", "next_attempt_at"),
        Index("ix_deliveries_status_sending_since", "status", "sending_since"),
        # The list page to come: newest first, per customer, per announcement.
        Index("ix_deliveries_created_id", "created_at", "id"),
        Index("ix_deliveries_customer_created_id", "customer_id", "created_at", "id"),
        Index("ix_deliveries_announcement_status", "announcement_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    outbox_event_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_events.id"))
    announcement_id: Mapped[int | None] = mapped_column(ForeignKey("announcements.id"))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    contact_point_id: Mapped[int] = mapped_column(ForeignKey("contact_points.id"))
    channel: Mapped[str] = mapped_column(String(10))
    address: Mapped[str] = mapped_column(String(254))
    event_type: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(12), default=QUEUED)
    reason: Mapped[str | None] = mapped_column(String(500))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default=false())
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sending_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The SMS provider's sid, or the email's Message-ID.
    provider_id: Mapped[str | None] = mapped_column(String(200), index=True)
    resend_of_id: Mapped[int | None] = mapped_column(ForeignKey("deliveries.id"))


class DeliveryAttempt(db.Model):
    """One try at sending a delivery: when, how it came out, and what the provider replied."""

    __tablename__ = "delivery_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("deliveries.id"), index=True)
    attempted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    outcome: Mapped[str] = mapped_column(String(20))
    reply: Mapped[str] = mapped_column(Text, default="", server_default="")
