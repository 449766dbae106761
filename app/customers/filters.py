"""The "customer" filter of list pages (orders, campaigns, sync runs): bounded, however many customers there are."""
from flask import request
from sqlalchemy import select

from app.auth.scope import scoped
from app.common.ids import parse_id
from app.common.listing import Filter, id_equals
from app.customers.models import Customer
from app.extensions import db

# The select offers this many customers by name, plus the one the list is filtered by. Any other
# customer's rows are a click away on the customer's own page, which links to its filtered lists.
FILTER_CHOICES = 100


def customer_filter(customer_id_column, narrow=None) -> Filter:
    """Filter a list by customer id; narrow(stmt) may restrict the customers offered (e.g. to those with runs)."""

    def choices() -> list[tuple[str, str]]:
        offered = scoped(select(Customer.id, Customer.name, Customer.code), Customer.id)
        if narrow is not None:
            offered = narrow(offered)
        rows = db.session.execute(offered.order_by(Customer.name, Customer.id).limit(FILTER_CHOICES)).all()
        current = parse_id(request.args.get("customer"))
        if current is not None and all(row.id != current for row in rows):
            rows += db.session.execute(offered.where(Customer.id == current)).all()
        return [(str(row.id), f"{row.name} ({row.code})") for row in rows]

    return Filter("Customer", id_equals(customer_id_column), choices=choices)
