"""API token pages (admins only): list, create (the token shown once, on the answer page only), revoke.

The routes live on the admin blueprint; app/__init__.py imports this module before registering it.
"""
from flask import flash, redirect, render_template, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.admin.forms import ApiTokenForm
from app.admin.views import bp
from app.auth import tokens
from app.auth.access import access
from app.auth.models import User
from app.auth.scope import get_scoped_or_404
from app.auth.services import find_user_by_email
from app.auth.token_models import ApiToken
from app.common.actions import call_service, form_status
from app.common.errors import ValidationError
from app.common.listing import ListSpec, SortKey
from app.common.views import render_list


def api_tokens_list_spec() -> ListSpec:
    """Every user's tokens, newest first; 'archived' are the revoked ones."""
    return ListSpec(
        name="api-tokens",
        base_query=lambda: select(ApiToken).join(ApiToken.user).options(joinedload(ApiToken.user)),
        id_column=ApiToken.id,
        sort_keys={"created": SortKey("Created", ApiToken.created_at), "expires": SortKey("Expires", ApiToken.expires_at),
                   "last_used": SortKey("Last used", ApiToken.last_used_at, nullable=True)},
        default_sort="created",
        default_dir="desc",
        search_columns=(User.email, ApiToken.name),
        id_search_columns=(ApiToken.prefix,),
        search_label="Search email, name or prefix",
        archived_clause=lambda: ApiToken.revoked_at.is_not(None),
        csv_columns=(("prefix", lambda t: t.prefix), ("user", lambda t: t.user.email), ("name", lambda t: t.name),
                     ("scopes", lambda t: t.scopes), ("expires_at", lambda t: t.expires_at),
                     ("last_used_at", lambda t: t.last_used_at), ("revoked_at", lambda t: t.revoked_at)),
    )


@bp.get("/api-tokens")
@access("admin")
def api_tokens():
    """API tokens list."""
    return render_list(api_tokens_list_spec(), "admin/api_tokens.html", "admin/_api_tokens_list.html")


def _issue(form: ApiTokenForm) -> tokens.IssuedToken:
    user = find_user_by_email(form.email.data)
    if user is None:
        raise ValidationError({"email": "No user has this email."})
    return tokens.create_token(user, form.name.data, form.scopes.data or None, form.expires_days.data)


@bp.route("/api-tokens/new", methods=["GET", "POST"])
@access("admin")
def new_api_token():
    """Create a token; the answer shows it once (never flashed: the session cookie is signed, not secret)."""
    form = ApiTokenForm()
    if form.validate_on_submit():
        issued = call_service(form, lambda: _issue(form))
        if issued is not None:
            return render_template("admin/api_token_created.html", issued=issued), 201
    return render_template("admin/api_token_form.html", form=form), form_status()


@bp.post("/api-tokens/<int:token_id>/revoke")
@access("admin")
def revoke_api_token(token_id: int):
    """Revoke a token at once; revoking twice is harmless."""
    token = tokens.revoke_token(get_scoped_or_404(ApiToken, token_id).prefix)
    flash(f"Revoked token {token.prefix} of {token.user.email}.", "success")
    return redirect(url_for("admin.api_tokens"), code=303)
