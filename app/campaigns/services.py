"""Campaign rules: the ad platform is called first and stays the source of truth.

Every write goes to the platform before the database, so a failure leaves nothing half-saved
here; a write whose answer was lost shows up with the next sync instead.
"""
import logging
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.auth.scope import may_see_customer
from app.campaigns.messages import PlatformUnavailableError, field_problem, talking_to_platform
from app.campaigns.models import SYNCED, Campaign
from app.common.errors import ValidationError
from app.common.models import utcnow
from app.common.money import MAX_AMOUNT
from app.customers.models import Customer
from app.extensions import db
from app.platforms.megaphone.client import MegaphoneClient
from app.platforms.megaphone.errors import NotFound
from app.platforms.megaphone.records import (MAX_TEXT_LENGTH, OUR_FIELD_NAMES, PlatformCampaign, check_campaign_fields,
                                             to_platform_body)
from app.platforms.models import Platform
from app.platforms.services import client_for, find_connection

logger = logging.getLogger("oms.campaigns")

CAMPAIGN_FIELDS = ("title", "advertiser", "start_date", "end_date", "status", "budget")
# A person is waiting on these calls, so they give up sooner than a background sync does.
INTERACTIVE_ATTEMPTS = 3
INTERACTIVE_RETRY_SECONDS = 15.0


def is_on_platform(campaign: Campaign) -> bool:
    """Whether the platform still holds the campaign (not archived, not deleted there)."""
    return campaign.archived_at is None and campaign.sync_state == SYNCED


def create_campaign(customer: Customer, platform: Platform, fields: dict, acting_user=None) -> Campaign:
    """Create the campaign on the platform, then keep our copy under the platform's id."""
    _check_may_act(customer.id, acting_user)
    if customer.is_archived:
        raise ValidationError({"customer_id": "This customer is archived; restore it before adding campaigns."})
    values = _storable(fields)
    client = _client(customer, platform)
    with talking_to_platform("create"):
        record = client.create_campaign(values)
    campaign = _store_created(customer.id, platform.id, record)
    logger.info("campaign %s created on platform %s as %s by %s", campaign.id, platform.slug,
                record.platform_id, _who(acting_user))
    return campaign


def update_campaign(campaign: Campaign, fields: dict, acting_user=None) -> Campaign:
    """Change a campaign: on the platform first when it lives there, else in OMS only."""
    _check_may_act(campaign.customer_id, acting_user)
    values = _storable(fields)
    if not is_on_platform(campaign):
        # No platform will check these values, so apply its rules ourselves.
        _check_contract_rules(values)
        for name, value in values.items():
            setattr(campaign, name, value)
        db.session.commit()
        return campaign
    client = _client(_customer(campaign), _platform(campaign))
    with talking_to_platform("update"):
        try:
            record = client.update_campaign(campaign.platform_campaign_id, values)
        except NotFound:
            client.check_connection()  # an unknown organisation is a 404 too: only a known one proves it gone
            _mark_deleted_on_platform(campaign)
            raise ValidationError("The ad platform no longer has this campaign (it was deleted there), so "
                                  "nothing was changed. Archive it to keep it as history, or delete it.") from None
    _copy_record(campaign, record)
    db.session.commit()
    logger.info("campaign %s updated by %s", campaign.id, _who(acting_user))
    return campaign


def archive_campaign(campaign: Campaign, acting_user=None) -> Campaign:
    """Delete the campaign on the platform (already gone counts as done), then mark it archived."""
    _check_may_act(campaign.customer_id, acting_user)
    if campaign.is_archived:
        return campaign
    _delete_on_platform(campaign, "archive")
    campaign.archived_at = utcnow()
    db.session.commit()
    logger.info("campaign %s archived by %s", campaign.id, _who(acting_user))
    return campaign


