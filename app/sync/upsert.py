"""Batched campaign upsert: one INSERT … ON CONFLICT DO UPDATE per page that writes only rows that differ."""
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import and_, bindparam, false, func, literal_column, not_, null, or_, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.campaigns.models import SYNCED, Campaign
from app.extensions import db
from app.platforms.megaphone.records import PlatformCampaign

campaigns = Campaign.__table__
KEY_COLUMNS = ("customer_id", "platform_id", "platform_campaign_id")
# The columns the platform owns; a row is written only when one of these (or its sync state) differs.
PLATFORM_COLUMNS = ("title", "advertiser", "start_date", "end_date", "status", "budget",
                    "platform_created_at", "platform_updated_at")
PAGE_COLUMNS = ("platform_campaign_id",) + PLATFORM_COLUMNS
SYNCED_LITERAL = literal_column(f"'{SYNCED}'")  # inlined: the same for every row
# The same for every row of a page: bound once, not once per row.
PAGE_CONSTANTS = ("customer_id", "platform_id", "last_synced_at", "created_at", "updated_at")


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
        "sync_state": SYNCED, "last_synced_at": now, "created_at": now, "updated_at": now,
    }


def _worth_writing(stored, new):
    """The only rows the sync writes over: live (archived ones stay as staff left them), different,
    and not newer (a page read before a staff edit must not undo that edit when it lands after it)."""
    differs = or_(*(stored[name].is_distinct_from(new[name]) for name in PLATFORM_COLUMNS),
                  stored.sync_state != SYNCED_LITERAL)
    not_older = new.platform_updated_at >= stored.platform_updated_at
    return and_(stored.archived_at.is_(None), differs, not_older)


def _on_conflict_update_if_changed(stmt):
    """ON CONFLICT (key) DO UPDATE … only WHERE the stored row is worth writing over."""
    new = stmt.excluded
    return stmt.on_conflict_do_update(
        index_elements=[campaigns.c[name] for name in KEY_COLUMNS],
        set_={**{name: new[name] for name in PLATFORM_COLUMNS}, "sync_state": SYNCED_LITERAL,
              "deleted_on_platform_at": null(), "last_synced_at": new.last_synced_at, "updated_at": new.updated_at},
        where=_worth_writing(campaigns.c, new),
    )


@cache
def _postgresql_statement(skip_current: bool):
    """The page travels as one array per column, unnested server-side: a short statement, whatever the page size.

    skip_current drops the rows whose stored copy is already current before the INSERT: ON CONFLICT
    DO UPDATE locks every conflicting row even when its WHERE is false, and a row lock is itself a
    write (WAL, a dirtied page). The check costs an index probe per row, wasted on new campaigns.
    (docs/benchmarks.md, "What made the sync's write path fast", point 4.)
    """
    page = func.unnest(*(bindparam(name, type_=ARRAY(campaigns.c[name].type)) for name in PAGE_COLUMNS)) \
        .table_valued(*PAGE_COLUMNS).render_derived(name="page")
    constants = {name: bindparam(name, type_=campaigns.c[name].type) for name in PAGE_CONSTANTS}
    rows = select(*constants.values(), SYNCED_LITERAL, *(page.c[name] for name in PAGE_COLUMNS))
    stored = campaigns.alias("stored")
    # A scalar subquery with LIMIT stays a per-row index probe; as EXISTS the planner may hash-join
    # the whole table for every page.
    stored_is_current = select(not_(_worth_writing(stored.c, page.c))).where(
        stored.c.customer_id == constants["customer_id"], stored.c.platform_id == constants["platform_id"],
        stored.c.platform_campaign_id == page.c.platform_campaign_id).limit(literal_column("1")).scalar_subquery()
    if skip_current:
        rows = rows.where(func.coalesce(stored_is_current, false()).is_(false()))
    stmt = postgresql_insert(campaigns).from_select([*PAGE_CONSTANTS, "sync_state", *PAGE_COLUMNS], rows)
    # xmax is 0 on a freshly inserted row version and set on an updated one.
    return _on_conflict_update_if_changed(stmt).returning(literal_column("(xmax = 0)").label("inserted"))


