"""InventoryItem and StockMovement: stock on hand always equals the sum of the item's movements."""
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common.models import ArchivableMixin, LedgerEntryMixin, TimestampMixin
from app.extensions import db


class InventoryItem(TimestampMixin, ArchivableMixin, db.Model):
    """Something we sell; stock_on_hand changes only with a StockMovement in the same transaction."""

    __tablename__ = "inventory_items"
    __table_args__ = (
        CheckConstraint("stock_on_hand >= 0", name="stock_not_negative"),
        CheckConstraint("unit_price >= 0", name="price_not_negative"),
        CheckConstraint("low_stock_threshold >= 0", name="threshold_not_negative"),
        # One index per sort key of the list page, with id as the keyset tie-breaker.
        Index("ix_inventory_items_sku_id", "sku", "id"),
        Index("ix_inventory_items_name_id", "name", "id"),
        Index("ix_inventory_items_price_id", "unit_price", "id"),
        Index("ix_inventory_items_stock_id", "stock_on_hand", "id"),
        Index("ix_inventory_items_updated_id", "updated_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    unit_price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    stock_on_hand: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    low_stock_threshold: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    @property
    def is_low(self) -> bool:
        """At or under its low-stock threshold."""
        return self.stock_on_hand <= self.low_stock_threshold

    def __repr__(self) -> str:
        return f"<InventoryItem {self.sku} on hand {self.stock_on_hand}>"


class StockMovement(LedgerEntryMixin, db.Model):
    """One signed change of an item's stock, with why, who, when and (for orders) which order."""

    __tablename__ = "stock_movements"
    __table_args__ = (
        CheckConstraint("delta <> 0", name="delta_not_zero"),
        Index("ix_stock_movements_item_id_id", "item_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("inventory_items.id"))
    delta: Mapped[int] = mapped_column(Integer)
    stock_after: Mapped[int] = mapped_column(Integer)

    item = relationship("InventoryItem", lazy="raise")
