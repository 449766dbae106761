"""The Customer model."""
from decimal import Decimal

from sqlalchemy import CheckConstraint, Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from app.common.models import ArchivableMixin, TimestampMixin
from app.extensions import db


class Customer(TimestampMixin, ArchivableMixin, db.Model):
    """A client company; its balance only changes through the balance ledger."""

    __tablename__ = "customers"
    __table_args__ = (
        CheckConstraint("balance >= 0", name="balance_not_negative"),
        # One index per sort key of the list page, with id as the keyset tie-breaker.
        Index("ix_customers_name_id", "name", "id"),
        Index("ix_customers_code_id", "code", "id"),
        Index("ix_customers_balance_id", "balance", "id"),
        Index("ix_customers_created_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(32))
    balance: Mapped[Decimal] = mapped_column(Numeric(12, 2), default=Decimal("0.00"), server_default="0")

    def __repr__(self) -> str:
        return f"<Customer {self.code}>"
