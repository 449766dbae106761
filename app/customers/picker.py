"""The customer picker of staff forms (connections, users, campaigns, orders) and of list filters: bounded."""
from sqlalchemy import select

from app.auth.scope import scoped
from app.common.picker import picker_rows
from app.customers.models import Customer

CHOOSE_A_CUSTOMER = "Choose a customer…"
NO_CUSTOMER = "— none —"
ACTIVE_CUSTOMERS = select(Customer.id, Customer.name, Customer.code).where(Customer.archived_at.is_(None))


def customer_rows(chosen_id: int | None, term: str = "", base=ACTIVE_CUSTOMERS) -> list:
    """The chosen customer and the first active customers whose name or code contains the term, by name.

    `base` may add columns (its first three must be id, name and code); it is scoped to the login.
    """
    return picker_rows(scoped(base, Customer.id), Customer.id, chosen_id, term, (Customer.name, Customer.code),
                       (Customer.name, Customer.id))


def customer_choices(chosen_id: int | None, term: str = "") -> list[tuple[int, str]]:
    """(id, 'Name (CODE)') for a picker's select."""
    return [(row.id, f"{row.name} ({row.code})") for row in customer_rows(chosen_id, term)]
