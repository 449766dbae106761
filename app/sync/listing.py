"""How the sync runs list filters, sorts, searches and exports."""
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from app.common.listing import Filter, ListSpec, SortKey
from app.customers.filters import customer_filter
from app.customers.models import Customer
from app.platforms.models import PlatformConnection
from app.sync.models import RUN_STATUSES, TRIGGERS, SyncRun


def _with_connections(customers):
    """Only customers with a platform connection have runs."""
    return customers.where(Customer.id.in_(select(PlatformConnection.customer_id)))


def _one_of(column, allowed):
    return lambda value: column == value if value in allowed else None


def runs_list_spec() -> ListSpec:
    """The sync runs list (staff only, so no customer scoping), newest first."""
    return ListSpec(
        name="sync-runs",
        base_query=lambda: select(SyncRun).join(Customer, SyncRun.customer_id == Customer.id)
        .options(contains_eager(SyncRun.customer)),
        id_column=SyncRun.id,
        sort_keys={
            "created": SortKey("Queued", SyncRun.created_at),
            "started": SortKey("Started", SyncRun.started_at, nullable=True),
            "status": SortKey("Status", SyncRun.status),
            "customer": SortKey("Customer", Customer.code),
        },
        default_sort="created",
        default_dir="desc",
        search_columns=(Customer.code, Customer.name, SyncRun.error),
        search_label="Search customer or error",
        filters={
            "customer": customer_filter(SyncRun.customer_id, narrow=_with_connections),
            "status": Filter("Status", _one_of(SyncRun.status, RUN_STATUSES),
                             choices=lambda _current: [(s, s.capitalize()) for s in RUN_STATUSES]),
            "trigger": Filter("Trigger", _one_of(SyncRun.trigger, TRIGGERS),
                              choices=lambda _current: [(t, t.capitalize()) for t in TRIGGERS]),
        },
        csv_columns=(
            ("run", lambda r: r.id), ("customer", lambda r: r.customer.code),
            ("platform", lambda r: r.connection.platform.slug), ("trigger", lambda r: r.trigger),
            ("status", lambda r: r.status), ("pages", lambda r: r.pages), ("inserted", lambda r: r.inserted),
            ("updated", lambda r: r.updated), ("unchanged", lambda r: r.unchanged),
            ("skipped_invalid", lambda r: r.skipped_invalid), ("marked_deleted", lambda r: r.marked_deleted),
            ("error", lambda r: r.error), ("queued_at", lambda r: r.created_at),
            ("started_at", lambda r: r.started_at), ("finished_at", lambda r: r.finished_at),
        ),
    )
