"""Customer pages: create, edit, validation next to fields, and per-customer scoping."""
import pytest

from app.customers.models import Customer
from app.extensions import db
from tests.campaigns.helpers import field_error


def test_create_customer_normalises_code(client, auth):
    auth.login("operator")
    response = client.post("/customers/new", data={"code": " acme-1 ", "name": "Acme", "email": "OPS@Acme.example"})
    assert response.status_code == 303
    customer = db.session.execute(db.select(Customer)).scalar_one()
    assert (customer.code, customer.email) == ("ACME-1", "ops@acme.example")
    assert client.get(response.headers["Location"]).status_code == 200


def test_invalid_input_is_shown_next_to_each_field_and_nothing_saved(client, auth):
    auth.login("operator")
    response = client.post("/customers/new", data={"code": "!", "name": "", "email": "not-an-email", "phone": "call me"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="code-error"' in html and 'id="name-error"' in html and 'id="phone-error"' in html
    assert 'aria-invalid="true"' in html
    assert db.session.execute(db.select(Customer)).first() is None


def test_duplicate_code_is_refused_next_to_the_code(client, auth, factory):
    factory.customer(code="ACME")
    auth.login("operator")
    response = client.post("/customers/new", data={"code": "acme", "name": "Other"})
    assert response.status_code == 422
    assert "Another customer already has this code." in response.get_data(as_text=True)


def test_edit_customer(client, auth, factory):
    customer = factory.customer(code="ACME", name="Acme")
    auth.login("admin")
    response = client.post(f"/customers/{customer.id}/edit", data={"code": "ACME", "name": "Acme Roasters", "phone": "+1 555 0100"})
    assert response.status_code == 303
    assert db.session.get(Customer, customer.id).name == "Acme Roasters"


def test_show_unknown_customer_is_404(client, auth):
    auth.login("operator")
    assert client.get("/customers/999").status_code == 404


def test_customer_a_cannot_read_or_change_customer_b(client, auth, factory):
    a, b = factory.customer(code="AAA"), factory.customer(code="BBB")
    auth.login("customer", customer=a)
    assert client.get(f"/customers/{a.id}").status_code == 200
    assert client.get(f"/customers/{b.id}").status_code == 404
    assert client.post(f"/customers/{b.id}/edit", data={"code": "BBB", "name": "pwned"}).status_code == 403
    assert client.post("/customers/bulk", data={"action": "archive", "ids": [str(b.id)]}).status_code == 403
    assert db.session.get(Customer, b.id).name != "pwned" and db.session.get(Customer, b.id).archived_at is None


def test_customer_login_home_is_its_customer_page(client, auth, factory):
    mine = factory.customer(code="MINE")
    auth.login("customer", customer=mine)
    response = client.get("/")
    assert response.headers["Location"].endswith(f"/customers/{mine.id}")


def test_htmx_errors_are_retargeted_to_the_message_area(client, auth):
    auth.login("operator")
    response = client.get("/customers/999", headers={"HX-Request": "true"})
    assert response.status_code == 404
    assert response.headers["HX-Retarget"] == "#flashes"
    assert "does not exist" in response.get_data(as_text=True)


def test_json_clients_get_json_errors(client, auth):
    auth.login("operator")
    response = client.get("/customers/999", headers={"Accept": "application/json"})
    assert response.status_code == 404 and response.json["error"] == 404


def test_the_customer_picker_offers_the_first_matches_and_keeps_the_choice(client, auth, factory):
    import re

    from app.common.picker import PICKER_SIZE

    acme = factory.customer(code="ACME", name="Acme Coffee")
    zulus = [factory.customer(code=f"ZZ{k:03d}", name=f"Zulu {k:03d}") for k in range(PICKER_SIZE + 5)]

    def options(**args):
        body = client.get("/customers/options", query_string=args).get_data(as_text=True)
        return re.findall(r'<option value="(\d*)"( selected)?>([^<]*)</option>', body)

    auth.login("admin")
    everyone = options(blank="Choose a customer…")
    assert len(everyone) == 1 + PICKER_SIZE and everyone[0] == ("", "", "Choose a customer…")
    assert everyone[1][2] == "Acme Coffee (ACME)"
    # The current choice stays offered (first) when the search or the bound leaves it out.
    assert options(q="zz054", customer_id=acme.id, blank="—") == [
        ("", "", "—"), (str(acme.id), " selected", "Acme Coffee (ACME)"), (str(zulus[54].id), "", "Zulu 054 (ZZ054)")]
    beyond = options(customer_id=zulus[-1].id)
    assert len(beyond) == 2 + PICKER_SIZE and beyond[1] == (str(zulus[-1].id), " selected", "Zulu 054 (ZZ054)")
    assert options(q="%_") == [("", "", "")]  # LIKE wildcards are plain characters
    assert "&lt;b&gt;" in client.get("/customers/options", query_string={"blank": "<b>x</b>"}).get_data(as_text=True)

    auth.logout()
    auth.login("customer", customer=acme)
    assert client.get("/customers/options").status_code == 403


BAD_ADDRESSES = ["ann@acme", "ann smith@acme.example", "ann@@acme.example", "ann@localhost", "ann@acme..example"]


@pytest.mark.parametrize("address", BAD_ADDRESSES)
def test_an_address_with_an_at_sign_that_is_still_not_an_email_is_refused_next_to_the_field(client, auth, address):
    auth.login("operator")
    response = client.post("/customers/new", data={"code": "ACME", "name": "Acme", "email": address})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "email").startswith("Enter a valid email address")
    assert db.session.execute(db.select(Customer)).first() is None
