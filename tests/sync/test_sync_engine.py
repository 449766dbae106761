"""The sync against the simulator over real HTTP: loads, no-op re-syncs, platform changes, faults."""
import threading
from datetime import date

from sqlalchemy import text

from app.campaigns.models import Campaign
from app.common.models import utcnow
from app.extensions import db
from app.sync import services
from tests.sync.helpers import assert_matches_platform, local_campaigns, runs
from tests.waiting import wait_until


def sync(connection):
    """One complete sync in this process (the CLI's --wait path)."""
    return services.sync_connection(connection.id, "cli")


def test_first_load_stores_every_valid_campaign_and_counts_the_broken_ones(simulator, connection):
    simulator.seed(1200, invalid=4)

    run = sync(connection)

    assert run.status == "succeeded", run.error
    assert (run.inserted, run.updated, run.unchanged, run.skipped_invalid, run.marked_deleted) == (1200, 0, 0, 4, 0)
    assert run.pages >= 3  # 1204 records at 500 a page (a second read if the list looked busy)
    assert run.started_at and run.finished_at and run.heartbeat_at
    assert_matches_platform(connection, simulator)
    db.session.refresh(connection)
    assert connection.last_synced_at and connection.last_sync_started_at


def _row_versions(connection) -> dict:
    """Per row, what changes whenever the row is written: updated_at everywhere; on PostgreSQL also
    xmin (a new row version) and xmax (a row lock, which ON CONFLICT takes even when it updates nothing)."""
    columns = "platform_campaign_id, updated_at, last_synced_at"
    if db.engine.dialect.name == "postgresql":
        columns += ", xmin::text, xmax::text"
    rows = db.session.execute(text(f"SELECT {columns} FROM campaigns WHERE customer_id = :c"),
                              {"c": connection.customer_id}).all()
    return {row[0]: tuple(row[1:]) for row in rows}


def test_resync_with_nothing_changed_writes_no_rows(simulator, connection):
    simulator.seed(700)
    assert sync(connection).status == "succeeded"
    before = _row_versions(connection)

    run = sync(connection)

    assert run.status == "succeeded"
    assert (run.inserted, run.updated, run.unchanged, run.marked_deleted) == (0, 0, 700, 0)
    assert _row_versions(connection) == before  # not one row version was written


def test_creates_updates_and_deletes_on_the_platform_come_through(simulator, connection):
    simulator.seed(600)
    sync(connection)
    changes = simulator.mutate(update=7, delete=5, create=9)

    run = sync(connection)

    assert run.status == "succeeded", run.error
    assert (run.inserted, run.updated, run.marked_deleted) == (9, 7, 5)
    assert_matches_platform(connection, simulator)
    gone = local_campaigns(connection, "deleted_on_platform")
    assert set(gone) == set(changes["deleted"])
    assert all(c.deleted_on_platform_at is not None for c in gone.values())


def test_changes_between_two_page_requests_lose_nothing_and_duplicate_nothing(simulator, connection):
    simulator.seed(1600)
    sync(connection)
    # After the next sync's first page: deletions shift the later pages under the reader.
    deferred = simulator.mutate(update=20, delete=30, create=25, after_requests=1)
    assert deferred == {"scheduled": True, "after_requests": 1}

    run = sync(connection)

    assert run.status == "succeeded", run.error
    assert run.marked_deleted == 30
    assert_matches_platform(connection, simulator)
    assert sync(connection).marked_deleted == 0  # nothing left over for the next run


def test_first_load_while_the_platform_changes_still_gets_every_campaign(simulator, connection):
    simulator.seed(1600)
    simulator.mutate(delete=40, create=40, after_requests=2)

    run = sync(connection)

    assert run.status == "succeeded", run.error
    assert_matches_platform(connection, simulator)


def test_campaign_that_comes_back_is_synced_again_and_archived_ones_stay_archived(simulator, connection):
    simulator.seed(3)
    sync(connection)
    first, second, third = sorted(local_campaigns(connection))
    db.session.execute(Campaign.__table__.update().where(Campaign.platform_campaign_id == first)
                       .values(sync_state="deleted_on_platform", deleted_on_platform_at=db.func.now()))
    db.session.execute(Campaign.__table__.update().where(Campaign.platform_campaign_id == second)
                       .values(archived_at=db.func.now(), title="Kept as staff left it"))
    db.session.commit()

    run = sync(connection)

    assert (run.updated, run.unchanged) == (1, 2)
    rows = local_campaigns(connection, None)
    assert rows[first].sync_state == "synced" and rows[first].deleted_on_platform_at is None
    assert rows[second].archived_at is not None and rows[second].title == "Kept as staff left it"


def _fault_on_page_three(simulator, served_before: int) -> None:
    """Rotate the token once this sync has been served two pages, so page 3 is refused (401)."""
    wait_until(lambda: sum(1 for r in simulator.request_log()[served_before:] if r["status"] == 200) >= 2,
               20, "two pages served")
    simulator.create_organization(simulator.org, "rotated-token")


def test_a_fault_on_page_three_marks_nothing_deleted_and_a_rerun_converges(simulator, connection):
    simulator.seed(1800)
    sync(connection)
    simulator.mutate(delete=300)  # a complete pass would mark these
    simulator.set_faults(latency_ms=150)
    faulting = threading.Thread(target=_fault_on_page_three, args=(simulator, len(simulator.request_log())))

    faulting.start()
    run = sync(connection)
    faulting.join()

    assert run.status == "failed"
    assert run.error == "The ad platform rejected the API token. Check the connection's token."
    assert run.pages == 2 and run.marked_deleted == 0
    assert not local_campaigns(connection, "deleted_on_platform")

    simulator.create_organization(simulator.org, simulator.token)
    simulator.set_faults(latency_ms=0)
    rerun = sync(connection)
    assert rerun.status == "succeeded" and rerun.marked_deleted == 300
    assert_matches_platform(connection, simulator)
    assert [r.status for r in runs()] == ["succeeded", "failed", "succeeded"]


def _local_only_campaign(connection, platform_id: str) -> None:
    """A local row with no platform createdAt, so only asking the platform can prove it gone."""
    db.session.add(Campaign(customer_id=connection.customer_id, platform_id=connection.platform_id,
                            platform_campaign_id=platform_id, title="Local", advertiser="Adv",
                            start_date=date(2026, 1, 1), status="draft", platform_updated_at=utcnow()))
    db.session.commit()


def test_unseen_campaigns_are_asked_about_one_get_each_and_kept_when_there_are_too_many(simulator, connection, app):
    simulator.seed(5)
    for n in range(3):
        _local_only_campaign(connection, f"never-on-platform-{n}")
    app.config["SYNC_VERIFY_BY_GET_LIMIT"] = 2

    too_many = sync(connection)

    assert too_many.status == "succeeded" and too_many.marked_deleted == 0
    assert len(local_campaigns(connection)) == 8
    app.config["SYNC_VERIFY_BY_GET_LIMIT"] = 3
    asked = len(simulator.request_log())

    checked = sync(connection)

    assert checked.marked_deleted == 3
    gets = [r["path"] for r in simulator.request_log()[asked:] if "/campaigns/" in r["path"]]
    assert sorted(p.rsplit("/", 1)[1] for p in gets) == [f"never-on-platform-{n}" for n in range(3)]
    assert_matches_platform(connection, simulator)