@cache
def _postgresql_sql(dialect, skip_current: bool) -> str:
    """The statement compiled once (SQLAlchemy cannot cache ON CONFLICT), its arrays sent in psycopg's binary format.

    Both are worth it: docs/benchmarks.md, "What made the sync's write path fast", points 1 and 2.
    """
    sql = _postgresql_statement(skip_current).compile(dialect=dialect).string
    # %(name)b is psycopg's placeholder for a binary parameter; SQLAlchemy writes %(name)s.
    for name in PAGE_COLUMNS:
        sql = sql.replace(f"%({name})s", f"%({name})b")
    return sql


def _page_arrays(page: list[PlatformCampaign]) -> dict[str, list]:
    """The page's platform columns, one list each."""
    return {
        "platform_campaign_id": [c.platform_id for c in page], "title": [c.title for c in page],
        "advertiser": [c.advertiser for c in page], "start_date": [c.start_date for c in page],
        "end_date": [c.end_date for c in page], "status": [c.status for c in page],
        "budget": [c.budget for c in page], "platform_created_at": [c.created_at for c in page],
        "platform_updated_at": [c.updated_at for c in page],
    }


@cache
def _sqlite_statement():
    """Multi-row VALUES (SQLAlchemy batches the rows), RETURNING the keys written."""
    return _on_conflict_update_if_changed(sqlite_insert(campaigns)).returning(campaigns.c.platform_campaign_id)


def _existing_keys(customer_id: int, platform_id: int, keys: list[str]) -> set[str]:
    """Which of these platform ids already have a row (SQLite's RETURNING can't tell insert from update)."""
    return set(db.session.execute(
        select(campaigns.c.platform_campaign_id).where(
            campaigns.c.customer_id == customer_id, campaigns.c.platform_id == platform_id,
            campaigns.c.platform_campaign_id.in_(keys))
    ).scalars())


def upsert_campaigns(customer_id: int, platform_id: int, page: list[PlatformCampaign], now: datetime,
                     *, likely_new: bool = False) -> UpsertCounts:
    """Insert new campaigns and update changed ones in one statement; the caller commits.

    likely_new (e.g. the previous page was all new, as in a first load) skips looking for
    already-current rows first; the outcome is the same either way, only the cost differs.
    """
    # One statement may not touch a row twice, so a campaign listed twice in a page is kept once.
    # In key order: two pages written at once that share campaigns (the list moved between reads)
    # then lock them in the same order, and wait for each other instead of deadlocking.
    page = sorted({c.platform_id: c for c in page}.values(), key=lambda c: c.platform_id)
    if not page:
        return UpsertCounts()
    if db.session.get_bind().dialect.name == "postgresql":
        params = {"customer_id": customer_id, "platform_id": platform_id, "last_synced_at": now,
                  "created_at": now, "updated_at": now, **_page_arrays(page)}
        connection = db.session.connection()
        # The platform stays the source of truth: a crash may forget the last few pages written,
        # which the next sync reads again, so a page need not wait for its own WAL flush.
        # (Finishing the run commits synchronously, which flushes every page before it.) Point 3 of
        # "What made the sync's write path fast" in docs/benchmarks.md.
        connection.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")
        written = connection.exec_driver_sql(_postgresql_sql(connection.dialect, not likely_new), params).all()
        inserted = sum(1 for row in written if row.inserted)
    else:
        existing = _existing_keys(customer_id, platform_id, [c.platform_id for c in page])
        rows = [campaign_row(customer_id, platform_id, c, now) for c in page]
        written = db.session.execute(_sqlite_statement(), rows).all()
        inserted = sum(1 for row in written if row.platform_campaign_id not in existing)
    return UpsertCounts(inserted=inserted, updated=len(written) - inserted, unchanged=len(page) - len(written))
