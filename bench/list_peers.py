"""The peers OMS's campaigns list is measured against, as one WSGI app (gunicorn bench.list_peers:app):
a bare Flask + Jinja route rendering the same 25 rows (/bare), and Flask-Admin's ModelView on the same
table (/admin/campaign/), read-only, 25 a page, searching and sorting the columns OMS's list does."""
import os

from flask import Flask
from flask_admin import Admin
from flask_admin.contrib.sqla import ModelView
from sqlalchemy import select

import app.models  # noqa: F401  (every model, so the relationships resolve)
from app.campaigns.models import Campaign
from app.config import normalise_database_url
from app.customers.models import Customer
from app.extensions import db

BARE_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Campaigns</title></head><body>
<table><thead><tr><th>Title</th><th>Advertiser</th><th>Customer</th><th>Platform id</th><th>Start</th><th>End</th>
<th>Status</th><th>Budget</th><th>Updated</th></tr></thead><tbody>
{% for campaign, code in rows %}<tr><td><a href="/campaigns/{{ campaign.id }}">{{ campaign.title }}</a></td>
<td>{{ campaign.advertiser }}</td><td>{{ code }}</td><td>{{ campaign.platform_campaign_id }}</td>
<td>{{ campaign.start_date }}</td><td>{{ campaign.end_date or "—" }}</td><td>{{ campaign.status }}</td>
<td>{{ campaign.budget }}</td><td>{{ campaign.platform_updated_at }}</td></tr>{% endfor %}
</tbody></table></body></html>"""


class CampaignAdmin(ModelView):
    """Flask-Admin's list of the campaigns, configured like OMS's (no create/edit: a list page)."""

    can_create = can_edit = can_delete = False
    can_export = True
    export_types = ["csv"]
    page_size = 25
    column_list = ("title", "advertiser", "platform_campaign_id", "start_date", "end_date", "status", "budget",
                   "platform_updated_at")
    column_sortable_list = column_list
    column_searchable_list = ("title", "advertiser")
    column_default_sort = [("platform_updated_at", True), ("id", True)]


def create_peer_app() -> Flask:
    """The peers' app on DATABASE_URL."""
    peer = Flask(__name__)
    peer.config.update(SQLALCHEMY_DATABASE_URI=normalise_database_url(os.environ["DATABASE_URL"]),
                       SECRET_KEY=os.environ.get("SECRET_KEY", "bench"))
    db.init_app(peer)
    bare_page = peer.jinja_env.from_string(BARE_PAGE)  # compiled once, as render_template's templates are

    @peer.get("/healthz")
    def healthz():
        return "ok"

    @peer.get("/bare")
    def bare():
        rows = db.session.execute(
            select(Campaign, Customer.code).join(Customer, Customer.id == Campaign.customer_id)
            .where(Campaign.platform_id == 1, Campaign.archived_at.is_(None))
            .order_by(Campaign.platform_updated_at.desc(), Campaign.id.desc()).limit(25)).all()
        return bare_page.render(rows=rows)

    Admin(peer, name="Peers", url="/admin").add_view(CampaignAdmin(Campaign, db.session))
    return peer


app = create_peer_app() if "DATABASE_URL" in os.environ else None
