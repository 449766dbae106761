"""Customer pages: list, detail, create, edit, bulk archive and restore."""
from flask import Blueprint, flash, redirect, render_template, request, url_for

from app.auth.access import access
from app.auth.scope import get_scoped_or_404
from app.common.errors import ValidationError, apply_to_form
from app.common.views import render_list, render_picker_options, safe_next, selected_ids
from app.customers import services
from app.customers.forms import CustomerForm
from app.customers.listing import customers_list_spec
from app.customers.models import Customer
from app.customers.picker import customer_choices

bp = Blueprint("customers", __name__, url_prefix="/customers")


@bp.get("")
@access("login")
def index():
    """Customers list (a customer login sees only its own)."""
    return render_list(customers_list_spec(), "customers/index.html", "customers/_list.html")


@bp.get("/<int:customer_id>")
@access("login")
def show(customer_id: int):
    """A customer's page; later domains add their sections."""
    customer = get_scoped_or_404(Customer, customer_id, Customer.id)
    return render_template("customers/show.html", customer=customer)


@bp.get("/options")
@access("staff")
def options():
    """A customer picker's options, fetched by its search box as the user types (templates/_macros.html)."""
    return render_picker_options(customer_choices)


def _save(form: CustomerForm, customer: Customer | None):
    """Validate and save through the service; re-render with messages next to fields on failure."""
    if form.validate_on_submit():
        values = dict(code=form.code.data, name=form.name.data, email=form.email.data, phone=form.phone.data)
        try:
            saved = (services.update_customer(customer, **values) if customer
                     else services.create_customer(**values))
        except ValidationError as error:
            for message in apply_to_form(form, error):
                flash(message, "error")
            return render_template("customers/form.html", form=form, customer=customer), 422
        flash(f"Saved customer {saved.code}.", "success")
        return redirect(url_for("customers.show", customer_id=saved.id))
    status = 422 if form.errors else 200
    return render_template("customers/form.html", form=form, customer=customer), status


@bp.route("/new", methods=["GET", "POST"])
@access("staff")
def create():
    """Create a customer."""
    return _save(CustomerForm(), None)


@bp.route("/<int:customer_id>/edit", methods=["GET", "POST"])
@access("staff")
def edit(customer_id: int):
    """Edit a customer's details."""
    customer = get_scoped_or_404(Customer, customer_id, Customer.id)
    return _save(CustomerForm(obj=customer), customer)


@bp.post("/bulk")
@access("staff")
def bulk():
    """Archive or restore the ticked customers."""
    action = request.form.get("action")
    ids = selected_ids()
    if action not in ("archive", "restore") or not ids:
        flash("Tick at least one customer, then choose Archive or Restore.", "error")
    else:
        count = services.set_customers_archived(ids, archived=action == "archive")
        flash(f"{'Archived' if action == 'archive' else 'Restored'} {count} customer(s).", "success")
    return redirect(safe_next(url_for("customers.index")), code=303)
