"""Order rules: place an order atomically and idempotently, and move it through the one state machine.

Lock order, the same in every transaction that touches these rows: the order row, then the
customer row, then item rows in ascending id. Placing and cancelling both follow it, so they can
queue behind each other but never deadlock; run_in_transaction retries anyway if PostgreSQL says so.
Items come last because they are the rows many orders want at once (a popular item): each
order holds their locks only for the stock updates, the movement rows and the commit.
"""
import re
from dataclasses import dataclass
from functools import partial
from typing import Callable
from decimal import Decimal

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.balances.services import InsufficientBalance, change_balance, shortfall
from app.campaigns.models import Campaign
from app.common.errors import ValidationError
from app.common.models import utcnow
from app.common.money import MAX_AMOUNT, AmountTooLarge, to_money
from app.common.transactions import run_in_transaction
from app.customers.services import why_customer_cannot_order
from app.extensions import db
from app.inventory.stock import InsufficientStock, StockNotTaken, change_stock, current_prices, explain_stock_refusal
from app.orders.models import Order, OrderEvent, OrderLine, order_number
from app.orders.states import ARCHIVABLE, CANCELLED, PENDING, refusal
from app.outbox.services import record_event

KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MAX_LINES = 50
MAX_QUANTITY = 10_000
# Outbox event per status reached; "placed" reads better than "pending" for the first one.
EVENT_NAMES = {PENDING: "order.placed", "confirmed": "order.confirmed", "fulfilled": "order.fulfilled",
               CANCELLED: "order.cancelled"}


def _merge_lines(lines) -> dict[int, int]:
    """{item_id: quantity}; the same item on two lines becomes one line with both quantities."""
    quantities: dict[int, int] = {}
    for item_id, quantity in lines:
        if isinstance(quantity, bool) or not isinstance(quantity, int) or not 1 <= quantity <= MAX_QUANTITY:
            raise ValidationError({"lines": f"Each quantity must be a whole number from 1 to {MAX_QUANTITY:,}."})
        if isinstance(item_id, bool) or not isinstance(item_id, int):
            raise ValidationError({"lines": "Choose an item on every line."})
        quantities[item_id] = quantities.get(item_id, 0) + quantity
    if not quantities:
        raise ValidationError({"lines": "Add at least one line with an item and a quantity."})
    if len(quantities) > MAX_LINES or max(quantities.values()) > MAX_QUANTITY:
        raise ValidationError({"lines": f"An order takes at most {MAX_LINES} items of at most {MAX_QUANTITY:,} each."})
    return quantities


def _order_total(prices: dict, quantities: dict[int, int]):
    """The order's total, or a line error when it is more than an amount column holds."""
    try:
        return to_money(sum(prices[i] * qty for i, qty in quantities.items()))
    except AmountTooLarge:
        raise ValidationError({"lines": f"This order's total is more than the largest amount an order can hold "
                                        f"({MAX_AMOUNT:,}): split it into smaller orders."}) from None


def _check_campaign(customer_id: int, campaign_id: int | None) -> None:
    if campaign_id is not None:
        campaign = db.session.get(Campaign, campaign_id)
        if campaign is None or campaign.customer_id != customer_id or campaign.is_archived:
            raise ValidationError({"campaign_id": "Choose one of this customer's active campaigns, or none."})


def _check_customer(customer_id: int) -> None:
    """Only for refusals and zero totals: the debit's conditional UPDATE checks the customer otherwise."""
    refusal = why_customer_cannot_order(customer_id)
    if refusal is not None:
        raise refusal


class KeyAlreadyUsed(ValidationError):
    """The form's one-time key already placed an order for another customer; a new form is needed."""

    def __init__(self):
        super().__init__("This form was already used to place another customer's order. "
                         "It now has a new key: check it and place the order again.")


@dataclass(frozen=True)
class PlacedOrder:
    """What place_order did, captured before the commit so reading it costs no second query."""

    id: int
    number: str
    total: Decimal
    replayed: bool = False

    @property
    def order(self) -> Order:
        """The Order itself, loaded on demand (callers that only show number and total never pay for it)."""
        return db.session.get(Order, self.id)


