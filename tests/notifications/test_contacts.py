"""Contact points, preferences and quiet hours through the services and the CLI."""
from datetime import time

import pytest
from sqlalchemy import select

from app.common.errors import ValidationError
from app.customers.services import find_customer_by_code
from app.extensions import db
from app.notifications.models import ContactPoint
from app.notifications import services
from app.notifications.events import EVENTS


def test_addresses_are_stored_normalised(app, factory):
    customer = factory.customer()
    email, created = services.add_contact_point(customer.id, "email", "  Ops@Example.COM ", "Ops")
    phone, _ = services.add_contact_point(customer.id, "sms", "0044 (20) 7946-0958")
    assert created and (email.address, email.label) == ("ops@example.com", "Ops")
    assert phone.address == "+442079460958" and phone.is_active


@pytest.mark.parametrize("channel, address, field", [
    ("email", "not-an-address", "address"), ("sms", "07946 0958", "address"), ("sms", "+12", "address"),
    ("fax", "+442079460958", "channel")])
def test_bad_addresses_are_refused_next_to_the_field(app, factory, channel, address, field):
    with pytest.raises(ValidationError) as refused:
        services.add_contact_point(factory.customer().id, channel, address)
    assert list(refused.value.errors) == [field]


def test_adding_twice_finds_the_first(app, factory):
    customer = factory.customer()
    first, _ = services.add_contact_point(customer.id, "email", "a@example.com")
    again, created = services.add_contact_point(customer.id, "email", "A@example.com")
    assert again.id == first.id and not created


def test_a_customer_login_reaches_only_its_own_customer(app, factory):
    login, other = factory.user("customer"), factory.customer()
    own, _ = services.add_contact_point(login.customer_id, "email", "me@example.com", user=login)
    theirs, _ = services.add_contact_point(other.id, "email", "them@example.com")
    with pytest.raises(ValidationError, match="does not exist"):
        services.add_contact_point(other.id, "email", "sneak@example.com", user=login)
    with pytest.raises(ValidationError, match="does not exist"):
        services.set_contact_point_archived(theirs.id, True, user=login)
    with pytest.raises(ValidationError, match="does not exist"):
        services.set_preference(other.id, "order.confirmed", "sms", False, user=login)
    assert services.set_contact_point_archived(own.id, True, user=login).is_archived
    assert not services.set_contact_point_archived(own.id, False, user=login).is_archived


def test_defaults_apply_until_the_customer_chooses(app, factory):
    customer = factory.customer()
    assert services.preferences_of(customer.id)[("order.confirmed", "sms")] is True
    services.set_preference(customer.id, "order.confirmed", "sms", False)
    services.set_preference(customer.id, "balance.credited", "sms", True)
    chosen = services.preferences_of(customer.id)
    assert chosen[("order.confirmed", "sms")] is False and chosen[("balance.credited", "sms")] is True
    assert chosen[("announcement.sent", "email")] is True


def test_mandatory_events_cannot_be_turned_off(app, factory):
    customer = factory.customer()
    mandatory = [(e.name, c) for e in EVENTS.values() for c in ("email", "sms") if not e.may_turn_off(c)]
    assert ("order.placed", "email") in mandatory
    for event_type, channel in mandatory:
        with pytest.raises(ValidationError, match="mandatory: it cannot be turned off"):
            services.set_preference(customer.id, event_type, channel, False)
    assert all(services.preferences_of(customer.id)[pair] for pair in mandatory)


def test_quiet_hours_need_a_real_time_zone_and_a_window(app, factory):
    customer = factory.customer()
    with pytest.raises(ValidationError) as refused:
        services.set_quiet_hours(customer.id, "Mars/Olympus", time(21), time(21))
    assert set(refused.value.errors) == {"time_zone", "starts"}
    services.set_quiet_hours(customer.id, "Europe/London", time(21), time(8))
    services.set_quiet_hours(customer.id, "", None, None)  # cleared


def test_cli_adds_a_contact_point_once_and_refuses_bad_input(runner, factory):
    factory.customer(code="ACME")
    first = runner.invoke(args=["contacts", "add", "--customer", "ACME", "--channel", "sms",
                                "--address", "+1 555 000 2222", "--label", "Mobile"])
    again = runner.invoke(args=["contacts", "add", "--customer", "acme", "--channel", "sms", "--address", "+15550002222"])
    bad = runner.invoke(args=["contacts", "add", "--customer", "ACME", "--channel", "email", "--address", "nope"])
    unknown = runner.invoke(args=["contacts", "add", "--customer", "NOPE", "--channel", "email", "--address", "a@b.co"])
    assert first.exit_code == 0 and "Added sms +15550002222 for ACME" in first.output
    assert again.exit_code == 0 and "left unchanged" in again.output
    assert bad.exit_code != 0 and "valid email address" in bad.output and len(bad.output.strip().splitlines()) == 1
    assert unknown.exit_code != 0 and "No customer has the code 'NOPE'" in unknown.output


def test_the_demo_customer_has_an_email_and_a_phone(runner):
    for _ in range(2):
        assert runner.invoke(args=["seed", "demo"]).exit_code == 0
    acme = find_customer_by_code("ACME")
    points = db.session.execute(select(ContactPoint.channel, ContactPoint.address)
                                .where(ContactPoint.customer_id == acme.id)).all()
    assert sorted(points) == [("email", "ops@acme.example"), ("sms", "+442079460001")]
