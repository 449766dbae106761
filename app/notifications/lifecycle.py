"""A delivery's life after the relay: claimed once, every attempt recorded, retried, failed or sent.

Each change is a conditional UPDATE on the status it expects, so two workers holding the same
delivery id (a job enqueued twice, a lease that ran out) never both send it.
"""
import random
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.auth.scope import may_see_customer
from app.common.errors import ValidationError
from app.common.models import utcnow
from app.extensions import db
from app.notifications.models import (
    BOUNCED, DELIVERED, FAILED, QUEUED, SENDING, SENT, STATUS_RANK, ContactPoint, Delivery, DeliveryAttempt,
)
from app.notifications.services import disable_contact_point

MAX_ATTEMPTS = 8
RETRY_BASE_SECONDS, RETRY_CAP_SECONDS = 30, 3600  # 30 s, 1 min, 2 min ... at most an hour apart


def claim(delivery_id: int) -> Delivery | None:
    """queued -> sending for this worker, committed before anything is sent; None if someone else has it."""
    now = utcnow()
    claimed = db.session.execute(update(Delivery).where(Delivery.id == delivery_id, Delivery.status == QUEUED)
                                 .values(status=SENDING, sending_since=now, attempts=Delivery.attempts + 1,
                                         updated_at=now)).rowcount
    db.session.commit()
    return db.session.get(Delivery, delivery_id) if claimed else None


def _attempt(delivery: Delivery, outcome: str, reply: str) -> None:
    db.session.execute(insert(DeliveryAttempt.__table__), {
        "delivery_id": delivery.id, "attempted_at": utcnow(), "outcome": outcome, "reply": reply[:2000]})


def _finish(delivery: Delivery, outcome: str, reply: str, **values) -> None:
    """Record the attempt and move the delivery on from `sending` (only if it is still ours)."""
    _attempt(delivery, outcome, reply)
    db.session.execute(update(Delivery).where(Delivery.id == delivery.id, Delivery.status == SENDING)
                       .values(sending_since=None, updated_at=utcnow(), **values))
    db.session.commit()


def mark_sent(delivery: Delivery, provider_id: str, reply: str) -> None:
    """The provider or SMTP server took the message."""
    _finish(delivery, "sent", reply, status=SENT, provider_id=provider_id, reason=None, next_attempt_at=None)


def mark_failed(delivery: Delivery, reason: str, *, disable_contact: bool) -> None:
    """Refused for good; with disable_contact the address itself is the problem, so it gets no more."""
    if disable_contact:
        disable_contact_point(delivery.contact_point_id, reason)
    _finish(delivery, "failed", reason, status=FAILED, reason=reason[:500], next_attempt_at=None)


def retry_delay(attempts: int, retry_after: float | None = None) -> float:
    """Capped exponential backoff with jitter, never sooner than the provider asked (Retry-After)."""
    delay = min(RETRY_CAP_SECONDS, RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)) * random.uniform(0.5, 1.0)
    return max(delay, retry_after or 0)


def mark_for_retry(delivery: Delivery, reason: str, retry_after: float | None = None,
                   now: datetime | None = None) -> None:
    """A transient failure: back to queued, due after the backoff (the relay re-enqueues it then)."""
    if delivery.attempts >= MAX_ATTEMPTS:
        mark_failed(delivery, f"gave up after {delivery.attempts} attempts: {reason}", disable_contact=False)
        return
    due = (now or utcnow()) + timedelta(seconds=retry_delay(delivery.attempts, retry_after))
    _finish(delivery, "retry", reason, status=QUEUED, reason=f"will retry: {reason}"[:500], next_attempt_at=due)


def move_forward(delivery_id: int, status: str) -> bool:
    """A provider's status report: applied only if it moves the delivery forward (never back, never past final)."""
    lower = [s for s, rank in STATUS_RANK.items() if rank < STATUS_RANK[status]]
    moved = db.session.execute(update(Delivery).where(Delivery.id == delivery_id, Delivery.status.in_(lower))
                               .values(status=status, updated_at=utcnow())).rowcount
    db.session.commit()
    return bool(moved)


RESENDABLE = (SENT, DELIVERED, FAILED, BOUNCED)


def resend_delivery(delivery_id: int, user=None) -> Delivery:
    """A new queued delivery of the same message to the same address, linked to the first (resend_of)."""
    first = db.session.get(Delivery, delivery_id)
    if first is None or (user is not None and not may_see_customer(first.customer_id, user)):
        raise ValidationError("That delivery does not exist.")
    if first.status not in RESENDABLE:
        raise ValidationError(f"Only a sent, delivered, failed or bounced delivery can be resent; this one is {first.status}.")
    point = db.session.get(ContactPoint, first.contact_point_id)
    if not point.is_active:
        raise ValidationError(f"{point.address} is {'archived' if point.archived_at else 'disabled'}"
                              f"{': ' + point.disabled_reason if point.disabled_reason else ''}; nothing was resent.")
    count = db.session.scalar(select(func.count()).where(Delivery.resend_of_id == first.id))
    copy = Delivery(key=f"{first.key}-r{count + 1}", resend_of_id=first.id, status=QUEUED, **{
        name: getattr(first, name) for name in ("outbox_event_id", "announcement_id", "customer_id",
                                                "contact_point_id", "channel", "address", "event_type")})
    db.session.add(copy)
    try:
        db.session.commit()
    except IntegrityError:  # the same resend asked twice at once: the other one stands
        db.session.rollback()
        raise ValidationError("That delivery was just resent; see its newest resend.") from None
    return copy
