"""The Megaphone client against the simulator over real HTTP: paging, retries, errors."""

import logging
import socket
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from app.platforms.megaphone.client import MegaphoneClient, parse_link_header
from app.platforms.megaphone.errors import (
    Forbidden, InvalidRecord, NotFound, PlatformError, RateLimited, Unauthorized, Unavailable,
    ValidationFailed,
)
from app.platforms.megaphone.records import parse_campaign, to_platform_body
from tests.waiting import wait_until

FIELDS = {"title": "Spring Promo", "advertiser": "Acme Coffee", "start_date": date(2026, 3, 1),
          "end_date": date(2026, 3, 31), "status": "active", "budget": Decimal("1500")}


def read_all(client, **options):
    """Every page of a full read."""
    return list(client.iter_pages(**options))


def api_log(sim, method="GET"):
    """The simulator's log entries for one HTTP method."""
    return [entry for entry in sim.request_log() if entry["method"] == method]


def test_many_pages_deliver_every_campaign_once(simulator):
    simulator.seed(1234)
    pages = read_all(simulator.client(), per_page=100)
    assert [page.number for page in pages] == list(range(1, 14))
    ids = [campaign.platform_id for page in pages for campaign in page.campaigns]
    assert ids == [record["id"] for record in simulator.campaigns()]
    assert {page.total for page in pages} == {1234} and not any(page.invalid for page in pages)
    first = simulator.request_log()[0]
    assert first["query"] == "per_page=100"


def test_updated_since_reads_only_changes(simulator):
    simulator.seed(40)
    since = max(c.updated_at for p in read_all(simulator.client()) for c in p.campaigns)
    since += timedelta(microseconds=1)
    changed = simulator.mutate(update=5)["updated"]
    pages = read_all(simulator.client(), per_page=2, updated_since=since)
    assert sorted(c.platform_id for p in pages for c in p.campaigns) == sorted(changed)
    queries = [entry["query"] for entry in simulator.request_log()[1:]]
    assert "updated_since=" in queries[0] and "per_page=2" in queries[0]


def test_campaigns_created_between_pages_are_read(simulator):
    simulator.seed(30)
    simulator.mutate(create=3, update=4, after_requests=1)
    pages = read_all(simulator.client(), per_page=10)
    ids = [c.platform_id for p in pages for c in p.campaigns]
    assert len(ids) == len(set(ids)) == 33


def test_rate_limit_waits_as_told_and_never_hammers(simulator):
    simulator.seed(80)
    simulator.set_faults(rate_limit_per_minute=5, rate_limit_window_seconds=2)
    started = time.monotonic()
    pages = read_all(simulator.client(), per_page=10)
    assert time.monotonic() - started >= 1.5
    assert sum(len(page.campaigns) for page in pages) == 80

    log = simulator.request_log()
    refused = [entry for entry in log if entry["status"] == 429]
    accepted = [entry["time"] for entry in log if entry["status"] != 429]
    assert refused and len(accepted) == 8
    for entry in refused:
        later = [other["time"] for other in log if other["time"] > entry["time"]]
        assert min(later) >= entry["time"] + entry["retry_after"]
    for moment in accepted:
        assert sum(moment <= other < moment + 2 for other in accepted) <= 5


def test_rate_limit_longer_than_the_budget_raises(simulator):
    simulator.set_faults(rate_limit_per_minute=1, rate_limit_window_seconds=30)
    client = simulator.client(max_retry_seconds=2)
    client.check_connection()
    with pytest.raises(RateLimited) as caught:
        client.check_connection()
    assert caught.value.retry_after >= 2 and len(simulator.request_log()) == 2


def test_a_burst_of_server_errors_is_retried(simulator):
    simulator.seed(15)
    simulator.set_faults(fail_next=3)
    pages = read_all(simulator.client(), per_page=10)
    assert sum(len(page.campaigns) for page in pages) == 15
    assert [entry["status"] for entry in simulator.request_log()] == [503, 503, 503, 200, 200]


def test_too_many_server_errors_give_up_after_max_attempts(simulator):
    simulator.set_faults(fail_next=10)
    with pytest.raises(Unavailable) as caught:
        simulator.client(max_attempts=3).check_connection()
    assert caught.value.status == 503 and not caught.value.maybe_applied
    assert len(simulator.request_log()) == 3


