"""/api/v1/items: inventory items, their details and stock adjustments, through the inventory services."""
from dataclasses import replace

from flask import url_for
from flask_login import current_user
from marshmallow import Schema, fields

from app.api.auth import api_access
from app.api.blueprints import api_blueprint
from app.api.etags import check_if_match, with_etag
from app.api.pagination import PageArgs, api_page
from app.api.schemas import ArchivedFilter, Money, Text, UtcDateTime
from app.auth.scope import get_scoped_or_404
from app.common.listing import Filter
from app.inventory import services
from app.inventory.listing import items_list_spec
from app.inventory.models import InventoryItem

blp = api_blueprint("api_items", "/items", "Inventory items and their stock.")


class ItemSchema(Schema):
    id = fields.Integer(dump_only=True)
    sku = fields.String()
    name = fields.String()
    description = fields.String()
    unit_price = Money()
    stock_on_hand = fields.Integer()
    low_stock_threshold = fields.Integer()
    archived = fields.Boolean(attribute="is_archived")
    updated_at = UtcDateTime()


class ItemListArgs(PageArgs):
    q = Text(200, metadata={"description": "Text in the SKU or name."})
    in_stock = fields.Boolean(metadata={"description": "true: only items with stock on hand."})
    archived = ArchivedFilter()


class ItemWrite(Schema):
    sku = Text(64, required=True)
    name = Text(200, required=True)
    unit_price = Text(40, required=True, metadata={"description": "Decimal as a string, e.g. \"12.50\"."})
    description = Text(5000, load_default="")
    low_stock_threshold = fields.Integer(load_default=0)


class ItemCreate(ItemWrite):
    opening_stock = fields.Integer(load_default=0)


class ItemPatch(Schema):
    sku = Text(64)
    name = Text(200)
    unit_price = Text(40)
    description = Text(5000)
    low_stock_threshold = fields.Integer()


class Adjustment(Schema):
    quantity = fields.Integer(required=True, metadata={"description": "Signed change: 5 adds, -3 removes."})
    reason = Text(200, required=True)


def _in_stock(value: str):
    return {"True": InventoryItem.stock_on_hand > 0, "False": InventoryItem.stock_on_hand <= 0}.get(value)


@blp.route("", methods=["GET"], endpoint="list")
@blp.arguments(ItemListArgs, location="query")
@blp.response(200, ItemSchema(many=True))
@api_access("read")
def list_items(args):
    """Items by SKU, with search, in-stock and archived filters (cursor pages)."""
    spec = items_list_spec()
    spec = replace(spec, filters={**spec.filters, "in_stock": Filter("In stock", _in_stock)})
    return api_page(spec, args, {"in_stock": args.get("in_stock")}, args.get("q", ""), args.get("archived", "active"))


@blp.route("", methods=["POST"], endpoint="create")
@blp.arguments(ItemCreate)
@blp.response(201, ItemSchema)
@api_access("inventory:write")
def create_item(data):
    """Create an item, with optional opening stock (its first ledger movement)."""
    item = services.create_item(**data, user_id=current_user.id)
    return with_etag(item, 201, {"Location": url_for("api_items.get", item_id=item.id)})


@blp.route("/<int:item_id>", methods=["GET"], endpoint="get")
@blp.response(200, ItemSchema)
@api_access("read")
def get_item(item_id: int):
    """One item (ETag for If-Match)."""
    return with_etag(get_scoped_or_404(InventoryItem, item_id))


@blp.route("/<int:item_id>", methods=["PATCH"], endpoint="update")
@blp.arguments(ItemPatch)
@blp.response(200, ItemSchema)
@api_access("inventory:write")
def update_item(data, item_id: int):
    """Change some of an item's details; a stale If-Match is refused with 412."""
    get_scoped_or_404(InventoryItem, item_id)
    # If-Match is compared on the row the service has locked, so a change in between cannot slip through.
    return with_etag(services.patch_item(item_id, data, precondition=check_if_match))


@blp.route("/<int:item_id>/adjustments", methods=["POST"], endpoint="adjust")
@blp.arguments(Adjustment)
@blp.response(201, ItemSchema)
@api_access("inventory:write")
def adjust_item(data, item_id: int):
    """Add or remove stock with a reason (a ledger movement); never below zero."""
    get_scoped_or_404(InventoryItem, item_id)
    services.adjust_stock(item_id, data["quantity"], data["reason"], user_id=current_user.id)
    item = get_scoped_or_404(InventoryItem, item_id)  # expired by the service's commit: read afresh
    return with_etag(item, 201, {"Location": url_for("api_items.get", item_id=item_id)})
