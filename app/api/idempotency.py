"""The Idempotency-Key header (IETF draft-ietf-httpapi-idempotency-key-header) over the order service's own key.

place_order already returns the first order for a repeated key (a unique index settles races);
this adds what the draft asks on top: the key is required, it is per client, a reuse with another
payload is refused (422, by the payload's fingerprint), and a retry while the first request is
still running is told so (409, by a short Redis lock) instead of waiting on it.
"""
import hashlib
import json
from contextlib import contextmanager

from flask import abort, request
from redis import RedisError
from sqlalchemy import select

from app.extensions import db
from app.orders.models import Order
from app.orders.services import KeyAlreadyUsed
from app.redis_client import get_redis

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
LOCK_SECONDS = 60  # longer than any order placement; the lock is removed as soon as the request ends


def client_key(user_id: int) -> str:
    """The order key for this client's Idempotency-Key: keys are per client, and hashing fits any key in 64 chars."""
    key = request.headers.get(HEADER, "").strip()
    if not key:
        abort(400, description=f"Send an {HEADER} header (a unique value per order, e.g. a UUID) "
                               f"so that a retried request never places the order twice.")
    if len(key) > MAX_KEY_LENGTH or not key.isprintable():
        abort(400, description=f"The {HEADER} must be printable and at most {MAX_KEY_LENGTH} characters.")
    return hashlib.sha256(f"api:{user_id}:{key}".encode()).hexdigest()


def fingerprint(payload: dict) -> str:
    """The payload's identity: the same order asked again has the same fingerprint, whatever the key order."""
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


REUSED = f"This {HEADER} was already used for another request: send a new key for a new order."


def refuse_other_payload(order_id: int, payload_fingerprint: str) -> None:
    """422 when the order this key placed first was asked with another payload."""
    first = db.session.execute(select(Order.request_fingerprint).where(Order.id == order_id)).scalar_one()
    if first != payload_fingerprint:
        abort(422, description=REUSED)


@contextmanager
def key_reused_for_another_order():
    """place_order refuses a key that placed another customer's order: for the API that is a reused key (422)."""
    try:
        yield
    except KeyAlreadyUsed:
        abort(422, description=REUSED)


@contextmanager
def key_in_flight(key: str):
    """Hold the key while the order is placed; 409 if another request holds it (Redis down: the index still guards)."""
    name = f"oms:api:idempotency:{key}"
    try:
        held = bool(get_redis().set(name, "1", nx=True, ex=LOCK_SECONDS))  # SET NX answers None when taken
    except RedisError:
        held = None
    if held is False:
        abort(409, description=f"A request with this {HEADER} is still being processed: retry shortly.")
    try:
        yield
    finally:
        if held:
            try:
                get_redis().delete(name)
            except RedisError:
                pass
