"""The "customer" filter of list pages (orders, campaigns, sync runs): bounded, however many customers there are."""
from sqlalchemy import select

from app.common.ids import parse_id
from app.common.listing import Filter, id_equals
from app.customers.models import Customer
from app.customers.picker import customer_rows

# Archived customers too: their orders, campaigns and runs stay listed.
ALL_CUSTOMERS = select(Customer.id, Customer.name, Customer.code)


def customer_filter(customer_id_column, narrow=None) -> Filter:
    """Filter a list by customer id. The select offers the first customers by name that the login may see
    (narrow(stmt) may restrict them, e.g. to those with runs) plus the one the list is filtered by; any
    other customer's lists are a click away on its own page."""

    def choices(current: str | None) -> list[tuple[str, str]]:
        offered = ALL_CUSTOMERS if narrow is None else narrow(ALL_CUSTOMERS)
        return [(str(row.id), f"{row.name} ({row.code})") for row in customer_rows(parse_id(current), base=offered)]

    return Filter("Customer", id_equals(customer_id_column), choices=choices)
