"""How a customer's balance ledger lists, searches and sorts."""
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.auth.scope import scoped
from app.balances.models import ENTRY_KINDS, KIND_LABELS, BalanceEntry
from app.common.listing import Filter, ListSpec, SortKey
from app.extensions import db

RECENT_ENTRIES = 10


def ledger_list_spec(customer) -> ListSpec:
    """The ledger of one customer (the view has already checked the login may see it), newest first."""
    return ListSpec(
        name=f"ledger-{customer.code}",
        base_query=lambda: select(BalanceEntry).where(BalanceEntry.customer_id == customer.id)
        .options(joinedload(BalanceEntry.user), joinedload(BalanceEntry.order)),
        id_column=BalanceEntry.id,
        sort_keys={"when": SortKey("When", BalanceEntry.created_at), "amount": SortKey("Amount", BalanceEntry.amount)},
        default_sort="when",
        default_dir="desc",
        search_columns=(BalanceEntry.reason,),
        search_label="Search reasons",
        filters={"kind": Filter("Kind", lambda v: BalanceEntry.kind == v if v in ENTRY_KINDS else None,
                                choices=lambda _current: list(KIND_LABELS.items()))},
        csv_columns=(
            ("created_at", lambda e: e.created_at), ("kind", lambda e: e.kind), ("amount", lambda e: e.amount),
            ("balance_after", lambda e: e.balance_after), ("reason", lambda e: e.reason),
            ("order", lambda e: e.order.number if e.order else ""), ("user", lambda e: e.user.email if e.user else ""),
        ),
    )


def recent_ledger(customer_id: int, limit: int = RECENT_ENTRIES) -> list[BalanceEntry]:
    """The latest ledger rows of a customer the login may see, for the Balance section of its page."""
    stmt = (select(BalanceEntry).where(BalanceEntry.customer_id == customer_id)
            .options(joinedload(BalanceEntry.order), joinedload(BalanceEntry.user))
            .order_by(BalanceEntry.created_at.desc(), BalanceEntry.id.desc()).limit(limit))
    return list(db.session.execute(scoped(stmt, BalanceEntry.customer_id)).scalars())
