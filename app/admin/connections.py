"""Platform connection pages (admins only): list, create, edit, test, and the sync buttons.

The routes live on the admin blueprint; app/__init__.py imports this module before registering it.
"""
from flask import current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from app.admin.connection_forms import ConnectionForm
from app.admin.connection_listing import connections_list_spec, customer_connections
from app.admin.views import bp
from app.auth.access import access
from app.common.errors import ValidationError, apply_to_form
from app.common.ids import parse_id
from app.common.views import render_list, safe_next
from app.customers.models import Customer
from app.customers.picker import CHOOSE_A_CUSTOMER, customer_choices
from app.extensions import db
from app.platforms import services
from app.platforms.models import Platform, PlatformConnection

SYNC_ENDPOINT = "sync.sync_connection"  # provided by the sync pages; buttons appear once it exists


def sync_available() -> bool:
    """Whether the sync pages are installed, so Sync now / Sync all buttons can be offered."""
    return SYNC_ENDPOINT in current_app.view_functions


@bp.app_template_global("customer_connections")
def _customer_connections_global(customer_id: int) -> list[PlatformConnection]:
    """The customer page's connections section data, for templates/admin/_customer_connections.html."""
    return customer_connections(customer_id)


bp.add_app_template_global(sync_available, "sync_available")


@bp.get("/connections")
@access("admin")
def connections():
    """Every customer's platform connections."""
    return render_list(connections_list_spec(), "admin/connections.html", "admin/_connections_list.html")


@bp.route("/connections/new", methods=["GET", "POST"])
@access("admin")
def new_connection():
    """Connect a customer to a platform."""
    form = _with_choices(ConnectionForm())
    refused = False
    if form.validate_on_submit():
        customer = db.session.get(Customer, form.customer_id.data)
        platform = db.session.get(Platform, form.platform_id.data)
        if services.find_connection(customer.id, platform.id) is not None:
            form.customer_id.errors.append(f"{customer.name} already has a {platform.name} connection: edit that one.")
        else:
            try:
                connection = _save(form, customer, platform)
            except ValidationError as error:
                refused = _show_errors(form, error)
            else:
                flash(f"Connected {customer.name} to {platform.name} (organisation {connection.organization}).", "success")
                return redirect(url_for("admin.edit_connection", connection_id=connection.id))
    return _render_form(form, None, refused)


@bp.route("/connections/<int:connection_id>/edit", methods=["GET", "POST"])
@access("admin")
def edit_connection(connection_id: int):
    """Change a connection's organisation, token (blank keeps it) and schedule."""
    connection = db.get_or_404(PlatformConnection, connection_id)
    # Built from the editable values only: the stored token never enters the form, not even unrendered.
    form = ConnectionForm(data={"organization": connection.organization, "sync_enabled": connection.sync_enabled,
                                "sync_interval_minutes": connection.sync_interval_minutes})
    del form.customer_id, form.platform_id  # fixed: another customer or platform is another connection
    refused = False
    if form.validate_on_submit():
        try:
            _save(form, connection.customer, connection.platform)
        except ValidationError as error:
            refused = _show_errors(form, error)
        else:
            flash(f"Saved the {connection.platform.name} connection of {connection.customer.name}.", "success")
            return redirect(url_for("admin.connections"))
    return _render_form(form, connection, refused)


@bp.post("/connections/<int:connection_id>/test")
@access("admin")
def test_connection(connection_id: int):
    """Call the platform once with the stored settings and say plainly whether they work."""
    connection = db.get_or_404(PlatformConnection, connection_id)
    try:
        flash(services.test_connection(connection), "success")
    except ValidationError as error:
        flash(f"{connection.customer.name}: " + " ".join(error.errors.values()), "error")
    return redirect(safe_next(url_for("admin.edit_connection", connection_id=connection.id)), code=303)


def _save(form: ConnectionForm, customer: Customer, platform: Platform) -> PlatformConnection:
    return services.save_connection(customer, platform, form.organization.data, form.api_token.data,
                                    interval_minutes=form.sync_interval_minutes.data,
                                    sync_enabled=form.sync_enabled.data)


def _with_choices(form: ConnectionForm) -> ConnectionForm:
    if request.method == "GET" and (customer_id := parse_id(request.args.get("customer"))) is not None:
        form.customer_id.data = customer_id
    form.customer_id.choices = [("", CHOOSE_A_CUSTOMER)] + customer_choices(form.customer_id.data)
    platforms = db.session.execute(select(Platform).order_by(Platform.id)).scalars().all()
    form.platform_id.choices = [(p.id, p.name) for p in platforms]
    return form


def _show_errors(form: ConnectionForm, error: ValidationError) -> bool:
    for message in apply_to_form(form, error):
        flash(message, "error")
    return True


def _render_form(form: ConnectionForm, connection: PlatformConnection | None, refused: bool):
    status = 422 if refused or form.errors else 200
    return render_template("admin/connection_form.html", form=form, connection=connection), status
