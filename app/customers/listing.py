"""How the customers list searches, sorts and filters."""
from sqlalchemy import select

from app.auth.scope import scoped
from app.common.listing import ListSpec, SortKey
from app.customers.models import Customer


def customers_list_spec() -> ListSpec:
    """The customers list, scoped to the customers the current login may see."""
    return ListSpec(
        name="customers",
        base_query=lambda: scoped(select(Customer), Customer.id),
        id_column=Customer.id,
        sort_keys={
            "name": SortKey("Name", Customer.name),
            "code": SortKey("Code", Customer.code),
            "balance": SortKey("Balance", Customer.balance),
            "created": SortKey("Created", Customer.created_at),
        },
        default_sort="name",
        search_columns=(Customer.name, Customer.code, Customer.email, Customer.phone),
        search_label="Search name, code, email or phone",
        archived_clause=lambda: Customer.archived_at.is_not(None),
        csv_sql=(("code", Customer.code), ("name", Customer.name), ("email", Customer.email), ("phone", Customer.phone),
                 ("balance", Customer.balance), ("archived_at", Customer.archived_at),
                 ("created_at", Customer.created_at)),
    )
