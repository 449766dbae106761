"""Templates receive their data: views gather what a page shows (scoped to the login); no template queries."""
import re
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from flask import before_render_template, request_started
from flask_login import login_user
from sqlalchemy import event

from app.admin.connection_listing import customer_connections
from app.campaigns.models import Campaign
from app.extensions import db
from app.inventory.models import InventoryItem
from app.orders.models import Order
from app.platforms import services as platforms

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@pytest.fixture
def acme_and_globex(app, factory):
    """Two customers, each with a connection, a campaign, an order and ledger rows."""
    megaphone = platforms.find_platform("megaphone")
    customers = []
    for code, org in (("ACME", "acme-org"), ("GLOBEX", "globex-org")):
        customer = factory.customer(code=code, name=f"{code.title()} Ltd")
        platforms.save_connection(customer, megaphone, org, f"{org}-token")
        db.session.add(Campaign(customer_id=customer.id, platform_id=megaphone.id, platform_campaign_id=f"{code}-1",
                                title=f"{code.title()} Spring", advertiser=code, start_date=date(2026, 3, 1),
                                status="active", platform_updated_at=datetime(2026, 3, 1, tzinfo=timezone.utc)))
        db.session.commit()
        factory.deposit(customer, "100.00")
        factory.order(customer, [(factory.item(price="5.00", stock=5), 1)])
        customers.append(customer)
    return customers


@pytest.fixture
def statements_while_rendering(app):
    """SQL run after the view handed its data to a template: each one is a query hidden in the template."""
    seen, rendering = [], []
    new_request = lambda sender, **extra: rendering.clear()  # noqa: E731
    started = lambda sender, template, context: rendering.append(template.name)  # noqa: E731
    record = lambda conn, cursor, statement, *rest: seen.append(statement) if rendering else None  # noqa: E731
    request_started.connect(new_request, app)
    before_render_template.connect(started, app)
    event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(db.engine, "before_cursor_execute", record)
    before_render_template.disconnect(started, app)
    request_started.disconnect(new_request, app)


@pytest.mark.parametrize("role", ["admin", "operator", "customer"])
def test_the_customer_page_renders_without_a_query_from_its_template(client, auth, acme_and_globex, role,
                                                                   statements_while_rendering):
    acme, _ = acme_and_globex
    auth.login(role, customer=acme if role == "customer" else None)
    response = client.get(f"/customers/{acme.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Acme Spring" in html and "ORD-" in html and "Test deposit" in html  # every section has its rows
    assert statements_while_rendering == []


def test_no_page_runs_a_query_while_its_template_renders(client, auth, acme_and_globex, statements_while_rendering):
    acme, _ = acme_and_globex
    auth.login("admin")
    order, item = db.session.scalars(db.select(Order)).first(), db.session.scalars(db.select(InventoryItem)).first()
    campaign = db.session.scalars(db.select(Campaign)).first()
    pages = ["/customers", "/orders", f"/orders/{order.id}", "/orders/new", "/inventory", f"/inventory/{item.id}",
             "/platforms/1/campaigns", f"/platforms/1/campaigns/{campaign.id}", "/platforms/1/campaigns/new",
             "/sync/runs", "/admin/users", "/admin/users/new", "/admin/connections", "/admin/connections/new",
             f"/customers/{acme.id}/ledger", f"/customers/{acme.id}/balance/new"]
    for url in pages:
        assert client.get(url).status_code == 200, url
    assert statements_while_rendering == []


def test_no_template_global_or_context_processor_fetches_rows(app):
    names = set(app.jinja_env.globals)
    with app.test_request_context("/"):
        for processors in app.template_context_processors.values():
            for processor in processors:
                names |= set(processor())
    assert not names & {"customer_campaigns", "customer_connections", "customer_orders", "recent_ledger",
                        "sync_available"}


def test_a_customer_login_sees_no_connections_not_even_its_own(client, auth, acme_and_globex):
    acme, globex = acme_and_globex
    auth.login("customer", customer=acme)
    html = client.get(f"/customers/{acme.id}").get_data(as_text=True)
    assert 'id="customer-connections"' not in html and "acme-org" not in html
    assert client.get(f"/customers/{globex.id}").status_code == 404


def test_connections_are_scoped_to_the_login_in_the_query_itself(app, acme_and_globex, factory):
    acme, globex = acme_and_globex
    acme_login = factory.user("customer", customer=acme)
    with app.test_request_context("/"):
        login_user(acme_login)
        assert customer_connections(globex.id) == []
        assert [c.organization for c in customer_connections(acme.id)] == ["acme-org"]


def test_operators_see_this_customers_connections_but_only_admins_get_their_actions(client, auth, acme_and_globex):
    acme, _ = acme_and_globex
    auth.login("operator")
    html = client.get(f"/customers/{acme.id}").get_data(as_text=True)
    assert 'id="customer-connections"' in html and "acme-org" in html and "Acme Spring" in html
    assert "globex-org" not in html and "Globex Spring" not in html
    assert "Connect a platform" not in html and "/admin/connections/" not in html
    assert "Record deposit or adjustment" not in html
    auth.logout()
    auth.login("admin")
    html = client.get(f"/customers/{acme.id}").get_data(as_text=True)
    assert "Connect a platform" in html and "/admin/connections/" in html and "Record deposit or adjustment" in html


def test_templates_ask_can_instead_of_checking_roles():
    checks = re.compile(r"current_user\.(is_staff|is_admin|role\s*[=!]=)")
    offenders = [str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.html") if checks.search(path.read_text())]
    assert offenders == []
