"""Login and logout pages."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth import services
from app.auth.access import access
from app.auth.forms import LoginForm
from app.common.errors import ValidationError, apply_to_form
from app.common.views import safe_next

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@access("public")
def login():
    """Show the sign-in form and sign the user in."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            services.sign_in(form.email.data, form.password.data, request.remote_addr or "-", form.remember.data)
        except ValidationError as error:
            for message in apply_to_form(form, error):
                flash(message, "error")
            return render_template("auth/login.html", form=form), 422
        return redirect(safe_next(url_for("main.home")))
    status = 422 if form.errors else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@access("public")
def logout():
    """Sign out (POST only: a link must never end a session)."""
    services.sign_out()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))
