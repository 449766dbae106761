"""Running one queued sync under the connection's lock, to its final status; also its RQ job."""
import logging

from flask import current_app

from app.extensions import db
from app.platforms.megaphone.errors import PlatformError
from app.platforms.models import PlatformConnection
from app.platforms.services import client_for
from app.redis_client import get_redis
from app.sync.engine import CampaignSync
from app.sync.lock import LockLost, SyncLock, lock_holder
from app.sync.models import SyncRun
from app.sync.runs import fail_abandoned_runs, finish_run, start_run

logger = logging.getLogger("oms.sync")
UNEXPECTED = "The sync stopped on an unexpected error; the details are in the worker's log."


def run_sync_job(run_id: int) -> str | None:
    """The RQ job of a queued run (worker.py runs it in its app context); returns the final status."""
    run = run_sync(run_id)
    return run.status if run else None


def run_sync(run_id: int) -> SyncRun | None:
    """Execute a queued run under its connection's lock; a run that is no longer queued is left alone."""
    run = db.session.get(SyncRun, run_id)
    if run is None or run.status != "queued":
        return run
    connection = run.connection
    fail_abandoned_runs(connection.id, except_run_id=run.id)
    lock = SyncLock(get_redis(), connection.id, run.id, current_app.config["SYNC_LOCK_TTL_SECONDS"])
    if not lock.acquire():
        holder = lock_holder(get_redis(), connection.id)
        finish_run(run.id, "skipped", f"Another sync of this connection is running (run #{holder}).",
                   from_status="queued")
        return reloaded(run)
    try:
        if start_run(run.id):
            _execute(run.id, connection, lock)
    finally:
        lock.release()
    return reloaded(run)


def _execute(run_id: int, connection: PlatformConnection, lock: SyncLock) -> None:
    try:
        CampaignSync(run_id, connection, client_for(connection), lock).execute()
    except (PlatformError, LockLost) as error:
        db.session.rollback()
        finish_run(run_id, "failed", error.message)
    except Exception:
        db.session.rollback()
        logger.exception("sync run %s failed", run_id)
        finish_run(run_id, "failed", UNEXPECTED)
    else:
        finish_run(run_id, "succeeded", None)


def reloaded(run: SyncRun) -> SyncRun:
    """The run as the database has it now (another process may have moved it)."""
    db.session.expire_all()
    return db.session.get(SyncRun, run.id)
