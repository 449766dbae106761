"""Sync runs: asking for one (deduplicated and queued), the due ones, and running one in this process."""
import logging
import time
from datetime import timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.common.errors import ValidationError
from app.common.models import as_utc, utcnow
from app.customers.models import Customer
from app.extensions import db
from app.platforms.models import PlatformConnection
from app.queues import SYNC, enqueue
from app.sync.execution import reloaded, run_sync, run_sync_job
from app.sync.models import TRIGGERS, SyncRun
from app.sync.runs import active_run, fail_abandoned_runs, finish_run

logger = logging.getLogger("oms.sync")
# The scheduler ticks once a minute; without this slack a 60-minute interval would drift to 61.
SCHEDULE_SLACK = timedelta(seconds=30)


def request_sync(connection_id: int, trigger: str, *, enqueue_job: bool = True) -> SyncRun:
    """Queue a sync of the connection, or return the run already queued or running for it."""
    if trigger not in TRIGGERS:
        raise ValueError(f"unknown trigger {trigger!r}")
    connection = db.session.get(PlatformConnection, connection_id)
    if connection is None:
        raise ValidationError("That platform connection does not exist.")
    fail_abandoned_runs(connection_id)
    existing = active_run(connection_id)
    if existing is not None:
        return existing
    run = SyncRun(connection_id=connection.id, customer_id=connection.customer_id, trigger=trigger, status="queued")
    db.session.add(run)
    try:
        db.session.flush()
        run.job_id = f"sync-run-{run.id}" if enqueue_job else None
        db.session.commit()
    except IntegrityError:
        # Another request queued one between our check and our insert: the unique index kept one.
        db.session.rollback()
        existing = active_run(connection_id)
        if existing is None:
            raise
        return existing
    if enqueue_job:
        _enqueue(run)
    return run


def _enqueue(run: SyncRun) -> None:
    try:
        enqueue(SYNC, run_sync_job, run.id, job_id=run.job_id, timeout=current_app.config["SYNC_JOB_TIMEOUT_SECONDS"])
    except Exception:
        logger.exception("could not enqueue sync run %s", run.id)
        finish_run(run.id, "failed", "Could not queue the sync: the job queue (Redis) did not answer. "
                                     "Try again in a minute.", from_status="queued")
        db.session.refresh(run)


def request_all_syncs(trigger: str) -> tuple[list[SyncRun], list[SyncRun]]:
    """Queue a sync of every enabled connection: (runs queued or already under way, runs that could not be queued)."""
    runs = [request_sync(connection.id, trigger) for connection in connections_to_sync()]
    return [r for r in runs if r.status != "failed"], [r for r in runs if r.status == "failed"]


def request_due_syncs(trigger: str = "schedule") -> list[SyncRun]:
    """Queue a sync for every enabled connection whose interval has passed since its last start."""
    fail_abandoned_runs()
    now = utcnow()
    connections = db.session.execute(
        select(PlatformConnection).join(Customer, PlatformConnection.customer_id == Customer.id)
        .where(PlatformConnection.sync_enabled.is_(True), Customer.archived_at.is_(None))
        .order_by(PlatformConnection.id)
    ).scalars().all()
    runs = []
    for connection in connections:
        last = as_utc(connection.last_sync_started_at)
        if last is None or last + timedelta(minutes=connection.sync_interval_minutes) - SCHEDULE_SLACK <= now:
            runs.append(request_sync(connection.id, trigger))
    return runs


def sync_connection(connection_id: int, trigger: str = "cli", poll_seconds: float = 1.0) -> SyncRun:
    """Sync now in this process (no worker needed), or wait for the run already under way; returns it finished."""
    run = request_sync(connection_id, trigger, enqueue_job=False)
    if run.status == "queued":
        run = run_sync(run.id)
    while not run.is_finished:
        time.sleep(poll_seconds)
        fail_abandoned_runs(connection_id)
        run = reloaded(run)
    return run


def connections_to_sync(customer_code: str | None = None) -> list[PlatformConnection]:
    """The connections `sync run` covers: the customer's (enabled or not), else every enabled one of a live customer."""
    stmt = select(PlatformConnection).order_by(PlatformConnection.id)  # customer and platform load joined
    if customer_code:
        customer = db.session.execute(select(Customer).where(Customer.code == customer_code.strip().upper())).scalar()
        if customer is None:
            raise ValidationError(f"No customer has the code {customer_code!r}.")
        connections = db.session.execute(stmt.where(PlatformConnection.customer_id == customer.id)).scalars().all()
        if not connections:
            raise ValidationError(f"Customer {customer.code} has no platform connection; add one with "
                                  "`flask platforms connect`.")
        return connections
    return db.session.execute(stmt.join(Customer, PlatformConnection.customer_id == Customer.id).where(
        PlatformConnection.sync_enabled.is_(True), Customer.archived_at.is_(None))).scalars().all()