def _replay(key: str, customer_id: int) -> PlacedOrder | None:
    """The first order placed with this key, if any; a key reused for another customer is refused, not leaked."""
    orders = Order.__table__.c
    first = db.session.execute(select(orders.id, orders.number, orders.total, orders.customer_id)
                               .where(orders.idempotency_key == key)).first()
    if first is None:
        return None
    if first.customer_id != customer_id:
        raise KeyAlreadyUsed()
    return PlacedOrder(first.id, first.number, first.total, replayed=True)


def _record_transition(order, from_status: str | None, user_id: int | None, note: str) -> None:
    """The timeline row and the outbox row of a status change, in the caller's transaction.

    `order` is anything with id, number, customer_id, status and total (an Order or a row just written).
    """
    db.session.execute(insert(OrderEvent.__table__), {
        "order_id": order.id, "from_status": from_status, "to_status": order.status, "user_id": user_id, "note": note})
    record_event(EVENT_NAMES[order.status], {
        "order_id": order.id, "number": order.number, "customer_id": order.customer_id,
        "from_status": from_status, "to_status": order.status, "total": order.total,
        "user_id": user_id, "note": note,
    })


@dataclass(frozen=True)
class _NewOrder:
    """The order row place_order wrote, as _record_transition reads it."""

    id: int
    number: str
    customer_id: int
    total: Decimal
    status: str = PENDING


# Built once: constructing and cache-keying statements per order costs more CPU than running them.
# A list of rows makes one executemany; a multi-row VALUES insert would be compiled anew on every call.
INSERT_ORDER = insert(Order.__table__).returning(Order.__table__.c.id)
INSERT_LINE = insert(OrderLine.__table__)
SET_NUMBER_AND_TOTAL = (update(Order.__table__).where(Order.__table__.c.id == bindparam("order_id"))
                        .values(number=bindparam("new_number"), total=bindparam("new_total")))


def place_order(customer_id: int, lines, idempotency_key: str, *, placed_by_id: int | None = None,
                campaign_id: int | None = None, notes: str = "", request_fingerprint: str | None = None) -> PlacedOrder:
    """Place an order of [(item_id, quantity), ...] in one transaction: all stock and money, or nothing.

    A repeated call with the same idempotency key returns the first order (replayed=True).
    Raises ValidationError naming every short line (InsufficientStock, which also carries the balance
    shortfall when both are short) or the balance shortfall (InsufficientBalance); nothing is written then.
    """
    key = (idempotency_key or "").strip()
    if not KEY_PATTERN.match(key):
        raise ValidationError("This form has no valid one-time key. Reload the page and try again.")
    quantities = _merge_lines(lines)
    notes = (notes or "").strip()
    if len(notes) > 2000:
        raise ValidationError({"notes": "Keep the notes under 2,000 characters."})
    if isinstance(customer_id, bool) or not isinstance(customer_id, int):
        raise ValidationError({"customer_id": "Choose a customer."})
    _check_campaign(customer_id, campaign_id)
    order_row = {"idempotency_key": key, "customer_id": customer_id, "campaign_id": campaign_id,
                 "status": PENDING, "total": Decimal("0.00"), "notes": notes, "placed_by_id": placed_by_id,
                 "request_fingerprint": request_fingerprint}

    def work() -> PlacedOrder:
        # Claim the key first: a concurrent submit with the same key blocks on the unique index
        # here until we commit, then fails and returns this order instead of placing a second one.
        order_id = db.session.execute(INSERT_ORDER, order_row).scalar_one()
        number = order_number(order_id)
        prices = current_prices(quantities)
        total = _order_total(prices, quantities)
        db.session.execute(INSERT_LINE, [{"order_id": order_id, "item_id": i, "quantity": qty, "unit_price": prices[i]}
                                         for i, qty in sorted(quantities.items())])
        if total > 0:
            # Also refuses a missing or archived customer, so the happy path never reads the customer.
            change_balance(customer_id, -total, "order_debit", f"Order {number}", order_id=order_id,
                           user_id=placed_by_id, active_only=True)
        else:
            _check_customer(customer_id)
        db.session.execute(SET_NUMBER_AND_TOTAL, {"order_id": order_id, "new_number": number, "new_total": total})
        _record_transition(_NewOrder(order_id, number, customer_id, total), None, placed_by_id, "Order placed")
        # Item locks last: see the lock order.
        change_stock({item_id: -qty for item_id, qty in quantities.items()}, f"Order {number}",
                     order_id=order_id, user_id=placed_by_id, active_only=True)
        return PlacedOrder(order_id, number, total)

    try:
        return run_in_transaction(work, again=partial(_again_or_refuse, customer_id, quantities))
    except IntegrityError:
        # The key's unique index settles replays; a missing customer fails its foreign key on PostgreSQL.
        first = _replay(key, customer_id)
        if first is not None:
            return first
        _check_customer(customer_id)
        raise