def test_random_errors_do_not_lose_data(simulator):
    simulator.seed(300)
    simulator.set_faults(error_rate=0.3, rate_limit_per_minute=None)
    pages = read_all(simulator.client(max_attempts=12), per_page=30)
    ids = [c.platform_id for p in pages for c in p.campaigns]
    assert len(pages) == 10 and sorted(ids) == sorted(r["id"] for r in simulator.campaigns())


def test_timeouts_give_up_after_bounded_attempts(simulator):
    simulator.set_faults(latency_ms=800)
    started = time.monotonic()
    with pytest.raises(Unavailable) as caught:
        simulator.client(read_timeout=0.2, max_attempts=3).check_connection()
    assert time.monotonic() - started < 2.5
    assert "in time" in caught.value.message
    wait_until(lambda: len(simulator.request_log()) >= 3, 5, "the slow answers to land in the log")
    assert len(simulator.request_log()) == 3


def test_timeouts_stay_within_the_retry_budget(simulator):
    simulator.set_faults(latency_ms=1000)
    started = time.monotonic()
    with pytest.raises(Unavailable):
        simulator.client(read_timeout=0.3, max_attempts=50, max_retry_seconds=1.5).check_connection()
    assert time.monotonic() - started < 1.5 + 0.3


def test_invalid_records_are_skipped_and_reported_per_page(simulator):
    simulator.seed(20, invalid=6)
    pages = read_all(simulator.client(), per_page=13)
    assert sum(len(page.campaigns) for page in pages) == 20
    invalid = [problem for page in pages for problem in page.invalid]
    stored_ids = {record["id"] for record in simulator.campaigns()}
    assert len(invalid) == 6 and all(raw_id in stored_ids for raw_id, _ in invalid)
    assert any("title" in reason for _, reason in invalid)


def test_odd_but_valid_records_parse_and_unknown_fields_are_ignored(simulator):
    simulator.insert_campaign({"id": "x1", "title": "T", "advertiserName": "A",
                                   "startDate": "2026-01-01", "status": "paused", "budget": 12,
                                   "createdAt": "2026-01-01T10:00:00Z",
                                   "updatedAt": "2026-01-02T10:00:00+02:00", "newField": {"a": 1}})
    campaign = simulator.client().get_campaign("x1")
    assert campaign.budget == Decimal("12") and campaign.end_date is None
    assert campaign.updated_at == datetime(2026, 1, 2, 8, tzinfo=UTC)


@pytest.mark.parametrize("org, token, error", [
    ("acme", "wrong", Unauthorized), ("globex", None, Forbidden), ("nobody", None, NotFound),
])
def test_auth_and_organization_errors_are_typed(simulator, org, token, error):
    simulator.create_organization("globex", "globex-token")
    client = simulator.client(organization=org, token=token or simulator.token)
    with pytest.raises(error) as caught:
        client.check_connection()
    assert caught.value.message.endswith(".") and len(simulator.request_log()) == 1
    with pytest.raises(error):
        read_all(client)


def test_post_is_not_retried_on_a_server_error(simulator):
    simulator.set_faults(fail_next=1)
    with pytest.raises(Unavailable) as caught:
        simulator.client().create_campaign(FIELDS)
    assert caught.value.maybe_applied and "next sync" in caught.value.message
    assert len(api_log(simulator, "POST")) == 1


def test_post_is_retried_after_a_429(simulator):
    simulator.set_faults(rate_limit_per_minute=1, rate_limit_window_seconds=1)
    client = simulator.client()
    client.check_connection()
    assert client.create_campaign(FIELDS).title == "Spring Promo"
    assert [entry["status"] for entry in api_log(simulator, "POST")] == [429, 201]


def test_post_is_retried_when_nothing_could_connect(caplog):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again below, so connecting is refused
    client = MegaphoneClient(f"http://127.0.0.1:{port}/api", "acme", "tok", max_attempts=3)
    with caplog.at_level(logging.WARNING, "oms.platforms.megaphone"), pytest.raises(Unavailable) as caught:
        client.create_campaign(FIELDS)
    assert not caught.value.maybe_applied
    assert sum("retrying" in record.message and "POST" in record.message for record in caplog.records) == 2


def test_validation_errors_use_our_field_names(simulator):
    with pytest.raises(ValidationFailed) as caught:
        simulator.client().create_campaign({**FIELDS, "title": "", "advertiser": None,
                                                "end_date": date(2026, 2, 1)})
    assert set(caught.value.fields) == {"title", "advertiser", "end_date"}
    assert "title" in caught.value.message


