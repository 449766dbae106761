"""Customer pages: list, detail, create, edit, bulk archive and restore."""
from flask import Blueprint, flash, redirect, render_template, url_for

from app.admin.connection_listing import customer_connections
from app.auth.access import access, can
from app.auth.scope import get_scoped_or_404
from app.balances.listing import recent_ledger
from app.campaigns.listing import customer_campaigns
from app.common.actions import archive_or_restore, call_service, form_status
from app.common.views import render_list, render_picker_options
from app.customers import services
from app.customers.forms import CustomerForm
from app.customers.listing import customers_list_spec
from app.customers.models import Customer
from app.customers.picker import customer_choices
from app.orders.listing import recent_orders

bp = Blueprint("customers", __name__, url_prefix="/customers")


@bp.get("")
@access("login")
def index():
    """Customers list (a customer login sees only its own)."""
    return render_list(customers_list_spec(), "customers/index.html", "customers/_list.html")


@bp.get("/<int:customer_id>")
@access("login")
def show(customer_id: int):
    """A customer's page: each domain's section gets its rows here, scoped to the login, never in a template."""
    customer = get_scoped_or_404(Customer, customer_id, customer_id_column=Customer.id)
    campaigns, campaign_total = customer_campaigns(customer.id)
    return render_template(
        "customers/show.html", customer=customer, campaigns=campaigns, campaign_total=campaign_total,
        connections=customer_connections(customer.id) if can("see_connections") else None,
        ledger_entries=recent_ledger(customer.id), orders=recent_orders(customer.id))


@bp.get("/options")
@access("staff")
def options():
    """A customer picker's options, fetched by its search box as the user types (templates/_macros.html)."""
    return render_picker_options(customer_choices)


def _save(form: CustomerForm, customer: Customer | None):
    """Validate and save through the service; re-render with messages next to fields on failure."""
    if form.validate_on_submit():
        values = dict(code=form.code.data, name=form.name.data, email=form.email.data, phone=form.phone.data)
        saved = call_service(form, lambda: services.update_customer(customer, **values) if customer
                             else services.create_customer(**values))
        if saved is not None:
            flash(f"Saved customer {saved.code}.", "success")
            return redirect(url_for("customers.show", customer_id=saved.id), code=303)
    return render_template("customers/form.html", form=form, customer=customer), form_status()


@bp.route("/new", methods=["GET", "POST"])
@access("staff")
def create():
    """Create a customer."""
    return _save(CustomerForm(), None)


@bp.route("/<int:customer_id>/edit", methods=["GET", "POST"])
@access("staff")
def edit(customer_id: int):
    """Edit a customer's details."""
    customer = get_scoped_or_404(Customer, customer_id, customer_id_column=Customer.id)
    return _save(CustomerForm(obj=customer), customer)


@bp.post("/bulk")
@access("staff")
def bulk():
    """Archive or restore the ticked customers."""
    return archive_or_restore("customer", services.set_customers_archived, url_for("customers.index"))
