"""The simulator speaks the contract exactly, over real HTTP."""

import re
import threading
import time
import uuid

import pytest
import requests

from app.platforms.megaphone.errors import InvalidRecord
from app.platforms.megaphone.records import parse_campaign
from tests.waiting import wait_until

CAMPAIGNS = "/organizations/acme/campaigns"
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")
VALID = {"title": "Spring Promo", "advertiserName": "Acme Coffee", "startDate": "2026-03-01",
         "endDate": "2026-03-31", "status": "active", "budget": "1500.00"}


def follow_pages(sim, first_path):
    """Every page's JSON and headers, following Link rel="next" as a client would."""
    pages = [sim.api("GET", first_path)]
    while 'rel="next"' in pages[-1].headers.get("Link", ""):
        next_url = re.match(r"<([^>]+)>", pages[-1].headers["Link"]).group(1)
        assert next_url.startswith("http://127.0.0.1:")
        pages.append(sim.http.get(next_url, headers={"Authorization": f'Token token="{sim.token}"'}))
    return pages


@pytest.mark.parametrize("token, status, error", [
    (None, 401, "unauthorized"),
    ("wrong-token", 401, "unauthorized"),
    ("globex-token", 403, "forbidden"),
])
def test_auth_failures_have_the_contract_shape(simulator, token, status, error):
    simulator.create_organization("globex", "globex-token")
    response = simulator.api("GET", CAMPAIGNS, token=token)
    assert response.status_code == status
    assert response.json()["error"] == error and response.json()["message"]


def test_unknown_organization_and_campaign_are_404(simulator):
    assert simulator.api("GET", "/organizations/nope/campaigns").status_code == 404
    response = simulator.api("GET", f"{CAMPAIGNS}/{uuid.uuid4()}")
    assert response.status_code == 404 and response.json()["error"] == "not_found"
    assert simulator.api("PUT", f"{CAMPAIGNS}/missing", json={"title": "x"}).status_code == 404
    assert simulator.api("DELETE", f"{CAMPAIGNS}/missing").status_code == 404


def test_create_get_update_delete(simulator):
    created = simulator.api("POST", CAMPAIGNS, json={**VALID, "status": "draft"})
    assert created.status_code == 201
    record = created.json()
    assert uuid.UUID(record["id"]).version == 4
    assert {k: record[k] for k in VALID} == {**VALID, "status": "draft"}
    assert TIMESTAMP.fullmatch(record["createdAt"]) and record["createdAt"] == record["updatedAt"]
    assert simulator.api("GET", f"{CAMPAIGNS}/{record['id']}").json() == record

    updated = simulator.api("PUT", f"{CAMPAIGNS}/{record['id']}", json={"budget": "99.5", "id": "hack"})
    assert updated.status_code == 200
    assert updated.json()["budget"] == "99.50" and updated.json()["title"] == VALID["title"]
    assert updated.json()["id"] == record["id"] and updated.json()["createdAt"] == record["createdAt"]
    assert updated.json()["updatedAt"] > record["updatedAt"]

    assert simulator.api("DELETE", f"{CAMPAIGNS}/{record['id']}").status_code == 204
    assert simulator.api("GET", f"{CAMPAIGNS}/{record['id']}").status_code == 404
    assert simulator.api("DELETE", f"{CAMPAIGNS}/{record['id']}").status_code == 404


def test_status_defaults_to_draft_and_root_prefix_also_works(simulator):
    body = {k: v for k, v in VALID.items() if k not in ("status", "endDate", "budget")}
    response = simulator.http.post(f"{simulator.root_url}{CAMPAIGNS}", json=body,
                                       headers={"Authorization": f'Token token="{simulator.token}"'})
    assert response.status_code == 201
    assert response.json()["status"] == "draft"
    assert response.json()["endDate"] is None and response.json()["budget"] is None


@pytest.mark.parametrize("change, field", [
    ({"title": None}, "title"), ({"title": ""}, "title"), ({"title": "x" * 256}, "title"),
    ({"advertiserName": None}, "advertiserName"), ({"advertiserName": 7}, "advertiserName"),
    ({"startDate": None}, "startDate"), ({"startDate": "2026-02-30"}, "startDate"),
    ({"startDate": "01/03/2026"}, "startDate"), ({"endDate": "2026-02-28"}, "endDate"),
    ({"status": "archived"}, "status"), ({"budget": "-1.00"}, "budget"),
    ({"budget": "10.123"}, "budget"), ({"budget": "lots"}, "budget"),
])
def test_create_validates_every_rule(simulator, change, field):
    response = simulator.api("POST", CAMPAIGNS, json={**VALID, **change})
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "validation_failed" and body["message"]
    assert list(body["fields"]) == [field]
    assert simulator.campaigns() == []


