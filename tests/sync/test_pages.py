"""Sync pages: the runs list on the shared machinery, the self-polling run page, Sync now and Sync all."""
import csv
import io

import pytest
from redis import Redis

from app.extensions import db
from app.sync import services
from app.sync.models import SyncRun
from tests.sync.helpers import runs


def _run(connection, status, trigger="manual", **values) -> SyncRun:
    run = SyncRun(connection_id=connection.id, customer_id=connection.customer_id, trigger=trigger,
                  status=status, **values)
    db.session.add(run)
    db.session.commit()
    return run


def test_runs_list_filters_sorts_and_exports(client, auth, connection):
    auth.login("operator")
    failed = _run(connection, "failed", "schedule", error="The ad platform rejected the API token.")
    done = _run(connection, "succeeded", "cli", pages=3, inserted=1200)

    page = client.get("/sync/runs")
    only_failed = client.get("/sync/runs?status=failed")
    by_trigger = client.get("/sync/runs?trigger=cli&sort=status&dir=desc")
    nonsense = client.get("/sync/runs?status=exploded&sort=nope")
    exported = client.get(f"/sync/runs?format=csv&customer={connection.customer_id}")

    assert page.status_code == 200 and f"#{failed.id}" in page.text and f"#{done.id}" in page.text
    assert "Sync now" in page.text and "Sync all" in page.text
    assert f"#{failed.id}" in only_failed.text and f"#{done.id}</a>" not in only_failed.text
    assert f"#{done.id}" in by_trigger.text and f"#{failed.id}</a>" not in by_trigger.text
    assert nonsense.status_code == 200 and "Ignored status" in nonsense.text and "Unknown sort" in nonsense.text
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [(r["run"], r["status"], r["inserted"]) for r in rows] == [(str(done.id), "succeeded", "1200"),
                                                                      (str(failed.id), "failed", "0")]
    assert rows[1]["error"] == "The ad platform rejected the API token."


def test_runs_list_fragment_for_htmx_has_no_page_chrome(client, auth, connection):
    auth.login("admin")
    _run(connection, "queued")

    fragment = client.get("/sync/runs?q=ACME", headers={"HX-Request": "true"})

    assert fragment.status_code == 200 and "<html" not in fragment.text and "ACME" in fragment.text


def test_a_running_run_polls_and_a_finished_one_stops(client, auth, connection):
    auth.login("operator")
    running = _run(connection, "running", pages=2, inserted=1000)
    failed = _run(connection, "failed", error="The ad platform did not answer in time. Try again in a few minutes.")

    whole = client.get(f"/sync/runs/{running.id}")
    fragment = client.get(f"/sync/runs/{running.id}", headers={"HX-Request": "true"})
    ended = client.get(f"/sync/runs/{failed.id}", headers={"HX-Request": "true"})

    assert whole.status_code == 200 and "<html" in whole.text and 'hx-trigger="every 1s"' in whole.text
    assert "<html" not in fragment.text and 'hx-trigger="every 1s"' in fragment.text
    assert 'data-count="pages">2<' in fragment.text and 'data-count="inserted">1000<' in fragment.text
    assert "hx-trigger" not in ended.text and "hx-get" not in ended.text
    assert "The ad platform did not answer in time. Try again in a few minutes." in ended.text


def test_sync_now_queues_a_run_and_shows_its_page(client, auth, connection):
    auth.login("operator")

    response = client.post(f"/sync/connections/{connection.id}/run")
    again = client.post(f"/sync/connections/{connection.id}/run", follow_redirects=True)

    [run] = runs()
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/sync/runs/{run.id}")
    assert (run.status, run.trigger) == ("queued", "manual")
    assert f"already under way (run #{run.id})" in again.text


def test_sync_all_queues_every_enabled_connection(client, auth, connection, factory, simulator):
    from app.platforms import services as platform_services

    other = factory.customer(code="OFF")
    platform_services.save_connection(other, platform_services.find_platform("megaphone"), "x", "t", sync_enabled=False)
    auth.login("operator")

    response = client.post("/sync/run-all", follow_redirects=True)

    assert [(r.connection_id, r.trigger) for r in runs()] == [(connection.id, "manual")]
    assert "Sync started for 1 connection(s)" in response.text


def test_sync_now_for_an_unknown_connection_is_a_404(client, auth):
    auth.login("admin")
    assert client.post("/sync/connections/999/run").status_code == 404
    assert client.get("/sync/runs/999").status_code == 404


def test_sync_now_without_redis_says_so_on_the_run_page(client, auth, connection, app):
    auth.login("operator")
    app.extensions["redis"] = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)  # nothing listens

    page = client.post(f"/sync/connections/{connection.id}/run", follow_redirects=True)

    assert page.status_code == 200
    assert "Could not queue the sync: the job queue (Redis) did not answer." in page.text


@pytest.mark.parametrize("role", ["customer"])
def test_customer_logins_cannot_start_a_sync(client, auth, connection, role):
    auth.login(role)
    assert client.post(f"/sync/connections/{connection.id}/run").status_code == 403
    assert not runs()


def test_services_reject_an_unknown_connection(app):
    from app.common.errors import ValidationError

    with pytest.raises(ValidationError, match="does not exist"):
        services.request_sync(12345, "manual")


def test_sync_all_without_redis_says_nothing_could_be_queued(client, auth, connection, app):
    from app.redis_client import init_redis

    auth.login("operator")
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # a closed port: nothing listens
    init_redis(app)

    page = client.post("/sync/run-all", follow_redirects=True)

    assert page.status_code == 200
    assert "Sync started" not in page.text
    assert "1 connection(s) not synced" in page.text
    assert "Could not queue the sync: the job queue (Redis) did not answer." in page.text
    assert [r.status for r in runs()] == ["failed"]
