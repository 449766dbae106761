"""API tokens: hashed at rest, shown once, expiry, revocation, last use, scopes, never the session cookie."""
from datetime import timedelta

from sqlalchemy import select, text

from app.auth.token_models import ApiToken
from app.auth.tokens import create_token
from app.common.models import utcnow
from app.extensions import db


def test_the_database_holds_no_usable_token(app, factory, client):
    user = factory.user("operator")
    secret = create_token(user).secret
    stored = " ".join(str(v) for v in db.session.execute(text("SELECT * FROM api_tokens")).one())
    assert secret not in stored and secret.split("_")[-1] not in stored
    assert client.get("/api/v1/items", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    token_hash = db.session.execute(select(ApiToken.token_hash)).scalar_one()
    # Presenting what the database holds gets nothing.
    assert client.get("/api/v1/items", headers={"Authorization": f"Bearer {token_hash}"}).status_code == 401


def test_a_session_cookie_alone_gets_401_problem(client, auth):
    auth.login("admin")
    assert client.get("/customers").status_code == 200  # the session works for the pages
    response = client.get("/api/v1/items")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 401 and response.json["title"] == "Unauthorized"
    assert "set-cookie" not in {k.lower() for k in response.headers.keys()}


def test_expired_revoked_unknown_and_malformed_tokens_get_401(app, staff_api, client, runner):
    assert staff_api.get("/api/v1/items").status_code == 200
    for header in ("Bearer oms_nope_nope", "Bearer", "Basic abc", "Bearer " + "x" * 5000, ""):
        assert client.get("/api/v1/items", headers={"Authorization": header}).status_code == 401, header
    token = db.session.execute(select(ApiToken)).scalar_one()
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert staff_api.get("/api/v1/items").status_code == 401
    token.expires_at = utcnow() + timedelta(days=1)
    db.session.commit()
    assert staff_api.get("/api/v1/items").status_code == 200
    result = runner.invoke(args=["api-tokens", "revoke", "--prefix", token.prefix])
    assert result.exit_code == 0, result.output
    assert staff_api.get("/api/v1/items").status_code == 401


def test_a_deactivated_users_token_stops_working(app, staff_api):
    staff_api.user.active = False
    db.session.commit()
    assert staff_api.get("/api/v1/items").status_code == 401


def test_last_used_is_recorded(app, staff_api):
    assert db.session.execute(select(ApiToken.last_used_at)).scalar_one() is None
    staff_api.get("/api/v1/items")
    assert db.session.execute(select(ApiToken.last_used_at)).scalar_one() is not None


def test_scopes_default_to_the_role_and_limit_what_a_token_does(app, api_as, factory):
    reader = api_as("operator", scopes="read")
    assert reader.get("/api/v1/items").status_code == 200
    refused = reader.post("/api/v1/items", json={"sku": "A-1", "name": "A", "unit_price": "1.00"})
    assert refused.status_code == 403 and "inventory:write" in refused.json["detail"]
    customer = api_as("customer")
    assert "inventory:write" not in customer.secret  # the scopes are not in the token itself
    assert customer.post("/api/v1/items", json={"sku": "A-1", "name": "A", "unit_price": "1.00"}).status_code == 403
    writer = api_as("operator")
    assert writer.post("/api/v1/items", json={"sku": "A-1", "name": "A", "unit_price": "1.00"}).status_code == 201


def test_a_role_cannot_be_given_scopes_beyond_it(app, factory):
    import pytest

    from app.common.errors import ValidationError

    customer = factory.user("customer")
    with pytest.raises(ValidationError, match="cannot hold the scope 'inventory:write'"):
        create_token(customer, scopes="read,inventory:write")
    with pytest.raises(ValidationError, match="Unknown scope"):
        create_token(customer, scopes="everything")


def test_cli_prints_the_token_once_as_its_last_line(app, factory, runner, client):
    user = factory.user("operator")
    result = runner.invoke(args=["api-tokens", "create", "--email", user.email, "--scopes", "read",
                                 "--expires-days", "7"])
    assert result.exit_code == 0, result.output
    secret = result.output.strip().splitlines()[-1]
    assert secret.startswith("oms_") and result.output.count(secret) == 1
    token = db.session.execute(select(ApiToken)).scalar_one()
    assert token.scopes == "read" and 6 <= (token.expires_at - token.created_at).days <= 7
    assert client.get("/api/v1/items", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    bad = runner.invoke(args=["api-tokens", "create", "--email", "nobody@x.example"])
    assert bad.exit_code != 0 and "no user" in bad.output
    bad = runner.invoke(args=["api-tokens", "revoke", "--prefix", "zzzz"])
    assert bad.exit_code != 0 and "No token" in bad.output
