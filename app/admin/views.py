"""User administration pages (admins only)."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from app.admin.forms import NewUserForm, PasswordResetForm, UserForm
from app.admin.listing import users_list_spec
from app.auth import services
from app.auth.access import access
from app.auth.models import User
from app.auth.scope import get_scoped_or_404
from app.common.actions import archive_or_restore, call_service, form_status
from app.common.views import render_list
from app.customers.models import Customer
from app.customers.picker import NO_CUSTOMER, customer_choices

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _with_customer_choices(form):
    form.customer_id.choices = [(None, NO_CUSTOMER)] + customer_choices(form.customer_id.data)
    return form


def _chosen_customer(form) -> Customer | None:
    """The customer a customer login belongs to (the choice was validated against the offered ones)."""
    customer_id = form.customer_id.data
    return get_scoped_or_404(Customer, customer_id, customer_id_column=Customer.id) if customer_id else None


def _render_form(form, user):
    return render_template("admin/user_form.html", form=form, user=user), form_status()


@bp.get("/users")
@access("admin")
def users():
    """Users list."""
    return render_list(users_list_spec(), "admin/users.html", "admin/_users_list.html")


@bp.route("/users/new", methods=["GET", "POST"])
@access("admin")
def new_user():
    """Create a login."""
    form = _with_customer_choices(NewUserForm())
    if form.validate_on_submit():
        user = call_service(form, lambda: services.create_user(form.email.data, form.password.data, form.role.data,
                                                               form.name.data, _chosen_customer(form)))
        if user is not None:
            flash(f"Created {user.role} {user.email}.", "success")
            return redirect(url_for("admin.users"), code=303)
    return _render_form(form, None)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@access("admin")
def edit_user(user_id: int):
    """Change a login's role, customer and active flag."""
    user = get_scoped_or_404(User, user_id)
    form = _with_customer_choices(UserForm(obj=user))
    if form.validate_on_submit():
        saved = call_service(form, lambda: services.update_user(
            user, acting_user=current_user, email=form.email.data, name=form.name.data, role=form.role.data,
            customer=_chosen_customer(form), active=form.active.data))
        if saved is not None:
            flash(f"Saved {user.email}.", "success")
            return redirect(url_for("admin.users"), code=303)
    return _render_form(form, user)


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
@access("admin")
def reset_password(user_id: int):
    """Set a new password for a login (ends its sessions)."""
    user = get_scoped_or_404(User, user_id)
    form = PasswordResetForm()
    if form.validate_on_submit():
        services.reset_password(user, form.password.data)
        flash(f"New password set for {user.email}; their other sessions have ended.", "success")
        return redirect(url_for("admin.users"), code=303)
    return render_template("admin/password_form.html", form=form, user=user), form_status()


@bp.post("/users/<int:user_id>/sign-out")
@access("admin")
def sign_out_everywhere(user_id: int):
    """End every session and remember-me cookie of a login (a lost laptop, a leaked cookie)."""
    user = get_scoped_or_404(User, user_id)
    services.end_sessions(user)
    flash(f"Signed {user.email} out everywhere.", "success")
    return redirect(url_for("admin.edit_user", user_id=user.id), code=303)


@bp.post("/users/bulk")
@access("admin")
def bulk_users():
    """Deactivate (archive) or reactivate the ticked users."""
    return archive_or_restore(
        "user", lambda ids, archived: services.set_users_active(ids, active=not archived, acting_user=current_user),
        url_for("admin.users"), verbs=("Deactivate", "Reactivate"))
