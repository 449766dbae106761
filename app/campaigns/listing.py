"""How the campaigns list searches, sorts and filters, and how pages look campaigns up for a login."""
from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.auth.scope import scoped, visible_customer_id
from app.campaigns.models import CAMPAIGN_STATUSES, SYNC_STATES, Campaign
from app.common.listing import Filter, ListSpec, SortKey
from app.customers.filters import customer_filter
from app.extensions import db
from app.platforms.models import Platform

SYNC_STATE_LABELS = {"synced": "On the platform", "deleted_on_platform": "Deleted on the platform"}


def _visible(stmt):
    """Campaign rows the current login may see, with their customer loaded (Campaign.customer is lazy='raise')."""
    return scoped(stmt.options(joinedload(Campaign.customer)), Campaign.customer_id)


def campaigns_list_spec(platform: Platform) -> ListSpec:
    """The campaigns of one platform, scoped to the customers the current login may see."""
    filters = {
        "status": Filter("Status", lambda v: Campaign.status == v if v in CAMPAIGN_STATUSES else None,
                         choices=lambda: [(s, s.capitalize()) for s in CAMPAIGN_STATUSES]),
        "sync": Filter("Sync state", lambda v: Campaign.sync_state == v if v in SYNC_STATES else None,
                       choices=lambda: list(SYNC_STATE_LABELS.items())),
    }
    if visible_customer_id() is None:  # a customer login only ever sees its own customer
        filters = {"customer": customer_filter(Campaign.customer_id), **filters}
    return ListSpec(
        name=f"campaigns-{platform.slug}",
        base_query=lambda: _visible(select(Campaign).where(Campaign.platform_id == platform.id)),
        id_column=Campaign.id,
        sort_keys={
            "title": SortKey("Title", Campaign.title),
            "advertiser": SortKey("Advertiser", Campaign.advertiser),
            "start": SortKey("Start", Campaign.start_date),
            "end": SortKey("End", Campaign.end_date, nullable=True),
            "status": SortKey("Status", Campaign.status),
            "budget": SortKey("Budget", Campaign.budget, nullable=True),
            "updated": SortKey("Updated", Campaign.platform_updated_at),
        },
        default_sort="updated",
        default_dir="desc",
        search_columns=(Campaign.title, Campaign.advertiser),
        # Platform ids are pasted, not half-remembered: a prefix match on a B-tree finds them, and a
        # trigram index over random ids cost a third of all the WAL a campaign sync writes.
        id_search_columns=(Campaign.platform_campaign_id,),
        search_label="Search title, advertiser or the start of a platform id",
        archived_clause=lambda: Campaign.archived_at.is_not(None),
        filters=filters,
        csv_columns=(
            ("platform_campaign_id", lambda c: c.platform_campaign_id), ("title", lambda c: c.title),
            ("advertiser", lambda c: c.advertiser), ("customer", lambda c: c.customer.code),
            ("start_date", lambda c: c.start_date), ("end_date", lambda c: c.end_date),
            ("status", lambda c: c.status), ("budget", lambda c: c.budget),
            ("platform_updated_at", lambda c: c.platform_updated_at), ("sync_state", lambda c: c.sync_state),
            ("archived_at", lambda c: c.archived_at),
        ),
    )


def find_visible_campaign(platform: Platform, campaign_id: int) -> Campaign:
    """One campaign of the platform the current login may see, or 404."""
    stmt = _visible(select(Campaign).where(Campaign.id == campaign_id, Campaign.platform_id == platform.id))
    return db.session.execute(stmt).scalar_one_or_none() or abort(404)


def visible_campaigns(platform: Platform, ids: list[int]) -> list[Campaign]:
    """The ticked campaigns the current login may see (others are silently left out), in id order."""
    stmt = _visible(select(Campaign).where(Campaign.id.in_(ids), Campaign.platform_id == platform.id))
    return list(db.session.execute(stmt.order_by(Campaign.id)).scalars())


def customer_campaigns(customer_id: int, limit: int = 5) -> tuple[list[Campaign], int]:
    """A customer's latest active campaigns and how many it has, for its page."""
    active = select(Campaign).where(Campaign.customer_id == customer_id, Campaign.archived_at.is_(None))
    rows = db.session.execute(
        _visible(active).order_by(Campaign.start_date.desc(), Campaign.id.desc()).limit(limit)).scalars().all()
    total = db.session.execute(
        scoped(select(func.count()).select_from(Campaign).where(
            Campaign.customer_id == customer_id, Campaign.archived_at.is_(None)), Campaign.customer_id)).scalar_one()
    return list(rows), total