def test_create_get_update_delete_round_trip(simulator):
    client = simulator.client()
    created = client.create_campaign(FIELDS)
    assert created.budget == Decimal("1500.00") and created.created_at.tzinfo is not None
    assert client.get_campaign(created.platform_id) == created
    updated = client.update_campaign(created.platform_id, {"status": "paused", "budget": None})
    assert (updated.status, updated.budget, updated.title) == ("paused", None, "Spring Promo")
    assert updated.updated_at > created.updated_at
    client.delete_campaign(created.platform_id)
    with pytest.raises(NotFound):
        client.delete_campaign(created.platform_id)
    with pytest.raises(NotFound):
        client.get_campaign(created.platform_id)
    assert client.check_connection() == 0


def test_put_and_delete_are_retried_on_server_errors(simulator):
    client = simulator.client()
    created = client.create_campaign(FIELDS)
    simulator.set_faults(fail_next=2)
    assert client.update_campaign(created.platform_id, {"title": "Renamed"}).title == "Renamed"
    simulator.set_faults(fail_next=1)
    client.delete_campaign(created.platform_id)
    assert simulator.campaigns() == []


def test_the_token_never_leaks(simulator, caplog):
    simulator.set_faults(fail_next=2)
    client = simulator.client(max_attempts=2)
    errors: list[PlatformError] = []
    with caplog.at_level(logging.DEBUG):
        for action in (client.check_connection, lambda: client.create_campaign({"title": ""}),
                       lambda: client.get_campaign("missing"),
                       simulator.client(token="acme-other-token-x").check_connection):
            try:
                action()
            except PlatformError as exc:
                errors.append(exc)
    assert len(errors) == 4 and "retrying" in caplog.text
    for text in [caplog.text, repr(client), str(client)] + [f"{e} {e!r} {e.message}" for e in errors]:
        assert simulator.token not in text and "acme-other-token-x" not in text


def test_link_header_parsing_follows_rfc_8288():
    header = ('<https://x.test/a?p=1,2>; rel="prev first"; title="a, <b>; c", '
              '<https://x.test/a?page=3&per_page=5>; REL=next; type="application/json",'
              '<https://x.test/last>;rel="last"')
    links = parse_link_header(header)
    assert [target for target, _ in links] == ["https://x.test/a?p=1,2", "https://x.test/a?page=3&per_page=5",
                                               "https://x.test/last"]
    assert links[0][1] == {"rel": "prev first", "title": "a, <b>; c"}
    assert links[1][1]["rel"] == "next" and links[2][1]["rel"] == "last"
    assert parse_link_header("") == []


def test_to_platform_body_maps_only_the_keys_given():
    assert to_platform_body(FIELDS) == {
        "title": "Spring Promo", "advertiserName": "Acme Coffee", "startDate": "2026-03-01",
        "endDate": "2026-03-31", "status": "active", "budget": "1500.00"}
    assert to_platform_body({"end_date": None, "budget": Decimal("7.5"), "customer_id": 3}) == {
        "endDate": None, "budget": "7.50"}
    assert to_platform_body({"budget": Decimal("1.234")}) == {"budget": "1.234"}  # never rounded


@pytest.mark.parametrize("change, word", [
    ({"title": None}, "title"), ({"title": "t" * 256}, "title"), ({"advertiserName": ""}, "advertiserName"),
    ({"startDate": "2026-13-01"}, "startDate"), ({"endDate": "2025-01-01"}, "endDate"),
    ({"status": "archived"}, "status"), ({"budget": "-1"}, "budget"), ({"budget": "1.001"}, "budget"),
    ({"id": None}, "id"), ({"createdAt": "yesterday"}, "createdAt"), ({"updatedAt": None}, "updatedAt"),
])
def test_parse_campaign_names_the_broken_rule(change, word):
    raw = {"id": "c1", "title": "T", "advertiserName": "A", "startDate": "2026-01-01",
           "endDate": None, "status": "draft", "budget": None,
           "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00.5Z"}
    assert parse_campaign(raw).updated_at == datetime(2026, 1, 1, 0, 0, 0, 500000, tzinfo=UTC)
    with pytest.raises(InvalidRecord) as caught:
        parse_campaign({**raw, **change})
    assert word in caught.value.reason


def test_a_total_count_header_that_is_no_plain_number_is_ignored():
    import requests

    from app.platforms.megaphone.client import _total_count

    for header, expected in (("25", 25), (" 7 ", 7), ("²", None), ("-1", None), ("many", None), ("", None)):
        response = requests.Response()
        response.headers["X-Total-Count"] = header
        assert _total_count(response) == expected, header