def _again_or_refuse(customer_id: int, quantities: dict[int, int], error: Exception) -> bool:
    """After a refused attempt's rollback (where reading costs the hot path nothing): True to place
    again, because the stock came back meanwhile; else raise every reason for the refusal at once."""
    if isinstance(error, StockNotTaken):
        # Read after the rollback: inside the transaction, earlier lines would show our own reservation.
        refusal = explain_stock_refusal(quantities)
        if refusal is None:
            return True
        _check_customer(customer_id)  # a missing or archived customer is the first thing to say
        if isinstance(refusal, InsufficientStock):
            # A line visibly short stops the order before its debit: say at once if the balance is short too.
            short = shortfall(customer_id, refusal.order_value)
            if short is not None:
                refusal.errors.update(short.errors)
        raise refusal from None
    if isinstance(error, InsufficientBalance):
        # A short balance stops the order before its stock is taken: say at once if some lines are short too.
        refusal = explain_stock_refusal(quantities)
        if isinstance(refusal, InsufficientStock):
            refusal.errors.update(error.errors)
            raise refusal from None
    return False


def change_status(order_id: int, target: str, user_id: int | None = None, note: str = "",
                  precondition: Callable[[Order], None] | None = None) -> Order:
    """Move an order to `target` if the lifecycle allows it; cancelling gives back the stock and the money.

    `precondition(order)`, called on the locked row, may raise to refuse (the API's If-Match), changing nothing.
    """
    note = (note or "").strip()[:2000]

    def work() -> Order:
        stmt = select(Order).where(Order.id == order_id).with_for_update().execution_options(populate_existing=True)
        order = db.session.execute(stmt).scalar_one_or_none()
        if order is None:
            raise ValidationError("That order does not exist.")
        if precondition is not None:
            precondition(order)
        problem = refusal(order.number, order.status, target)
        if problem:
            raise ValidationError(problem)
        if target == CANCELLED:
            _give_back(order, user_id)
        previous, order.status = order.status, target
        _record_transition(order, previous, user_id, note)
        return order

    return run_in_transaction(work)


def _give_back(order: Order, user_id: int | None) -> None:
    """Refund the total and return every line's stock, each with its ledger rows (customer, then items)."""
    if order.total > 0:
        change_balance(order.customer_id, order.total, "order_refund", f"Cancelled order {order.number}",
                       order_id=order.id, user_id=user_id)
    lines = db.session.execute(select(OrderLine.item_id, OrderLine.quantity).where(OrderLine.order_id == order.id)).all()
    change_stock(dict(lines), f"Cancelled order {order.number}", order_id=order.id, user_id=user_id)


def cancel_order(order_id: int, user_id: int | None = None, note: str = "") -> Order:
    """Cancel a pending or confirmed order (stock back, balance refunded)."""
    return change_status(order_id, CANCELLED, user_id, note)


def set_orders_archived(ids: list[int], archived: bool) -> int:
    """Archive (only fulfilled or cancelled orders) or restore orders; returns how many changed."""
    if not ids:
        return 0
    target = Order.archived_at.is_(None) if archived else Order.archived_at.is_not(None)
    result = db.session.execute(
        update(Order).where(Order.id.in_(ids), target, Order.status.in_(ARCHIVABLE))
        .values(archived_at=utcnow() if archived else None)
    )
    db.session.commit()
    return result.rowcount
