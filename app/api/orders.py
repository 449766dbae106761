"""/api/v1/orders: place (with Idempotency-Key), history, one order with lines and events, transitions."""
from flask import abort, url_for
from flask_login import current_user
from marshmallow import Schema, fields, validate
from sqlalchemy.orm import joinedload, selectinload

from app.api import idempotency
from app.api.auth import api_access
from app.api.blueprints import api_blueprint
from app.api.etags import check_if_match, with_etag
from app.api.pagination import PageArgs, api_page
from app.api.schemas import ArchivedFilter, Money, Text, UtcDateTime
from app.auth.access import can
from app.auth.scope import get_scoped_or_404, may_see_customer, visible_customer_id
from app.common.errors import ValidationError
from app.extensions import db
from app.orders import services
from app.orders.listing import orders_list_spec
from app.orders.models import Order, OrderLine
from app.orders.states import CANCELLED, CONFIRMED, FULFILLED, STATUSES

blp = api_blueprint("api_orders", "/orders", "Orders: place, follow and move through their lifecycle.")
ACTIONS = {"confirm": CONFIRMED, "fulfil": FULFILLED, "cancel": CANCELLED}


class LineSchema(Schema):
    item_id = fields.Integer(required=True)
    sku = fields.String(attribute="item.sku", dump_only=True)
    quantity = fields.Integer(required=True)
    unit_price = Money(dump_only=True)


class EventSchema(Schema):
    from_status = fields.String(allow_none=True)
    to_status = fields.String()
    note = fields.String()
    user_id = fields.Integer(allow_none=True)
    created_at = UtcDateTime()


class OrderSchema(Schema):
    id = fields.Integer()
    number = fields.String()
    customer_id = fields.Integer()
    campaign_id = fields.Integer(allow_none=True)
    status = fields.String(metadata={"enum": list(STATUSES)})
    total = Money()
    notes = fields.String()
    archived = fields.Boolean(attribute="is_archived")
    created_at = UtcDateTime()
    updated_at = UtcDateTime()
    lines = fields.List(fields.Nested(LineSchema))


class OrderDetailSchema(OrderSchema):
    events = fields.List(fields.Nested(EventSchema))


class OrderListArgs(PageArgs):
    q = Text(200, metadata={"description": "Order number, customer name or code, or a line's SKU."})
    customer_id = fields.Integer()
    status = fields.String(validate=validate.OneOf(STATUSES))
    placed_from = fields.Date(metadata={"description": "Placed on or after this day (UTC)."})
    placed_until = fields.Date(metadata={"description": "Placed on or before this day (UTC)."})
    archived = ArchivedFilter()


class NewOrder(Schema):
    customer_id = fields.Integer(metadata={"description": "Required for staff tokens; a customer token orders for its own customer."})
    campaign_id = fields.Integer(allow_none=True, load_default=None)
    lines = fields.List(fields.Nested(LineSchema), required=True, validate=validate.Length(max=services.MAX_LINES))
    notes = Text(2000, load_default="")


class Transition(Schema):
    action = fields.String(required=True, validate=validate.OneOf(tuple(ACTIONS)))
    note = Text(2000, load_default="")


# What the order schema shows: lines with their items' SKUs (one join) and the events (one more query).
API_ORDER_OPTIONS = (joinedload(Order.lines).joinedload(OrderLine.item), selectinload(Order.events))


def _load(order_id: int) -> Order:
    return get_scoped_or_404(Order, order_id, options=API_ORDER_OPTIONS)


@blp.route("", methods=["GET"], endpoint="list")
@blp.arguments(OrderListArgs, location="query")
@blp.response(200, OrderSchema(many=True))
@api_access("read")
def list_orders(args):
    """Order history, newest first, with the orders page's search and filters (cursor pages)."""
    filters = {"customer": args.get("customer_id"), "status": args.get("status"),
               "from": args.get("placed_from"), "to": args.get("placed_until")}
    return api_page(orders_list_spec(), args, filters, args.get("q", ""), args.get("archived", "active"))


@blp.route("", methods=["POST"], endpoint="place")
@blp.arguments(NewOrder)
@blp.response(201, OrderDetailSchema, headers={"Idempotent-Replayed": {"schema": {"type": "string"}}})
@blp.doc(parameters=[{"in": "header", "name": idempotency.HEADER, "required": True, "schema": {"type": "string"}}])
@api_access("orders:write")
def place_order(data):
    """Place an order: all its stock and money, or nothing (422 naming each short line's SKU)."""
    customer_id = data.get("customer_id", visible_customer_id())  # a customer token: its own customer by default
    if customer_id is None:
        raise ValidationError({"customer_id": "Choose a customer."})
    if not may_see_customer(customer_id):
        abort(403, description="This token may not place orders for that customer.")
    user_id = current_user.id
    key = idempotency.client_key(user_id)
    fingerprint = idempotency.fingerprint({**data, "customer_id": customer_id})
    # place_order itself returns the first order for a key it has seen (its unique index decides).
    with idempotency.key_in_flight(key), idempotency.key_reused_for_another_order():
        placed = services.place_order(
            customer_id, [(line["item_id"], line["quantity"]) for line in data["lines"]], key,
            placed_by_id=user_id, campaign_id=data["campaign_id"], notes=data["notes"], request_fingerprint=fingerprint)
    headers = {"Location": url_for("api_orders.get", order_id=placed.id)}
    if placed.replayed:
        idempotency.refuse_other_payload(placed.id, fingerprint)
        headers["Idempotent-Replayed"] = "true"
    return with_etag(_load(placed.id), 201, headers)


@blp.route("/<int:order_id>", methods=["GET"], endpoint="get")
@blp.response(200, OrderDetailSchema)
@api_access("read")
def get_order(order_id: int):
    """One order with its lines and its timeline (ETag for If-Match)."""
    return with_etag(_load(order_id))


@blp.route("/<int:order_id>/transitions", methods=["POST"], endpoint="transition")
@blp.arguments(Transition)
@blp.response(200, OrderDetailSchema)
@api_access("orders:write")
def transition_order(data, order_id: int):
    """Confirm, fulfil or cancel (staff, as on the pages) through the one state machine; a stale If-Match is 412."""
    order = _load(order_id)
    if not can("orders.change_status"):
        abort(403, description="Only staff change an order's status.")
    # Compared on the row the service has locked: a change between our read and its write cannot slip through.
    services.change_status(order.id, ACTIONS[data["action"]], current_user.id, data["note"], precondition=check_if_match)
    db.session.expire_all()
    return with_etag(_load(order_id))
