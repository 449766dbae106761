"""Campaign flows against the simulator over HTTP: platform first, nothing half-saved, plain messages."""
import time

from sqlalchemy import select

from app.campaigns import services
from app.campaigns.models import Campaign
from app.extensions import db
from tests.campaigns.helpers import field_error, form_data
from tests.waiting import wait_until

NEW = "/platforms/1/campaigns/new"
NO_ANSWER_ON_CREATE = "The ad platform did not answer; nothing was saved. If it was created, the next sync will add it."


def stored() -> list[Campaign]:
    """Every campaign row, read fresh from the database."""
    db.session.expire_all()
    return db.session.execute(select(Campaign).order_by(Campaign.id)).scalars().all()


def html(response) -> str:
    return response.get_data(as_text=True)


def test_create_goes_to_the_platform_first_and_keeps_its_id(client, auth, connected):
    auth.login("operator")
    response = client.post(NEW, data=form_data(customer_id=connected.customer.id))
    assert response.status_code == 303
    [campaign] = stored()
    [record] = connected.simulator.campaigns()
    assert campaign.platform_campaign_id == record["id"]
    assert (campaign.title, campaign.advertiser, str(campaign.budget), campaign.status) == (
        "Spring Promo", "Acme Coffee", "1500.00", "active")
    assert (record["advertiserName"], record["budget"], record["endDate"]) == ("Acme Coffee", "1500.00", "2026-03-31")
    assert campaign.sync_state == "synced" and campaign.platform_updated_at is not None
    page = html(client.get(response.headers["Location"]))
    assert "Created “Spring Promo” on Megaphone." in page and record["id"] in page


def test_a_platform_refusal_shows_next_to_the_fields_and_saves_nothing(client, auth, connected):
    auth.login("operator")
    response = client.post(NEW, data=form_data(customer_id=connected.customer.id, end_date="2026-02-01", budget="-5"))
    assert response.status_code == 422
    page = html(response)
    assert field_error(page, "end_date") == "End date must be on or after the start date."
    assert field_error(page, "budget") == "Budget must be greater than or equal to 0."
    assert "The ad platform refused the campaign; nothing was saved. See the marked fields." in page
    assert stored() == [] and connected.simulator.campaigns() == []
    assert [r["status"] for r in connected.requests("POST")] == [422]


def test_the_form_catches_what_needs_no_platform(client, auth, connected):
    auth.login("operator")
    response = client.post(NEW, data=form_data(customer_id="", title=" ", start_date="1 March", budget="lots"))
    assert response.status_code == 422
    page = html(response)
    assert field_error(page, "customer_id") == "Choose the customer this campaign is for."
    assert field_error(page, "title") == "Enter a title."
    assert field_error(page, "start_date") == "Enter a date as YYYY-MM-DD."
    assert field_error(page, "budget") == "Not a valid decimal value."
    assert connected.requests() == []


def test_a_failing_platform_saves_nothing_and_the_create_is_never_retried(client, auth, connected):
    connected.simulator.set_faults(error_rate=1.0)
    auth.login("operator")
    response = client.post(NEW, data=form_data(customer_id=connected.customer.id))
    assert response.status_code == 422
    assert NO_ANSWER_ON_CREATE in html(response)
    assert field_error(html(response), "title") is None
    assert stored() == []
    assert len(connected.requests("POST")) == 1  # a POST may have worked: never sent twice


def test_a_platform_too_slow_to_answer_a_create_saves_nothing_here(client, auth, connected):
    connected.simulator.set_faults(latency_ms=1500)
    auth.login("operator")
    started = time.monotonic()
    response = client.post(NEW, data=form_data(customer_id=connected.customer.id))
    assert time.monotonic() - started < 1.4  # the 0.5 s read timeout, and no retry of the POST
    assert response.status_code == 422
    assert NO_ANSWER_ON_CREATE in html(response)
    assert stored() == []


def test_a_platform_asking_us_to_wait_longer_than_a_person_would_saves_nothing(client, auth, connected):
    connected.simulator.set_faults(rate_limit_per_minute=1)
    connected.campaign(title="Took the only slot")
    auth.login("operator")
    started = time.monotonic()
    response = client.post(NEW, data=form_data(customer_id=connected.customer.id))
    assert time.monotonic() - started < 1  # Retry-After is beyond the retry budget: no sleeping on it
    assert "The ad platform is busy and asked us to wait; nothing was saved. Try again in a minute." in html(response)
    assert [c.title for c in stored()] == ["Took the only slot"]


