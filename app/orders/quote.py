"""What the place-order form shows while it is being filled in: choices, line totals, the running total.

Only a preview: place_order captures the real prices under lock when the order is placed.
"""
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from app.auth.scope import scoped
from app.campaigns.models import Campaign
from app.common.picker import PICKER_SIZE, narrowed, picker_rows, search_term
from app.customers.models import Customer
from app.customers.picker import CHOOSE_A_CUSTOMER, customer_choices
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


# What the pickers offer (app/common/picker.py): this form reads their search boxes on every redraw.
ITEM_OPTIONS = select(InventoryItem.id, InventoryItem.sku, InventoryItem.name, InventoryItem.unit_price,
                      InventoryItem.stock_on_hand).where(InventoryItem.archived_at.is_(None))


def _campaign_choices(form) -> list:
    """The chosen customer's active campaigns, by title (a synced customer may have thousands)."""
    campaigns = []
    if form.customer_id.data is not None:
        base = select(Campaign.id, Campaign.title).where(Campaign.customer_id == form.customer_id.data,
                                                         Campaign.archived_at.is_(None))
        campaigns = picker_rows(base, Campaign.id, form.campaign_id.data, search_term(form.campaign_search.data),
                                (Campaign.title,), (Campaign.title, Campaign.id))
    return [("", "— no campaign —")] + [(c.id, c.title) for c in campaigns]


def _fill_item_choices(form) -> dict[int, object]:
    """Each line's options: its chosen item and up to PICKER_SIZE active items matching its search,
    by SKU (lines searching for the same thing share one query). Returns the chosen items by id."""
    chosen_ids = {entry.item_id.data for entry in form.lines if entry.item_id.data is not None}
    chosen = {}
    if chosen_ids:
        chosen = {row.id: row for row in db.session.execute(ITEM_OPTIONS.where(InventoryItem.id.in_(chosen_ids)))}
    found_by_term = {}
    for entry in form.lines:
        term = search_term(entry.item_search.data)
        if term not in found_by_term:
            found_by_term[term] = db.session.execute(
                narrowed(ITEM_OPTIONS, term, InventoryItem.sku, InventoryItem.name)
                .order_by(InventoryItem.sku, InventoryItem.id).limit(PICKER_SIZE)).all()
        rows = found_by_term[term]
        picked = chosen.get(entry.item_id.data)
        if picked is not None and all(row.id != picked.id for row in rows):
            rows = [picked, *rows]
        entry.item_id.choices = [("", "— choose an item —")] + [
            (i.id, f"{i.sku} · {i.name} · {i.unit_price:,.2f} · {i.stock_on_hand} in stock") for i in rows]
    return chosen


def fill_choices(form, fixed_customer_id: int | None) -> dict[int, object]:
    """Set the customer, campaign and item choices; returns the chosen orderable items by id."""
    if fixed_customer_id is None:
        customers = customer_choices(form.customer_id.data, search_term(form.customer_search.data))
        form.customer_id.choices = [("", CHOOSE_A_CUSTOMER)] + customers
    else:
        form.customer_id.data = fixed_customer_id  # a customer login orders for its own customer only
    form.campaign_id.choices = _campaign_choices(form)
    return _fill_item_choices(form)


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
