"""/api/v1/platforms/{platform_id}/campaigns: the campaigns services, platform first, exactly as the pages."""
import math

from flask import url_for
from flask_login import current_user
from marshmallow import Schema, fields, validate

from app.api.auth import api_access
from app.api.blueprints import api_blueprint
from app.api.etags import check_if_match, with_etag
from app.api.pagination import PageArgs, api_page
from app.api.problems import problem
from app.api.schemas import ArchivedFilter, Money, Text, UtcDateTime
from app.auth.scope import get_scoped_or_404, visible_customer_id
from app.campaigns import services
from app.campaigns.listing import campaigns_list_spec, find_visible_campaign
from app.campaigns.messages import PlatformUnavailableError
from app.campaigns.models import CAMPAIGN_STATUSES
from app.common.errors import ValidationError
from app.customers.models import Customer
from app.extensions import db
from app.platforms.models import Platform

blp = api_blueprint("api_campaigns", "/platforms/<int:platform_id>/campaigns",
                    "A customer's campaigns on an ad platform; every write goes to the platform first.")


@blp.errorhandler(PlatformUnavailableError)
def platform_unavailable(error: PlatformUnavailableError):
    """The platform is down, slow or rate limiting: 503 (nothing changed), with its Retry-After when it gave one."""
    db.session.rollback()
    headers = {"Retry-After": str(math.ceil(error.retry_after))} if error.retry_after else {}
    return problem(503, " ".join(error.errors.values()), headers=headers)


class CampaignSchema(Schema):
    id = fields.Integer()
    customer_id = fields.Integer()
    platform_id = fields.Integer()
    platform_campaign_id = fields.String()
    title = fields.String()
    advertiser = fields.String()
    start_date = fields.Date()
    end_date = fields.Date(allow_none=True)
    status = fields.String(metadata={"enum": list(CAMPAIGN_STATUSES)})
    budget = Money(allow_none=True)
    sync_state = fields.String()
    archived = fields.Boolean(attribute="is_archived")
    updated_at = UtcDateTime()


class CampaignListArgs(PageArgs):
    q = Text(200, metadata={"description": "Text in the title or advertiser, or the start of a platform id."})
    customer_id = fields.Integer()
    status = fields.String(validate=validate.OneOf(CAMPAIGN_STATUSES))
    archived = ArchivedFilter()


class CampaignPatch(Schema):
    title = Text(255)
    advertiser = Text(255)
    start_date = fields.Date()
    end_date = fields.Date(allow_none=True)
    status = fields.String(validate=validate.OneOf(CAMPAIGN_STATUSES))
    budget = fields.Decimal(allow_none=True, allow_nan=False, metadata={"description": "Decimal, e.g. 1500.00."})


class NewCampaign(CampaignPatch):
    customer_id = fields.Integer(metadata={"description": "Required for staff tokens; a customer token's own by default."})
    title = Text(255, required=True)
    advertiser = Text(255, required=True)
    start_date = fields.Date(required=True)


def _platform(platform_id: int) -> Platform:
    return get_scoped_or_404(Platform, platform_id)


@blp.route("", methods=["GET"], endpoint="list")
@blp.arguments(CampaignListArgs, location="query")
@blp.response(200, CampaignSchema(many=True))
@api_access("read")
def list_campaigns(args, platform_id: int):
    """Campaigns of the platform the token may see, newest change first, with the page's search and filters."""
    filters = {"customer": args.get("customer_id"), "status": args.get("status")}
    return api_page(campaigns_list_spec(_platform(platform_id)), args, filters, args.get("q", ""),
                    args.get("archived", "active"))


@blp.route("", methods=["POST"], endpoint="create")
@blp.arguments(NewCampaign)
@blp.response(201, CampaignSchema)
@api_access("campaigns:write")
def create_campaign(data, platform_id: int):
    """Create on the platform, then here (422 with the platform's reasons; 503 when it is down)."""
    platform = _platform(platform_id)
    customer_id = data.pop("customer_id", visible_customer_id())
    if customer_id is None:
        raise ValidationError({"customer_id": "Choose a customer."})
    customer = get_scoped_or_404(Customer, customer_id, customer_id_column=Customer.id)
    campaign = services.create_campaign(customer, platform, data, current_user)
    return with_etag(campaign, 201, {"Location": url_for("api_campaigns.get", platform_id=platform.id,
                                                          campaign_id=campaign.id)})


@blp.route("/<int:campaign_id>", methods=["GET"], endpoint="get")
@blp.response(200, CampaignSchema)
@api_access("read")
def get_campaign(platform_id: int, campaign_id: int):
    """One campaign (ETag)."""
    return with_etag(find_visible_campaign(_platform(platform_id), campaign_id))


@blp.route("/<int:campaign_id>", methods=["PATCH"], endpoint="update")
@blp.arguments(CampaignPatch)
@blp.response(200, CampaignSchema)
@api_access("campaigns:write")
def update_campaign(data, platform_id: int, campaign_id: int):
    """Change some fields: on the platform first while it lives there; a stale If-Match is 412."""
    campaign = find_visible_campaign(_platform(platform_id), campaign_id)
    check_if_match(campaign)
    current = {name: getattr(campaign, name) for name in services.CAMPAIGN_FIELDS}
    return with_etag(services.update_campaign(campaign, {**current, **data}, current_user))


def _act(platform_id: int, campaign_id: int, service):
    campaign = find_visible_campaign(_platform(platform_id), campaign_id)
    check_if_match(campaign)
    service(campaign, current_user)
    return with_etag(campaign)


@blp.route("/<int:campaign_id>/archive", methods=["POST"], endpoint="archive")
@blp.response(200, CampaignSchema)
@api_access("campaigns:write")
def archive_campaign(platform_id: int, campaign_id: int):
    """Delete on the platform, keep here as archived history."""
    return _act(platform_id, campaign_id, services.archive_campaign)


@blp.route("/<int:campaign_id>/restore", methods=["POST"], endpoint="restore")
@blp.response(200, CampaignSchema)
@api_access("campaigns:write")
def restore_campaign(platform_id: int, campaign_id: int):
    """Re-create an archived campaign on the platform."""
    return _act(platform_id, campaign_id, services.restore_campaign)


@blp.route("/<int:campaign_id>", methods=["DELETE"], endpoint="delete")
@blp.response(204)
@api_access("campaigns:write")
def delete_campaign(platform_id: int, campaign_id: int):
    """Delete on the platform, then here."""
    campaign = find_visible_campaign(_platform(platform_id), campaign_id)
    check_if_match(campaign)
    services.delete_campaign(campaign, current_user)
    return None
