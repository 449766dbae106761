"""Campaign pages of one ad platform: list, detail, create, edit, archive, restore, delete."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.auth.access import access, can
from app.auth.scope import get_scoped_or_404
from app.campaigns import services
from app.campaigns.forms import CampaignForm
from app.campaigns.listing import (campaigns_list_spec, customer_choices_for_platform, find_visible_campaign,
                                   visible_campaigns)
from app.common.actions import call_service, form_status
from app.common.errors import ValidationError
from app.common.ids import parse_id
from app.common.views import render_list, render_picker_options, safe_next, selected_ids
from app.customers.models import Customer
from app.customers.picker import CHOOSE_A_CUSTOMER
from app.platforms.models import MEGAPHONE_ID, Platform

bp = Blueprint("campaigns", __name__, url_prefix="/platforms/<int:platform_id>/campaigns")
# Each bulk row is a platform call a person waits for, so a bulk action stays page-sized.
MAX_BULK_CAMPAIGNS = 50


@bp.url_defaults
def default_platform(endpoint: str, values: dict) -> None:
    """url_for('campaigns.index' or '.create') with no platform means the first one (the navigation relies on it)."""
    if endpoint in ("campaigns.index", "campaigns.create"):
        values.setdefault("platform_id", MEGAPHONE_ID)


def _platform_or_404(platform_id: int) -> Platform:
    return get_scoped_or_404(Platform, platform_id)


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
    if can("campaigns.customer_options"):  # staff choose the customer
        _offer_customers(form, platform)
    else:
        del form.customer_id  # a customer login's campaigns are always its own

    def save(values: dict):
        customer_id = form.customer_id.data if form.customer_id else current_user.customer_id
        customer = get_scoped_or_404(Customer, customer_id, customer_id_column=Customer.id)
        return services.create_campaign(customer, platform, values, current_user)

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
    if form.validate_on_submit():
        saved = call_service(form, lambda: save({name: getattr(form, name).data for name in services.CAMPAIGN_FIELDS}))
        if saved is not None:
            flash(done.format(saved.title), "success")
            return redirect(url_for("campaigns.show", platform_id=platform.id, campaign_id=saved.id), code=303)
    return _render_form(form, platform, campaign)


def _offer_customers(form: CampaignForm, platform: Platform) -> None:
    if request.method == "GET" and (customer_id := parse_id(request.args.get("customer"))) is not None:
        form.customer_id.data = customer_id
    form.customer_id.choices = [("", CHOOSE_A_CUSTOMER)] + customer_choices_for_platform(platform, form.customer_id.data)


@bp.get("/customer-options")
@access("staff")
def customer_options(platform_id: int):
    """The create form's customer picker options, fetched by its search box as the user types."""
    platform = _platform_or_404(platform_id)
    return render_picker_options(lambda chosen, term: customer_choices_for_platform(platform, chosen, term))


def _render_form(form: CampaignForm, platform: Platform, campaign):
    on_platform = campaign is None or services.is_on_platform(campaign)
    return render_template("campaigns/form.html", form=form, platform=platform, campaign=campaign,
                           on_platform=on_platform), form_status()