def test_the_platform_token_never_reaches_a_page_or_the_log(client, auth, connected, all_logs):
    auth.login("operator")
    seen = [html(client.post(NEW, data=form_data(customer_id=connected.customer.id), follow_redirects=True))]
    campaign = stored()[0]
    for faults in ({"error_rate": 1.0}, {"error_rate": 0.0, "latency_ms": 800}):
        connected.simulator.set_faults(**faults)
        seen.append(html(client.post(NEW, data=form_data(customer_id=connected.customer.id))))
        seen.append(html(client.post(f"/platforms/1/campaigns/{campaign.id}/edit", data=form_data(title="x"))))
    for path in ("/platforms/1/campaigns", "/platforms/1/campaigns?format=csv", f"/customers/{connected.customer.id}"):
        seen.append(html(client.get(path)))
    assert sum("did not answer" in text for text in seen) == 4 and "Megaphone PUT" in all_logs.text
    assert all(connected.simulator.token not in text for text in seen)
    assert connected.simulator.token not in all_logs.text


def test_a_create_whose_answer_was_lost_is_adopted_by_the_next_sync(client, auth, connected):
    from rq import SimpleWorker

    from app.queues import SYNC, get_queue
    from app.redis_client import get_redis
    from app.sync.services import request_sync

    connected.simulator.set_faults(latency_ms=1000)
    auth.login("operator")
    response = client.post(NEW, data=form_data(customer_id=connected.customer.id, title="Lost Reply"))
    assert NO_ANSWER_ON_CREATE in html(response) and stored() == []
    # The platform finishes the create after we stopped waiting for its answer.
    [record] = wait_until(connected.simulator.campaigns, 5, "the platform to finish the create")
    connected.simulator.set_faults(latency_ms=0)

    request_sync(connected.connection.id, "manual")
    SimpleWorker([get_queue(SYNC)], connection=get_redis()).work(burst=True)

    [campaign] = stored()
    assert (campaign.platform_campaign_id, campaign.title) == (record["id"], "Lost Reply")


def test_edit_puts_on_the_platform_then_saves(client, auth, connected):
    campaign = connected.campaign()
    auth.login("operator")
    response = client.post(f"/platforms/1/campaigns/{campaign.id}/edit", data=form_data(title="Summer Promo", budget="99.5"))
    assert response.status_code == 303
    [record] = connected.simulator.campaigns()
    [saved] = stored()
    assert (record["title"], record["budget"]) == ("Summer Promo", "99.50")
    assert (saved.title, str(saved.budget)) == ("Summer Promo", "99.50")
    assert saved.platform_updated_at.isoformat()[:19] == record["updatedAt"][:19]
    assert [r["method"] for r in connected.requests()] == ["POST", "PUT"]


def test_an_edit_the_platform_refuses_changes_nothing(client, auth, connected):
    campaign = connected.campaign()
    auth.login("operator")
    response = client.post(f"/platforms/1/campaigns/{campaign.id}/edit", data=form_data(title="New", end_date="2026-01-01"))
    assert response.status_code == 422
    assert field_error(html(response), "end_date") == "End date must be on or after the start date."
    assert stored()[0].title == "Spring Promo" and connected.simulator.campaigns()[0]["title"] == "Spring Promo"


def test_an_edit_the_platform_fails_or_is_too_slow_for_changes_nothing_here(client, auth, connected):
    campaign = connected.campaign()
    auth.login("operator")
    for faults in ({"error_rate": 1.0}, {"error_rate": 0.0, "latency_ms": 1000}):
        connected.simulator.set_faults(**faults)
        started = time.monotonic()
        response = client.post(f"/platforms/1/campaigns/{campaign.id}/edit", data=form_data(title="Changed"))
        assert time.monotonic() - started < 4  # retries stay inside the (test-sized) retry budget
        assert response.status_code == 422
        assert ("The ad platform did not answer; nothing was changed in OMS. "
                "If the change reached the platform, the next sync will bring it in.") in html(response)
        assert stored()[0].title == "Spring Promo"
    assert 2 <= len(connected.requests("PUT")) <= 6  # PUT is safe to retry, within attempts and budget


def test_editing_an_archived_campaign_changes_only_the_database(client, auth, connected):
    campaign = connected.campaign()
    services.archive_campaign(campaign)
    calls_before = len(connected.requests())
    connected.simulator.set_faults(error_rate=1.0)  # any call would fail: there must be none
    auth.login("operator")
    edit = f"/platforms/1/campaigns/{campaign.id}/edit"
    assert "changes are saved in OMS only" in html(client.get(edit))
    refused = client.post(edit, data=form_data(end_date="2026-01-01"))
    assert field_error(html(refused), "end_date") == "End date must be on or after the start date."
    response = client.post(edit, data=form_data(title="Old Promo"))
    assert response.status_code == 303
    assert stored()[0].title == "Old Promo" and stored()[0].is_archived
    assert len(connected.requests()) == calls_before


def test_archive_deletes_on_the_platform_then_keeps_the_row_archived(client, auth, connected):
    campaign = connected.campaign()
    platform_id = campaign.platform_campaign_id
    auth.login("operator")
    response = client.post(f"/platforms/1/campaigns/{campaign.id}/archive", follow_redirects=True)
    assert "Archived “Spring Promo”." in html(response)
    assert connected.simulator.campaigns() == []
    [delete] = connected.requests("DELETE")
    assert delete["path"].endswith(platform_id) and delete["status"] == 204
    [row] = stored()
    assert row.is_archived and row.platform_campaign_id == platform_id


