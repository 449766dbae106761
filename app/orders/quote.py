"""What the place-order form shows while it is being filled in: choices, line totals, the running total.

Only a preview: place_order captures the real prices under lock when the order is placed.
"""
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from app.auth.scope import scoped
from app.campaigns.models import Campaign
from app.customers.models import Customer
from app.extensions import db
from app.inventory.models import InventoryItem


@dataclass
class OrderQuote:
    """Per-line totals (by line position), the total, and the chosen customer's balance."""

    line_totals: list = field(default_factory=list)
    total: Decimal = Decimal("0.00")
    customer: object = None

    @property
    def balance_after(self) -> Decimal | None:
        """The customer's balance once this order is paid, or None before a customer is chosen."""
        return None if self.customer is None else self.customer.balance - self.total


def fill_choices(form, fixed_customer_id: int | None) -> dict[int, object]:
    """Set the customer, campaign and item choices; returns the orderable items by id."""
    if fixed_customer_id is not None:
        form.customer_id.data = fixed_customer_id  # a customer login orders for its own customer only
    customers = db.session.execute(
        scoped(select(Customer.id, Customer.name, Customer.code), Customer.id)
        .where(Customer.archived_at.is_(None)).order_by(Customer.name)
    ).all()
    form.customer_id.choices = [("", "— choose a customer —")] + [(c.id, f"{c.name} ({c.code})") for c in customers]
    campaigns = []
    if form.customer_id.data:
        campaigns = db.session.execute(
            select(Campaign.id, Campaign.title).where(Campaign.customer_id == form.customer_id.data,
                                                      Campaign.archived_at.is_(None)).order_by(Campaign.title)
        ).all()
    form.campaign_id.choices = [("", "— no campaign —")] + [(c.id, c.title) for c in campaigns]
    items = db.session.execute(
        select(InventoryItem.id, InventoryItem.sku, InventoryItem.name, InventoryItem.unit_price,
               InventoryItem.stock_on_hand)
        .where(InventoryItem.archived_at.is_(None)).order_by(InventoryItem.sku)
    ).all()
    choices = [("", "— choose an item —")] + [
        (i.id, f"{i.sku} · {i.name} · {i.unit_price:,.2f} · {i.stock_on_hand} in stock") for i in items]
    for entry in form.lines:
        entry.item_id.choices = choices
    return {i.id: i for i in items}


def quote(form, items: dict[int, object]) -> OrderQuote:
    """Line totals and the running total at today's prices, and the chosen customer's balance."""
    result = OrderQuote()
    for entry in form.lines:
        item, quantity = items.get(entry.item_id.data), entry.quantity.data
        line_total = item.unit_price * quantity if item is not None and quantity and quantity > 0 else None
        result.line_totals.append(line_total)
        result.total += line_total or 0
    if form.customer_id.data:
        result.customer = db.session.execute(
            scoped(select(Customer), Customer.id).where(Customer.id == form.customer_id.data)).scalar_one_or_none()
    return result
