"""/api/v1 customers (balance, admin credits), platform campaigns (platform first, 503 when it is down), sync runs."""
from sqlalchemy import select

from app.campaigns.models import Campaign
from app.extensions import db
from app.sync.models import SyncRun

CAMPAIGNS = "/api/v1/platforms/1/campaigns"
SPRING = {"title": "Spring Promo", "advertiser": "Acme Coffee", "start_date": "2026-03-01",
          "end_date": "2026-03-31", "status": "active", "budget": "1500.00"}


def test_customers_show_their_balance_and_only_admins_credit_it(app, api_as, factory):
    mine, theirs = factory.customer(), factory.customer()
    factory.deposit(mine, "20.00")
    customer = api_as("customer", customer=mine)
    assert [c["id"] for c in customer.get("/api/v1/customers").json] == [mine.id]
    assert customer.get(f"/api/v1/customers/{mine.id}").json["balance"] == "20.00"
    assert customer.get(f"/api/v1/customers/{theirs.id}").status_code == 404
    credit = {"amount": "5.00", "reason": "Cheque"}
    assert customer.post(f"/api/v1/customers/{mine.id}/balance-changes", json=credit).status_code == 403
    assert api_as("operator").post(f"/api/v1/customers/{mine.id}/balance-changes", json=credit).status_code == 403
    admin = api_as("admin")
    credited = admin.post(f"/api/v1/customers/{mine.id}/balance-changes", json=credit)
    assert credited.status_code == 201 and credited.json["balance"] == "25.00"
    below = admin.post(f"/api/v1/customers/{mine.id}/balance-changes",
                       json={"kind": "adjustment", "amount": "-99.00", "reason": "Oops"})
    assert below.status_code == 422 and "cannot take it below zero" in below.json["errors"]["amount"]


def test_campaigns_are_created_on_the_platform_first(app, connected, api_as):
    operator = api_as("operator")
    created = operator.post(CAMPAIGNS, json={**SPRING, "customer_id": connected.customer.id})
    assert created.status_code == 201, created.json
    assert created.json["platform_campaign_id"] in connected.platform_ids()
    refused = operator.post(CAMPAIGNS, json={**SPRING, "customer_id": connected.customer.id, "end_date": "2026-01-01"})
    assert refused.status_code == 422 and "end_date" in refused.json["errors"]
    url = f"{CAMPAIGNS}/{created.json['id']}"
    etag = operator.get(url).headers["ETag"]
    renamed = operator.patch(url, json={"title": "Summer"}, headers={"If-Match": etag})
    assert renamed.status_code == 200 and renamed.json["title"] == "Summer"
    assert operator.patch(url, json={"title": "Stale"}, headers={"If-Match": etag}).status_code == 412
    assert operator.post(f"{url}/archive").json["archived"] is True
    assert created.json["platform_campaign_id"] not in connected.platform_ids()
    assert operator.post(f"{url}/restore").json["archived"] is False
    assert operator.delete(url).status_code == 204
    assert db.session.execute(select(Campaign)).scalars().all() == []


def test_a_platform_that_is_down_or_busy_is_a_503_and_nothing_changes(app, connected, api_as):
    operator = api_as("operator")
    connected.simulator.set_faults(latency_ms=1500)
    slow = operator.post(CAMPAIGNS, json={**SPRING, "customer_id": connected.customer.id})
    assert slow.status_code == 503 and slow.mimetype == "application/problem+json"
    assert "did not answer; nothing was saved" in slow.json["detail"]
    connected.simulator.set_faults(latency_ms=0, rate_limit_per_minute=1)
    connected.campaign(title="Took the only slot")
    busy = operator.post(CAMPAIGNS, json={**SPRING, "customer_id": connected.customer.id})
    assert busy.status_code == 503 and int(busy.headers["Retry-After"]) > 0
    assert [c.title for c in db.session.execute(select(Campaign)).scalars()] == ["Took the only slot"]


def test_a_customer_token_keeps_to_its_own_campaigns(app, connected, api_as, factory):
    campaign = connected.campaign()
    outsider = api_as("customer")
    assert outsider.get(CAMPAIGNS).json == []
    assert outsider.get(f"{CAMPAIGNS}/{campaign.id}").status_code == 404
    assert outsider.patch(f"{CAMPAIGNS}/{campaign.id}", json={"title": "Mine now"}).status_code == 404
    assert outsider.post(CAMPAIGNS, json={**SPRING, "customer_id": connected.customer.id}).status_code == 404
    owner = api_as("customer", customer=connected.customer)
    assert [c["id"] for c in owner.get(CAMPAIGNS).json] == [campaign.id]


def test_sync_runs_start_with_202_and_can_be_followed(app, connected, api_as):
    operator = api_as("operator")
    started = operator.post("/api/v1/sync/runs", json={"customer_id": connected.customer.id})
    assert started.status_code == 202 and len(started.json) == 1
    run_url = started.headers["Location"]
    assert run_url.endswith(f"/api/v1/sync/runs/{started.json[0]['id']}")
    followed = operator.get(run_url)
    assert followed.status_code == 200 and followed.json["status"] in ("queued", "running", "succeeded", "failed")
    assert "inserted" in followed.json and followed.headers["ETag"]
    assert operator.post("/api/v1/sync/runs", json={}).status_code == 202
    customer = api_as("customer", customer=connected.customer)
    assert customer.post("/api/v1/sync/runs", json={}).status_code == 403
    assert customer.get(run_url).status_code == 403
    assert db.session.execute(select(SyncRun.trigger)).scalars().all() == ["manual"]
