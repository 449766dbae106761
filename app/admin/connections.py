"""Platform connection pages (admins only): list, create, edit, test, and the sync buttons.

The routes live on the admin blueprint; app/__init__.py imports this module before registering it.
"""
from flask import flash, redirect, render_template, request, url_for

from app.admin.connection_forms import ConnectionForm
from app.admin.connection_listing import connections_list_spec
from app.admin.views import bp
from app.auth.access import access
from app.auth.scope import get_scoped_or_404
from app.common.actions import call_service, form_status
from app.common.errors import ValidationError
from app.common.ids import parse_id
from app.common.views import render_list, safe_next
from app.customers.models import Customer
from app.customers.picker import CHOOSE_A_CUSTOMER, customer_choices
from app.platforms import services
from app.platforms.models import Platform, PlatformConnection


@bp.get("/connections")
@access("admin")
def connections():
    """Every customer's platform connections."""
    return render_list(connections_list_spec(), "admin/connections.html", "admin/_connections_list.html")


@bp.route("/connections/new", methods=["GET", "POST"])
@access("admin")
def new_connection():
    """Connect a customer to a platform (save_connection refuses to replace an existing connection)."""
    form = _with_choices(ConnectionForm())
    if form.validate_on_submit():
        customer = get_scoped_or_404(Customer, form.customer_id.data, customer_id_column=Customer.id)
        platform = get_scoped_or_404(Platform, form.platform_id.data)
        connection = call_service(form, lambda: _save(form, customer, platform))
        if connection is not None:
            flash(f"Connected {customer.name} to {platform.name} (organisation {connection.organization}).", "success")
            return redirect(url_for("admin.edit_connection", connection_id=connection.id), code=303)
    return _render_form(form, None)


@bp.route("/connections/<int:connection_id>/edit", methods=["GET", "POST"])
@access("admin")
def edit_connection(connection_id: int):
    """Change a connection's organisation, token (blank keeps it) and schedule."""
    connection = get_scoped_or_404(PlatformConnection, connection_id)
    # Built from the editable values only: the stored token never enters the form, not even unrendered.
    form = ConnectionForm(data={"organization": connection.organization, "sync_enabled": connection.sync_enabled,
                                "sync_interval_minutes": connection.sync_interval_minutes})
    del form.customer_id, form.platform_id  # fixed: another customer or platform is another connection
    if form.validate_on_submit() and call_service(
            form, lambda: _save(form, connection.customer, connection.platform, connection)) is not None:
        flash(f"Saved the {connection.platform.name} connection of {connection.customer.name}.", "success")
        return redirect(url_for("admin.connections"), code=303)
    return _render_form(form, connection)


@bp.post("/connections/<int:connection_id>/test")
@access("admin")
def test_connection(connection_id: int):
    """Call the platform once with the stored settings and say plainly whether they work."""
    connection = get_scoped_or_404(PlatformConnection, connection_id)
    try:
        flash(services.test_connection(connection), "success")
    except ValidationError as error:
        flash(f"{connection.customer.name}: " + " ".join(error.errors.values()), "error")
    return redirect(safe_next(url_for("admin.edit_connection", connection_id=connection.id)), code=303)


def _save(form: ConnectionForm, customer: Customer, platform: Platform,
          existing: PlatformConnection | None = None) -> PlatformConnection:
    return services.save_connection(customer, platform, form.organization.data, form.api_token.data,
                                    interval_minutes=form.sync_interval_minutes.data,
                                    sync_enabled=form.sync_enabled.data, existing=existing)


def _with_choices(form: ConnectionForm) -> ConnectionForm:
    if request.method == "GET" and (customer_id := parse_id(request.args.get("customer"))) is not None:
        form.customer_id.data = customer_id
    form.customer_id.choices = [("", CHOOSE_A_CUSTOMER)] + customer_choices(form.customer_id.data)
    form.platform_id.choices = [(p.id, p.name) for p in services.all_platforms()]
    return form


def _render_form(form: ConnectionForm, connection: PlatformConnection | None):
    return render_template("admin/connection_form.html", form=form, connection=connection), form_status()
