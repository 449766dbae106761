"""Rules for inventory items: unique SKUs, prices in cents, stock changed only through movements."""
import re
from typing import Callable

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.common.errors import ValidationError
from app.common.models import utcnow
from app.common.money import parse_amount
from app.common.transactions import run_in_transaction
from app.extensions import db
from app.inventory.models import InventoryItem
from app.inventory.stock import StockNotTaken, change_stock

SKU_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9._-]{0,63}$")
MAX_STOCK_CHANGE = 1_000_000
MAX_STOCK_ON_HAND = 2**31 - 1  # stock_on_hand is an INTEGER: past it PostgreSQL fails the UPDATE (a 500)


def normalise_sku(sku: str) -> str:
    """SKUs are stored upper-case, so 'mug-1' and 'MUG-1' are the same item."""
    return (sku or "").strip().upper()


def find_item_by_sku(sku: str) -> InventoryItem | None:
    """The item with this SKU, or None."""
    return db.session.execute(select(InventoryItem).where(InventoryItem.sku == normalise_sku(sku))).scalar_one_or_none()


def _whole_number(value, field: str, errors: dict, low: int, high: int, message: str):
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        errors[field] = message
        return None
    if not low <= number <= high:
        errors[field] = message
        return None
    return number


def _clean(sku, name, description, unit_price, low_stock_threshold) -> dict:
    errors = {}
    values = {"sku": normalise_sku(sku), "name": (name or "").strip(), "description": (description or "").strip()}
    if not SKU_PATTERN.match(values["sku"]):
        errors["sku"] = "Use up to 64 letters, digits, '.', '-' or '_', starting with a letter or digit."
    if not values["name"] or len(values["name"]) > 200:
        errors["name"] = "Enter a name of at most 200 characters."
    if len(values["description"]) > 5000:
        errors["description"] = "Keep the description under 5,000 characters."
    values["unit_price"] = parse_amount(unit_price, "unit_price", errors, allow_zero=True)
    values["low_stock_threshold"] = _whole_number(low_stock_threshold, "low_stock_threshold", errors, 0, MAX_STOCK_CHANGE,
                                                  "Enter a whole number from 0 to 1,000,000.")
    if errors:
        raise ValidationError(errors)
    return values


def _commit_unique_sku():
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ValidationError({"sku": "Another item already has this SKU."}) from None


def create_item(sku: str, name: str, unit_price, description: str = "", low_stock_threshold=0,
                opening_stock=0, user_id: int | None = None) -> InventoryItem:
    """Add an item; opening stock, if any, arrives as its first movement in the same transaction."""
    errors = {}
    values = {}
    try:
        values = _clean(sku, name, description, unit_price, low_stock_threshold)
    except ValidationError as error:
        errors.update(error.errors)
    opening = _whole_number(opening_stock or 0, "opening_stock", errors, 0, MAX_STOCK_CHANGE,
                            "Enter a whole number from 0 to 1,000,000.")
    if errors:
        raise ValidationError(errors)
    item = InventoryItem(**values, stock_on_hand=0)
    db.session.add(item)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ValidationError({"sku": "Another item already has this SKU."}) from None
    if opening:
        change_stock({item.id: opening}, "Opening stock", user_id=user_id)
    _commit_unique_sku()
    return item


def update_item(item: InventoryItem, sku: str, name: str, unit_price, description: str = "",
                low_stock_threshold=0) -> InventoryItem:
    """Change an item's details and price (never its stock: that has its own ledger)."""
    for key, value in _clean(sku, name, description, unit_price, low_stock_threshold).items():
        setattr(item, key, value)
    _commit_unique_sku()
    return item


def patch_item(item_id: int, changes: dict, precondition: Callable[[InventoryItem], None] | None = None) -> InventoryItem:
    """Change some of an item's details (the rest kept), on its locked row.

    `precondition(item)` may raise to refuse (the API's If-Match), changing nothing.
    """
    stmt = select(InventoryItem).where(InventoryItem.id == item_id).with_for_update()
    item = db.session.execute(stmt.execution_options(populate_existing=True)).scalar_one()
    if precondition is not None:
        precondition(item)
    current = {key: getattr(item, key) for key in ("sku", "name", "unit_price", "description", "low_stock_threshold")}
    return update_item(item, **{**current, **changes})


def adjust_stock(item_id: int, delta, reason: str, user_id: int | None = None) -> int:
    """Add or remove stock by hand with a reason; returns the new stock on hand (never below zero)."""
    errors = {}
    change = _whole_number(delta, "delta", errors, -MAX_STOCK_CHANGE, MAX_STOCK_CHANGE,
                           "Enter a whole number such as 5 or -3.")
    if change == 0:
        errors["delta"] = "Enter a quantity other than 0."
    reason = (reason or "").strip()
    if not reason or len(reason) > 200:
        errors["reason"] = "Say why the stock changes (at most 200 characters)."
    if errors:
        raise ValidationError(errors)

    def work():
        # Row-locked first (adjustments are rare, not the order path): the sum must fit stock_on_hand's INTEGER.
        item = db.session.get(InventoryItem, item_id, with_for_update=True)
        if item is None:
            raise ValidationError("That item no longer exists.")
        if item.stock_on_hand + change > MAX_STOCK_ON_HAND:
            raise ValidationError({"delta": f"Stock on hand cannot go above {MAX_STOCK_ON_HAND:,}."})
        try:
            return change_stock({item_id: change}, reason, user_id=user_id)[item_id]
        except StockNotTaken:
            # Nothing was changed, so reading the item now explains the refusal.
            item = db.session.get(InventoryItem, item_id, populate_existing=True)
            if item is None:
                raise ValidationError("That item no longer exists.") from None
            raise ValidationError({"delta": f"Only {item.stock_on_hand} in stock: you cannot remove {-change}."}) from None

    return run_in_transaction(work)


def set_items_archived(ids: list[int], archived: bool) -> int:
    """Archive or restore items in one statement (archived items cannot be ordered); returns how many changed."""
    if not ids:
        return 0
    target = InventoryItem.archived_at.is_(None) if archived else InventoryItem.archived_at.is_not(None)
    result = db.session.execute(
        update(InventoryItem).where(InventoryItem.id.in_(ids), target).values(archived_at=utcnow() if archived else None)
    )
    db.session.commit()
    return result.rowcount
