"""Stock and money read back from the database, and the invariants every ledger must keep."""
from decimal import Decimal

from sqlalchemy import func, select

from app.balances.models import BalanceEntry
from app.customers.models import Customer
from app.extensions import db
from app.inventory.models import InventoryItem, StockMovement
from app.orders.models import Order, OrderLine


def stock_of(item) -> int:
    """Current stock on hand, read from the database."""
    item_id = getattr(item, "id", item)
    return db.session.execute(select(InventoryItem.stock_on_hand).where(InventoryItem.id == item_id)).scalar_one()


def balance_of(customer) -> Decimal:
    """Current balance, read from the database."""
    return db.session.execute(select(Customer.balance).where(Customer.id == getattr(customer, "id", customer))).scalar_one()


def count(model) -> int:
    """Rows in a table."""
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def assert_ledgers_add_up() -> None:
    """Every invariant of the issue: stock and balances never negative and equal to their ledgers; totals = lines."""
    db.session.expire_all()
    movements = dict(db.session.execute(
        select(StockMovement.item_id, func.sum(StockMovement.delta)).group_by(StockMovement.item_id)).all())
    for item_id, on_hand in db.session.execute(select(InventoryItem.id, InventoryItem.stock_on_hand)).all():
        assert on_hand >= 0
        assert on_hand == (movements.get(item_id) or 0), f"item {item_id}: on hand {on_hand} != movements"
    ledger = dict(db.session.execute(
        select(BalanceEntry.customer_id, func.sum(BalanceEntry.amount)).group_by(BalanceEntry.customer_id)).all())
    for customer_id, balance in db.session.execute(select(Customer.id, Customer.balance)).all():
        assert balance >= 0
        assert Decimal(balance).quantize(Decimal("0.01")) == Decimal(ledger.get(customer_id) or 0).quantize(Decimal("0.01"))
    lines = dict(db.session.execute(
        select(OrderLine.order_id, func.sum(OrderLine.quantity * OrderLine.unit_price)).group_by(OrderLine.order_id)).all())
    for order_id, total in db.session.execute(select(Order.id, Order.total)).all():
        assert Decimal(total).quantize(Decimal("0.01")) == Decimal(lines.get(order_id) or 0).quantize(Decimal("0.01"))
