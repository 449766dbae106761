"""Order, OrderLine and OrderEvent: what was ordered, at which price, and every status change."""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common.checks import one_of
from app.common.models import ArchivableMixin, TimestampMixin, utcnow
from app.extensions import db
from app.orders.states import ARCHIVABLE, STATUS_LABELS, STATUSES, allowed_targets


def order_number(order_id: int) -> str:
    """The human-readable number of an order: ORD-000123 (derived from the id, so unique)."""
    return f"ORD-{order_id:06d}"


class Order(TimestampMixin, ArchivableMixin, db.Model):
    """A customer's order; status changes only through app.orders.services.change_status."""

    __tablename__ = "orders"
    __table_args__ = (
        CheckConstraint(one_of("status", STATUSES), name="status_known"),
        CheckConstraint("total >= 0", name="total_not_negative"),
        CheckConstraint("archived_at IS NULL OR " + one_of("status", ARCHIVABLE), name="archive_only_finished"),
        # One index per sort key of the list page, with id as the keyset tie-breaker.
        Index("ix_orders_created_id", "created_at", "id"),
        Index("ix_orders_total_id", "total", "id"),
        Index("ix_orders_status_id", "status", "id"),
        Index("ix_orders_customer_created_id", "customer_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # NULL only between the INSERT that allocates the id and the UPDATE in the same transaction.
    number: Mapped[str | None] = mapped_column(String(20), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    # SHA-256 of an API request's payload: the same Idempotency-Key with another payload is refused.
    request_fingerprint: Mapped[str | None] = mapped_column(String(64))
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    total: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0.00"))
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    placed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    customer = relationship("Customer", lazy="raise")
    campaign = relationship("Campaign", lazy="raise")
    placed_by = relationship("User", lazy="raise")
    lines = relationship("OrderLine", back_populates="order", lazy="raise", order_by="OrderLine.id")
    events = relationship("OrderEvent", back_populates="order", lazy="raise", order_by="OrderEvent.id")

    @property
    def status_label(self) -> str:
        """How the status reads on a page."""
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def allowed_targets(self) -> tuple[str, ...]:
        """Statuses this order may move to now."""
        return allowed_targets(self.status)

    @property
    def is_archivable(self) -> bool:
        """Whether the order is finished, so it may be archived (or restored)."""
        return self.status in ARCHIVABLE

    def __repr__(self) -> str:
        return f"<Order {self.number} {self.status} {self.total}>"


class OrderLine(db.Model):
    """One item of an order, with the unit price captured when the order was placed."""

    __tablename__ = "order_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price >= 0", name="price_not_negative"),
        UniqueConstraint("order_id", "item_id", name="uq_order_lines_order_item"),
        Index("ix_order_lines_item_id", "item_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("inventory_items.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Numeric(12, 2))

    order = relationship("Order", back_populates="lines", lazy="raise")
    item = relationship("InventoryItem", lazy="raise")

    @property
    def line_total(self) -> Decimal:
        """Quantity times the captured unit price."""
        return self.unit_price * self.quantity


class OrderEvent(db.Model):
    """One step of an order's timeline: from which status to which, who, when and why."""

    __tablename__ = "order_events"
    __table_args__ = (Index("ix_order_events_order_id_id", "order_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    order = relationship("Order", back_populates="events", lazy="raise")
    user = relationship("User", lazy="raise")
