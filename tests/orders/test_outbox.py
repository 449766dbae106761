"""The outbox: events are saved with the change that caused them, or not at all."""
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.common.errors import ValidationError
from app.extensions import db
from app.outbox.models import OutboxEvent
from app.outbox.services import record_event


def test_an_event_commits_with_its_transaction(app):
    record_event("order.confirmed", {"order_id": 7, "total": Decimal("12.50")})
    db.session.commit()
    event = db.session.execute(select(OutboxEvent)).scalar_one()
    assert event.event == "order.confirmed" and event.payload == {"order_id": 7, "total": "12.50"}
    assert event.created_at is not None and event.processed_at is None


def test_an_event_rolls_back_with_its_transaction(app):
    record_event("order.cancelled", {"order_id": 7})
    db.session.rollback()
    assert db.session.execute(select(OutboxEvent)).first() is None


@pytest.mark.parametrize("name", ["", "order", "Order.Placed", "order..placed", "order.placed; drop"])
def test_event_names_are_checked(app, name):
    with pytest.raises(ValidationError):
        record_event(name, {})


def test_payloads_must_be_json(app):
    with pytest.raises(TypeError):
        record_event("order.placed", {"what": object()})
