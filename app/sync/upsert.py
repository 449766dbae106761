"""Batched campaign upsert: one INSERT … ON CONFLICT DO UPDATE per page that writes only rows that differ."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, literal_column, or_, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.campaigns.models import Campaign
from app.extensions import db
from app.platforms.megaphone.records import PlatformCampaign

campaigns = Campaign.__table__
KEY_COLUMNS = ("customer_id", "platform_id", "platform_campaign_id")
# The columns the platform owns; a row is written only when one of these (or its sync state) differs.
PLATFORM_COLUMNS = ("title", "advertiser", "start_date", "end_date", "status", "budget",
                    "platform_created_at", "platform_updated_at")


@dataclass
class UpsertCounts:
    """What one upsert did: rows inserted, rows updated, rows found identical (or archived)."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


def campaign_row(customer_id: int, platform_id: int, campaign: PlatformCampaign, now: datetime) -> dict:
    """The campaigns-table row for one platform campaign."""
    return {
        "customer_id": customer_id, "platform_id": platform_id, "platform_campaign_id": campaign.platform_id,
        "title": campaign.title, "advertiser": campaign.advertiser, "start_date": campaign.start_date,
        "end_date": campaign.end_date, "status": campaign.status, "budget": campaign.budget,
        "platform_created_at": campaign.created_at, "platform_updated_at": campaign.updated_at,
        "sync_state": "synced", "deleted_on_platform_at": None, "last_synced_at": now,
        "created_at": now, "updated_at": now, "archived_at": None,
    }


def _upsert_statement(dialect: str, now: datetime):
    """INSERT … ON CONFLICT (key) DO UPDATE … WHERE the row is live and differs, RETURNING what was written."""
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert(campaigns)
    new = stmt.excluded
    differs = or_(*(campaigns.c[name].is_distinct_from(new[name]) for name in PLATFORM_COLUMNS),
                  campaigns.c.sync_state != "synced")
    # A page read before a staff edit must not overwrite that newer edit when it lands after it.
    not_older = or_(campaigns.c.platform_updated_at.is_(None),
                    new.platform_updated_at >= campaigns.c.platform_updated_at)
    stmt = stmt.on_conflict_do_update(
        index_elements=[campaigns.c[name] for name in KEY_COLUMNS],
        set_={**{name: new[name] for name in PLATFORM_COLUMNS}, "sync_state": "synced",
              "deleted_on_platform_at": None, "last_synced_at": now, "updated_at": now},
        # Archived campaigns stay as staff left them: the sync never resurrects them.
        where=and_(campaigns.c.archived_at.is_(None), differs, not_older),
    )
    if dialect == "postgresql":
        # xmax is 0 on a freshly inserted row version and set on an updated one.
        return stmt.returning(campaigns.c.platform_campaign_id, literal_column("(xmax = 0)").label("inserted"))
    return stmt.returning(campaigns.c.platform_campaign_id)


def _existing_keys(customer_id: int, platform_id: int, keys: list[str]) -> set[str]:
    """Which of these platform ids already have a row (SQLite's RETURNING can't tell insert from update)."""
    return set(db.session.execute(
        select(campaigns.c.platform_campaign_id).where(
            campaigns.c.customer_id == customer_id, campaigns.c.platform_id == platform_id,
            campaigns.c.platform_campaign_id.in_(keys))
    ).scalars())


def upsert_campaigns(customer_id: int, platform_id: int, page: list[PlatformCampaign],
                     now: datetime) -> UpsertCounts:
    """Insert new campaigns and update changed ones in one statement; the caller commits."""
    rows = list({c.platform_id: campaign_row(customer_id, platform_id, c, now) for c in page}.values())
    if not rows:
        return UpsertCounts()
    dialect = db.session.get_bind().dialect.name
    existing = None if dialect == "postgresql" else _existing_keys(
        customer_id, platform_id, [row["platform_campaign_id"] for row in rows])
    written = db.session.execute(_upsert_statement(dialect, now), rows).all()
    if existing is None:
        inserted = sum(1 for row in written if row.inserted)
    else:
        inserted = sum(1 for row in written if row.platform_campaign_id not in existing)
    return UpsertCounts(inserted=inserted, updated=len(written) - inserted, unchanged=len(rows) - len(written))