def test_update_validates_the_merged_record_and_reports_every_field(simulator):
    record = simulator.api("POST", CAMPAIGNS, json=VALID).json()
    response = simulator.api("PUT", f"{CAMPAIGNS}/{record['id']}",
                                 json={"endDate": "2026-01-01", "title": ""})
    assert response.status_code == 422
    assert set(response.json()["fields"]) == {"endDate", "title"}
    assert simulator.api("GET", f"{CAMPAIGNS}/{record['id']}").json() == record


def test_non_object_body_is_422(simulator):
    response = simulator.api("POST", CAMPAIGNS, data="not json")
    assert response.status_code == 422 and "body" in response.json()["fields"]


def test_pages_follow_absolute_links_in_created_order(simulator):
    simulator.seed(25)
    pages = follow_pages(simulator, f"{CAMPAIGNS}?per_page=10")
    assert [len(page.json()) for page in pages] == [10, 10, 5]
    assert {page.headers["X-Total-Count"] for page in pages} == {"25"}
    assert "per_page=10" in pages[0].headers["Link"] and "Link" not in pages[-1].headers
    listed = [record["id"] for page in pages for record in page.json()]
    assert listed == [record["id"] for record in simulator.campaigns()]
    keys = [(record["createdAt"], record["id"]) for page in pages for record in page.json()]
    assert keys == sorted(keys)


def test_default_page_size_and_a_page_past_the_end(simulator):
    simulator.seed(120)
    first = simulator.api("GET", CAMPAIGNS)
    assert len(first.json()) == 100 and "page=2" in first.headers["Link"]
    past = simulator.api("GET", f"{CAMPAIGNS}?page=9")
    assert past.status_code == 200 and past.json() == [] and "Link" not in past.headers


@pytest.mark.parametrize("query, field", [
    ("per_page=0", "per_page"), ("per_page=501", "per_page"), ("per_page=ten", "per_page"),
    ("page=0", "page"), ("updated_since=yesterday", "updated_since"),
])
def test_bad_list_parameters_are_422(simulator, query, field):
    response = simulator.api("GET", f"{CAMPAIGNS}?{query}")
    assert response.status_code == 422 and field in response.json()["fields"]


def test_order_is_created_at_then_id(simulator):
    for raw_id, created in [("b", "2026-01-02T00:00:00Z"), ("a", "2026-01-02T00:00:00Z"),
                            ("c", "2026-01-01T00:00:00Z")]:
        simulator.insert_campaign({**VALID, "id": raw_id, "createdAt": created, "updatedAt": created})
    assert [r["id"] for r in simulator.api("GET", CAMPAIGNS).json()] == ["c", "a", "b"]


def test_updated_since_is_inclusive_and_kept_in_links(simulator):
    simulator.seed(30)
    changed = [simulator.api("PUT", f"{CAMPAIGNS}/{r['id']}", json={"title": "Changed"}).json()
               for r in simulator.campaigns()[5:8]]
    since = changed[0]["updatedAt"]
    pages = follow_pages(simulator, f"{CAMPAIGNS}?per_page=2&updated_since={since}")
    assert "updated_since=" in pages[0].headers["Link"]
    assert sorted(r["id"] for p in pages for r in p.json()) == sorted(r["id"] for r in changed)
    assert pages[0].headers["X-Total-Count"] == "3"


def test_updated_at_strictly_increases_even_within_a_second(simulator):
    simulator.seed(50)
    stamps = [record["updatedAt"] for record in simulator.campaigns()]
    assert all(TIMESTAMP.fullmatch(stamp) for stamp in stamps)
    assert stamps == sorted(set(stamps))


def test_seeded_invalid_records_are_listed_as_is(simulator):
    simulator.seed(10, invalid=6)
    records = simulator.api("GET", CAMPAIGNS).json()
    assert len(records) == 16
    broken = []
    for record in records:
        try:
            parse_campaign(record)
        except InvalidRecord as exc:
            broken.append(exc.reason)
    assert len(broken) == 6 and len(set(broken)) == 6


def test_mutate_changes_data_now(simulator):
    simulator.seed(20)
    before = {r["id"]: r for r in simulator.campaigns()}
    result = simulator.mutate(update=4, delete=3, create=2)
    after = {r["id"]: r for r in simulator.campaigns()}
    assert len(after) == 19 and not set(result["deleted"]) & set(after)
    assert set(result["created"]) == set(after) - set(before)
    assert all(after[i]["updatedAt"] > before[i]["updatedAt"] for i in result["updated"])


def test_mutate_after_requests_waits_for_list_requests(simulator):
    simulator.seed(30)
    before = [r["id"] for r in simulator.campaigns()]
    assert simulator.mutate(delete=5, create=2, after_requests=2)["scheduled"] is True
    assert [r["id"] for r in simulator.api("GET", f"{CAMPAIGNS}?per_page=10").json()] == before[:10]
    assert [r["id"] for r in simulator.campaigns()] == before
    second = simulator.api("GET", f"{CAMPAIGNS}?per_page=10&page=2")
    assert [r["id"] for r in second.json()] == before[10:20]
    assert len(simulator.campaigns()) == 27


