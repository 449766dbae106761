"""How the users list searches, sorts and filters; 'archived' users are the deactivated ones."""
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.auth.models import ROLES, User
from app.common.listing import Filter, ListSpec, SortKey


def users_list_spec() -> ListSpec:
    """The users list (admins only, so no customer scoping)."""
    return ListSpec(
        name="users",
        base_query=lambda: select(User).options(joinedload(User.customer)),
        id_column=User.id,
        sort_keys={
            "email": SortKey("Email", User.email),
            "name": SortKey("Name", User.name),
            "role": SortKey("Role", User.role),
            "last_login": SortKey("Last sign-in", User.last_login_at, nullable=True),
            "created": SortKey("Created", User.created_at),
        },
        default_sort="email",
        search_columns=(User.email, User.name),
        search_label="Search email or name",
        archived_clause=lambda: User.active.is_(False),
        filters={"role": Filter("Role", lambda v: User.role == v if v in ROLES else None,
                                choices=lambda _current: [(r, r.capitalize()) for r in ROLES])},
        csv_columns=(
            ("email", lambda u: u.email), ("name", lambda u: u.name), ("role", lambda u: u.role),
            ("customer", lambda u: u.customer.code if u.customer else ""), ("active", lambda u: u.active),
            ("last_login_at", lambda u: u.last_login_at), ("created_at", lambda u: u.created_at),
        ),
    )
