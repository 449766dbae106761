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
