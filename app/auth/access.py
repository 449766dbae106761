"""Who may open which endpoint: every view declares a rule, and anything undeclared is refused."""
from flask import current_app, request
from flask_login import current_user

from app.auth.models import ROLES, STAFF_ROLES

# Rule -> roles allowed (None: anyone, even anonymous).
RULES = {
    "public": None,
    "login": ("admin", "operator", "customer"),
    "staff": STAFF_ROLES,
    "admin": ("admin",),
    "token": ROLES,  # the JSON API: a Bearer token of any role with the view's scope (app/api/auth.py), no session
}
# What a page may show or do that no single endpoint stands for -> the rule that allows it.
ACTIONS = {
    "see_connections": "staff",  # a customer's platform connections on its page (admins also change them)
}


def access(rule: str):
    """Declare who may call a view: public, login (any role, data scoped), staff, admin or token (the API)."""
    if rule not in RULES:
        raise ValueError(f"unknown access rule {rule!r}")

    def decorate(view):
        view.access_rule = rule
        return view

    return decorate


def rule_for(endpoint: str | None) -> str | None:
    """The declared rule of an endpoint, or None when the view declared none."""
    if endpoint is None:
        return "public"  # 404s and 405s are answered by the error handlers
    if endpoint == "static" or endpoint.endswith(".static"):
        return "public"
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "access_rule", None)


def can(action: str) -> bool:
    """Whether the current login may do `action`: an endpoint (may it call it?) or a name in ACTIONS.

    The one role check: views and templates (as the Jinja global `can`) ask this, never `role == ...`.
    An endpoint that is not registered (a domain not installed) is something nobody can do.
    """
    rule = ACTIONS.get(action) or rule_for(action)
    if rule is None:
        return False  # no such endpoint, or one without a rule, which enforce_access refuses to everyone
    allowed = RULES[rule]
    return allowed is None or (current_user.is_authenticated and current_user.role in allowed)


def enforce_access():
    """before_request hook: default deny, 401/redirect for anonymous, 403 for the wrong role."""
    from flask import abort

    rule = rule_for(request.endpoint)
    if rule is None:
        current_app.logger.error("endpoint %s declares no access rule; refusing", request.endpoint)
        abort(403)
    if rule == "token":
        from app.api.auth import authenticate_bearer

        return authenticate_bearer(current_app.view_functions[request.endpoint].api_scope)
    allowed = RULES[rule]
    if allowed is None:
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if current_user.role not in allowed:
        abort(403)
    return None

