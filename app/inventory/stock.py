"""Stock changes inside a caller's transaction, all through change_stock. They never commit.

One conditional UPDATE per item locks, checks and changes its row in a single round trip (stock
never below zero), in ascending item id, so two transactions that touch the same items in any
line order queue behind each other instead of deadlocking; nothing is read first, because placing
an order is the hot path (docs/benchmarks.md, "What changed (commits 4e6a077, f057551, 8f15694,
0413fc3)"). Each change writes a StockMovement row. Movements go in through one Core INSERT built
once and executed with a list of rows: a multi-row VALUES insert would be compiled on every call.
"""
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import bindparam, insert, select, update

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


def _write_movements(changes: dict[int, tuple[int, int]], reason: str, order_id: int | None,
                     user_id: int | None) -> None:
    """One StockMovement per {item_id: (delta, stock_after)}, in one executemany."""
    rows = [{"item_id": item_id, "delta": delta, "stock_after": after, "reason": reason,
             "order_id": order_id, "user_id": user_id} for item_id, (delta, after) in sorted(changes.items())]
    db.session.execute(INSERT_MOVEMENT, rows)


class StockNotTaken(Exception):
    """A line could not be changed (short, archived or unknown item); the caller rolls back, and
    may then call explain_stock_refusal."""


def _active_prices():
    items = InventoryItem.__table__.c
    return (select(items.id, items.unit_price, items.stock_on_hand)
            .where(items.id.in_(bindparam("item_ids", expanding=True)), items.archived_at.is_(None)))


def _change_one_item(active_only: bool):
    items = InventoryItem.__table__.c
    stmt = (update(InventoryItem.__table__)
            .where(items.id == bindparam("item_id"), items.stock_on_hand + bindparam("delta") >= 0)
            .values(stock_on_hand=items.stock_on_hand + bindparam("delta"), updated_at=bindparam("now"))
            .returning(items.stock_on_hand))
    return stmt.where(items.archived_at.is_(None)) if active_only else stmt


# Built once: constructing and cache-keying a statement per order costs more CPU than running it.
ACTIVE_PRICES = _active_prices()
CHANGE_ONE_ITEM = {active_only: _change_one_item(active_only) for active_only in (False, True)}


def current_prices(quantities: dict[int, int]) -> dict[int, Decimal]:
    """{item_id: unit_price} of every line's item, read without a lock; raises StockNotTaken if one
    is archived or unknown. This is the price the order captures: the price when it was placed.

    Also raises StockNotTaken when a line is already short in this read, so a refused order stops
    before writing anything. That is only a shortcut: change_stock's conditional UPDATE decides.
    """
    rows = db.session.execute(ACTIVE_PRICES, {"item_ids": list(quantities)}).all()
    if len(rows) != len(quantities) or any(row.stock_on_hand < quantities[row.id] for row in rows):
        raise StockNotTaken()
    return {row.id: row.unit_price for row in rows}


def change_stock(deltas: dict[int, int], reason: str, *, order_id: int | None = None, user_id: int | None = None,
                 active_only: bool = False) -> dict[int, int]:
    """Add each {item_id: delta} to its item's stock and write its movement; returns {item_id: stock after}.

    Raises StockNotTaken if an item would go below zero, does not exist, or (active_only) is archived.
    """
    changes, now = {}, utcnow()
    for item_id in sorted(deltas):
        params = {"item_id": item_id, "delta": deltas[item_id], "now": now}
        stock_after = db.session.execute(CHANGE_ONE_ITEM[active_only], params).scalar()
        if stock_after is None:
            raise StockNotTaken()
        changes[item_id] = (deltas[item_id], stock_after)
    _write_movements(changes, reason, order_id, user_id)
    return {item_id: after for item_id, (_, after) in changes.items()}


def explain_stock_refusal(quantities: dict[int, int]) -> ValidationError | None:
    """Why change_stock refused an order, read after the rollback: unorderable items, or every short line.

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
