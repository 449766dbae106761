"""Platform connection pages: admins only, a write-only token, and a test button that says what is wrong."""
import csv
import io

import pytest

from app.extensions import db
from app.platforms.models import PlatformConnection
from app.platforms.services import find_connection
from tests.campaigns.helpers import field_error

SECRET = "tok-NEVER-SHOWN-4f2a9c"


def page(client, path, **kwargs) -> str:
    response = client.get(path, **kwargs)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["operator", "customer"])
def test_only_admins_reach_the_connection_pages(client, auth, connected, role):
    auth.login(role)
    connection_id = connected.connection.id
    for path in ("/admin/connections", "/admin/connections/new", f"/admin/connections/{connection_id}/edit"):
        assert client.get(path).status_code == 403
    assert client.post(f"/admin/connections/{connection_id}/test").status_code == 403


def test_an_admin_connects_a_customer_and_the_token_is_never_shown_or_logged(client, auth, platform_app, simulator,
                                                                              factory, all_logs):
    customer = factory.customer(code="ZEPH", name="Zephyr Kites")
    simulator.create_organization("zeph-org", SECRET)
    auth.login("admin")
    seen = page(client, f"/admin/connections/new?customer={customer.id}")
    assert f'<option selected value="{customer.id}">' in seen

    refused = client.post("/admin/connections/new", data={
        "customer_id": customer.id, "platform_id": 1, "organization": "", "api_token": SECRET,
        "sync_interval_minutes": "2"})
    assert refused.status_code == 422
    seen += refused.get_data(as_text=True)
    assert field_error(seen, "organization") == "Enter the platform's organisation id."
    assert field_error(seen, "sync_interval_minutes") == "Choose from 5 to 10080 minutes."

    response = client.post("/admin/connections/new", data={
        "customer_id": customer.id, "platform_id": 1, "organization": "zeph-org", "api_token": SECRET,
        "sync_enabled": "y", "sync_interval_minutes": "30"}, follow_redirects=True)
    seen += response.get_data(as_text=True)
    assert "Connected Zephyr Kites to Megaphone (organisation zeph-org)." in seen
    connection = find_connection(customer.id, 1)
    assert (connection.api_token, connection.sync_interval_minutes, connection.sync_enabled) == (SECRET, 30, True)

    seen += client.post(f"/admin/connections/{connection.id}/test", follow_redirects=True).get_data(as_text=True)
    assert "Connection works: 0 campaign(s) visible for organisation zeph-org." in seen
    for path in ("/admin/connections", f"/admin/connections/{connection.id}/edit", f"/customers/{customer.id}",
                 "/admin/connections?format=csv", "/admin/connections?q=zeph"):
        seen += page(client, path)
    assert "zeph-org" in seen
    assert SECRET not in seen
    assert "GET /api/organizations/zeph-org/campaigns" in all_logs.text  # the log did see the test call
    assert SECRET not in all_logs.text and SECRET not in repr(connection)


def test_a_blank_token_keeps_the_stored_one_and_a_new_one_replaces_it(client, auth, connected):
    auth.login("admin")
    edit = f"/admin/connections/{connected.connection.id}/edit"
    form = page(client, edit)
    assert "Leave blank to keep the current token." in form and connected.simulator.token not in form
    assert 'name="customer_id"' not in form  # the customer and platform of a connection are fixed
    response = client.post(edit, data={"organization": "acme", "api_token": "", "sync_interval_minutes": "15"})
    assert response.status_code == 303
    db.session.expire_all()
    connection = db.session.get(PlatformConnection, connected.connection.id)
    assert (connection.api_token, connection.sync_interval_minutes, connection.sync_enabled) == (
        connected.simulator.token, 15, False)
    client.post(edit, data={"organization": "acme", "api_token": "brand-new", "sync_enabled": "y",
                            "sync_interval_minutes": "15"})
    db.session.expire_all()
    assert db.session.get(PlatformConnection, connected.connection.id).api_token == "brand-new"


def test_a_second_connection_to_the_same_platform_is_refused_by_the_field(client, auth, connected):
    auth.login("admin")
    response = client.post("/admin/connections/new", data={
        "customer_id": connected.customer.id, "platform_id": 1, "organization": "other", "api_token": "x",
        "sync_interval_minutes": "60"})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "customer_id") == (
        "Acme Ltd already has a Megaphone connection: edit that one.")


@pytest.mark.parametrize("org, token, faults, says", [
    ("acme", "wrong-token", {}, "The ad platform rejected the API token. Check the connection&#39;s token."),
    ("nowhere", None, {}, "The ad platform has no organization &#39;nowhere&#39;."),
    ("acme", None, {"fail_next": 5}, "The ad platform had a server error (HTTP 503). Try again in a few minutes."),
])
def test_test_connection_says_plainly_what_is_wrong(client, auth, connected, org, token, faults, says):
    connection = connected.connection
    connection.organization, connection.api_token = org, token or connection.api_token
    db.session.commit()
    connected.simulator.set_faults(**faults)
    auth.login("admin")
    response = client.post(f"/admin/connections/{connection.id}/test", data={"next": "/admin/connections"})
    assert response.status_code == 303 and response.headers["Location"] == "/admin/connections"
    assert f"Acme Ltd: {says}" in page(client, "/admin/connections")


def test_the_list_searches_sorts_filters_and_exports_without_tokens(client, auth, connected, factory):
    globex = factory.connection(connected.simulator, "GLOBEX", org="globex-org", token="globex-secret")
    globex.connection.sync_enabled = False
    db.session.commit()
    auth.login("admin")
    assert "globex-org" in page(client, "/admin/connections?q=GLOBEX") and "acme" not in page(
        client, "/admin/connections?q=globex").split("<tbody>")[1]
    disabled = page(client, "/admin/connections?sync=disabled").split("<tbody>")[1]
    assert "Globex Ltd" in disabled and "Acme Ltd" not in disabled
    by_customer = page(client, "/admin/connections?sort=customer&dir=desc").split("<tbody>")[1]
    assert by_customer.index("Globex Ltd") < by_customer.index("Acme Ltd")
    exported = client.get("/admin/connections?format=csv&sort=organization").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert [(r["customer_code"], r["organization"], r["sync_enabled"]) for r in rows] == [
        ("ACME", "acme", "True"), ("GLOBEX", "globex-org", "False")]
    assert "globex-secret" not in exported and connected.simulator.token not in exported


def test_sync_buttons_appear_once_the_sync_pages_exist(client, auth, connected, app):
    auth.login("admin")
    listing = page(client, "/admin/connections")
    has_sync = "sync.sync_connection" in app.view_functions
    assert ("Sync now" in listing) == has_sync and ("Sync all" in listing) == has_sync
    if has_sync:
        assert f'action="/sync/connections/{connected.connection.id}/run"' in listing
        assert 'action="/sync/run-all"' in listing


def test_the_customer_page_shows_its_connections_to_staff_only(client, auth, connected, factory):
    auth.login("operator")
    section = page(client, f"/customers/{connected.customer.id}").split('id="customer-connections"')[1]
    assert "acme" in section and "Every 60 min" in section and "Test connection" not in section
    client.post("/logout")
    auth.login("customer", customer=connected.customer)
    assert 'id="customer-connections"' not in page(client, f"/customers/{connected.customer.id}")
