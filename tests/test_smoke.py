from app.templating import NAVIGATION


def test_healthz_reports_database_and_redis(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}


def test_admin_can_open_customers(client, auth, factory):
    factory.customer(code="ACME", name="Acme Coffee")
    auth.login("admin")
    response = client.get("/customers")
    assert response.status_code == 200
    assert b"Acme Coffee" in response.data


def test_every_navigation_entry_has_a_page(app):
    assert [endpoint for _, endpoint in NAVIGATION if endpoint not in app.view_functions] == []


def test_the_favicon_is_served_to_anyone(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert response.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
