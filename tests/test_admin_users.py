"""User administration: create, edit role/customer/active, reset password, deactivate."""
import pytest

from app.auth.models import User
from app.extensions import db
from tests.campaigns.helpers import field_error
from tests.factories import PASSWORD


def _user(email):
    return db.session.execute(db.select(User).where(User.email == email)).scalar_one_or_none()


def test_admin_creates_an_operator_who_can_sign_in(client, auth):
    auth.login("admin")
    response = client.post("/admin/users/new", data={
        "email": "New.Op@Test.example", "name": "New Op", "password": "long-enough-1", "role": "operator",
        "customer_id": "", "active": "y"})
    assert response.status_code == 303
    auth.logout()
    assert auth.login_as("new.op@test.example", "long-enough-1").status_code == 302


def test_customer_login_needs_a_customer_and_staff_must_not_have_one(client, auth, factory):
    customer = factory.customer()
    auth.login("admin")
    response = client.post("/admin/users/new", data={"email": "c@test.example", "password": "long-enough-1",
                                                      "role": "customer", "customer_id": ""})
    assert response.status_code == 422 and "must belong to a customer" in response.get_data(as_text=True)
    response = client.post("/admin/users/new", data={"email": "o@test.example", "password": "long-enough-1",
                                                      "role": "operator", "customer_id": str(customer.id)})
    assert response.status_code == 422 and "leave the customer empty" in response.get_data(as_text=True)
    assert _user("c@test.example") is None and _user("o@test.example") is None


def test_duplicate_email_in_any_case_is_refused(client, auth, factory):
    factory.user("operator", email="dup@test.example")
    auth.login("admin")
    response = client.post("/admin/users/new", data={"email": "DUP@test.example", "password": "long-enough-1",
                                                      "role": "operator", "customer_id": ""})
    assert response.status_code == 422 and "already exists" in response.get_data(as_text=True)


def test_nonsense_customer_choice_is_a_field_error(client, auth):
    auth.login("admin")
    response = client.post("/admin/users/new", data={"email": "x@test.example", "password": "long-enough-1",
                                                      "role": "customer", "customer_id": "99999"})
    assert response.status_code == 422 and 'id="customer_id-error"' in response.get_data(as_text=True)


def test_edit_role_and_deactivate(client, auth, factory):
    target = factory.user("operator")
    auth.login("admin")
    response = client.post(f"/admin/users/{target.id}/edit", data={
        "email": target.email, "name": "Renamed", "role": "admin", "customer_id": ""})
    assert response.status_code == 303
    changed = db.session.get(User, target.id)
    assert (changed.role, changed.name, changed.active) == ("admin", "Renamed", False)


def test_admin_cannot_demote_or_deactivate_themself(client, auth):
    me = auth.login("admin")
    response = client.post(f"/admin/users/{me.id}/edit", data={"email": me.email, "role": "operator", "customer_id": "", "active": "y"})
    assert response.status_code == 422
    assert db.session.get(User, me.id).role == "admin"


def test_reset_password(client, auth, factory):
    target = factory.user("operator")
    auth.login("admin")
    mismatch = client.post(f"/admin/users/{target.id}/password", data={"password": "new-password-1", "confirm": "other"})
    assert mismatch.status_code == 422 and "The passwords differ." in mismatch.get_data(as_text=True)
    client.post(f"/admin/users/{target.id}/password", data={"password": "new-password-1", "confirm": "new-password-1"})
    auth.logout()
    assert auth.login_as(target.email, PASSWORD).status_code == 422
    assert auth.login_as(target.email, "new-password-1").status_code == 302


def test_bulk_deactivate_skips_yourself(client, auth, factory):
    other = factory.user("operator")
    me = auth.login("admin")
    client.post("/admin/users/bulk", data={"action": "archive", "ids": [str(other.id), str(me.id)]})
    assert db.session.get(User, other.id).active is False
    assert db.session.get(User, me.id).active is True
    rows = client.get("/admin/users?archived=archived").get_data(as_text=True).split("<tbody>")[1]
    assert other.email in rows and me.email not in rows


def test_users_list_filters_by_role_and_rejects_unknown_roles(client, auth, factory):
    factory.user("customer", email="cust@test.example")
    auth.login("admin")
    rows = client.get("/admin/users?role=customer").get_data(as_text=True).split("<tbody>")[1]
    assert "cust@test.example" in rows and "<td>admin</td>" not in rows
    assert "not a valid value" in client.get("/admin/users?role=superuser").get_data(as_text=True)


def test_operator_cannot_manage_users(client, auth):
    auth.login("operator")
    assert client.get("/admin/users").status_code == 403
    assert client.post("/admin/users/new", data={"email": "x@test.example"}).status_code == 403


@pytest.mark.parametrize("address", ["op@", "op@oms", "op@oms.example.", "o,p@oms.example", "op@oms.test"])
def test_a_user_email_is_checked_as_an_email_address(client, auth, address):
    auth.login("admin")
    response = client.post("/admin/users/new", data={"email": address, "password": "long-enough-1",
                                                      "role": "operator", "customer_id": ""})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "email").startswith("Enter a valid email address")
    assert _user(address) is None
