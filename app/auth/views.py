"""Login and logout pages."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth import services
from app.auth.access import access
from app.auth.forms import LoginForm
from app.common.actions import call_service, form_status
from app.common.views import safe_next

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@access("public")
def login():
    """Show the sign-in form and sign the user in."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    # remote_addr is the real client once ProxyFix has read TRUSTED_PROXY_HOPS proxies' X-Forwarded-For.
    if form.validate_on_submit() and call_service(form, lambda: services.sign_in(
            form.email.data, form.password.data, request.remote_addr or "-", form.remember.data)):
        return redirect(safe_next(url_for("main.home")))
    return render_template("auth/login.html", form=form), form_status()


@bp.route("/logout", methods=["POST"])
@access("public")
def logout():
    """Sign out (POST only: a link must never end a session)."""
    services.sign_out()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))
