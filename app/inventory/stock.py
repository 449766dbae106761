"""Stock primitives used inside a caller's transaction: lock, take, release. They never commit.

Locks are always taken on item rows in ascending id order, so two transactions that touch the
same items in any line order queue behind each other instead of deadlocking. Every change is a
conditional UPDATE (stock never below zero even without the lock) plus a StockMovement row.
Movements go in through one Core INSERT built once and executed with a list of rows: a multi-row
VALUES insert cannot be cached, so it would be compiled again on every call.
"""
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import bindparam, case, insert, select, update

from app.common.errors import ValidationError
from app.common.models import utcnow
from app.common.money import to_money
from app.extensions import db
from app.inventory.models import InventoryItem, StockMovement

STOCK_SHORT_PREFIX = "Not enough stock"
INSERT_MOVEMENT = insert(StockMovement.__table__)


@dataclass(frozen=True)
class Shortage:
    """A line that asks for more than is on hand."""

    item_id: int
    sku: str
    name: str
    requested: int
    available: int

    def describe(self) -> str:
        """'MUG-1 Blue mug: ordered 3, only 1 available'."""
        return f"{self.sku} {self.name}: ordered {self.requested}, only {self.available} available"


class InsufficientStock(ValidationError):
    """Raised when one or more lines are short; names every short line with what is available.

    order_value, when known, is what all the lines cost at today's prices (so a refusal can also
    say whether the balance would have covered them).
    """

    def __init__(self, shortages: list[Shortage], order_value: Decimal | None = None):
        self.shortages, self.order_value = shortages, order_value
        lines = "; ".join(s.describe() for s in shortages)
        super().__init__({"lines": f"{STOCK_SHORT_PREFIX} for {len(shortages)} line(s): {lines}."})


def lock_items(item_ids) -> dict[int, InventoryItem]:
    """Load the items FOR UPDATE in id order (PostgreSQL row locks; SQLite's write lock serialises)."""
    stmt = select(InventoryItem).where(InventoryItem.id.in_(sorted(set(item_ids)))).order_by(InventoryItem.id)
    # populate_existing: rows already in the session are overwritten with the locked, current values.
    stmt = stmt.with_for_update().execution_options(populate_existing=True)
    rows = db.session.execute(stmt).scalars().all()
    return {item.id: item for item in rows}


def apply_movements(deltas: dict[int, int], reason: str, order_id: int | None = None,
                    user_id: int | None = None) -> dict[int, int]:
    """Change several items' stock in one conditional UPDATE and write a movement per item.

    Returns {item_id: stock after}. Raises InsufficientStock if any item would go below zero
    (only possible when the caller did not lock the rows first); the caller then rolls back.
    """
    deltas = {item_id: delta for item_id, delta in deltas.items() if delta}
    if not deltas:
        return {}
    delta_of = case(deltas, value=InventoryItem.id)
    stmt = (
        update(InventoryItem)
        .where(InventoryItem.id.in_(sorted(deltas)), InventoryItem.stock_on_hand + delta_of >= 0)
        .values(stock_on_hand=InventoryItem.stock_on_hand + delta_of, updated_at=utcnow())
        .returning(InventoryItem.id, InventoryItem.stock_on_hand)
        .execution_options(synchronize_session=False)
    )
    after = dict(db.session.execute(stmt).tuples().all())
    if len(after) != len(deltas):
        raise InsufficientStock(_shortages({i: -d for i, d in deltas.items() if i not in after}))
    for item in db.session.identity_map.values():
        if isinstance(item, InventoryItem) and item.id in after:
            db.session.expire(item, ["stock_on_hand", "updated_at"])
    _write_movements({item_id: (delta, after[item_id]) for item_id, delta in deltas.items()}, reason, order_id, user_id)
    return after


def _write_movements(changes: dict[int, tuple[int, int]], reason: str, order_id: int | None,
                     user_id: int | None) -> None:
    """One StockMovement per {item_id: (delta, stock_after)}, in one executemany."""
    rows = [{"item_id": item_id, "delta": delta, "stock_after": after, "reason": reason,
             "order_id": order_id, "user_id": user_id} for item_id, (delta, after) in sorted(changes.items())]
    db.session.execute(INSERT_MOVEMENT, rows)


