"""Writing outbox events: the one function every domain calls inside its own transaction."""
import json
import re
from decimal import Decimal

from sqlalchemy import insert

from app.common.errors import ValidationError
from app.extensions import db
from app.outbox.models import OutboxEvent

EVENT_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


def _plain(value):
    """JSON has no Decimal or datetime: money travels as a string so no cent is lost."""
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"cannot put {type(value).__name__} in an outbox payload")


def record_event(event: str, payload: dict) -> None:
    """Add an event to the current transaction (no commit): it is saved exactly when the change is."""
    if not EVENT_NAME.match(event or ""):
        raise ValidationError(f"Outbox event names look like 'order.confirmed', not {event!r}.")
    # Core, not session.add: nobody needs the row back, so no unit-of-work flush and no RETURNING id.
    db.session.execute(insert(OutboxEvent.__table__),
                       {"event": event, "payload": json.loads(json.dumps(payload, default=_plain))})
