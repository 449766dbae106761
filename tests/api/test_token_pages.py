"""Admin pages for API tokens: create (shown once), list with state and last use, revoke by POST with CSRF."""
import re

from sqlalchemy import select

from app.auth.token_models import ApiToken
from app.extensions import db


def test_an_admin_creates_a_token_that_is_shown_once(client, auth, factory):
    auth.login("admin")
    owner = factory.user("customer")
    refused = client.post("/admin/api-tokens/new", data={"email": owner.email, "scopes": ["inventory:write"],
                                                          "expires_days": 30})
    assert refused.status_code == 422 and "cannot hold the scope" in refused.get_data(as_text=True)
    created = client.post("/admin/api-tokens/new", data={"email": owner.email, "name": "Phone app",
                                                          "scopes": ["read", "orders:write"], "expires_days": 30})
    assert created.status_code == 201
    secret = re.search(r"(oms_[0-9a-f]{8}_[A-Za-z0-9_-]+)", created.get_data(as_text=True)).group(1)
    assert db.session.execute(select(ApiToken.scopes)).scalar_one() == "read orders:write"
    listing = client.get("/admin/api-tokens").get_data(as_text=True)
    assert "Phone app" in listing and secret not in listing and secret[:12] in listing  # the prefix, not the token
    assert client.get("/api/v1/orders", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    assert client.post("/admin/api-tokens/new", data={"email": "nobody@test.example", "expires_days": 3}).status_code == 422


def test_revoking_needs_a_post_with_csrf_and_stops_the_token(csrf_app, factory):
    from app.auth.tokens import create_token
    from tests.factories import PASSWORD

    client = csrf_app.test_client()
    admin = factory.user("admin")
    secret = create_token(factory.user("operator")).secret
    token_id = db.session.execute(select(ApiToken.id)).scalar_one()
    login_page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    client.post("/login", data={"email": admin.email, "password": PASSWORD, "csrf_token": csrf})
    assert client.post(f"/admin/api-tokens/{token_id}/revoke").status_code == 400  # no CSRF token
    assert client.get("/api/v1/items", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    page = client.get("/admin/api-tokens").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post(f"/admin/api-tokens/{token_id}/revoke", data={"csrf_token": csrf}).status_code == 303
    assert client.get("/api/v1/items", headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert "Revoked" in client.get("/admin/api-tokens?archived=all").get_data(as_text=True)
