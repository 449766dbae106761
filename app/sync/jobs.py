"""RQ jobs of the sync: thin wrappers that run the services inside an app context."""
from contextlib import contextmanager

from flask import has_app_context

from app.sync import services


@contextmanager
def _app_context():
    """The worker's app context when there is one (worker.py pushes it), else a freshly built app's."""
    if has_app_context():
        yield
        return
    from app import create_app

    with create_app().app_context():
        yield


def run_sync_job(run_id: int) -> str | None:
    """Execute one queued sync run; returns its final status."""
    with _app_context():
        run = services.run_sync(run_id)
        return run.status if run else None


def request_due_syncs_job() -> list[int]:
    """The scheduler's periodic job: queue the due sync of every enabled connection; returns the run ids."""
    with _app_context():
        return [run.id for run in services.request_due_syncs("schedule")]
