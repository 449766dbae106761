"""kill -9 of a real `python worker.py sync` mid-sync: the rerun fails the abandoned run and converges."""
import os
import subprocess
import sys

from app.common.models import as_utc, utcnow
from app.redis_client import get_redis
from app.sync import services
from app.sync.lock import lock_key
from tests.processes import ROOT, kill_9
from tests.sync.helpers import LOCK_TTL_SECONDS, assert_matches_platform, run_worker, runs
from tests.waiting import wait_until


def _start_worker(app, simulator, log_path):
    env = {**os.environ, "OMS_ENV": "test", "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "REDIS_URL": app.config["REDIS_URL"], "MEGAPHONE_BASE_URL": simulator.api_url,
           "SYNC_LOCK_TTL_SECONDS": str(LOCK_TTL_SECONDS)}
    with open(log_path, "wb") as log:
        return subprocess.Popen([sys.executable, "worker.py", "sync"], cwd=ROOT, env=env,
                                stdout=log, stderr=subprocess.STDOUT)


def test_kill_9_of_the_worker_mid_sync_then_a_rerun_gives_exactly_the_platforms_state(app, simulator, connection, tmp_path):
    simulator.seed(2500, invalid=3)
    services.sync_connection(connection.id)  # a first load, so the killed run is mid-way through a re-sync
    simulator.mutate(update=40, delete=25, create=30)
    simulator.set_faults(latency_ms=200)
    abandoned = services.request_sync(connection.id, "manual")
    worker = _start_worker(app, simulator, tmp_path / "worker.log")
    try:
        wait_until(lambda: runs()[-1].pages >= 2, 30, "two pages to land")
    finally:
        kill_9(worker)
    mid_way = runs()[-1]
    assert mid_way.status == "running" and 2 <= mid_way.pages < 6 and mid_way.marked_deleted == 0

    simulator.set_faults(latency_ms=0)
    # Nobody renews the dead run's lock or heartbeat: both run out after the lock's lifetime.
    wait_until(lambda: not get_redis().exists(lock_key(connection.id))
               and (utcnow() - as_utc(runs()[-1].heartbeat_at)).total_seconds() > LOCK_TTL_SECONDS, 30, "the lock to expire")
    rerun = services.request_sync(connection.id, "manual")
    run_worker("sync")

    dead, done = runs()[-2:]
    assert dead.id == abandoned.id and dead.status == "failed"
    assert dead.error.startswith("The worker running this sync stopped without finishing")
    assert done.id == rerun.id and done.status == "succeeded", done.error
    assert done.marked_deleted == 25
    assert_matches_platform(connection, simulator)
