"""Every route × every kind of visitor, built from the app's url_map.

EXPECTED is the reviewed list of who may call what. A route that is missing here fails the
test, so nobody can add an endpoint without deciding its access rule.
"""
import pytest

from app.auth.access import RULES

EXPECTED = {
    "main.home": "login",
    "main.healthz": "public",
    "auth.login": "public",
    "auth.logout": "public",
    "customers.index": "login",
    "customers.show": "login",
    "customers.create": "staff",
    "customers.edit": "staff",
    "customers.bulk": "staff",
    "customers.options": "staff",
    "admin.users": "admin",
    "admin.new_user": "admin",
    "admin.edit_user": "admin",
    "admin.reset_password": "admin",
    "admin.sign_out_everywhere": "admin",
    "admin.bulk_users": "admin",
    "admin.connections": "admin",
    "admin.new_connection": "admin",
    "admin.edit_connection": "admin",
    "admin.test_connection": "admin",
    "admin.api_tokens": "admin",
    "admin.new_api_token": "admin",
    "admin.revoke_api_token": "admin",
    "campaigns.index": "login",
    "campaigns.show": "login",
    "campaigns.create": "login",
    "campaigns.edit": "login",
    "campaigns.archive": "login",
    "campaigns.restore": "login",
    "campaigns.delete": "login",
    "campaigns.bulk": "login",
    "campaigns.customer_options": "staff",
    "inventory.index": "staff",
    "inventory.show": "staff",
    "inventory.create": "staff",
    "inventory.edit": "staff",
    "inventory.adjust": "staff",
    "inventory.bulk": "staff",
    "orders.index": "login",
    "orders.new": "login",
    "orders.show": "login",
    "orders.change_status": "staff",
    "orders.bulk": "staff",
    "balances.ledger": "login",
    "balances.record": "admin",
    "sync.runs": "staff",
    "sync.run": "staff",
    "sync.sync_connection": "staff",
    "sync.sync_all": "staff",
    "webhooks.sms_status": "public",
    "webhooks.sms_inbound": "public",
    "webhooks.unsubscribe": "public",
    "api-docs.openapi_json": "public",
    "api_docs.docs": "public",
    "api_items.list": "token",
    "api_items.create": "token",
    "api_items.get": "token",
    "api_items.update": "token",
    "api_items.adjust": "token",
    "api_orders.list": "token",
    "api_orders.place": "token",
    "api_orders.get": "token",
    "api_orders.transition": "token",
    "api_customers.list": "token",
    "api_customers.get": "token",
    "api_customers.credit": "token",
    "api_campaigns.list": "token",
    "api_campaigns.create": "token",
    "api_campaigns.get": "token",
    "api_campaigns.update": "token",
    "api_campaigns.archive": "token",
    "api_campaigns.restore": "token",
    "api_campaigns.delete": "token",
    "api_sync.start": "token",
    "api_sync.get": "token",
}
VISITORS = ("anonymous", "customer", "operator", "admin")
SIGN_OUTS = ("admin.sign_out_everywhere", "auth.logout")  # user id 1 in the matrix is the admin visitor
# Public to the gate, then refused (403) by their own check of the provider's signature, which the matrix lacks.
SIGNED = ("webhooks.sms_status", "webhooks.sms_inbound")


def _routes(app):
    """(rule, method) pairs, the sign-outs last so they do not end the visitor's session mid-matrix."""
    rules = sorted((r for r in app.url_map.iter_rules() if r.endpoint != "static"),
                   key=lambda r: (r.endpoint in SIGN_OUTS, r.rule))
    for rule in rules:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def _url(rule) -> str:
    """Fill every URL argument with 1: the gate must answer before any row is looked up."""
    path = rule.rule
    for argument in rule.arguments:
        path = path.replace(f"<int:{argument}>", "1").replace(f"<{argument}>", "1")
    return path


def test_every_route_has_a_reviewed_rule(app):
    endpoints = {rule.endpoint for rule, _ in _routes(app)}
    missing = sorted(endpoints - EXPECTED.keys())
    assert not missing, f"routes without an expected access rule in this test: {missing}"
    stale = sorted(EXPECTED.keys() - endpoints)
    assert not stale, f"rules for routes that no longer exist: {stale}"


def test_declared_rules_match_the_reviewed_ones(app):
    for rule, _ in _routes(app):
        declared = getattr(app.view_functions[rule.endpoint], "access_rule", None)
        assert declared == EXPECTED.get(rule.endpoint), f"{rule.endpoint} declares {declared!r}"


@pytest.mark.parametrize("visitor", VISITORS)
def test_access_matrix(app, client, auth, visitor):
    if visitor != "anonymous":
        auth.login(visitor)
    for rule, method in _routes(app):
        expected = EXPECTED[rule.endpoint]
        allowed_roles = RULES[expected]
        response = client.open(_url(rule), method=method)
        to_login = response.status_code == 302 and "/login" in response.headers.get("Location", "")
        where = f"{visitor} {method} {rule.rule} ({expected})"
        if expected == "token":
            # The JSON API never takes the session: every visitor without a Bearer token gets a 401 problem.
            assert response.status_code == 401 and response.mimetype == "application/problem+json", where
        elif allowed_roles is None:
            signing_out = rule.endpoint == "auth.logout"  # its job is to send you to the login page
            refused = (401,) if rule.endpoint in SIGNED else (401, 403)
            assert response.status_code not in refused and (signing_out or not to_login), where
        elif visitor == "anonymous":
            assert to_login or response.status_code == 401, where
        elif visitor not in allowed_roles:
            assert response.status_code == 403, where
        else:
            assert response.status_code not in (401, 403, 500) and not to_login, where