def test_raw_insert_keeps_the_record_and_refuses_duplicate_ids(simulator):
    stored = simulator.insert_campaign({"id": "lost-reply", "title": "Lost", "extra": [1]})
    assert stored["extra"] == [1] and TIMESTAMP.fullmatch(stored["createdAt"])
    assert simulator.api("GET", f"{CAMPAIGNS}/lost-reply").json() == stored
    duplicate = simulator.http.post(f"{simulator.root_url}/_sim/organizations/acme/campaigns",
                                        json={"id": "lost-reply"})
    assert duplicate.status_code == 409


def test_fail_next_and_error_rate_hit_only_the_api(simulator):
    simulator.set_faults(fail_next=2)
    simulator.request_log()  # /_sim calls never use up a fault
    assert [simulator.api("GET", CAMPAIGNS).status_code for _ in range(3)] == [503, 503, 200]
    simulator.set_faults(error_rate=1.0)
    statuses = {simulator.api("GET", CAMPAIGNS).status_code for _ in range(12)}
    assert statuses <= {500, 502, 503, 504} and len(statuses) > 1


def test_latency_delays_answers(simulator):
    simulator.set_faults(latency_ms=300)
    started = time.monotonic()
    assert simulator.api("GET", CAMPAIGNS).status_code == 200
    assert time.monotonic() - started >= 0.3


def test_bad_fault_settings_are_422(simulator):
    response = simulator.http.post(f"{simulator.root_url}/_sim/faults",
                                       json={"error_rate": 2, "typo": 1})
    assert response.status_code == 422 and set(response.json()["fields"]) == {"error_rate", "typo"}


def test_rate_limit_is_a_sliding_window_per_token(simulator):
    simulator.create_organization("globex", "globex-token")
    simulator.set_faults(rate_limit_per_minute=3, rate_limit_window_seconds=1)
    assert [simulator.api("GET", CAMPAIGNS).status_code for _ in range(3)] == [200] * 3
    refused, refused_at = simulator.api("GET", CAMPAIGNS), time.monotonic()
    assert refused.status_code == 429 and refused.json()["error"] == "rate_limited"
    assert refused.headers["Retry-After"] == "1"
    other = simulator.api("GET", "/organizations/globex/campaigns", token="globex-token")
    assert other.status_code == 200
    assert simulator.api("GET", CAMPAIGNS).status_code == 429  # refusals take no slot
    # Once Retry-After has passed the window frees its three slots: three calls get through, the fourth does not.
    for _ in range(3):
        wait_until(lambda: simulator.api("GET", CAMPAIGNS).status_code == 200, 3, "the window to free a slot")
    assert time.monotonic() - refused_at < int(refused.headers["Retry-After"]) + 0.5
    assert simulator.api("GET", CAMPAIGNS).status_code == 429


def test_request_log_lists_api_calls_without_the_token(simulator):
    simulator.api("GET", f"{CAMPAIGNS}?per_page=5")
    simulator.api("GET", CAMPAIGNS, token=None)
    log = simulator.request_log()
    assert [(e["method"], e["path"], e["status"]) for e in log] == [
        ("GET", "/api" + CAMPAIGNS, 200), ("GET", "/api" + CAMPAIGNS, 401)]
    assert log[0]["query"] == "per_page=5" and isinstance(log[0]["time"], float)
    assert simulator.token not in str(log)


def test_reset_drops_everything_and_organizations_can_be_retokened(simulator):
    simulator.create_organization("acme", "new-token")
    assert simulator.api("GET", CAMPAIGNS).status_code == 401
    assert simulator.api("GET", CAMPAIGNS, token="new-token").status_code == 200
    simulator.control("POST", "/reset")
    assert simulator.request_log() == []
    assert simulator.api("GET", CAMPAIGNS, token="new-token").status_code == 401


def test_concurrent_creates_are_all_kept(simulator):
    simulator.set_faults(rate_limit_per_minute=None)
    ids, lock = [], threading.Lock()

    def create_some():
        for _ in range(15):
            response = requests.post(f"{simulator.api_url}{CAMPAIGNS}", json=VALID, timeout=30,
                                     headers={"Authorization": f'Token token="{simulator.token}"'})
            record = response.json()
            with lock:
                ids.append(record["id"])

    threads = [threading.Thread(target=create_some) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = simulator.campaigns()
    assert len(set(ids)) == 120 and sorted(r["id"] for r in stored) == sorted(ids)
    stamps = [r["updatedAt"] for r in stored]
    assert len(set(stamps)) == 120
