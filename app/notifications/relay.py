"""The outbox relay: turn new outbox rows into deliveries, then hand due deliveries to the senders in batches.

One pass (`relay_once`) is what the scheduled job and `flask notifications relay` run. Every step is
safe to repeat and to run twice at once: outbox rows are claimed with FOR UPDATE SKIP LOCKED on
PostgreSQL, deliveries are inserted ON CONFLICT (key) DO NOTHING, and a delivery handed to a queue gets
a lease (next_attempt_at) so the next pass does not hand it over again unless its job was lost.
"""
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update

from app.common.models import utcnow
from app.common.transactions import run_in_transaction
from app.extensions import db
from app.notifications.events import EMAIL, SMS
from app.notifications.fanout import expand, insert_new
from app.notifications.models import QUEUED, SENDING, Delivery, QuietHours
from app.notifications.quiet import quiet_until
from app.outbox.models import OutboxEvent
from app.queues import enqueue

OUTBOX_BATCH = 200
DUE_BATCH = 2000
JOB_BATCH = 200  # deliveries per sender job: one SMTP connection / HTTP session each
SENDING_TIMEOUT = timedelta(minutes=5)  # a send still `sending` after this lost its worker
ENQUEUE_LEASE = timedelta(minutes=10)  # a handed-over delivery not claimed by then lost its job (Redis flushed)


@dataclass
class RelayPass:
    """What one pass did, for the CLI and the logs."""

    events: int = 0
    created: Counter = field(default_factory=Counter)
    released: int = 0  # sends stuck in `sending` past the timeout, queued again
    held: int = 0  # SMS moved past the customer's quiet window
    enqueued: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        """One line: what came in and what went out."""
        created = ", ".join(f"{n} {status}" for status, n in sorted(self.created.items())) or "none"
        enqueued = ", ".join(f"{n} {channel}" for channel, n in sorted(self.enqueued.items())) or "none"
        return (f"{self.events} outbox events; deliveries created: {created}; {self.released} stuck sends released; "
                f"{self.held} held for quiet hours; enqueued: {enqueued}.")


def relay_once(now: datetime | None = None) -> RelayPass:
    """One pass: expand every unprocessed outbox row, release stuck sends, enqueue what is due; returns counts."""
    now = now or utcnow()
    done = RelayPass()
    # Counts are added only after a commit: run_in_transaction may run a step again after a deadlock.
    while True:
        events, created = run_in_transaction(lambda: _expand_batch(now))
        done.events += events
        for status, count in created.items():
            done.created[status] += count
        if events < OUTBOX_BATCH:
            break
    done.released = run_in_transaction(lambda: _release_stuck(now))
    while True:
        due, held, claimed = run_in_transaction(lambda: _claim_due(now))
        done.held += held
        _enqueue(due, done)
        if claimed < DUE_BATCH:  # held and leased rows are no longer due, so each round takes new ones
            return done


def _expand_batch(now: datetime) -> tuple[int, Counter]:
    """Claim a batch of outbox rows, write their deliveries and mark them processed, in one transaction."""
    events = db.session.execute(select(OutboxEvent).where(OutboxEvent.processed_at.is_(None))
                                .order_by(OutboxEvent.id).limit(OUTBOX_BATCH)
                                .with_for_update(skip_locked=True)).scalars().all()
    created = Counter()
    for event in events:
        created.update(insert_new(expand(event)))
    if events:
        db.session.execute(update(OutboxEvent).where(OutboxEvent.id.in_([e.id for e in events]))
                           .values(processed_at=now))
    return len(events), created


def _release_stuck(now: datetime) -> int:
    """A send whose worker died stays `sending`: after the timeout it is queued again, due at once."""
    return db.session.execute(update(Delivery).where(
        Delivery.status == SENDING, Delivery.sending_since < now - SENDING_TIMEOUT,
    ).values(status=QUEUED, next_attempt_at=None, sending_since=None, updated_at=utcnow())).rowcount


def _claim_due(now: datetime) -> tuple[dict[str, list[int]], int, int]:
    """Queued deliveries due now: SMS inside a quiet window are held; the rest get a lease and are returned."""
    rows = db.session.execute(select(Delivery.id, Delivery.channel, Delivery.customer_id).where(
        Delivery.status == QUEUED, or_(Delivery.next_attempt_at.is_(None), Delivery.next_attempt_at <= now),
    ).order_by(Delivery.id).limit(DUE_BATCH).with_for_update(skip_locked=True)).all()
    sms_customers = {row.customer_id for row in rows if row.channel == SMS}
    quiet = {q.customer_id: q for q in db.session.execute(
        select(QuietHours).where(QuietHours.customer_id.in_(sms_customers))).scalars()} if sms_customers else {}
    due, held = defaultdict(list), defaultdict(list)
    for row in rows:
        until = quiet_until(quiet.get(row.customer_id), now) if row.channel == SMS else None
        (held[until] if until else due[row.channel]).append(row.id)
    for until, ids in held.items():
        db.session.execute(update(Delivery).where(Delivery.id.in_(ids)).values(
            next_attempt_at=until, reason=f"held for the customer's quiet hours until {until:%Y-%m-%d %H:%M} UTC"))
    lease = now + ENQUEUE_LEASE
    for ids in due.values():
        db.session.execute(update(Delivery).where(Delivery.id.in_(ids)).values(next_attempt_at=lease))
    return dict(due), sum(len(ids) for ids in held.values()), len(rows)


def _enqueue(due: dict[str, list[int]], done: RelayPass) -> None:
    """One sender job per batch of deliveries on the channel's own queue (after the lease is committed)."""
    from app.notifications.jobs import send_email_batch_job, send_sms_batch_job  # jobs import this module

    senders = {EMAIL: send_email_batch_job, SMS: send_sms_batch_job}
    for channel, ids in due.items():
        for start in range(0, len(ids), JOB_BATCH):
            enqueue(channel, senders[channel], ids[start:start + JOB_BATCH], timeout=600)
        done.enqueued[channel] += len(ids)
