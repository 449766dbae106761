"""After a complete read: mark campaigns the platform no longer has, proving each one gone first.

Pages are numbered slices of a list ordered by createdAt, so deleting a campaign on an earlier
page mid-read shifts the next page and skips one live campaign at the page boundary. A campaign
we did not see is therefore proven gone only if its createdAt lies strictly inside the span of a
page we read (had it existed, that page would have contained it). The rest — at a boundary,
newer than the read, or without a createdAt — are asked about one GET each, and left alone when
there are too many to ask (the next sync tries again). A live campaign is never marked.
"""
import logging
from datetime import datetime, timedelta
from typing import Protocol

from flask import current_app
from sqlalchemy import select, update

from app.campaigns.models import DELETED_ON_PLATFORM, SYNCED, Campaign
from app.common.models import as_utc, utcnow
from app.extensions import db
from app.outbox.services import record_event
from app.platforms.megaphone.client import MegaphoneClient
from app.platforms.megaphone.errors import InvalidRecord, NotFound
from app.platforms.megaphone.records import PlatformCampaign
from app.sync.models import Tally
from app.sync.passes import PassRecord
from app.sync.upsert import UpsertCounts

logger = logging.getLogger("oms.sync")
CHUNK = 500


class RunningSync(Protocol):
    """What marking needs from the sync that read the list (engine.CampaignSync is one)."""

    run_id: int
    customer_id: int
    platform_id: int
    client: MegaphoneClient

    def store(self, campaigns: list[PlatformCampaign]) -> UpsertCounts:
        """Upsert campaigns into the connection's rows, uncommitted."""

    def save_progress(self, done: Tally) -> None:
        """Commit what is pending together with what it adds to the run's counts."""


def proven_gone(created: datetime | None, record: PassRecord, recent: timedelta) -> bool:
    """Whether a campaign created at `created` would have been on a page of this pass had it existed."""
    if created is None:
        return False
    last_number = record.spans[-1].number if record.spans else 0
    # The last page runs to the end of the list, which covers what existed when the pass began.
    existed_at_start = created < record.started_at - recent
    for span in record.spans:
        opens_list, ends_list = span.number == 1, span.number == last_number
        if span.first is None:
            if opens_list and ends_list and existed_at_start:
                return True  # a one-page list that had nothing usable: it was the whole list
            continue
        above = opens_list or created > span.first
        below = created < span.last or (ends_list and existed_at_start)
        if above and below:
            return True
    return False


def _unseen_campaigns(sync: RunningSync, seen: set[str]) -> list:
    """This connection's live, synced campaigns whose ids are not in `seen`."""
    rows = db.session.execute(
        select(Campaign.id, Campaign.platform_campaign_id, Campaign.platform_created_at).where(
            Campaign.customer_id == sync.customer_id, Campaign.platform_id == sync.platform_id,
            Campaign.archived_at.is_(None), Campaign.sync_state == SYNCED)
    ).all()
    return [row for row in rows if row.platform_campaign_id not in seen]


def _ask_platform(sync: RunningSync, suspects: list) -> list[int]:
    """GET each suspect: the gone ones are returned, the live ones are stored."""
    gone = []
    for row in suspects:
        done = Tally()
        try:
            campaign = sync.client.get_campaign(row.platform_campaign_id)
        except NotFound:
            gone.append(row.id)
        except InvalidRecord:
            pass  # it exists but breaks the contract: not deleted, and not stored either
        else:
            counts = sync.store([campaign])
            done = Tally(inserted=counts.inserted, updated=counts.updated)
        sync.save_progress(done)
    return gone


def mark_missing(sync: RunningSync, passes: list[PassRecord]) -> None:
    """Mark as deleted_on_platform every unseen campaign proven gone (never a hard delete)."""
    recent = timedelta(seconds=current_app.config["SYNC_RECENT_SECONDS"])
    looked_at = utcnow()
    # Seen by an earlier pass only proves it existed then; the last pass says what exists now.
    unseen = _unseen_campaigns(sync, passes[-1].seen)
    gone_ids, suspects = [], []
    for row in unseen:
        created = as_utc(row.platform_created_at)
        if any(row.platform_campaign_id not in p.seen and proven_gone(created, p, recent) for p in passes):
            gone_ids.append(row.id)
        else:
            suspects.append(row)
    if len(suspects) <= current_app.config["SYNC_VERIFY_BY_GET_LIMIT"]:
        gone_ids += _ask_platform(sync, suspects)
    else:
        logger.warning("sync run %s: %d unseen campaigns could not be proven gone; left for the next sync",
                       sync.run_id, len(suspects))
    marked = 0
    for start in range(0, len(gone_ids), CHUNK):
        # Archived or edited since we looked: staff touched it, so it is not ours to mark.
        result = db.session.execute(update(Campaign).where(
            Campaign.id.in_(gone_ids[start:start + CHUNK]), Campaign.archived_at.is_(None),
            Campaign.sync_state == SYNCED, Campaign.updated_at <= looked_at,
        ).values(sync_state=DELETED_ON_PLATFORM, deleted_on_platform_at=looked_at, updated_at=utcnow())
            .returning(Campaign.id, Campaign.customer_id, Campaign.title)).all()
        for campaign_id, customer_id, title in result:  # the customer hears of it, in this transaction
            record_event("campaign.deleted_on_platform",
                         {"campaign_id": campaign_id, "customer_id": customer_id, "title": title})
        marked += len(result)
    sync.save_progress(Tally(marked_deleted=marked))