def restore_campaign(campaign: Campaign, acting_user=None) -> Campaign:
    """Re-create an archived campaign on the platform and keep the new platform id."""
    _check_may_act(campaign.customer_id, acting_user)
    if not campaign.is_archived:
        return campaign
    client = _client(_customer(campaign), _platform(campaign))
    with talking_to_platform("restore"):
        record = client.create_campaign({name: getattr(campaign, name) for name in CAMPAIGN_FIELDS})
    _copy_record(campaign, record)
    campaign.archived_at = None
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # a sync adopted the new platform id in the same instant
        raise ValidationError("The ad platform re-created the campaign and a sync added it at the same moment; "
                              "it is in the list as a new campaign.") from None
    logger.info("campaign %s restored as %s by %s", campaign.id, record.platform_id, _who(acting_user))
    return campaign


def delete_campaign(campaign: Campaign, acting_user=None) -> None:
    """Delete the campaign on the platform (already gone counts as done), then our row."""
    _check_may_act(campaign.customer_id, acting_user)
    _delete_on_platform(campaign, "delete")
    campaign_id, title = campaign.id, campaign.title
    db.session.delete(campaign)
    try:
        db.session.commit()
    except IntegrityError:
        # Other records still point at it; it is gone from the platform, so keep it as history.
        db.session.rollback()
        campaign.archived_at = campaign.archived_at or utcnow()
        db.session.commit()
        raise ValidationError(f"“{title}” was deleted on the ad platform, but other records refer to it, "
                              "so OMS kept it as archived.") from None
    logger.info("campaign %s deleted by %s", campaign_id, _who(acting_user))


@dataclass
class BulkOutcome:
    """What a bulk action did: rows changed, rows left as they were, and each failure's reason."""

    verb: str
    already: str
    done: int = 0
    skipped: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """'Archived 3; 1 failed: Spring Promo: <reason>' for the flash message."""
        text = f"{self.verb} {self.done}"
        if self.skipped:
            text += f" ({self.skipped} already {self.already})"
        if self.failures:
            text += f"; {len(self.failures)} failed: " + " ".join(f"{title}: {reason}" for title, reason in self.failures)
        return text if text.endswith(".") else text + "."


def archive_campaigns(campaigns: list[Campaign], acting_user=None) -> BulkOutcome:
    """Archive each campaign on its own, so one platform failure does not lose the others."""
    outcome = BulkOutcome("Archived", "archived")
    return _each(campaigns, archive_campaign, outcome, acting_user, skip=lambda c: c.is_archived)


def restore_campaigns(campaigns: list[Campaign], acting_user=None) -> BulkOutcome:
    """Restore each archived campaign on its own, so one platform failure does not lose the others."""
    outcome = BulkOutcome("Restored", "active")
    return _each(campaigns, restore_campaign, outcome, acting_user, skip=lambda c: not c.is_archived)


def _each(campaigns, action, outcome: BulkOutcome, acting_user, skip) -> BulkOutcome:
    stopped = None  # once the platform stops answering, waiting on it for every row helps nobody
    for campaign in campaigns:
        if skip(campaign):
            outcome.skipped += 1
        elif stopped:
            outcome.failures.append((campaign.title, stopped))
        else:
            try:
                action(campaign, acting_user)
                outcome.done += 1
            except ValidationError as error:
                outcome.failures.append((campaign.title, " ".join(error.errors.values())))
                if isinstance(error, PlatformUnavailableError):
                    stopped = "Not tried, because the ad platform stopped answering."
    return outcome


def _delete_on_platform(campaign: Campaign, action: str) -> None:
    if not is_on_platform(campaign):
        return  # archived or deleted there already: nothing to ask the platform
    client = _client(_customer(campaign), _platform(campaign))
    with talking_to_platform(action):
        try:
            client.delete_campaign(campaign.platform_campaign_id)
        except NotFound:
            # Already deleted there is what we wanted, provided the 404 was not about the organisation.
            client.check_connection()


