"""The three campaign writers the sync benchmark compares, and the row-version counter it checks them with."""
import time

from sqlalchemy import select, text

from app.campaigns.models import Campaign
from app.common.models import utcnow
from app.customers.services import create_customer, find_customer_by_code
from app.extensions import db
from app.platforms import services as platform_services
from app.platforms.megaphone.client import CampaignPage
from app.redis_client import get_redis
from app.sync import services as sync_services
from app.sync.engine import CampaignSync
from app.sync.lock import SyncLock
from app.sync.models import SyncRun
from app.sync.upsert import KEY_COLUMNS, PLATFORM_COLUMNS, campaign_row

BENCH_CUSTOMER = "BENCH"


def bench_connection(org: str = "bench", token: str = "bench-token"):
    """The benchmark customer's connection to the simulator organization (created once)."""
    customer = find_customer_by_code(BENCH_CUSTOMER) or create_customer(BENCH_CUSTOMER, "Benchmark customer")
    platform = platform_services.find_platform("megaphone")
    return (platform_services.find_connection(customer.id, platform.id)
            or platform_services.save_connection(customer, platform, org, token, interval_minutes=60))


def row_versions() -> dict[int, tuple[str, str]]:
    """Each campaign row's (xmin, xmax): xmin changes when PostgreSQL writes a new row version,
    xmax when it locks the row (ON CONFLICT DO UPDATE locks a conflicting row even if it updates nothing)."""
    return {row.id: (row.xmin, row.xmax) for row in
            db.session.execute(text("SELECT id, xmin::text AS xmin, xmax::text AS xmax FROM campaigns"))}


def rows_written(before: dict) -> tuple[int, int]:
    """(rows inserted or rewritten, rows only locked) since `before`."""
    written = locked = 0
    for row_id, (xmin, xmax) in row_versions().items():
        old = before.get(row_id)
        if old is None or old[0] != xmin:
            written += 1
        elif old[1] != xmax:
            locked += 1
    return written, locked


class SyncWriter:
    """The sync's own write path: its page writers (threads on PostgreSQL), each page one upsert,
    the run row's progress and one commit."""

    def write(self, pages: list) -> None:
        connection = bench_connection()
        run = SyncRun(connection_id=connection.id, customer_id=connection.customer_id, trigger="cli", status="running")
        db.session.add(run)
        db.session.commit()
        lock = SyncLock(get_redis(), connection.id, run.id, ttl_seconds=600)
        assert lock.acquire(), "another sync holds the benchmark connection's lock"
        try:
            sync = CampaignSync(run.id, connection, client=None, lock=lock)
            with sync.page_writers(first=True) as writers:
                for number, campaigns in enumerate(pages, start=1):
                    writers.submit(CampaignPage(number, campaigns, invalid=[], total=None))
        finally:
            lock.release()


class NaiveWriter:
    """Per-row ORM upsert: SELECT by key, then INSERT or set attributes; commit per page."""

    def write(self, pages: list) -> None:
        connection = bench_connection()
        for page in pages:
            now = utcnow()
            for campaign in page:
                row = campaign_row(connection.customer_id, connection.platform_id, campaign, now)
                existing = db.session.execute(select(Campaign).where(
                    *(getattr(Campaign, name) == row[name] for name in KEY_COLUMNS))).scalar_one_or_none()
                if existing is None:
                    db.session.add(Campaign(**row))
                else:
                    for name in PLATFORM_COLUMNS:  # the ORM writes only attributes whose value changed
                        setattr(existing, name, row[name])
            db.session.commit()


COLUMNS = list(KEY_COLUMNS) + list(PLATFORM_COLUMNS) + ["sync_state", "last_synced_at", "created_at", "updated_at"]
DIFFERS = " OR ".join(f"campaigns.{c} IS DISTINCT FROM excluded.{c}" for c in PLATFORM_COLUMNS)
MERGE = (f"INSERT INTO campaigns ({', '.join(COLUMNS)}) SELECT {', '.join(COLUMNS)} FROM campaign_load "
         f"ON CONFLICT ({', '.join(KEY_COLUMNS)}) DO UPDATE SET "
         + ", ".join(f"{c} = excluded.{c}" for c in PLATFORM_COLUMNS + ("last_synced_at", "updated_at"))
         + f" WHERE campaigns.archived_at IS NULL AND ({DIFFERS} OR campaigns.sync_state <> 'synced')")


class CopyMergeWriter:
    """COPY every row into a temp table, then one INSERT … SELECT … ON CONFLICT merge; one commit."""

    def write(self, pages: list) -> None:
        connection = bench_connection()
        now = utcnow()
        raw = db.engine.raw_connection()
        try:
            with raw.cursor() as cursor:
                cursor.execute(f"CREATE TEMP TABLE campaign_load ON COMMIT DROP AS "
                               f"SELECT {', '.join(COLUMNS)} FROM campaigns WITH NO DATA")
                with cursor.copy(f"COPY campaign_load ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                    for page in pages:
                        for campaign in page:
                            row = campaign_row(connection.customer_id, connection.platform_id, campaign, now)
                            copy.write_row([row[name] for name in COLUMNS])
                cursor.execute(MERGE)
            raw.commit()
        finally:
            raw.close()


WRITERS = {"sync": SyncWriter, "naive": NaiveWriter, "copy": CopyMergeWriter}


def end_to_end(store, org: str, count: int) -> dict:
    """Two real sync runs through the simulator over HTTP: a first load, then a re-sync after 1% changed."""
    db.session.execute(text("TRUNCATE campaigns, sync_runs RESTART IDENTITY CASCADE"))
    db.session.commit()
    connection_id = bench_connection().id
    figures = {}
    for phase in ("first load", "1% changed"):
        if phase == "1% changed":
            store.mutate(org, {"update": count // 100})
        started = time.perf_counter()
        run = sync_services.sync_connection(connection_id, "cli")
        assert run.status == "succeeded", run.error
        figures[phase] = {"seconds": time.perf_counter() - started, "pages": run.pages,
                          "inserted": run.inserted, "updated": run.updated, "unchanged": run.unchanged}
    return figures
