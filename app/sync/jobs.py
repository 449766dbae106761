"""The sync's periodic RQ job: a thin wrapper over the services, run by worker.py inside its app context.

run_sync_job, which the services queue, lives in execution.py beside run_sync, so imports only go down.
The job functions live here, not in schedule.py: `rq cron` loads that file afresh as its own module.
"""
from app.sync.services import request_due_syncs


def request_due_syncs_job() -> list[int]:
    """The scheduler's periodic job: queue the due sync of every enabled connection; returns the run ids."""
    return [run.id for run in request_due_syncs("schedule")]
