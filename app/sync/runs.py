"""A sync run's status changes, each a conditional update so two processes never both move one run."""
from datetime import timedelta

from flask import current_app
from redis.exceptions import RedisError
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from sqlalchemy import and_, func, or_, select, update

from app.common.models import as_utc, utcnow
from app.extensions import db
from app.platforms.models import PlatformConnection
from app.redis_client import get_redis
from app.sync.lock import lock_holder
from app.sync.models import SyncRun

ACTIVE = ("queued", "running")
WAITING_JOB_STATUSES = (JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED)


def active_run(connection_id: int) -> SyncRun | None:
    """The connection's queued or running run, if any."""
    return db.session.execute(
        select(SyncRun).where(SyncRun.connection_id == connection_id, SyncRun.status.in_(ACTIVE))
        .order_by(SyncRun.id).limit(1)
    ).scalar_one_or_none()


def start_run(run_id: int) -> bool:
    """Move a queued run to running (False if another process got there first) and stamp the connection."""
    now = utcnow()
    claimed = db.session.execute(
        update(SyncRun).where(SyncRun.id == run_id, SyncRun.status == "queued")
        .values(status="running", started_at=now, heartbeat_at=now, updated_at=now)
    ).rowcount
    if claimed:
        db.session.execute(update(PlatformConnection).where(PlatformConnection.id == _connection_of(run_id))
                           .values(last_sync_started_at=now))
    db.session.commit()
    return bool(claimed)


def finish_run(run_id: int, status: str, error: str | None, from_status: str = "running") -> bool:
    """End a run with its final status and error, if it is still in from_status."""
    now = utcnow()
    finished = db.session.execute(
        update(SyncRun).where(SyncRun.id == run_id, SyncRun.status == from_status)
        .values(status=status, error=error, finished_at=now, heartbeat_at=now, updated_at=now)
    ).rowcount
    if finished and status == "succeeded":
        db.session.execute(update(PlatformConnection).where(PlatformConnection.id == _connection_of(run_id))
                           .values(last_synced_at=now))
    db.session.commit()
    return bool(finished)


def _connection_of(run_id: int):
    return select(SyncRun.connection_id).where(SyncRun.id == run_id).scalar_subquery()


def _job_still_waiting(job_id: str | None) -> bool:
    """Whether the run's RQ job is still waiting in its queue for a worker."""
    if not job_id:
        return False
    try:
        return Job.fetch(job_id, connection=get_redis()).get_status() in WAITING_JOB_STATUSES
    except NoSuchJobError:
        return False


def fail_abandoned_runs(connection_id: int | None = None, except_run_id: int | None = None) -> int:
    """Mark failed the runs whose worker died: no heartbeat for a lock's lifetime and no lock held."""
    cutoff = utcnow() - timedelta(seconds=current_app.config["SYNC_LOCK_TTL_SECONDS"])
    last_sign = func.coalesce(SyncRun.heartbeat_at, SyncRun.started_at, SyncRun.created_at)
    stale = or_(and_(SyncRun.status == "running", last_sign < cutoff),
                and_(SyncRun.status == "queued", SyncRun.created_at < cutoff))
    stmt = select(SyncRun.id, SyncRun.connection_id, SyncRun.status, SyncRun.job_id, last_sign.label("seen")).where(stale)
    if connection_id is not None:
        stmt = stmt.where(SyncRun.connection_id == connection_id)
    failed = 0
    for run in db.session.execute(stmt).all():
        try:
            if run.id == except_run_id or lock_holder(get_redis(), run.connection_id) == run.id:
                continue
            if run.status == "queued" and _job_still_waiting(run.job_id):
                continue
        except RedisError:
            return failed  # without Redis we cannot tell a dead run from a live one
        failed += _fail_stale(run, cutoff, last_sign)
    return failed


def _fail_stale(run, cutoff, last_sign) -> int:
    seen = as_utc(run.seen).strftime("%Y-%m-%d %H:%M:%S UTC")
    if run.status == "running":
        message = (f"The worker running this sync stopped without finishing (last progress {seen}). "
                   "Nothing was marked deleted; the next sync carries on from the platform's current state.")
    else:
        message = (f"This sync was queued at {seen} but its job was lost before it started "
                   "(the worker stopped or the queue was cleared). Start a new sync.")
    result = db.session.execute(
        update(SyncRun).where(SyncRun.id == run.id, SyncRun.status == run.status, last_sign < cutoff)
        .values(status="failed", error=message, finished_at=utcnow(), updated_at=utcnow())
    )
    db.session.commit()
    return result.rowcount
