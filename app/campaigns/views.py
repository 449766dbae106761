"""Campaign pages of one ad platform: list, detail, create, edit, archive, restore, delete."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.auth.access import access
from app.campaigns import services
from app.campaigns.forms import CampaignForm
from app.campaigns.listing import campaigns_list_spec, customer_campaigns, find_visible_campaign, visible_campaigns
from app.common.errors import ValidationError, apply_to_form
from app.common.ids import parse_id
from app.common.views import render_list, render_picker_options, safe_next, selected_ids
from app.customers.models import Customer
from app.customers.picker import CHOOSE_A_CUSTOMER, customer_rows
from app.extensions import db
from app.platforms.models import MEGAPHONE_ID, Platform, PlatformConnection
from app.platforms.services import find_platform

bp = Blueprint("campaigns", __name__, url_prefix="/platforms/<int:platform_id>/campaigns")
# Each bulk row is a platform call a person waits for, so a bulk action stays page-sized.
MAX_BULK_CAMPAIGNS = 50


@bp.url_defaults
def default_platform(endpoint: str, values: dict) -> None:
    """url_for('campaigns.index' or '.create') with no platform means the first one (the navigation relies on it)."""
    if endpoint in ("campaigns.index", "campaigns.create"):
        values.setdefault("platform_id", MEGAPHONE_ID)


@bp.app_template_global("customer_campaigns")
def _customer_campaigns_global(customer_id: int):
    """The customer page's campaigns section data, for templates/campaigns/_customer_section.html."""
    return customer_campaigns(customer_id)


def _platform_or_404(platform_id: int) -> Platform:
    return find_platform(platform_id) or abort(404)


@bp.get("")
@access("login")
def index(platform_id: int):
    """The platform's campaigns (a customer login sees only its own)."""
    platform = _platform_or_404(platform_id)
    return render_list(campaigns_list_spec(platform), "campaigns/index.html", "campaigns/_list.html",
                       platform=platform)


@bp.get("/<int:campaign_id>")
@access("login")
def show(platform_id: int, campaign_id: int):
    """One campaign, its platform state and its actions."""
    platform = _platform_or_404(platform_id)
    campaign = find_visible_campaign(platform, campaign_id)
    return render_template("campaigns/show.html", platform=platform, campaign=campaign,
                           on_platform=services.is_on_platform(campaign))


@bp.route("/new", methods=["GET", "POST"])
@access("login")
def create(platform_id: int):
    """Create a campaign on the platform, then here."""
    platform = _platform_or_404(platform_id)
    form = CampaignForm()
    if current_user.is_staff:
        _offer_customers(form, platform)
    else:
        del form.customer_id  # a customer login's campaigns are always its own

    def save(values: dict):
        customer_id = form.customer_id.data if form.customer_id else current_user.customer_id
        return services.create_campaign(db.session.get(Customer, customer_id), platform, values, current_user)

    return _submit(form, platform, None, save, f"Created “{{}}” on {platform.name}.")


@bp.route("/<int:campaign_id>/edit", methods=["GET", "POST"])
@access("login")
def edit(platform_id: int, campaign_id: int):
    """Edit a campaign: on the platform first when it lives there, else in OMS only."""
    platform = _platform_or_404(platform_id)
    campaign = find_visible_campaign(platform, campaign_id)
    form = CampaignForm(obj=campaign)
    del form.customer_id  # moving a campaign to another customer's account is not a thing platforms do
    return _submit(form, platform, campaign, lambda values: services.update_campaign(campaign, values, current_user),
                   "Saved “{}”.")


@bp.post("/<int:campaign_id>/archive")
@access("login")
def archive(platform_id: int, campaign_id: int):
    """Delete the campaign on the platform and keep it here as archived history."""
    return _act(platform_id, campaign_id, services.archive_campaign, "Archived")


@bp.post("/<int:campaign_id>/restore")
@access("login")
def restore(platform_id: int, campaign_id: int):
    """Re-create an archived campaign on the platform."""
    return _act(platform_id, campaign_id, services.restore_campaign, "Restored")


