"""Stock primitives used inside a caller's transaction: lock, reserve, release. They never commit.

Locks are always taken on item rows in ascending id order, so two transactions that touch the
same items in any line order queue behind each other instead of deadlocking. Every change is a
conditional UPDATE (stock never below zero even without the lock) plus a StockMovement row.
"""
from dataclasses import dataclass

from sqlalchemy import case, insert, select, update

from app.common.errors import ValidationError
from app.common.models import utcnow
from app.extensions import db
from app.inventory.models import InventoryItem, StockMovement

STOCK_SHORT_PREFIX = "Not enough stock"


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
    """Raised when one or more lines are short; names every short line with what is available."""

    def __init__(self, shortages: list[Shortage]):
        self.shortages = shortages
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
    db.session.execute(insert(StockMovement), [
        {"item_id": item_id, "delta": delta, "stock_after": after[item_id], "reason": reason,
         "order_id": order_id, "user_id": user_id}
        for item_id, delta in sorted(deltas.items())
    ])
    return after


def _shortages(requested: dict[int, int]) -> list[Shortage]:
    items = db.session.execute(select(InventoryItem).where(InventoryItem.id.in_(requested))).scalars()
    return [Shortage(i.id, i.sku, i.name, requested[i.id], i.stock_on_hand) for i in sorted(items, key=lambda i: i.sku)]


def reserve_stock(quantities: dict[int, int], items: dict[int, InventoryItem], reason: str, order_id: int,
                  user_id: int | None) -> None:
    """Take every line's quantity off the locked items, or raise InsufficientStock naming every short line."""
    shortages = [
        Shortage(item.id, item.sku, item.name, quantities[item.id], item.stock_on_hand)
        for item in sorted(items.values(), key=lambda i: i.sku)
        if item.stock_on_hand < quantities[item.id]
    ]
    if shortages:
        raise InsufficientStock(shortages)
    apply_movements({item_id: -qty for item_id, qty in quantities.items()}, reason, order_id, user_id)


def release_stock(quantities: dict[int, int], order_id: int, user_id: int | None, reason: str) -> None:
    """Give the quantities back to stock (cancelling an order), locking the items in id order first."""
    lock_items(quantities)
    apply_movements(quantities, reason, order_id, user_id)
