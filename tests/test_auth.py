"""Sign-in, sign-out, throttling, inactive users, session renewal, CSRF and production config."""
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

import pytest

from app.auth.models import User
from app.config import ConfigError, load_config
from app.extensions import db
from tests.factories import PASSWORD


def test_login_then_logout(client, factory):
    user = factory.user("operator")
    response = client.post("/login", data={"email": user.email.upper(), "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/customers").status_code == 200
    assert client.post("/logout").status_code == 302
    response = client.get("/customers")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_wrong_password_gives_one_message_without_hints(client, factory):
    user = factory.user("operator")
    wrong_password = client.post("/login", data={"email": user.email, "password": "nope-nope"})
    unknown_email = client.post("/login", data={"email": "ghost@test.example", "password": "nope-nope"})
    for response in (wrong_password, unknown_email):
        assert response.status_code == 422
        assert b"Email or password is incorrect." in response.data
    assert client.get("/customers").status_code == 302


def test_login_redirects_back_only_to_local_paths(client, factory):
    user = factory.user("admin")
    response = client.post("/login?next=/admin/users", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"].endswith("/admin/users")
    client.post("/logout")
    response = client.post("/login?next=//evil.example/x", data={"email": user.email, "password": PASSWORD})
    assert "evil.example" not in response.headers["Location"]


def test_ten_failures_block_the_account_even_with_the_right_password(client, factory, app):
    user = factory.user("operator")
    for attempt in range(app.config["LOGIN_FAILURE_LIMIT"]):
        client.post("/login", data={"email": user.email, "password": f"wrong-{attempt}"},
                    environ_base={"REMOTE_ADDR": f"10.0.0.{attempt}"})
    response = client.post("/login", data={"email": user.email, "password": PASSWORD},
                           environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert response.status_code == 422
    assert b"Too many failed sign-in attempts. Try again in 5 minute(s)." in response.data
    assert client.get("/customers").status_code == 302


def test_ten_failures_from_one_ip_block_that_ip_for_every_account(client, factory, app):
    victim = factory.user("operator")
    for attempt in range(app.config["LOGIN_FAILURE_LIMIT"]):
        client.post("/login", data={"email": f"probe{attempt}@test.example", "password": "x-wrong-x"})
    response = client.post("/login", data={"email": victim.email, "password": PASSWORD})
    assert b"Too many failed sign-in attempts" in response.data
    other_ip = client.post("/login", data={"email": victim.email, "password": PASSWORD},
                           environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other_ip.status_code == 302


def test_inactive_user_cannot_sign_in(client, factory):
    user = factory.user("operator")
    user.active = False
    db.session.commit()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 422
    assert b"deactivated" in response.data


def test_deactivated_user_is_signed_out_on_next_request(client, auth):
    user = auth.login("operator")
    assert client.get("/customers").status_code == 200
    db.session.get(User, user.id).active = False
    db.session.commit()
    response = client.get("/customers")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_password_reset_ends_existing_sessions(client, auth, factory):
    from app.auth.services import reset_password

    user = auth.login("operator")
    reset_password(db.session.get(User, user.id), "brand-new-password")
    assert client.get("/customers").status_code == 302


def test_session_is_renewed_at_login(client, factory):
    user = factory.user("operator")
    with client.session_transaction() as session:
        session["planted_by_attacker"] = "yes"
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    with client.session_transaction() as session:
        assert "planted_by_attacker" not in session
        assert session["_user_id"].startswith(f"{user.id}:")


def test_logout_is_post_only(client, auth):
    auth.login("operator")
    assert client.get("/logout").status_code == 405
    assert client.get("/customers").status_code == 200


def test_cookies_are_httponly_and_samesite_lax(client, factory):
    user = factory.user("operator")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("session="))
    remember_cookie = next(c for c in cookies if c.startswith("remember_token="))
    for cookie in (session_cookie, remember_cookie):
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    expires = parsedate_to_datetime(remember_cookie.split("Expires=")[1].split(";")[0])
    days = (expires - datetime.now(timezone.utc)).days
    assert 13 <= days <= 14  # not Flask-Login's default of a year


def test_passwords_are_hashed_with_scrypt(factory):
    user = factory.user("operator")
    assert user.password_hash.startswith("scrypt:")
    assert PASSWORD not in user.password_hash


def test_outside_tests_passwords_get_werkzeugs_full_scrypt_cost(app, factory):
    production = load_config({"OMS_ENV": "production", "SECRET_KEY": "x" * 40})
    assert production["PASSWORD_HASH_METHOD"] == load_config({"OMS_ENV": "development"})["PASSWORD_HASH_METHOD"]
    app.config["PASSWORD_HASH_METHOD"] = production["PASSWORD_HASH_METHOD"]
    user = factory.user("operator")  # the one full-cost hash of the suite; tests hash with scrypt:1024
    assert user.password_hash.startswith("scrypt:32768:8:1$") and user.check_password(PASSWORD)


def test_csrf_refuses_state_change_without_token(csrf_app, factory):
    client = csrf_app.test_client()
    with csrf_app.app_context():
        user = factory.user("admin")
        email = user.email
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 400
    assert b"form expired" in response.data


def test_csrf_accepts_the_header_htmx_sends(csrf_app, factory):
    client = csrf_app.test_client()
    with csrf_app.app_context():
        email = factory.user("admin").email
    page = client.get("/login").get_data(as_text=True)
    token = page.split('"X-CSRFToken": "')[1].split('"')[0]
    response = client.post("/login", data={"email": email, "password": PASSWORD}, headers={"X-CSRFToken": token})
    assert response.status_code == 302


def test_production_refuses_to_start_without_a_real_secret_key():
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config({"OMS_ENV": "production"})
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config({"OMS_ENV": "production", "SECRET_KEY": "short"})
    config = load_config({"OMS_ENV": "production", "SECRET_KEY": "x" * 40})
    assert config["SESSION_COOKIE_SECURE"] and config["REMEMBER_COOKIE_SECURE"]


def test_postgres_urls_use_psycopg3():
    config = load_config({"DATABASE_URL": "postgres://u@h/db"})
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


def test_a_session_naming_no_possible_user_id_loads_nobody(app):
    from app.auth.session import load_user

    for value in ("²:token", "9" * 20 + ":token", ":token", "abc"):
        assert load_user(value) is None, value
