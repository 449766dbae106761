"""Sync runs as jobs: queued on Redis and run by a real worker, one at a time per connection."""
import threading
from datetime import timedelta

from rq.job import Job

from app.common.models import utcnow
from app.extensions import db
from app.queues import SYNC, get_queue
from app.redis_client import get_redis
from app.sync import services
from app.sync.lock import LockLost, lock_key
from app.sync.models import SyncRun
from tests.sync.helpers import assert_matches_platform, run_worker, runs
from tests.waiting import wait_until


def test_sync_now_is_queued_on_redis_and_run_by_a_worker(simulator, connection):
    simulator.seed(800)

    run = services.request_sync(connection.id, "manual")

    assert (run.status, run.trigger, run.job_id) == ("queued", "manual", f"sync-run-{run.id}")
    assert get_queue(SYNC).job_ids == [run.job_id]
    run_worker(SYNC)
    [done] = runs()
    assert done.status == "succeeded" and done.inserted == 800
    assert Job.fetch(done.job_id, connection=get_redis()).return_value() == "succeeded"
    assert_matches_platform(connection, simulator)


def test_asking_again_returns_the_run_already_waiting(simulator, connection):
    first = services.request_sync(connection.id, "manual")
    second = services.request_sync(connection.id, "schedule")

    assert second.id == first.id
    assert get_queue(SYNC).count == 1


def test_simultaneous_requests_queue_a_single_run(app, simulator, connection):
    ids, barrier, connection_id = [], threading.Barrier(6), connection.id

    def ask():
        with app.app_context():
            barrier.wait()
            ids.append(services.request_sync(connection_id, "manual").id)
            db.session.remove()

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(ids) == 6 and len(set(ids)) == 1
    assert len(runs()) == 1 and get_queue(SYNC).count == 1


def test_two_concurrent_syncs_of_one_connection_one_runs_and_the_other_is_skipped(app, simulator, connection):
    simulator.seed(1200)
    simulator.set_faults(latency_ms=150)
    first = services.request_sync(connection.id, "manual", enqueue_job=False)
    worker = threading.Thread(target=_run_in_thread, args=(app, first.id))
    worker.start()
    wait_until(lambda: runs()[0].status == "running", 20, "the first run to start")

    # A second click while it runs is handed the running one.
    assert services.request_sync(connection.id, "manual").id == first.id
    # Had a second run slipped past that check (two requests racing the first run's start),
    # the lock still keeps it from running alongside.
    second = SyncRun(connection_id=connection.id, customer_id=connection.customer_id, trigger="schedule", status="queued")
    db.session.add(second)
    db.session.commit()
    skipped = services.run_sync(second.id)
    worker.join()

    assert skipped.status == "skipped"
    assert skipped.error == f"Another sync of this connection is running (run #{first.id})."
    assert skipped.finished_at is not None and skipped.pages == 0
    assert runs()[0].status == "succeeded"
    assert_matches_platform(connection, simulator)


def _run_in_thread(app, run_id):
    with app.app_context():
        services.run_sync(run_id)
        db.session.remove()


def test_a_run_that_loses_its_lock_stops_and_marks_nothing(app, simulator, connection):
    simulator.seed(1600)
    services.sync_connection(connection.id)
    simulator.mutate(delete=100)
    simulator.set_faults(latency_ms=150)
    run = services.request_sync(connection.id, "manual", enqueue_job=False)
    worker = threading.Thread(target=_run_in_thread, args=(app, run.id))
    worker.start()
    wait_until(lambda: runs()[-1].pages >= 1, 20, "a first page to land")

    # As if this worker stalled past the lock's expiry and another run took the lock over.
    get_redis().set(lock_key(connection.id), "999:another-run")
    worker.join()

    lost = runs()[-1]
    assert lost.status == "failed" and lost.error == LockLost.message
    assert lost.marked_deleted == 0
    assert get_redis().get(lock_key(connection.id)) == b"999:another-run"  # not ours to release


def test_abandoned_runs_are_failed_by_the_next_request(simulator, connection):
    long_ago = utcnow() - timedelta(minutes=10)
    dead = SyncRun(connection_id=connection.id, customer_id=connection.customer_id, trigger="schedule",
                   status="running", started_at=long_ago, heartbeat_at=long_ago, pages=3, inserted=1500)
    db.session.add(dead)
    db.session.commit()

    fresh = services.request_sync(connection.id, "manual")

    db.session.refresh(dead)
    assert fresh.id != dead.id and fresh.status == "queued"
    assert dead.status == "failed" and dead.finished_at is not None
    assert dead.error.startswith("The worker running this sync stopped without finishing (last progress ")


def test_a_queued_run_whose_job_was_lost_is_failed_and_replaced(simulator, connection):
    lost = services.request_sync(connection.id, "schedule")
    get_redis().flushdb()  # the queue lost its job
    db.session.execute(SyncRun.__table__.update().values(created_at=utcnow() - timedelta(minutes=5)))
    db.session.commit()

    fresh = services.request_sync(connection.id, "manual")

    db.session.refresh(lost)
    assert fresh.id != lost.id
    assert lost.status == "failed" and "its job was lost before it started" in lost.error


def test_a_live_run_is_not_failed_just_because_it_is_slow(simulator, connection):
    run = services.request_sync(connection.id, "manual", enqueue_job=False)
    db.session.execute(SyncRun.__table__.update().values(
        status="running", heartbeat_at=utcnow() - timedelta(minutes=10)))
    db.session.commit()
    get_redis().set(lock_key(connection.id), f"{run.id}:token", px=60_000)  # its holder still renews it

    assert services.request_sync(connection.id, "manual").id == run.id
    db.session.refresh(run)
    assert run.status == "running"