def _shortages(requested: dict[int, int]) -> list[Shortage]:
    items = db.session.execute(select(InventoryItem).where(InventoryItem.id.in_(requested))).scalars()
    return [Shortage(i.id, i.sku, i.name, requested[i.id], i.stock_on_hand) for i in sorted(items, key=lambda i: i.sku)]


class StockNotTaken(Exception):
    """A line could not be taken (short, archived or unknown item); the caller rolls back, then
    calls explain_stock_refusal."""


def _active_prices():
    items = InventoryItem.__table__.c
    return (select(items.id, items.unit_price, items.stock_on_hand)
            .where(items.id.in_(bindparam("item_ids", expanding=True)), items.archived_at.is_(None)))


def _take_one_line():
    items = InventoryItem.__table__.c
    return (update(InventoryItem.__table__)
            .where(items.id == bindparam("item_id"), items.archived_at.is_(None),
                   items.stock_on_hand >= bindparam("quantity"))
            .values(stock_on_hand=items.stock_on_hand - bindparam("quantity"), updated_at=bindparam("now"))
            .returning(items.stock_on_hand))


# Built once: constructing and cache-keying a statement per order costs more CPU than running it.
ACTIVE_PRICES = _active_prices()
TAKE_ONE_LINE = _take_one_line()


def current_prices(quantities: dict[int, int]) -> dict[int, Decimal]:
    """{item_id: unit_price} of every line's item, read without a lock; raises StockNotTaken if one
    is archived or unknown. This is the price the order captures: the price when it was placed.

    Also raises StockNotTaken when a line is already short in this read, so a refused order stops
    before writing anything. That is only a shortcut: take_stock's conditional UPDATE decides.
    """
    rows = db.session.execute(ACTIVE_PRICES, {"item_ids": list(quantities)}).all()
    if len(rows) != len(quantities) or any(row.stock_on_hand < quantities[row.id] for row in rows):
        raise StockNotTaken()
    return {row.id: row.unit_price for row in rows}


def take_stock(quantities: dict[int, int], reason: str, order_id: int, user_id: int | None) -> None:
    """Take every line's quantity off active items, or raise StockNotTaken.

    One conditional UPDATE per line locks, checks and takes in a single round trip, in ascending
    item id (the lock order), with nothing read first: the success path is the hot one.
    """
    changes, now = {}, utcnow()
    for item_id in sorted(quantities):
        params = {"item_id": item_id, "quantity": quantities[item_id], "now": now}
        stock_after = db.session.execute(TAKE_ONE_LINE, params).scalar()
        if stock_after is None:
            raise StockNotTaken()
        changes[item_id] = (-quantities[item_id], stock_after)
    _write_movements(changes, reason, order_id, user_id)


def explain_stock_refusal(quantities: dict[int, int]) -> ValidationError | None:
    """Why take_stock refused, read after the rollback: unorderable items, or every short line.

    None when every line could now be taken (the stock came back meanwhile): the caller may retry.
    """
    rows = db.session.execute(select(InventoryItem).where(InventoryItem.id.in_(quantities))).scalars().all()
    archived = sorted(item.sku for item in rows if item.is_archived)
    if archived or len(rows) != len(quantities):
        names = ", ".join(archived) or "an item that does not exist"
        return ValidationError({"lines": f"These items can no longer be ordered: {names}. Choose others."})
    shortages = [Shortage(item.id, item.sku, item.name, quantities[item.id], item.stock_on_hand)
                 for item in sorted(rows, key=lambda i: i.sku) if item.stock_on_hand < quantities[item.id]]
    if not shortages:
        return None
    return InsufficientStock(shortages, to_money(sum(item.unit_price * quantities[item.id] for item in rows)))


def release_stock(quantities: dict[int, int], order_id: int, user_id: int | None, reason: str) -> None:
    """Give the quantities back to stock (cancelling an order), locking the items in id order first."""
    lock_items(quantities)
    apply_movements(quantities, reason, order_id, user_id)
