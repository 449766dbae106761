"""Sync test helpers: a real RQ worker in burst mode, and the local rows compared with the platform's."""
from rq import Worker
from sqlalchemy import select

from app.campaigns.models import Campaign
from app.extensions import db
from app.platforms.megaphone.errors import InvalidRecord
from app.platforms.megaphone.records import parse_campaign
from app.queues import ALL_QUEUES, get_queue
from app.redis_client import get_redis
from app.sync.models import SyncRun

# A lock lives 2 s here (180 s in production), so a killed worker's lock expires within a test.
LOCK_TTL_SECONDS = 2


def run_worker(*queues: str) -> None:
    """Run a real RQ worker in burst mode: it forks a work horse per job and stops when the queues are empty."""
    # The horse is a fork of this process: it must not inherit (and share) our database connections.
    db.session.commit()
    db.engine.dispose()
    Worker([get_queue(name) for name in queues or ALL_QUEUES], connection=get_redis()).work(burst=True)


def local_campaigns(connection, state: str | None = "synced") -> dict[str, Campaign]:
    """The connection's campaigns by platform id (only those in `state`, unless None)."""
    db.session.expire_all()
    stmt = select(Campaign).where(Campaign.customer_id == connection.customer_id)
    if state:
        stmt = stmt.where(Campaign.sync_state == state, Campaign.archived_at.is_(None))
    return {c.platform_campaign_id: c for c in db.session.execute(stmt).scalars()}


def platform_campaigns(simulator) -> dict[str, dict]:
    """The simulator's valid records by id (broken ones are never stored)."""
    valid = {}
    for raw in simulator.campaigns():
        try:
            valid[parse_campaign(raw).platform_id] = raw
        except InvalidRecord:
            pass
    return valid


def assert_matches_platform(connection, simulator) -> None:
    """Local synced campaigns are exactly the platform's, field by field; no duplicates."""
    local, remote = local_campaigns(connection), platform_campaigns(simulator)
    assert set(local) == set(remote)
    for platform_id, raw in remote.items():
        row = local[platform_id]
        assert (row.title, row.advertiser, row.status) == (raw["title"], raw["advertiserName"], raw["status"])
        assert (str(row.budget) if row.budget is not None else None) == raw["budget"]
        assert row.start_date.isoformat() == raw["startDate"]
    total = db.session.execute(select(db.func.count()).select_from(Campaign)
                               .where(Campaign.customer_id == connection.customer_id)).scalar()
    assert total == len(local) + len(local_campaigns(connection, "deleted_on_platform"))


def runs() -> list[SyncRun]:
    """Every sync run, oldest first, freshly read."""
    db.session.expire_all()
    return db.session.execute(select(SyncRun).order_by(SyncRun.id)).scalars().all()
