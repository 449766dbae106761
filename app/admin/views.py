"""User administration pages (admins only)."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.admin.forms import NewUserForm, PasswordResetForm, UserForm
from app.admin.listing import users_list_spec
from app.auth import services
from app.auth.access import access
from app.auth.models import User
from app.common.errors import ValidationError, apply_to_form
from app.common.views import render_list, safe_next, selected_ids
from app.customers.models import Customer
from app.customers.picker import NO_CUSTOMER, customer_choices
from app.extensions import db

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _with_customer_choices(form):
    form.customer_id.choices = [(None, NO_CUSTOMER)] + customer_choices(form.customer_id.data)
    return form


def _render_form(form, user, failed: bool = False):
    status = 422 if failed or form.errors else 200
    return render_template("admin/user_form.html", form=form, user=user), status


def _refused(form, user, error: ValidationError):
    """Show a service's refusal: field messages in place, the rest as a flash; 422."""
    for message in apply_to_form(form, error):
        flash(message, "error")
    return _render_form(form, user, failed=True)


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
        try:
            user = services.create_user(form.email.data, form.password.data, form.role.data, form.name.data,
                                        db.session.get(Customer, form.customer_id.data) if form.customer_id.data else None)
        except ValidationError as error:
            return _refused(form, None, error)
        flash(f"Created {user.role} {user.email}.", "success")
        return redirect(url_for("admin.users"))
    return _render_form(form, None)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@access("admin")
def edit_user(user_id: int):
    """Change a login's role, customer and active flag."""
    user = db.get_or_404(User, user_id)
    form = _with_customer_choices(UserForm(obj=user))
    if form.validate_on_submit():
        try:
            services.update_user(user, acting_user=current_user, email=form.email.data, name=form.name.data, role=form.role.data,
                                 customer=db.session.get(Customer, form.customer_id.data) if form.customer_id.data else None,
                                 active=form.active.data)
        except ValidationError as error:
            return _refused(form, user, error)
        flash(f"Saved {user.email}.", "success")
        return redirect(url_for("admin.users"))
    return _render_form(form, user)


@bp.route("/users/<int:user_id>/password", methods=["GET", "POST"])
@access("admin")
def reset_password(user_id: int):
    """Set a new password for a login (ends its sessions)."""
    user = db.get_or_404(User, user_id)
    form = PasswordResetForm()
    if form.validate_on_submit():
        services.reset_password(user, form.password.data)
        flash(f"New password set for {user.email}; their other sessions have ended.", "success")
        return redirect(url_for("admin.users"))
    status = 422 if form.errors else 200
    return render_template("admin/password_form.html", form=form, user=user), status


@bp.post("/users/<int:user_id>/sign-out")
@access("admin")
def sign_out_everywhere(user_id: int):
    """End every session and remember-me cookie of a login (a lost laptop, a leaked cookie)."""
    user = db.get_or_404(User, user_id)
    services.end_sessions(user)
    flash(f"Signed {user.email} out everywhere.", "success")
    return redirect(url_for("admin.edit_user", user_id=user.id), code=303)


@bp.post("/users/bulk")
@access("admin")
def bulk_users():
    """Deactivate (archive) or reactivate the ticked users."""
    action = request.form.get("action")
    ids = selected_ids()
    if action not in ("archive", "restore") or not ids:
        flash("Tick at least one user, then choose Deactivate or Reactivate.", "error")
    else:
        count = services.set_users_active(ids, active=action == "restore", acting_user=current_user)
        flash(f"{'Deactivated' if action == 'archive' else 'Reactivated'} {count} user(s).", "success")
    return redirect(safe_next(url_for("admin.users")), code=303)