def _client(customer: Customer, platform: Platform) -> MegaphoneClient:
    connection = find_connection(customer.id, platform.id)
    if connection is None:
        raise ValidationError(f"{customer.name} has no connection to {platform.name}, so its campaigns cannot "
                              "be changed there. An admin can add one under Connections.")
    budget = min(current_app.config["MEGAPHONE_MAX_RETRY_SECONDS"], INTERACTIVE_RETRY_SECONDS)
    return client_for(connection, max_attempts=INTERACTIVE_ATTEMPTS, max_retry_seconds=budget)


def _customer(campaign: Campaign) -> Customer:
    return db.session.get(Customer, campaign.customer_id)


def _platform(campaign: Campaign) -> Platform:
    return db.session.get(Platform, campaign.platform_id)


def _storable(fields: dict) -> dict:
    """The writable fields, refusing what our columns cannot hold (the platform checks the rest)."""
    values = {name: fields.get(name) for name in CAMPAIGN_FIELDS}
    errors = {}
    for name in ("title", "advertiser"):
        values[name] = (values[name] or "").strip()
        if len(values[name]) > MAX_TEXT_LENGTH:
            errors[name] = f"{name.capitalize()} can have at most {MAX_TEXT_LENGTH} characters."
    if values["budget"] is not None and not _fits_budget_column(values["budget"]):
        errors["budget"] = f"Enter an amount; OMS can store budgets up to {MAX_AMOUNT:,}."
    if errors:
        raise ValidationError(errors)
    values["status"] = values["status"] or "draft"
    return values


def _fits_budget_column(budget) -> bool:
    try:
        amount = Decimal(str(budget))
    except InvalidOperation:
        return False
    return amount.is_finite() and abs(amount) <= MAX_AMOUNT


def _check_contract_rules(values: dict) -> None:
    _, problems = check_campaign_fields(to_platform_body(values))
    if problems:
        raise ValidationError({OUR_FIELD_NAMES[name]: field_problem(OUR_FIELD_NAMES[name], reason)
                               for name, reason in problems.items()})


def _copy_record(campaign: Campaign, record: PlatformCampaign) -> None:
    """Make our row what the platform says it is now."""
    for name in CAMPAIGN_FIELDS:
        setattr(campaign, name, getattr(record, name))
    campaign.platform_campaign_id = record.platform_id
    campaign.platform_created_at, campaign.platform_updated_at = record.created_at, record.updated_at
    campaign.sync_state, campaign.deleted_on_platform_at = SYNCED, None
    campaign.last_synced_at = utcnow()


def _store_created(customer_id: int, platform_id: int, record: PlatformCampaign) -> Campaign:
    campaign = Campaign(customer_id=customer_id, platform_id=platform_id)
    _copy_record(campaign, record)
    db.session.add(campaign)
    try:
        db.session.commit()
        return campaign
    except IntegrityError:
        db.session.rollback()
    # A sync running at the same moment adopted it first: keep that row, with this answer's data.
    campaign = db.session.execute(select(Campaign).where(
        Campaign.customer_id == customer_id, Campaign.platform_id == platform_id,
        Campaign.platform_campaign_id == record.platform_id)).scalar_one_or_none()
    if campaign is None:
        raise ValidationError("The ad platform created the campaign but OMS could not store it; "
                              "the next sync will add it.")
    _copy_record(campaign, record)
    db.session.commit()
    return campaign


def _mark_deleted_on_platform(campaign: Campaign) -> None:
    campaign.sync_state, campaign.deleted_on_platform_at = "deleted_on_platform", utcnow()
    db.session.commit()


def _check_may_act(customer_id: int, acting_user) -> None:
    # Views scope every lookup already; the same rule (auth/scope.py) keeps other front doors honest too.
    if acting_user is not None and not may_see_customer(customer_id, acting_user):
        raise ValidationError("You can only manage your own campaigns.")


def _who(acting_user) -> str:
    return f"user {acting_user.id}" if acting_user is not None else "the system"
