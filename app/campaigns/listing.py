"""How the campaigns list searches, sorts and filters, and how pages look campaigns up for a login."""
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.auth.scope import get_scoped_or_404, scoped, visible_customer_id
from app.campaigns.models import CAMPAIGN_STATUSES, SYNC_STATES, Campaign
from app.common.listing import Filter, ListSpec, SortKey
from app.customers.filters import customer_filter
from app.customers.models import Customer
from app.customers.picker import customer_rows
from app.extensions import db
from app.platforms.models import Platform, PlatformConnection

SYNC_STATE_LABELS = {"synced": "On the platform", "deleted_on_platform": "Deleted on the platform"}


def _visible(stmt):
    """Campaign rows the current login may see, with their customer loaded (Campaign.customer is lazy='raise')."""
    return scoped(stmt.options(joinedload(Campaign.customer)), Campaign.customer_id)


def campaigns_list_spec(platform: Platform) -> ListSpec:
    """The campaigns of one platform, scoped to the customers the current login may see."""
    filters = {
        "status": Filter("Status", lambda v: Campaign.status == v if v in CAMPAIGN_STATUSES else None,
                         choices=lambda _current: [(s, s.capitalize()) for s in CAMPAIGN_STATUSES]),
        "sync": Filter("Sync state", lambda v: Campaign.sync_state == v if v in SYNC_STATES else None,
                       choices=lambda _current: list(SYNC_STATE_LABELS.items())),
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
        csv_sql=(
            ("platform_campaign_id", Campaign.platform_campaign_id), ("title", Campaign.title),
            ("advertiser", Campaign.advertiser),
            ("customer", select(Customer.code).where(Customer.id == Campaign.customer_id).scalar_subquery()),
            ("start_date", Campaign.start_date), ("end_date", Campaign.end_date), ("status", Campaign.status),
            ("budget", Campaign.budget), ("platform_updated_at", Campaign.platform_updated_at),
            ("sync_state", Campaign.sync_state), ("archived_at", Campaign.archived_at),
        ),
    )


def find_visible_campaign(platform: Platform, campaign_id: int) -> Campaign:
    """One campaign of the platform the current login may see (customer loaded), or 404."""
    return get_scoped_or_404(Campaign, campaign_id, Campaign.platform_id == platform.id,
                             options=(joinedload(Campaign.customer),))


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


def customer_choices_for_platform(platform: Platform, chosen_id: int | None, term: str = "") -> list[tuple[int, str]]:
    """The create form's customer picker, marking customers with no connection to this platform (creating would fail)."""
    with_connection = (
        select(Customer.id, Customer.name, Customer.code, PlatformConnection.id.label("connection_id"))
        .outerjoin(PlatformConnection, (PlatformConnection.customer_id == Customer.id)
                   & (PlatformConnection.platform_id == platform.id))
        .where(Customer.archived_at.is_(None)))
    return [(row.id, f"{row.name} ({row.code})" + ("" if row.connection_id else f" — not connected to {platform.name}"))
            for row in customer_rows(chosen_id, term, with_connection)]
