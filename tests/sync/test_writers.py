"""The sync's page writers: threads with their own connections on PostgreSQL, the reading thread on SQLite."""
import threading
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from app.extensions import db
from app.platforms.megaphone.client import CampaignPage
from app.platforms.megaphone.records import PlatformCampaign
from app.redis_client import get_redis
from app.sync.engine import CampaignSync
from app.sync.lock import LockLost, SyncLock
from app.sync.models import SyncRun
from app.sync.writers import InlineWriter, ThreadedWriters
from tests.sync.helpers import local_campaigns

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def _campaign(n: int) -> PlatformCampaign:
    return PlatformCampaign(f"c-{n:05d}", f"Campaign {n}", "Acme Coffee", date(2026, 3, 1), None, "active",
                            Decimal("100.00"), T0, T0)


def _running_sync(connection) -> tuple[CampaignSync, SyncRun, SyncLock]:
    run = SyncRun(connection_id=connection.id, customer_id=connection.customer_id, trigger="cli", status="running")
    db.session.add(run)
    db.session.commit()
    lock = SyncLock(get_redis(), connection.id, run.id, ttl_seconds=60)
    assert lock.acquire()
    return CampaignSync(run.id, connection, client=None, lock=lock), run, lock


def test_pages_are_written_by_threads_on_postgresql_and_inline_on_sqlite(connection):
    sync, _, lock = _running_sync(connection)

    writers = sync.page_writers(first=True)

    expected = ThreadedWriters if db.engine.dialect.name == "postgresql" else InlineWriter
    assert isinstance(writers, expected)
    lock.release()


def test_pages_sharing_campaigns_written_at_once_neither_deadlock_nor_count_twice(connection):
    # Each page shares half its campaigns with the next, listed in the opposite order, as when
    # the platform's list moves between two page reads: two writers then want the same rows.
    pages = []
    for n in range(30):
        keys = range(n * 50, n * 50 + 100)
        pages.append([_campaign(k) for k in (reversed(keys) if n % 2 else keys)])
    sync, run, lock = _running_sync(connection)

    with sync.page_writers(first=True) as writers:
        for number, campaigns in enumerate(pages, start=1):
            writers.submit(CampaignPage(number, campaigns, invalid=[(None, "broken")], total=None))
    lock.release()

    db.session.refresh(run)
    distinct = 29 * 50 + 100
    assert len(local_campaigns(connection)) == distinct
    # The run row holds exactly what the committed pages added, whichever committed first.
    assert (run.pages, run.inserted, run.updated, run.skipped_invalid) == (30, distinct, 0, 30)
    assert run.unchanged == 30 * 100 - distinct


def test_a_writer_error_stops_the_reading_and_is_raised_there(connection):
    sync, run, lock = _running_sync(connection)
    lock.release()  # renewing a lock we no longer hold fails the first page's commit
    submitted = []

    with pytest.raises(LockLost):
        with sync.page_writers(first=True) as writers:
            for number in range(1, 50):
                writers.submit(CampaignPage(number, [_campaign(number)], invalid=[], total=None))
                submitted.append(number)

    assert len(submitted) < 49  # the reading stopped early instead of handing over every page
    db.session.refresh(run)
    assert run.pages == 0 and not local_campaigns(connection)
    assert not [t for t in threading.enumerate() if t.name.startswith("sync-writer")]  # every writer ended
