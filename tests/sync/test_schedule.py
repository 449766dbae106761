"""The schedule: RQ cron enqueues the due-syncs check; only due, enabled connections get a run, once."""
from datetime import timedelta

from rq.cron import CronScheduler

from app.common.models import utcnow
from app.extensions import db
from app.notifications.jobs import relay_job
from app.queues import DEFAULT, SYNC, get_queue
from app.redis_client import get_redis
from app.sync import services
from app.sync.jobs import request_due_syncs_job
from tests.sync.helpers import run_worker, runs


def _connect(factory, simulator, code, interval=60, enabled=True, started_minutes_ago=None):
    connection = factory.connection(simulator, code, interval_minutes=interval, sync_enabled=enabled).connection
    if started_minutes_ago is not None:
        connection.last_sync_started_at = utcnow() - timedelta(minutes=started_minutes_ago)
        db.session.commit()
    return connection


def test_due_enabled_connections_get_one_queued_run_each(sync_app, simulator, factory):
    never = _connect(factory, simulator, "NEVER")
    overdue = _connect(factory, simulator, "OVERDUE", interval=30, started_minutes_ago=31)
    _connect(factory, simulator, "RECENT", interval=60, started_minutes_ago=10)
    _connect(factory, simulator, "OFF", enabled=False)

    queued = services.request_due_syncs()
    again = services.request_due_syncs()

    assert sorted(r.connection_id for r in queued) == sorted([never.id, overdue.id])
    assert [r.id for r in again] == [r.id for r in queued]  # still waiting: handed back, not queued twice
    assert all(r.trigger == "schedule" and r.status == "queued" for r in runs())
    assert get_queue(SYNC).count == 2


def _scheduler() -> CronScheduler:
    """A scheduler loaded from the project's schedule module, as `rq cron app.sync.schedule` does."""
    scheduler = CronScheduler(connection=get_redis())
    scheduler.load_config_from_file("app.sync.schedule")
    return scheduler


def test_the_schedule_module_registers_the_due_syncs_check_every_minute_and_the_relay_every_5_seconds(app):
    jobs = _scheduler().get_jobs()

    assert [(job.func, job.queue_name, job.cron, job.interval) for job in jobs] == [
        (request_due_syncs_job, DEFAULT, "* * * * *", None), (relay_job, DEFAULT, None, 5)]


def test_two_schedulers_started_by_mistake_produce_one_sync(sync_app, simulator, factory):
    simulator.seed(300)
    connection = _connect(factory, simulator, "ACME")
    first, second = _scheduler(), _scheduler()
    for scheduler in (first, second):
        for job in scheduler.get_jobs():
            job.enqueue(get_redis())  # both fire for the same minute
    assert get_queue(DEFAULT).count == 4  # each: the due-syncs check and the relay

    run_worker(DEFAULT)
    run_worker(SYNC)

    [run] = runs()
    assert (run.connection_id, run.trigger, run.status, run.inserted) == (connection.id, "schedule", "succeeded", 300)
    for job in first.get_jobs():
        job.enqueue(get_redis())  # the next minute: just synced, so not due
    run_worker(DEFAULT, SYNC)
    assert len(runs()) == 1
