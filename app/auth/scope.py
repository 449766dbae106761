"""The one place that limits customer data to what the current login may see."""
from flask import abort
from flask_login import current_user
from sqlalchemy import Select, false

from app.extensions import db


def visible_customer_id() -> int | None:
    """None for staff (every customer); the login's own customer id for a customer login."""
    if current_user.is_authenticated and current_user.is_staff:
        return None
    if current_user.is_authenticated and current_user.customer_id is not None:
        return current_user.customer_id
    return -1  # no customer at all: matches nothing


def scoped(stmt: Select, customer_id_column) -> Select:
    """Restrict a query over customer data to the customers the current login may see."""
    customer_id = visible_customer_id()
    if customer_id is None:
        return stmt
    if customer_id == -1:
        return stmt.where(false())
    return stmt.where(customer_id_column == customer_id)


def get_scoped_or_404(model, row_id, customer_id_column=None):
    """Load one row of customer data, 404 when it does not exist or is not the login's to see."""
    column = customer_id_column if customer_id_column is not None else model.customer_id
    row = db.session.execute(scoped(db.select(model).where(model.id == row_id), column)).scalar_one_or_none()
    if row is None:
        abort(404)
    return row
