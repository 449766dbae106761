"""The place-order form: customer, optional campaign, lines added and removed with htmx, notes."""
import uuid

from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, HiddenField, IntegerField, SearchField, SelectField, TextAreaField
from wtforms.utils import unset_value
from wtforms.validators import Length, NumberRange, Optional

from app.common.ids import parse_id
from app.orders.services import MAX_LINES, MAX_QUANTITY


class CountedFieldList(FieldList):
    """A FieldList that knows how many entries were sent: WTForms keeps the first max_entries and
    drops the rest without a word, so the view must refuse an over-long list instead of cutting it."""

    sent_entries = 0

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.sent_entries = len(set(self._extract_indices(self.name, formdata))) if formdata else 0
        super().process(formdata, data, extra_filters)

    @property
    def too_many(self) -> bool:
        return bool(self.max_entries) and self.sent_entries > self.max_entries


class OrderLineForm(Form):
    """One line: an item and a quantity; item_search narrows the item choices (see quote.fill_choices)."""

    item_search = SearchField("Search by SKU or name")
    item_id = SelectField("Item", coerce=parse_id, validate_choice=False)
    quantity = IntegerField("Quantity", default=1, validators=[
        Optional(), NumberRange(1, MAX_QUANTITY, f"Enter a whole number from 1 to {MAX_QUANTITY:,}.")])


class OrderForm(FlaskForm):
    """The whole order; choices are filled by the view from what the login may see."""

    idempotency_key = HiddenField()
    customer_search = SearchField("Search by name or code")
    customer_id = SelectField("Customer", coerce=parse_id, validate_choice=False)
    campaign_search = SearchField("Search by title")
    campaign_id = SelectField("Campaign (optional)", coerce=parse_id, validate_choice=False)
    lines = CountedFieldList(FormField(OrderLineForm), min_entries=1, max_entries=MAX_LINES)
    notes = TextAreaField("Notes", validators=[Length(max=2000)])

    def ensure_key(self) -> None:
        """Give a fresh form its one-time key; a re-rendered form keeps the key it was sent with."""
        if not self.idempotency_key.data:
            self.idempotency_key.data = uuid.uuid4().hex

    def chosen_lines(self) -> list[tuple[int, int]]:
        """(item_id, quantity) of every line with an item; a missing quantity becomes 0 so it is refused."""
        return [(entry.item_id.data, entry.quantity.data or 0) for entry in self.lines if entry.item_id.data is not None]

    def remove_line(self, index: int) -> None:
        """Drop the line at this position, keeping at least one (empty) line."""
        if 0 <= index < len(self.lines.entries):
            del self.lines.entries[index]
        if not self.lines.entries:
            self.lines.append_entry()
