"""Template globals: the navigation (only domains that exist and the user may open), `can`, and formatting.

None of them queries the database: a page's data comes from its view.
"""
from decimal import Decimal

from flask import request
from flask_login import current_user

from app.auth.access import can

# Every domain's entry; entries whose endpoint is not registered yet are simply not shown.
NAVIGATION = (
    ("Customers", "customers.index"),
    ("Campaigns", "campaigns.index"),
    ("Orders", "orders.index"),
    ("Inventory", "inventory.index"),
    ("Sync runs", "sync.runs"),
    ("Connections", "admin.connections"),
    ("API tokens", "admin.api_tokens"),
    ("Users", "admin.users"),
)


def navigation() -> list[tuple[str, str]]:
    """Nav entries the current user may open, as (label, endpoint)."""
    if not current_user.is_authenticated:
        return []
    return [(label, endpoint) for label, endpoint in NAVIGATION if can(endpoint)]


def money(value) -> str:
    """Format an amount with two decimals and thousands separators."""
    if value is None:
        return "—"
    return f"{Decimal(value):,.2f}"


def when(value) -> str:
    """Short UTC timestamp for tables."""
    return value.strftime("%Y-%m-%d %H:%M") if value else "—"


def register_template_helpers(app) -> None:
    """Expose the helpers to every template."""
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["when"] = when
    app.jinja_env.globals["can"] = can

    @app.context_processor
    def inject():
        return {"navigation": navigation, "current_endpoint": request.endpoint}
