"""The API's access rule: a Bearer token with the endpoint's scope, never the session cookie."""
from flask import abort, g, request
from flask.sessions import SecureCookieSessionInterface
from flask_login import login_user

from app.auth.access import access
from app.auth.token_models import SCOPES
from app.auth.tokens import find_token, record_use


def api_access(scope: str):
    """Declare an API view: the 'token' access rule plus the scope its token must hold."""
    if scope not in SCOPES:
        raise ValueError(f"unknown API scope {scope!r}")

    def decorate(view):
        view.api_scope = scope
        return access("token")(view)

    return decorate


def authenticate_bearer(scope: str):
    """enforce_access for 'token' views: 401 without a live token, 403 without the scope.

    The token's user is logged in for this request only (the API ignores and never writes the
    session, see ApiSessionInterface), so current_user and the one scoping helper work unchanged.
    """
    kind, _, secret = request.headers.get("Authorization", "").partition(" ")
    token = find_token(secret.strip()) if kind.lower() == "bearer" else None
    if token is None:
        abort(401)
    if scope not in token.scope_list:
        abort(403, description=f"This token lacks the scope '{scope}'.")
    record_use(token)
    login_user(token.user)
    g.api_token = token
    return None


class ApiSessionInterface(SecureCookieSessionInterface):
    """Cookie sessions for the pages; none under /api/, so a browser's session cannot authenticate there."""

    def open_session(self, app, request):
        if request.path.startswith("/api/"):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app, session, response):
        if request.path.startswith("/api/"):
            return None
        return super().save_session(app, session, response)


def token_rate_key() -> str:
    """Flask-Limiter's key: the token's prefix (each token its own budget), else the client address."""
    token = g.get("api_token")
    return f"token:{token.prefix}" if token is not None else f"ip:{request.remote_addr}"


def init_api_auth(app) -> None:
    """Install the session interface that keeps the API cookie-free."""
    app.session_interface = ApiSessionInterface()