def test_archive_counts_already_gone_on_the_platform_as_done(client, auth, connected):
    campaign = connected.campaign()
    connected.simulator.api("DELETE", f"/organizations/{connected.simulator.org}/campaigns/{campaign.platform_campaign_id}")
    auth.login("operator")
    client.post(f"/platforms/1/campaigns/{campaign.id}/archive")
    assert stored()[0].is_archived
    assert [r["status"] for r in connected.requests("DELETE")] == [204, 404]


def test_a_404_about_the_organisation_is_not_taken_for_a_deleted_campaign(client, auth, connected):
    campaign = connected.campaign()
    connected.connection.organization = "acme-typo"
    db.session.commit()
    auth.login("operator")
    for action in ("archive", "delete"):
        page = html(client.post(f"/platforms/1/campaigns/{campaign.id}/{action}", follow_redirects=True))
        assert "The ad platform has no organization &#39;acme-typo&#39;." in page
    page = html(client.post(f"/platforms/1/campaigns/{campaign.id}/edit", data=form_data(title="x")))
    assert "The ad platform has no organization &#39;acme-typo&#39;." in page
    [row] = stored()
    assert not row.is_archived and row.sync_state == "synced"
    assert len(connected.simulator.campaigns()) == 1


def test_archive_and_delete_change_nothing_while_the_platform_is_down(client, auth, connected):
    campaign = connected.campaign()
    connected.simulator.set_faults(error_rate=1.0)
    auth.login("operator")
    for action, nothing in (("archive", "the campaign was not archived"), ("delete", "the campaign was not deleted")):
        page = html(client.post(f"/platforms/1/campaigns/{campaign.id}/{action}", follow_redirects=True))
        assert f"The ad platform did not answer; {nothing}. Try again in a few minutes." in page
    [row] = stored()
    assert not row.is_archived
    assert len(connected.simulator.campaigns()) == 1


def test_restore_recreates_the_campaign_on_the_platform_under_a_new_id(client, auth, connected):
    campaign = connected.campaign(title="Comeback")
    old_id = campaign.platform_campaign_id
    services.archive_campaign(campaign)
    auth.login("operator")
    page = html(client.post(f"/platforms/1/campaigns/{campaign.id}/restore", follow_redirects=True))
    assert "Restored “Comeback”." in page
    [row] = stored()
    assert not row.is_archived and row.platform_campaign_id != old_id
    assert connected.platform_ids() == {row.platform_campaign_id}
    assert connected.simulator.campaigns()[0]["title"] == "Comeback"


def test_a_restore_the_platform_does_not_answer_leaves_it_archived(client, auth, connected):
    campaign = connected.campaign()
    services.archive_campaign(campaign)
    connected.simulator.set_faults(fail_next=1)
    auth.login("operator")
    page = html(client.post(f"/platforms/1/campaigns/{campaign.id}/restore", follow_redirects=True))
    assert "The ad platform did not answer; the campaign is still archived." in page
    assert stored()[0].is_archived


def test_delete_removes_it_on_the_platform_then_here(client, auth, connected):
    campaign = connected.campaign()
    auth.login("operator")
    response = client.post(f"/platforms/1/campaigns/{campaign.id}/delete",
                           data={"next": "/platforms/1/campaigns?q=x"})
    assert response.status_code == 303 and response.headers["Location"] == "/platforms/1/campaigns?q=x"
    assert stored() == [] and connected.simulator.campaigns() == []


def test_a_campaign_deleted_on_the_platform_says_so_and_is_archived_or_deleted_locally(client, auth, connected):
    first, second = connected.campaign(title="Gone A"), connected.campaign(title="Gone B")
    for campaign in (first, second):
        connected.simulator.api("DELETE", f"/organizations/{connected.simulator.org}/campaigns/{campaign.platform_campaign_id}")
    auth.login("operator")
    refused = client.post(f"/platforms/1/campaigns/{first.id}/edit", data=form_data(title="Gone A"))
    assert "The ad platform no longer has this campaign" in html(refused)
    second.sync_state = "deleted_on_platform"  # as a complete sync marks it
    db.session.commit()
    assert [c.sync_state for c in stored()] == ["deleted_on_platform", "deleted_on_platform"]
    show = html(client.get(f"/platforms/1/campaigns/{first.id}"))
    assert "Deleted on platform" in show and "Megaphone no longer has this campaign" in show

    calls_before = len(connected.requests())
    client.post(f"/platforms/1/campaigns/{first.id}/archive")
    client.post(f"/platforms/1/campaigns/{second.id}/delete")
    [row] = stored()
    assert row.title == "Gone A" and row.is_archived
    assert len(connected.requests()) == calls_before  # nothing left on the platform to ask
