"""BalanceEntry: one signed change of a customer's balance; the balance equals the sum of them."""
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common.checks import one_of
from app.common.models import LedgerEntryMixin
from app.extensions import db

ENTRY_KINDS = ("deposit", "adjustment", "order_debit", "order_refund")
KIND_LABELS = {"deposit": "Deposit", "adjustment": "Adjustment", "order_debit": "Order", "order_refund": "Refund"}


class BalanceEntry(LedgerEntryMixin, db.Model):
    """A deposit, adjustment, order debit or refund, with the balance it left behind."""

    __tablename__ = "balance_entries"
    __table_args__ = (
        CheckConstraint("amount <> 0", name="amount_not_zero"),
        CheckConstraint("balance_after >= 0", name="balance_after_not_negative"),
        CheckConstraint(one_of("kind", ENTRY_KINDS), name="kind_known"),
        CheckConstraint("kind <> 'deposit' OR amount > 0", name="deposit_positive"),
        # The ledger list sorts by time and amount within one customer.
        Index("ix_balance_entries_customer_created_id", "customer_id", "created_at", "id"),
        Index("ix_balance_entries_customer_amount_id", "customer_id", "amount", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"))
    kind: Mapped[str] = mapped_column(String(20))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    balance_after: Mapped[Decimal] = mapped_column(Numeric(12, 2))

    customer = relationship("Customer", lazy="raise")

    @property
    def kind_label(self) -> str:
        """How the kind reads on a page."""
        return KIND_LABELS.get(self.kind, self.kind)
