"""What one read of a connection's campaign list saw: the ids, each page's createdAt span, the totals."""
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app.platforms.megaphone.client import CampaignPage


@dataclass
class PageSpan:
    """Page `number` of a pass and the createdAt of its first and last usable campaign (None if none)."""

    number: int
    first: datetime | None
    last: datetime | None


@dataclass
class PassRecord:
    """What one complete read of the list saw: every id, each page's span, and whether the list moved."""

    started_at: datetime
    seen: set[str] = field(default_factory=set)
    spans: list[PageSpan] = field(default_factory=list)
    totals: set[int] = field(default_factory=set)
    newest_created: datetime | None = None

    def note(self, page: CampaignPage) -> None:
        """Remember a page's ids (broken records too: they exist), span and reported total."""
        self.seen.update(c.platform_id for c in page.campaigns)
        self.seen.update(raw_id for raw_id, _ in page.invalid if raw_id)
        created = [c.created_at for c in page.campaigns]
        self.spans.append(PageSpan(page.number, min(created, default=None), max(created, default=None)))
        if page.total is not None:
            self.totals.add(page.total)
        if created and (self.newest_created is None or max(created) > self.newest_created):
            self.newest_created = max(created)

    def may_have_shifted(self, recent: timedelta) -> bool:
        """Whether campaigns were deleted or created while the pass ran (so a later page may have skipped one)."""
        created_meanwhile = self.newest_created is not None and self.newest_created >= self.started_at - recent
        return len(self.totals) > 1 or created_meanwhile
