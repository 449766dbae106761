"""/api/v1/customers: customers with their balance, and balance credits (admins, as on the pages)."""
from flask import abort, url_for
from flask_login import current_user
from marshmallow import Schema, fields, validate

from app.api.auth import api_access
from app.api.blueprints import api_blueprint
from app.api.etags import with_etag
from app.api.pagination import PageArgs, api_page
from app.api.schemas import ArchivedFilter, Money, Text, UtcDateTime
from app.auth.access import can
from app.auth.scope import get_scoped_or_404
from app.balances import services as balances
from app.customers.listing import customers_list_spec
from app.customers.models import Customer

blp = api_blueprint("api_customers", "/customers", "Customers and their balances.")


class CustomerSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    balance = Money()
    archived = fields.Boolean(attribute="is_archived")
    updated_at = UtcDateTime()


class CustomerListArgs(PageArgs):
    q = Text(200, metadata={"description": "Text in the code, name, email or phone."})
    archived = ArchivedFilter()


class BalanceCredit(Schema):
    kind = fields.String(load_default="deposit", validate=validate.OneOf(("deposit", "adjustment")),
                         metadata={"description": "deposit: money received; adjustment: a correction, + or -."})
    amount = Text(40, required=True, metadata={"description": "Decimal as a string, e.g. \"250.00\"."})
    reason = Text(200, required=True)


def _customer(customer_id: int) -> Customer:
    return get_scoped_or_404(Customer, customer_id, customer_id_column=Customer.id)


@blp.route("", methods=["GET"], endpoint="list")
@blp.arguments(CustomerListArgs, location="query")
@blp.response(200, CustomerSchema(many=True))
@api_access("read")
def list_customers(args):
    """Customers the token may see (a customer token: its own), with the customers page's search."""
    return api_page(customers_list_spec(), args, q=args.get("q", ""), archived=args.get("archived", "active"))


@blp.route("/<int:customer_id>", methods=["GET"], endpoint="get")
@blp.response(200, CustomerSchema)
@api_access("read")
def get_customer(customer_id: int):
    """One customer with its balance (ETag)."""
    return with_etag(_customer(customer_id))


@blp.route("/<int:customer_id>/balance-changes", methods=["POST"], endpoint="credit")
@blp.arguments(BalanceCredit)
@blp.response(201, CustomerSchema)
@api_access("admin")
def credit_balance(data, customer_id: int):
    """Record a deposit or an adjustment with a reason (admins only, as on the pages)."""
    customer = _customer(customer_id)
    if not can("balances.record"):
        abort(403, description="Only admins change a balance.")
    record = balances.record_deposit if data["kind"] == "deposit" else balances.record_adjustment
    record(customer.id, data["amount"], data["reason"], current_user.id)
    return with_etag(_customer(customer_id), 201, {"Location": url_for("api_customers.get", customer_id=customer_id)})
