"""Periodic jobs for RQ's cron scheduler:  rq cron --url "$REDIS_URL" app.sync.schedule

The one schedule of the app: the due-syncs check and the notification relay.

The scheduler only enqueues; a worker runs each job inside its app context. Starting two
schedulers by mistake enqueues the job twice, which is harmless: request_sync hands back the
connection's waiting run instead of queueing a second, and the per-connection lock lets one
sync run at a time.
"""
from dataclasses import dataclass

from rq import cron

from app.notifications.jobs import relay_job
from app.queues import DEFAULT
from app.sync.jobs import request_due_syncs_job


@dataclass(frozen=True)
class PeriodicJob:
    """One entry of the schedule: a stable name, the function, its queue and a cron expression."""

    name: str
    func: object
    queue: str
    cron: str | None
    timeout: int
    interval: int | None = None  # seconds, for jobs more frequent than cron's one minute


# On the default queue, not `sync`: a long sync must not hold up the next minute's check.
PERIODIC_JOBS = (
    PeriodicJob("sync.request_due_syncs", request_due_syncs_job, DEFAULT, "* * * * *", timeout=120),
    # Every few seconds, so an order's email leaves about as fast as the page answers; a pass is cheap when idle.
    PeriodicJob("notifications.relay", relay_job, DEFAULT, None, timeout=120, interval=5),
)

for job in PERIODIC_JOBS:
    # ttl: a check that waited over two minutes for a worker is dropped; the next minute brings a fresh one.
    cron.register(job.func, job.queue, cron=job.cron, interval=job.interval, name=job.name, job_timeout=job.timeout,
                  ttl=120, result_ttl=600, failure_ttl=86_400)
