"""Bulk archive and restore: each row on its own, every failure reported, none losing the others."""
from app.campaigns import services
from app.extensions import db

BULK = "/platforms/1/campaigns/bulk"


def bulk(client, action, campaigns) -> str:
    response = client.post(BULK, data={"action": action, "ids": [c.id for c in campaigns]}, follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_one_rows_platform_failure_does_not_lose_the_others(client, auth, connected, factory):
    rotated = factory.connection(connected.simulator, "BADCO", org="badco", token="badco-token")
    first, refused, last = connected.campaign(title="A one"), rotated.campaign(title="B one"), connected.campaign(title="A two")
    connected.simulator.create_organization("badco", "a-rotated-token")  # OMS still holds the old one
    auth.login("operator")
    page = bulk(client, "archive", [first, refused, last])
    assert ("Archived 2; 1 failed: B one: The ad platform rejected the API token. Check the connection&#39;s token. "
            "(The campaign was not archived.)") in page
    db.session.expire_all()
    assert first.is_archived and last.is_archived and not refused.is_archived
    assert connected.platform_ids() == set() and len(rotated.platform_ids()) == 1


def test_bulk_stops_calling_a_platform_that_stopped_answering(client, auth, connected):
    campaigns = [connected.campaign(title=f"Promo {n}") for n in range(3)]
    connected.simulator.set_faults(error_rate=1.0)
    auth.login("operator")
    page = bulk(client, "archive", campaigns)
    assert ("Archived 0; 3 failed: Promo 0: The ad platform did not answer; the campaign was not archived. "
            "Try again in a few minutes. Promo 1: Not tried, because the ad platform stopped answering. "
            "Promo 2: Not tried, because the ad platform stopped answering.") in page
    assert {r["path"].rsplit("/", 1)[1] for r in connected.requests("DELETE")} == {campaigns[0].platform_campaign_id}
    db.session.expire_all()
    assert not any(c.is_archived for c in campaigns)


def test_bulk_restore_recreates_each_and_skips_the_active_ones(client, auth, connected):
    archived = [connected.campaign(title=f"Old {n}") for n in range(2)]
    active = connected.campaign(title="Live one")
    old_ids = {c.platform_campaign_id for c in archived}
    for campaign in archived:
        services.archive_campaign(campaign)
    auth.login("operator")
    page = bulk(client, "restore", [*archived, active])
    assert "Restored 2 (1 already active)." in page
    db.session.expire_all()
    assert not any(c.is_archived for c in archived)
    assert not old_ids & {c.platform_campaign_id for c in archived}
    assert connected.platform_ids() == {c.platform_campaign_id for c in (*archived, active)}


def test_bulk_asks_for_a_choice_and_a_tick(client, auth, connected):
    campaign = connected.campaign()
    auth.login("operator")
    assert "Tick at least one campaign" in client.post(BULK, data={"action": "archive"}, follow_redirects=True).get_data(as_text=True)
    assert "Tick at least one campaign" in client.post(BULK, data={"action": "explode", "ids": [campaign.id]},
                                                       follow_redirects=True).get_data(as_text=True)
    assert "at most 50 campaigns" in client.post(BULK, data={"action": "archive", "ids": list(range(1, 60))},
                                                 follow_redirects=True).get_data(as_text=True)
    db.session.expire_all()
    assert not campaign.is_archived


def test_bulk_through_htmx_answers_with_the_list_and_the_message(client, auth, connected):
    campaign = connected.campaign(title="Swapped")
    auth.login("operator")
    response = client.post(BULK, data={"action": "archive", "ids": [campaign.id], "next": "/platforms/1/campaigns"},
                           headers={"HX-Request": "true"}, follow_redirects=True)
    fragment = response.get_data(as_text=True)
    assert "<html" not in fragment and "Archived 1." in fragment and "No campaigns match." in fragment
