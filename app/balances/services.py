"""Customer balance rules: the balance column changes only here, with a ledger row in the same transaction.

Recording deposits and adjustments is for admins (the views enforce it). change_balance() is the
primitive the order services call inside their own transaction.
"""
from decimal import Decimal

from sqlalchemy import bindparam, func, insert, select, update

from app.balances.models import BalanceEntry
from app.common.errors import ValidationError
from app.common.money import MAX_AMOUNT, parse_amount
from app.common.transactions import run_in_transaction
from app.customers.models import Customer
from app.customers.services import why_customer_cannot_order
from app.extensions import db
from app.outbox.services import record_event

# A debit that takes the balance from at least this to below it tells the customer (balance.low).
LOW_BALANCE = Decimal("100.00")


class InsufficientBalance(ValidationError):
    """Raised when a debit would take the balance below zero; says by how much it is short."""

    def __init__(self, balance: Decimal, amount: Decimal):
        self.balance, self.amount, self.shortfall = balance, amount, amount - balance
        super().__init__({"balance": f"The balance is short by {self.shortfall:,.2f}: "
                                     f"this needs {amount:,.2f} and the balance is {balance:,.2f}."})


def _change_statement(active_only: bool):
    customers = Customer.__table__.c
    # ROUND keeps SQLite (which does this sum in floating point) exact to the cent; a no-op on PostgreSQL.
    new_balance = func.round(customers.balance + bindparam("amount", type_=customers.balance.type), 2)
    # The upper bound is checked here too: past Numeric(12, 2) PostgreSQL fails the UPDATE (a 500) instead.
    conditions = [customers.id == bindparam("customer_id"), new_balance >= 0, new_balance <= MAX_AMOUNT]
    if active_only:
        conditions.append(customers.archived_at.is_(None))
    return update(Customer.__table__).where(*conditions).values(balance=new_balance).returning(customers.balance)


# Built once ({active_only: statement}): building a statement per call costs more CPU than running it.
CHANGE_BALANCE = {flag: _change_statement(flag) for flag in (False, True)}


def change_balance(customer_id: int, amount: Decimal, kind: str, reason: str, *,
                   order_id: int | None = None, user_id: int | None = None, active_only: bool = False) -> Decimal:
    """Add a signed amount to the balance and write its ledger row, inside the caller's transaction.

    One conditional UPDATE does the check and the change, so concurrent debits can never take the
    balance below zero; raises InsufficientBalance instead. active_only also refuses an archived
    customer in that same UPDATE (orders), so the happy path needs no separate customer read.
    Returns the balance after the change.
    """
    params = {"customer_id": customer_id, "amount": amount}
    after = db.session.execute(CHANGE_BALANCE[active_only], params).scalar_one_or_none()
    if after is None:
        raise _why_not_changed(customer_id, amount, active_only)
    customer = db.session.identity_map.get(db.session.identity_key(Customer, customer_id))
    if customer is not None:
        db.session.expire(customer, ["balance"])
    # Core with a single dict: one plain INSERT, not the ORM bulk path's executemany.
    db.session.execute(insert(BalanceEntry.__table__), {
        "customer_id": customer_id, "kind": kind, "amount": amount, "balance_after": after,
        "reason": reason, "order_id": order_id, "user_id": user_id})
    after = Decimal(after)
    if amount < 0 and after - amount >= LOW_BALANCE > after:  # crossed downwards: said once, not per debit
        record_event("balance.low", {"customer_id": customer_id, "balance": after, "threshold": LOW_BALANCE})
    return after


def _why_not_changed(customer_id: int, amount: Decimal, active_only: bool) -> ValidationError:
    """The refusal of a failed conditional UPDATE: no such customer, archived, or short by how much."""
    if active_only:
        refusal = why_customer_cannot_order(customer_id)
        if refusal is not None:
            return refusal
    balance = _balance_of(customer_id)
    if balance is None:
        return ValidationError({"customer_id": "That customer does not exist."})
    if balance + amount > MAX_AMOUNT:
        return ValidationError({"amount": f"The balance is {balance:,.2f}: it cannot go above {MAX_AMOUNT:,}."})
    return InsufficientBalance(balance, -amount)


def shortfall(customer_id: int, amount: Decimal) -> InsufficientBalance | None:
    """The refusal a debit of `amount` would meet now, or None when the balance covers it (a read, no lock)."""
    balance = _balance_of(customer_id)
    return InsufficientBalance(balance, amount) if balance is not None and balance < amount else None


def _balance_of(customer_id: int) -> Decimal | None:
    balance = db.session.execute(select(Customer.balance).where(Customer.id == customer_id)).scalar_one_or_none()
    return None if balance is None else Decimal(balance)


def _validated(amount, reason: str, *, adjustment: bool) -> tuple[Decimal, str]:
    errors = {}
    value = parse_amount(amount, "amount", errors, allow_negative=adjustment)
    reason = (reason or "").strip()
    if not reason or len(reason) > 200:
        errors["reason"] = "Say why the balance changes (at most 200 characters)."
    if errors:
        raise ValidationError(errors)
    return value, reason


def record_deposit(customer_id: int, amount, reason: str, user_id: int | None = None) -> Decimal:
    """Credit money the customer paid in; returns the new balance."""
    value, reason = _validated(amount, reason, adjustment=False)

    def work():
        balance = change_balance(customer_id, value, "deposit", reason, user_id=user_id)
        record_event("balance.credited", {"customer_id": customer_id, "amount": value, "balance": balance})
        return balance

    return run_in_transaction(work)


def record_adjustment(customer_id: int, amount, reason: str, user_id: int | None = None) -> Decimal:
    """Correct the balance up or down (never below zero); returns the new balance."""
    value, reason = _validated(amount, reason, adjustment=True)

    def work():
        try:
            return change_balance(customer_id, value, "adjustment", reason, user_id=user_id)
        except InsufficientBalance as short:
            raise ValidationError({"amount": f"The balance is only {short.balance:,.2f}: "
                                             f"an adjustment cannot take it below zero."}) from None

    return run_in_transaction(work)


def has_ledger_entry(customer_id: int, reason: str) -> bool:
    """Whether the customer's ledger already has a row with exactly this reason (keeps seeding idempotent)."""
    stmt = select(BalanceEntry.id).where(BalanceEntry.customer_id == customer_id, BalanceEntry.reason == reason).limit(1)
    return db.session.execute(stmt).first() is not None
