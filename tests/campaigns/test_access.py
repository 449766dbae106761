"""Who may see and change which campaigns: a customer login only ever reaches its own."""
import pytest
from sqlalchemy import select

from app.campaigns.models import Campaign
from app.extensions import db
from tests.campaigns.helpers import form_data, listed_titles


@pytest.fixture
def two_customers(connected, factory):
    """ACME (the default organization) and GLOBEX (its own organization), one campaign each."""
    globex = factory.connection(connected.simulator, "GLOBEX", org="globex", token="globex-token")
    return connected, globex, connected.campaign(title="Acme Spring"), globex.campaign(title="Globex Winter")


def test_a_customer_sees_only_its_own_campaigns(client, auth, two_customers):
    acme, _, _, _ = two_customers
    auth.login("customer", customer=acme.customer)
    page = client.get("/platforms/1/campaigns").get_data(as_text=True)
    assert listed_titles(page) == ["Acme Spring"]
    assert 'name="customer"' not in page  # no customer filter: there is only one
    csv_text = client.get("/platforms/1/campaigns?format=csv&archived=all").get_data(as_text=True)
    assert "Acme Spring" in csv_text and "Globex Winter" not in csv_text


@pytest.mark.parametrize("method, action", [
    ("GET", ""), ("GET", "/edit"), ("POST", "/edit"), ("POST", "/archive"), ("POST", "/restore"), ("POST", "/delete"),
])
def test_another_customers_campaign_is_404_whatever_the_action(client, auth, two_customers, method, action):
    acme, globex, _, theirs = two_customers
    auth.login("customer", customer=acme.customer)
    response = client.open(f"/platforms/1/campaigns/{theirs.id}{action}", method=method, data=form_data(title="Mine now"))
    assert response.status_code == 404
    db.session.expire_all()
    assert (theirs.title, theirs.archived_at) == ("Globex Winter", None)
    assert globex.platform_ids() == {theirs.platform_campaign_id}


def test_bulk_actions_skip_campaigns_that_are_not_the_logins(client, auth, two_customers):
    acme, _, mine, theirs = two_customers
    auth.login("customer", customer=acme.customer)
    response = client.post("/platforms/1/campaigns/bulk", data={"action": "archive", "ids": [mine.id, theirs.id]},
                           follow_redirects=True)
    assert "Archived 1." in response.get_data(as_text=True)
    db.session.expire_all()
    assert mine.is_archived and not theirs.is_archived


def test_a_customer_creates_campaigns_only_for_itself(client, auth, two_customers):
    acme, globex, _, _ = two_customers
    auth.login("customer", customer=acme.customer)
    form = client.get("/platforms/1/campaigns/new").get_data(as_text=True)
    assert 'name="customer_id"' not in form and acme.customer.name in form
    response = client.post("/platforms/1/campaigns/new", data=form_data(title="Sneaky", customer_id=globex.customer.id))
    assert response.status_code == 303
    created = db.session.execute(select(Campaign).where(Campaign.title == "Sneaky")).scalar_one()
    assert created.customer_id == acme.customer.id
    assert any(r["title"] == "Sneaky" for r in acme.simulator.campaigns())
    assert all(r["title"] != "Sneaky" for r in acme.simulator.campaigns(org="globex"))


def test_staff_are_told_plainly_when_a_customer_has_no_connection(client, auth, connected, factory):
    loner = factory.customer(code="LONER", name="Loner Inc")
    auth.login("operator")
    form = client.get("/platforms/1/campaigns/new").get_data(as_text=True)
    assert "Loner Inc (LONER) — not connected to Megaphone" in form
    response = client.post("/platforms/1/campaigns/new", data=form_data(customer_id=loner.id))
    assert response.status_code == 422
    assert ("Loner Inc has no connection to Megaphone, so its campaigns cannot be changed there. "
            "An admin can add one under Connections.") in response.get_data(as_text=True)
    assert connected.requests() == []


def test_the_customer_picker_search_keeps_the_connection_note(client, auth, connected, factory):
    factory.customer(code="LONER", name="Loner Inc")
    auth.login("operator")
    body = client.get("/platforms/1/campaigns/customer-options", query_string={"q": "lone", "blank": "Choose…"})
    assert body.status_code == 200
    options = body.get_data(as_text=True)
    assert options.count("<option") == 2 and ">Choose…</option>" in options
    assert ">Loner Inc (LONER) — not connected to Megaphone</option>" in options


def test_signed_out_visitors_are_sent_to_sign_in(client, connected):
    assert client.get("/platforms/1/campaigns").status_code == 302
    assert client.post("/platforms/1/campaigns/bulk", data={"action": "archive", "ids": ["1"]}).status_code == 302