@bp.post("/<int:campaign_id>/delete")
@access("login")
def delete(platform_id: int, campaign_id: int):
    """Delete the campaign on the platform and here."""
    return _act(platform_id, campaign_id, services.delete_campaign, "Deleted",
                done_url=lambda platform: safe_next(url_for("campaigns.index", platform_id=platform.id)))


@bp.post("/bulk")
@access("login")
def bulk(platform_id: int):
    """Archive or restore the ticked campaigns one by one, reporting each failure."""
    platform = _platform_or_404(platform_id)
    action, ids = request.form.get("action"), selected_ids()
    if action not in ("archive", "restore") or not ids:
        flash("Tick at least one campaign, then choose Archive or Restore.", "error")
    elif len(ids) > MAX_BULK_CAMPAIGNS:
        flash(f"Choose at most {MAX_BULK_CAMPAIGNS} campaigns at a time: each one is a call to {platform.name}.", "error")
    else:
        campaigns = visible_campaigns(platform, ids)
        run = services.archive_campaigns if action == "archive" else services.restore_campaigns
        outcome = run(campaigns, current_user)
        flash(outcome.summary, "error" if outcome.failures else "success")
    return redirect(safe_next(url_for("campaigns.index", platform_id=platform.id)), code=303)


def _act(platform_id: int, campaign_id: int, service, done: str, done_url=None):
    """Run one action on a visible campaign; say what happened, or plainly why not."""
    platform = _platform_or_404(platform_id)
    campaign = find_visible_campaign(platform, campaign_id)
    title, here = campaign.title, url_for("campaigns.show", platform_id=platform.id, campaign_id=campaign.id)
    try:
        service(campaign, current_user)
    except ValidationError as error:
        flash(" ".join(error.errors.values()), "error")
        return redirect(here, code=303)
    flash(f"{done} “{title}”.", "success")
    return redirect(done_url(platform) if done_url else here, code=303)


def _submit(form: CampaignForm, platform: Platform, campaign, save, done: str):
    """On a valid submit run `save`, then show the campaign; else the form again, messages by the fields."""
    refused = False
    if form.validate_on_submit():
        try:
            saved = save({name: getattr(form, name).data for name in services.CAMPAIGN_FIELDS})
        except ValidationError as error:
            for message in apply_to_form(form, error):
                flash(message, "error")
            refused = True
        else:
            flash(done.format(saved.title), "success")
            return redirect(url_for("campaigns.show", platform_id=platform.id, campaign_id=saved.id))
    return _render_form(form, platform, campaign, refused)


def _customer_choices(platform: Platform, chosen_id: int | None, term: str = "") -> list[tuple[int, str]]:
    """The customer picker's choices, marking customers with no connection to this platform (creating would fail)."""
    with_connection = (
        select(Customer.id, Customer.name, Customer.code, PlatformConnection.id.label("connection_id"))
        .outerjoin(PlatformConnection, (PlatformConnection.customer_id == Customer.id)
                   & (PlatformConnection.platform_id == platform.id))
        .where(Customer.archived_at.is_(None)))
    return [(row.id, f"{row.name} ({row.code})" + ("" if row.connection_id else f" — not connected to {platform.name}"))
            for row in customer_rows(chosen_id, term, with_connection)]


def _offer_customers(form: CampaignForm, platform: Platform) -> None:
    if request.method == "GET" and (customer_id := parse_id(request.args.get("customer"))) is not None:
        form.customer_id.data = customer_id
    form.customer_id.choices = [("", CHOOSE_A_CUSTOMER)] + _customer_choices(platform, form.customer_id.data)


@bp.get("/customer-options")
@access("staff")
def customer_options(platform_id: int):
    """The create form's customer picker options, fetched by its search box as the user types."""
    platform = _platform_or_404(platform_id)
    return render_picker_options(lambda chosen, term: _customer_choices(platform, chosen, term))


def _render_form(form: CampaignForm, platform: Platform, campaign, refused: bool = False):
    status = 422 if refused or form.errors else 200
    on_platform = campaign is None or services.is_on_platform(campaign)
    return render_template("campaigns/form.html", form=form, platform=platform, campaign=campaign,
                           on_platform=on_platform), status
