"""How the orders list searches (number, customer, SKU), filters and sorts."""
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import exists, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from app.auth.scope import scoped
from app.common.listing import Filter, ListSpec, SortKey
from app.customers.filters import customer_filter
from app.customers.models import Customer
from app.extensions import db
from app.inventory.models import InventoryItem
from app.orders.models import Order, OrderEvent, OrderLine
from app.orders.states import STATUS_LABELS

RECENT_ORDERS = 10
# What an order's page shows with it: customer, campaign, who placed it, its lines' items, its timeline.
SHOW_ORDER_OPTIONS = (
    joinedload(Order.customer), joinedload(Order.campaign), joinedload(Order.placed_by),
    selectinload(Order.lines).joinedload(OrderLine.item), selectinload(Order.events).joinedload(OrderEvent.user))


class LineSkuSearch:
    """A search target for the list machinery: matches orders with a line whose item SKU matches.

    The machinery calls .ilike(pattern) on each search column; an EXISTS keeps one row per order.
    """

    def ilike(self, pattern, escape=None):
        """Orders having at least one line whose SKU is like the pattern."""
        return exists().where(OrderLine.order_id == Order.id, OrderLine.item_id == InventoryItem.id,
                              InventoryItem.sku.ilike(pattern, escape=escape))


def _day(value: str) -> datetime | None:
    try:
        return datetime.combine(date.fromisoformat(value), time.min, tzinfo=timezone.utc)
    except ValueError:
        return None


def _placed_from(value: str):
    start = _day(value)
    return Order.created_at >= start if start else None


def _placed_until(value: str):
    start = _day(value)
    return Order.created_at < start + timedelta(days=1) if start else None


def _base_query():
    return scoped(
        select(Order).join(Order.customer).options(
            contains_eager(Order.customer), selectinload(Order.lines).selectinload(OrderLine.item)),
        Order.customer_id,
    )


def orders_list_spec() -> ListSpec:
    """The orders list, scoped to the customers the current login may see."""
    return ListSpec(
        name="orders",
        base_query=_base_query,
        id_column=Order.id,
        sort_keys={
            # Numbers are derived from ids, so the id orders them (and ORD-1000000 still sorts right).
            "number": SortKey("Number", Order.id),
            "date": SortKey("Placed", Order.created_at),
            "total": SortKey("Total", Order.total),
            "status": SortKey("Status", Order.status),
        },
        default_sort="date",
        default_dir="desc",
        search_columns=(Order.number, Customer.name, Customer.code, LineSkuSearch()),
        search_label="Search number, customer or SKU",
        archived_clause=lambda: Order.archived_at.is_not(None),
        filters={
            "status": Filter("Status", lambda v: Order.status == v if v in STATUS_LABELS else None,
                             choices=lambda _current: list(STATUS_LABELS.items())),
            "customer": customer_filter(Order.customer_id),
            "from": Filter("Placed from", _placed_from, input_type="date"),
            "to": Filter("Placed until", _placed_until, input_type="date"),
        },
        csv_columns=(
            ("number", lambda o: o.number), ("created_at", lambda o: o.created_at),
            ("customer", lambda o: o.customer.code), ("status", lambda o: o.status), ("total", lambda o: o.total),
            ("items", lambda o: "; ".join(f"{line.item.sku} x{line.quantity}" for line in o.lines)),
            ("notes", lambda o: o.notes), ("archived_at", lambda o: o.archived_at),
        ),
    )


def recent_orders(customer_id: int, limit: int = RECENT_ORDERS) -> list[Order]:
    """The latest orders of a customer the login may see, for the Orders section of its page."""
    stmt = (scoped(select(Order), Order.customer_id).where(Order.customer_id == customer_id)
            .order_by(Order.created_at.desc(), Order.id.desc()).limit(limit))
    return list(db.session.execute(stmt).scalars())
