"""The work of one sync run: read every page, upsert it in its own transaction, then mark what is gone."""
from dataclasses import asdict
from datetime import timedelta

from flask import current_app
from sqlalchemy import update

from app.common.models import utcnow
from app.extensions import db
from app.platforms.megaphone.client import CampaignPage, MegaphoneClient
from app.platforms.megaphone.records import PlatformCampaign
from app.platforms.models import PlatformConnection
from app.sync.deletions import mark_missing
from app.sync.lock import SyncLock
from app.sync.models import SyncRun, Tally
from app.sync.passes import PassRecord
from app.sync.upsert import UpsertCounts, upsert_campaigns
from app.sync.writers import page_writers


class CampaignSync:
    """Pages through one connection's campaigns into the campaigns table, keeping the run row current."""

    def __init__(self, run_id: int, connection: PlatformConnection, client: MegaphoneClient, lock: SyncLock):
        self.run_id, self.client, self.lock = run_id, client, lock
        self.customer_id, self.platform_id = connection.customer_id, connection.platform_id
        self.last_page_all_new = False

    def execute(self) -> None:
        """Read the list (twice if it moved under the first read), then mark what no longer exists."""
        passes = [self._read_pass(first=True)]
        if passes[0].may_have_shifted(timedelta(seconds=current_app.config["SYNC_RECENT_SECONDS"])):
            # Deletions during the pass shift later pages, so a live campaign may have been
            # skipped; a second read picks it up (unchanged rows cost no writes).
            passes.append(self._read_pass(first=False))
        mark_missing(self, passes)

    def _read_pass(self, first: bool) -> PassRecord:
        record = PassRecord(started_at=utcnow())
        self.last_page_all_new = False
        # Leaving the block waits for every page of the pass, so deletions are judged on written pages.
        with self.page_writers(first) as writers:
            for page in self.client.iter_pages(per_page=current_app.config["SYNC_PAGE_SIZE"]):
                writers.submit(page)
                record.note(page)
        return record

    def page_writers(self, first: bool):
        """Where pages handed over are written, each in its own transaction with the run's progress.

        The second read adds what the first missed; counting its unchanged rows and broken records
        again would double them.
        """
        def write(page: CampaignPage) -> None:
            counts = self.store(page.campaigns)
            self.save_progress(Tally(pages=1, inserted=counts.inserted, updated=counts.updated,
                                     unchanged=counts.unchanged if first else 0,
                                     skipped_invalid=len(page.invalid) if first else 0))

        return page_writers(write, current_app.config["SYNC_WRITERS"])

    def store(self, campaigns: list[PlatformCampaign]) -> UpsertCounts:
        """Upsert campaigns into this connection's rows (uncommitted); save_progress counts them."""
        counts = upsert_campaigns(self.customer_id, self.platform_id, campaigns, utcnow(),
                                  likely_new=self.last_page_all_new)
        # Only a hint of what the next page costs: writer threads may read it a page late.
        self.last_page_all_new = bool(campaigns) and counts.inserted == len(campaigns)
        return counts

    def save_progress(self, done: Tally) -> None:
        """Renew the lock, then commit the pending writes together with what they add to the run's counts.

        The run row adds `done` to its counts in SQL, so with several writer threads it always shows
        exactly the pages committed, whichever commits first.
        """
        try:
            self.lock.renew()
        except Exception:
            db.session.rollback()
            raise
        now = utcnow()
        db.session.execute(update(SyncRun).where(SyncRun.id == self.run_id).values(
            **{name: getattr(SyncRun, name) + value for name, value in asdict(done).items()},
            heartbeat_at=now, updated_at=now))
        db.session.commit()
