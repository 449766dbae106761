"""Inventory forms; the services check every value, so fields here only shape the input."""
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

NUMERIC = {"inputmode": "numeric", "autocomplete": "off"}


class ItemForm(FlaskForm):
    """An item's identity, description and price."""

    sku = StringField("SKU", validators=[DataRequired(), Length(max=64)],
                      description="Unique stock-keeping unit, e.g. MUG-BLUE. Stored in capitals.")
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    description = TextAreaField("Description", validators=[Length(max=5000)])
    unit_price = StringField("Unit price", validators=[DataRequired()], render_kw={"inputmode": "decimal"},
                             description="In the account currency, e.g. 12.50.")
    low_stock_threshold = StringField("Low-stock threshold", default="0", render_kw=NUMERIC,
                                      description="The list flags the item when stock on hand is at or below this.")


class NewItemForm(ItemForm):
    """A new item may arrive with opening stock (recorded as its first movement)."""

    opening_stock = StringField("Opening stock", default="0", render_kw=NUMERIC)


class StockAdjustmentForm(FlaskForm):
    """A signed change of stock with a reason."""

    delta = StringField("Change", validators=[DataRequired()], render_kw=NUMERIC,
                        description="Units to add (e.g. 12) or remove (e.g. -3). Stock cannot go below zero.")
    reason = StringField("Reason", validators=[DataRequired(message="Say why the stock changes."), Length(max=200)],
                         description="e.g. Delivery from supplier, Stock count, Damaged.")
