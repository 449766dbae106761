"""save_connection: a new connection never silently replaces the one a customer already has."""
import pytest

from app.common.errors import ValidationError
from app.extensions import db
from app.platforms import services
from app.platforms.models import PlatformConnection


def test_a_new_connection_does_not_overwrite_the_existing_one(app, factory):
    customer, megaphone = factory.customer(name="Acme Ltd"), services.find_platform("megaphone")
    first = services.save_connection(customer, megaphone, "acme", "first-token", interval_minutes=30)
    with pytest.raises(ValidationError) as refused:
        services.save_connection(customer, megaphone, "someone-else", "second-token")
    assert refused.value.errors == {"customer_id": "Acme Ltd already has a Megaphone connection: edit that one."}
    db.session.expire_all()
    [kept] = db.session.execute(db.select(PlatformConnection)).scalars().all()
    assert (kept.id, kept.organization, kept.api_token, kept.sync_interval_minutes) == (
        first.id, "acme", "first-token", 30)


def test_the_existing_connection_is_updated_in_place_and_a_blank_token_keeps_it(app, factory):
    customer, megaphone = factory.customer(), services.find_platform("megaphone")
    first = services.save_connection(customer, megaphone, "acme", "first-token")
    saved = services.save_connection(customer, megaphone, "acme-2", "", interval_minutes=15, existing=first)
    assert (saved.id, saved.organization, saved.api_token, saved.sync_interval_minutes) == (
        first.id, "acme-2", "first-token", 15)
