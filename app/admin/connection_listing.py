"""How the platform connections list searches, sorts and filters (admins only, so no customer scoping)."""
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

from app.auth.scope import scoped
from app.common.listing import Filter, ListSpec, SortKey, id_equals
from app.customers.models import Customer
from app.extensions import db
from app.platforms.models import Platform, PlatformConnection

SYNC_CHOICES = {"enabled": True, "disabled": False}


def connections_list_spec() -> ListSpec:
    """Every customer's platform connections; the token is never a column, not even in the CSV."""
    return ListSpec(
        name="connections",
        base_query=lambda: select(PlatformConnection).join(PlatformConnection.customer)
        .options(contains_eager(PlatformConnection.customer)),
        id_column=PlatformConnection.id,
        sort_keys={
            "customer": SortKey("Customer", Customer.name),
            "organization": SortKey("Organisation", PlatformConnection.organization),
            "interval": SortKey("Every (min)", PlatformConnection.sync_interval_minutes),
            "last_synced": SortKey("Last synced", PlatformConnection.last_synced_at, nullable=True),
            "created": SortKey("Created", PlatformConnection.created_at),
        },
        default_sort="customer",
        search_columns=(Customer.name, Customer.code, PlatformConnection.organization),
        search_label="Search customer or organisation",
        filters={
            "sync": Filter("Scheduled sync", lambda v: PlatformConnection.sync_enabled.is_(SYNC_CHOICES[v])
                           if v in SYNC_CHOICES else None,
                           choices=lambda _current: [("enabled", "Enabled"), ("disabled", "Disabled")]),
            "platform": Filter("Platform", id_equals(PlatformConnection.platform_id),
                               choices=_platform_choices),
        },
        csv_columns=(
            ("customer_code", lambda c: c.customer.code), ("customer", lambda c: c.customer.name),
            ("platform", lambda c: c.platform.slug), ("organization", lambda c: c.organization),
            ("sync_enabled", lambda c: c.sync_enabled), ("sync_interval_minutes", lambda c: c.sync_interval_minutes),
            ("last_sync_started_at", lambda c: c.last_sync_started_at), ("last_synced_at", lambda c: c.last_synced_at),
            ("created_at", lambda c: c.created_at),
        ),
    )


def _platform_choices(_current: str | None) -> list[tuple[str, str]]:
    return [(str(p.id), p.name) for p in db.session.execute(select(Platform).order_by(Platform.name)).scalars()]


def customer_connections(customer_id: int) -> list[PlatformConnection]:
    """The connections of a customer the login may see (platform loaded with them), for its page."""
    stmt = (select(PlatformConnection).where(PlatformConnection.customer_id == customer_id)
            .options(joinedload(PlatformConnection.platform)).order_by(PlatformConnection.platform_id))
    return list(db.session.execute(scoped(stmt, PlatformConnection.customer_id)).scalars())
