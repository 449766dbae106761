"""Inventory pages (staff): list, item with its movements, create, edit, adjust stock, archive."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.access import access
from app.auth.scope import get_scoped_or_404
from app.common.actions import archive_or_restore, call_service, form_status
from app.common.views import render_list
from app.inventory import services
from app.inventory.forms import ItemForm, NewItemForm, StockAdjustmentForm
from app.inventory.listing import items_list_spec, movements_list_spec
from app.inventory.models import InventoryItem

bp = Blueprint("inventory", __name__, url_prefix="/inventory")


@bp.get("")
@access("staff")
def index():
    """Inventory list."""
    return render_list(items_list_spec(), "inventory/index.html", "inventory/_list.html")


@bp.get("/<int:item_id>")
@access("staff")
def show(item_id: int):
    """An item, its stock adjustment form and its movements (the stock ledger)."""
    item = get_scoped_or_404(InventoryItem, item_id)
    return render_list(movements_list_spec(item), "inventory/show.html", "inventory/_movements.html",
                       item=item, adjust_form=StockAdjustmentForm())


def _save(form, item: InventoryItem | None):
    """Validate and save through the service; re-render with messages next to fields on failure."""
    if form.validate_on_submit():
        values = dict(sku=form.sku.data, name=form.name.data, unit_price=form.unit_price.data,
                      description=form.description.data, low_stock_threshold=form.low_stock_threshold.data)
        saved = call_service(form, lambda: services.update_item(item, **values) if item else services.create_item(
            **values, opening_stock=form.opening_stock.data, user_id=current_user.id))
        if saved is not None:
            flash(f"Saved item {saved.sku}.", "success")
            return redirect(url_for("inventory.show", item_id=saved.id), code=303)
    return render_template("inventory/form.html", form=form, item=item), form_status()


@bp.route("/new", methods=["GET", "POST"])
@access("staff")
def create():
    """Create an item, with optional opening stock."""
    return _save(NewItemForm(), None)


@bp.route("/<int:item_id>/edit", methods=["GET", "POST"])
@access("staff")
def edit(item_id: int):
    """Edit an item's details and price."""
    item = get_scoped_or_404(InventoryItem, item_id)
    form = ItemForm(obj=item)
    if request.method == "GET":
        form.unit_price.data = f"{item.unit_price:.2f}"
    return _save(form, item)


@bp.route("/<int:item_id>/adjust", methods=["GET", "POST"])
@access("staff")
def adjust(item_id: int):
    """Add or remove stock by hand, with a reason."""
    item = get_scoped_or_404(InventoryItem, item_id)
    form = StockAdjustmentForm()
    if form.validate_on_submit():
        on_hand = call_service(form, lambda: services.adjust_stock(item.id, form.delta.data, form.reason.data,
                                                                   current_user.id))
        if on_hand is not None:
            flash(f"Stock of {item.sku} is now {on_hand}.", "success")
            return redirect(url_for("inventory.show", item_id=item.id), code=303)
    return render_template("inventory/adjust.html", form=form, item=item), form_status()


@bp.post("/bulk")
@access("staff")
def bulk():
    """Archive or restore the ticked items (archived items cannot be ordered)."""
    return archive_or_restore("item", services.set_items_archived, url_for("inventory.index"))
