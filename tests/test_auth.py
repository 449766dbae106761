"""Sign-in, sign-out, throttling, inactive users, session renewal, CSRF and production config."""
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

import pytest
import werkzeug.security

from app.auth.models import User
from app.config import ConfigError, load_config
from app.extensions import db
from tests.conftest import fresh_app
from tests.factories import PASSWORD, Factory


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


def test_login_redirects_back_to_local_paths(client, factory):
    user = factory.user("admin")
    response = client.post("/login?next=/admin/users%3Frole%3Dadmin", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/admin/users?role=admin"


# What a browser turns into another site: it drops tab/CR/LF, reads a backslash as "/", trims spaces.
OFF_SITE_NEXTS = ["//evil.example/x", "/%09/evil.example", "/%0d/evil.example", "/%0a/evil.example",
                  "/%5Cevil.example", "/%5C/evil.example", "%5C%5Cevil.example", "%20//evil.example",
                  "/%2F/evil.example", "https://evil.example", "javascript:alert(1)", "evil.example"]


@pytest.mark.parametrize("next_url", OFF_SITE_NEXTS)
def test_login_never_redirects_off_site(client, factory, next_url):
    user = factory.user("admin")
    response = client.post(f"/login?next={next_url}", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("next_url", ["/\t/evil.example", "/\r\n/evil.example", "/\\evil.example", "//evil.example"])
def test_bulk_form_next_field_never_redirects_off_site(client, auth, factory, next_url):
    auth.login("operator")
    customer = factory.customer()
    response = client.post("/customers/bulk", data={"action": "archive", "ids": [customer.id], "next": next_url})
    assert response.status_code == 303
    assert response.headers["Location"] == "/customers"


def _cookie(client, name):
    cookie = client.get_cookie(name)
    assert cookie is not None, name
    return cookie.value


def _client_with_cookie(app, name, value):
    """A browser that has only this one copied cookie."""
    other = app.test_client()
    other.set_cookie(name, value)
    return other


def _signed_in(some_client) -> bool:
    return some_client.get("/customers").status_code == 200


def test_a_session_cookie_copied_before_logout_is_dead_afterwards(app, client, factory):
    user = factory.user("operator")
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    copied = _cookie(client, "session")
    assert _signed_in(_client_with_cookie(app, "session", copied))
    client.post("/logout")
    assert not _signed_in(_client_with_cookie(app, "session", copied))


def test_a_remember_me_cookie_copied_before_logout_is_dead_afterwards(app, client, factory):
    user = factory.user("operator")
    client.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    copied = _cookie(client, "remember_token")
    assert _signed_in(_client_with_cookie(app, "remember_token", copied))
    client.post("/logout")
    assert not _signed_in(_client_with_cookie(app, "remember_token", copied))


def test_deactivating_then_reactivating_does_not_revive_old_cookies(app, client, auth, factory):
    user = factory.user("operator")
    other = app.test_client()
    other.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    copied = _cookie(other, "remember_token")
    auth.login("admin")
    client.post("/admin/users/bulk", data={"action": "archive", "ids": [user.id]})
    client.post("/admin/users/bulk", data={"action": "restore", "ids": [user.id]})
    assert not _signed_in(_client_with_cookie(app, "remember_token", copied))
    assert not _signed_in(other)


def test_an_admin_signs_a_user_out_everywhere(app, client, auth, factory):
    user = factory.user("operator")
    laptop, phone = app.test_client(), app.test_client()
    laptop.post("/login", data={"email": user.email, "password": PASSWORD})
    phone.post("/login", data={"email": user.email, "password": PASSWORD, "remember": "y"})
    auth.login("admin")
    assert b"Sign out everywhere" in client.get(f"/admin/users/{user.id}/edit").data
    response = client.post(f"/admin/users/{user.id}/sign-out")
    assert response.status_code == 303
    assert not _signed_in(laptop) and not _signed_in(phone)
    assert _signed_in(client)  # the admin's own session is untouched
    assert client.get(f"/admin/users/{user.id}/sign-out").status_code == 405


def _fail(client, email, ip, times=1):
    for attempt in range(times):
        client.post("/login", data={"email": email, "password": f"wrong-{attempt}"}, environ_base={"REMOTE_ADDR": ip})


def _sign_in_from(client, email, ip):
    return client.post("/login", data={"email": email, "password": PASSWORD}, environ_base={"REMOTE_ADDR": ip})


def test_a_failing_client_is_blocked_but_the_owner_signs_in_from_elsewhere(client, factory, app):
    user = factory.user("operator")
    _fail(client, user.email, "10.0.0.66", app.config["LOGIN_FAILURE_LIMIT"])
    attacker = _sign_in_from(client, user.email, "10.0.0.66")
    assert attacker.status_code == 422
    assert b"Too many failed sign-in attempts. Try again in 5 minute(s)." in attacker.data
    owner = app.test_client()
    assert _sign_in_from(owner, user.email, "10.0.0.7").status_code == 302


def test_failures_spread_over_accounts_block_that_ip_for_every_account(client, factory, app):
    app.config["LOGIN_IP_FAILURE_LIMIT"] = 5
    victim = factory.user("operator")
    for n in range(5):
        _fail(client, f"probe{n}@test.example", "10.0.0.66")
    assert b"Too many failed sign-in attempts" in _sign_in_from(client, victim.email, "10.0.0.66").data
    assert _sign_in_from(client, victim.email, "192.0.2.7").status_code == 302


def test_with_redis_down_throttling_still_blocks_in_process(test_settings, caplog):
    with fresh_app({**test_settings}) as app:  # emptied database and Redis first
        app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens on port 1
        from app.redis_client import init_redis

        init_redis(app)
        with app.app_context():
            email = Factory().user("operator").email
            client = app.test_client()
            _fail(client, email, "10.0.0.66", app.config["LOGIN_FAILURE_LIMIT"])
            assert b"Too many failed sign-in attempts" in _sign_in_from(client, email, "10.0.0.66").data
            assert _sign_in_from(app.test_client(), email, "10.0.0.7").status_code == 302
    assert "login throttling: Redis unavailable" in caplog.text


def test_the_in_process_fallback_is_bounded():
    from app.auth.throttle import FALLBACK_MAX_KEYS, MemoryCounters

    counters = MemoryCounters()
    for n in range(FALLBACK_MAX_KEYS + 50):
        counters.incr(f"ip:{n}", 300)
    assert counters.count_and_ttl("ip:0") == (0, 0)  # the oldest went first
    assert counters.count_and_ttl(f"ip:{FALLBACK_MAX_KEYS + 49}")[0] == 1
    assert len(counters._entries) == FALLBACK_MAX_KEYS


def test_an_unknown_email_costs_one_password_hash_like_a_known_one(client, factory, monkeypatch):
    user = factory.user("operator")
    _fail(client, "warm-up@test.example", "10.0.0.1")  # the dummy hash is made once per app, not per attempt
    calls = []
    real_hash = werkzeug.security._hash_internal

    def counting_hash(*args):
        calls.append(args[0])
        return real_hash(*args)

    monkeypatch.setattr(werkzeug.security, "_hash_internal", counting_hash)
    _fail(client, user.email, "10.0.0.2")
    known = list(calls)
    calls.clear()
    _fail(client, "ghost@test.example", "10.0.0.3")
    assert len(known) == 1 and calls == known  # same count, same method and parameters


def test_behind_trusted_proxies_each_forwarded_client_is_throttled_on_its_own(test_settings):
    with fresh_app({**test_settings, "TRUSTED_PROXY_HOPS": 1}) as app, app.app_context():
        email = Factory().user("operator").email
        client = app.test_client()
        proxy = {"REMOTE_ADDR": "10.1.1.1"}
        for attempt in range(app.config["LOGIN_FAILURE_LIMIT"]):
            client.post("/login", data={"email": email, "password": "wrong-password"}, environ_base=proxy,
                        headers={"X-Forwarded-For": "203.0.113.5"})
        owner = app.test_client().post("/login", data={"email": email, "password": PASSWORD}, environ_base=proxy,
                                       headers={"X-Forwarded-For": "203.0.113.6"})
        assert owner.status_code == 302


def test_without_trusted_proxies_a_forged_forwarded_for_does_not_dodge_the_throttle(client, factory, app):
    user = factory.user("operator")
    for attempt in range(app.config["LOGIN_FAILURE_LIMIT"]):
        client.post("/login", data={"email": user.email, "password": "wrong-password"},
                    headers={"X-Forwarded-For": f"198.51.100.{attempt}"})
    response = client.post("/login", data={"email": user.email, "password": PASSWORD},
                           headers={"X-Forwarded-For": "198.51.100.200"})
    assert b"Too many failed sign-in attempts" in response.data


def test_trusted_proxy_hops_must_be_a_count():
    assert load_config({})["TRUSTED_PROXY_HOPS"] == 0
    assert load_config({"TRUSTED_PROXY_HOPS": "2"})["TRUSTED_PROXY_HOPS"] == 2
    with pytest.raises(ConfigError, match="TRUSTED_PROXY_HOPS"):
        load_config({"TRUSTED_PROXY_HOPS": "-1"})


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
