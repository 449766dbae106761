"""The one place that limits customer data to what a login may see."""
from flask import abort
from flask_login import current_user
from sqlalchemy import Select, false

from app.extensions import db

NO_CUSTOMER = -1  # a login tied to no customer at all: matches nothing


def visible_customer_id(user=None) -> int | None:
    """None for staff (every customer); the login's own customer id for a customer login.

    `user` defaults to the current login; services acting for a given user (API, jobs) pass it.
    """
    user = current_user if user is None else user
    if user.is_authenticated and user.is_staff:
        return None
    if user.is_authenticated and user.customer_id is not None:
        return user.customer_id
    return NO_CUSTOMER


def may_see_customer(customer_id: int, user=None) -> bool:
    """Whether the login (default: the current one) may see and act on this customer's data."""
    visible = visible_customer_id(user)
    return visible is None or visible == customer_id


def scoped(stmt: Select, customer_id_column) -> Select:
    """Restrict a query over customer data to the customers the current login may see."""
    customer_id = visible_customer_id()
    if customer_id is None:
        return stmt
    if customer_id == NO_CUSTOMER:
        return stmt.where(false())
    return stmt.where(customer_id_column == customer_id)


def get_scoped_or_404(model, row_id, *criteria, customer_id_column=None, options=()):
    """Fetch the one row a record page shows: 404 when it does not exist or is not the login's to see.

    Every record page loads its row here (flaskr's get_post). Customer data is scoped by
    `customer_id_column` (default: the model's customer_id; Customer itself passes Customer.id);
    a table with no customer column (inventory items) holds no customer data, so nothing narrows it.
    `criteria` add conditions (e.g. the platform in the URL); `options` are loader options.
    """
    column = customer_id_column if customer_id_column is not None else getattr(model, "customer_id", None)
    stmt = db.select(model).where(model.id == row_id, *criteria).options(*options)
    if column is not None:
        stmt = scoped(stmt, column)
    row = db.session.execute(stmt).unique().scalar_one_or_none()
    if row is None:
        abort(404)
    return row
