"""Customer balances: admins record deposits and adjustments; every cent is a ledger row."""
from decimal import Decimal

import pytest

from app.balances import services
from app.common.errors import ValidationError
from tests.ledgers import assert_ledgers_add_up, balance_of


def test_deposits_and_adjustments_are_ledger_rows(app, factory):
    customer = factory.customer()
    assert services.record_deposit(customer.id, "100.005", "Wire") == Decimal("100.01")  # rounded half up to cents
    assert services.record_adjustment(customer.id, "-0.01", "Bank fee") == Decimal("100.00")
    assert balance_of(customer) == Decimal("100.00")
    assert_ledgers_add_up()


def test_cents_stay_exact_down_to_zero(app, factory):
    # SQLite adds in floating point: 0.30 - 0.10 - 0.20 must be exactly 0.00, not -2.8e-17 (refused).
    customer = factory.customer()
    services.record_deposit(customer.id, "0.30", "Coins")
    services.record_adjustment(customer.id, "-0.10", "Fee")
    assert services.record_adjustment(customer.id, "-0.20", "Fee") == Decimal("0.00")
    assert_ledgers_add_up()


def test_an_adjustment_cannot_take_the_balance_below_zero(app, factory):
    customer = factory.customer()
    services.record_deposit(customer.id, "5.00", "Cash")
    with pytest.raises(ValidationError) as raised:
        services.record_adjustment(customer.id, "-5.01", "Oops")
    assert raised.value.errors == {"amount": "The balance is only 5.00: an adjustment cannot take it below zero."}
    assert balance_of(customer) == Decimal("5.00")


@pytest.mark.parametrize("amount, message", [("", "amount such as"), ("abc", "amount such as"), ("NaN", "amount such as"),
                                             ("0", "greater than"), ("-5", "greater than"), ("1e20", "at most 9,999,999,999.99")])
def test_bad_deposit_amounts_are_refused(app, factory, amount, message):
    customer = factory.customer()
    with pytest.raises(ValidationError, match=message):
        services.record_deposit(customer.id, amount, "Wire")


def test_a_reason_is_required(app, factory):
    customer = factory.customer()
    with pytest.raises(ValidationError) as raised:
        services.record_deposit(customer.id, "10", "  ")
    assert "reason" in raised.value.errors


def test_admin_records_a_deposit_on_the_customer_page(client, auth, factory):
    customer = factory.customer(name="Acme Coffee")
    auth.login("admin")
    response = client.post(f"/customers/{customer.id}/balance/new",
                           data={"kind": "deposit", "amount": "250", "reason": "Prepayment"})
    assert response.status_code == 303
    page = client.get(f"/customers/{customer.id}").get_data(as_text=True)
    assert "Balance ledger" in page and "Prepayment" in page and "250.00" in page


def test_bad_input_is_answered_next_to_the_field(client, auth, factory):
    customer = factory.customer()
    auth.login("admin")
    response = client.post(f"/customers/{customer.id}/balance/new",
                           data={"kind": "adjustment", "amount": "-3", "reason": "Fix"})
    assert response.status_code == 422
    assert "cannot take it below zero" in response.get_data(as_text=True)
    assert balance_of(customer) == Decimal("0.00")


def test_only_admins_record_balance_changes(client, auth, factory):
    customer = factory.customer()
    auth.login("operator")
    response = client.post(f"/customers/{customer.id}/balance/new", data={"kind": "deposit", "amount": "9", "reason": "x"})
    assert response.status_code == 403
    assert balance_of(customer) == Decimal("0.00")


def test_a_customer_login_sees_its_own_ledger_only(client, auth, factory):
    own, other = factory.customer(), factory.customer()
    services.record_deposit(own.id, "10", "Own money")
    services.record_deposit(other.id, "20", "Other money")
    auth.login("customer", customer=own)
    assert "Own money" in client.get(f"/customers/{own.id}/ledger").get_data(as_text=True)
    assert client.get(f"/customers/{other.id}/ledger").status_code == 404
    csv = client.get(f"/customers/{own.id}/ledger?format=csv").get_data(as_text=True)
    assert "Own money" in csv and "Other money" not in csv
