"""The two rules under the sync: what the upsert writes, and when an unseen campaign counts as gone."""
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from app.platforms.megaphone.records import PlatformCampaign
from app.sync.deletions import proven_gone
from app.sync.passes import PageSpan, PassRecord
from app.sync.upsert import upsert_campaigns
from tests.sync.helpers import local_campaigns

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
RECENT = timedelta(seconds=120)


def _campaign(n: int, title: str = "Spring Promo", updated: datetime = T0, budget: str | None = "100.00"):
    return PlatformCampaign(f"c-{n}", title, "Acme Coffee", date(2026, 3, 1), None, "active",
                            Decimal(budget) if budget else None, T0, updated)


@pytest.mark.parametrize("likely_new", [False, True])
def test_upsert_counts_inserts_updates_and_identical_rows_on_this_database(connection, likely_new):
    ids = (connection.customer_id, connection.platform_id)
    first = upsert_campaigns(*ids, [_campaign(1), _campaign(2), _campaign(3)], T0, likely_new=likely_new)
    changed = upsert_campaigns(*ids, [_campaign(1), _campaign(2, budget=None, updated=T0 + timedelta(1)),
                                      _campaign(4)], T0 + timedelta(hours=1), likely_new=likely_new)
    duplicated_in_one_page = upsert_campaigns(*ids, [_campaign(5), _campaign(5)], T0)

    assert (first.inserted, first.updated, first.unchanged) == (3, 0, 0)
    assert (changed.inserted, changed.updated, changed.unchanged) == (1, 1, 1)
    assert (duplicated_in_one_page.inserted, duplicated_in_one_page.unchanged) == (1, 0)
    assert local_campaigns(connection)["c-2"].budget is None


def test_a_page_whose_optional_columns_are_all_empty(connection):
    counts = upsert_campaigns(connection.customer_id, connection.platform_id,
                              [_campaign(1, budget=None), _campaign(2, budget=None)], T0)

    assert counts.inserted == 2
    assert [c.budget for c in local_campaigns(connection).values()] == [None, None]


def test_a_page_read_before_a_newer_edit_does_not_overwrite_it(connection):
    ids = (connection.customer_id, connection.platform_id)
    upsert_campaigns(*ids, [_campaign(1, "Edited in OMS", updated=T0 + timedelta(minutes=5))], T0)

    stale = upsert_campaigns(*ids, [_campaign(1, "Read before the edit", updated=T0)], T0)

    assert (stale.updated, stale.unchanged) == (0, 1)
    assert local_campaigns(connection)["c-1"].title == "Edited in OMS"


def _pass(*spans: tuple, started: datetime = T0 + timedelta(hours=1)) -> PassRecord:
    record = PassRecord(started_at=started)
    record.spans = [PageSpan(n, first, last) for n, (first, last) in enumerate(spans, start=1)]
    return record


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_inside_a_page_span_is_proof_and_a_page_boundary_is_not():
    three_pages = _pass((at(0), at(10)), (at(11), at(20)), (at(21), at(30)))

    assert proven_gone(at(5), three_pages, RECENT)          # page 1 would have shown it
    assert proven_gone(at(-5), three_pages, RECENT)         # before page 1's first: page 1 starts the list
    assert proven_gone(at(25), three_pages, RECENT)
    assert not proven_gone(at(10.5), three_pages, RECENT)   # between pages 1 and 2: a shift can skip it
    assert not proven_gone(at(10), three_pages, RECENT)     # same createdAt as a boundary record
    assert not proven_gone(None, three_pages, RECENT)       # no createdAt to place it by


def test_after_the_last_record_only_campaigns_older_than_the_read_are_proven_gone():
    record = _pass((at(0), at(10)), (at(11), at(20)), started=at(60))

    assert proven_gone(at(30), record, RECENT)               # existed when the read began, so the last page had it
    assert not proven_gone(at(59), record, RECENT)           # may have been created while we read


def test_a_single_page_with_nothing_usable_covers_the_whole_list_but_an_empty_middle_page_nothing():
    assert proven_gone(at(5), _pass((None, None), started=at(60)), RECENT)
    assert not proven_gone(at(15), _pass((at(0), at(10)), (None, None), (at(30), at(40))), RECENT)
