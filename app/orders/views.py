"""Order pages: list, place (with htmx lines and a live total), detail with timeline, status actions."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.access import access
from app.auth.scope import get_scoped_or_404, visible_customer_id
from app.common.actions import archive_or_restore
from app.common.errors import ValidationError, apply_to_form
from app.common.htmx import render_page_or_fragment
from app.common.ids import parse_id
from app.common.views import render_list
from app.inventory.stock import InsufficientStock
from app.orders import services
from app.orders.forms import OrderForm
from app.orders.listing import SHOW_ORDER_OPTIONS, orders_list_spec
from app.orders.models import Order
from app.orders.quote import fill_choices, quote
from app.orders.states import ACTION_LABELS

bp = Blueprint("orders", __name__, url_prefix="/orders")


@bp.get("")
@access("login")
def index():
    """Orders list (a customer login sees only its own customer's orders)."""
    return render_list(orders_list_spec(), "orders/index.html", "orders/_list.html")


def _render_form(form: OrderForm, status: int = 200, problems: dict | None = None, short_items=()):
    """The whole form page, or just its body for htmx (add/remove line, recalculate)."""
    items = fill_choices(form, visible_customer_id())
    return render_page_or_fragment("orders/new.html", "orders/_form_body.html", status=status, form=form,
                                   quote=quote(form, items), problems=problems or {}, short_items=set(short_items))


@bp.route("/new", methods=["GET", "POST"])
@access("login")
def new():
    """Place an order; POSTs with `op` only redraw the form (add/remove a line, recalculate the total)."""
    form = OrderForm()
    if request.method == "GET":
        form.customer_id.data = parse_id(request.args.get("customer_id"))
        form.ensure_key()
        return _render_form(form)
    if form.lines.too_many:  # never place (or redraw) a silently shortened order
        return _render_form(form, 422, {"lines": f"An order takes at most {services.MAX_LINES} lines; this one had "
                                                 f"{form.lines.sent_entries}. Nothing was placed: split it into "
                                                 f"smaller orders."})
    op = request.form.get("op", "")
    if op:
        if op == "add" and len(form.lines) < services.MAX_LINES:
            form.lines.append_entry()
        elif op.startswith("remove-") and (index := op[7:]).isascii() and index.isdigit():  # not '²'
            form.remove_line(int(index))
        form.ensure_key()
        return _render_form(form)
    return _place(form)


def _place(form: OrderForm):
    """Validate, call the service, and either go to the order or show what is wrong where it is wrong."""
    if not form.validate_on_submit():
        return _render_form(form, 422)
    # A customer login orders for its own customer, whatever customer_id the request carries.
    fixed_customer_id = visible_customer_id()
    customer_id = form.customer_id.data if fixed_customer_id is None else fixed_customer_id
    try:
        placed = services.place_order(
            customer_id, form.chosen_lines(), form.idempotency_key.data, placed_by_id=current_user.id,
            campaign_id=form.campaign_id.data, notes=form.notes.data or "")
    except ValidationError as error:
        problems = {key: error.errors.pop(key) for key in ("lines", "balance") if key in error.errors}
        for message in apply_to_form(form, error):
            flash(message, "error")
        short = [s.item_id for s in error.shortages] if isinstance(error, InsufficientStock) else []
        if isinstance(error, services.KeyAlreadyUsed):
            form.idempotency_key.data = None
            form.ensure_key()
        return _render_form(form, 422, problems, short)
    # number and total come from place_order itself: reading them off the Order after its commit
    # would cost a second connection checkout and query per order.
    if placed.replayed:
        flash(f"Order {placed.number} was already placed from this form; it was not placed twice.", "success")
    else:
        flash(f"Placed order {placed.number} for {placed.total:,.2f}.", "success")
    return redirect(url_for("orders.show", order_id=placed.id), code=303)


@bp.get("/<int:order_id>")
@access("login")
def show(order_id: int):
    """An order: its lines, its timeline and the actions its status allows."""
    order = get_scoped_or_404(Order, order_id, options=SHOW_ORDER_OPTIONS)
    return render_template("orders/show.html", order=order, action_labels=ACTION_LABELS)


@bp.post("/<int:order_id>/status")
@access("staff")
def change_status(order_id: int):
    """Confirm, fulfil or cancel an order through the one state machine."""
    order = get_scoped_or_404(Order, order_id)
    target = request.form.get("to", "")
    try:
        services.change_status(order.id, target, current_user.id, request.form.get("note", ""))
    except ValidationError as error:
        flash(str(error), "error")
    else:
        flash(f"Order {order.number} is now {target}.", "success")
    return redirect(url_for("orders.show", order_id=order_id), code=303)


@bp.post("/bulk")
@access("staff")
def bulk():
    """Archive or restore the ticked orders (only fulfilled and cancelled orders can be archived)."""
    return archive_or_restore("order", services.set_orders_archived, url_for("orders.index"),
                              refusal_note="only fulfilled or cancelled orders can be archived.")
