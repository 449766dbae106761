"""How the inventory list and an item's movements list search, sort and filter."""
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.common.listing import Filter, ListSpec, SortKey
from app.inventory.models import InventoryItem, StockMovement


def _low_stock(value: str):
    return InventoryItem.stock_on_hand <= InventoryItem.low_stock_threshold if value == "low" else None


def items_list_spec() -> ListSpec:
    """The inventory list (staff only, so no customer scoping)."""
    return ListSpec(
        name="inventory",
        base_query=lambda: select(InventoryItem),
        id_column=InventoryItem.id,
        sort_keys={
            "sku": SortKey("SKU", InventoryItem.sku),
            "name": SortKey("Name", InventoryItem.name),
            "price": SortKey("Price", InventoryItem.unit_price),
            "on_hand": SortKey("On hand", InventoryItem.stock_on_hand),
            "updated": SortKey("Updated", InventoryItem.updated_at),
        },
        default_sort="sku",
        search_columns=(InventoryItem.sku, InventoryItem.name),
        search_label="Search SKU or name",
        archived_clause=lambda: InventoryItem.archived_at.is_not(None),
        filters={"stock": Filter("Stock", _low_stock, choices=lambda _current: [("low", "Low stock only")])},
        csv_sql=(("sku", InventoryItem.sku), ("name", InventoryItem.name), ("unit_price", InventoryItem.unit_price),
                 ("stock_on_hand", InventoryItem.stock_on_hand),
                 ("low_stock_threshold", InventoryItem.low_stock_threshold),
                 ("description", InventoryItem.description), ("archived_at", InventoryItem.archived_at),
                 ("updated_at", InventoryItem.updated_at)),
    )


def movements_list_spec(item: InventoryItem) -> ListSpec:
    """One item's stock ledger, newest first."""
    return ListSpec(
        name=f"stock-{item.sku}",
        base_query=lambda: select(StockMovement).where(StockMovement.item_id == item.id)
        .options(joinedload(StockMovement.user), joinedload(StockMovement.order)),
        id_column=StockMovement.id,
        # The id follows time (movements are only ever appended), and (item_id, id) is indexed.
        sort_keys={"when": SortKey("When", StockMovement.id), "delta": SortKey("Change", StockMovement.delta)},
        default_sort="when",
        default_dir="desc",
        search_columns=(StockMovement.reason,),
        search_label="Search reasons",
        csv_columns=(
            ("created_at", lambda m: m.created_at), ("delta", lambda m: m.delta),
            ("stock_after", lambda m: m.stock_after), ("reason", lambda m: m.reason),
            ("order", lambda m: m.order.number if m.order else ""), ("user", lambda m: m.user.email if m.user else ""),
        ),
    )
