"""Platform connections: creating them, and the one way to get a client for one."""
from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.common.errors import ValidationError
from app.common.ids import parse_id
from app.customers.models import Customer
from app.extensions import db
from app.platforms.megaphone.client import MegaphoneClient
from app.platforms.megaphone.errors import PlatformError
from app.platforms.models import MAX_INTERVAL, MIN_INTERVAL, Platform, PlatformConnection


def find_platform(slug_or_id) -> Platform | None:
    """A platform by slug ('megaphone') or id."""
    platform_id = parse_id(str(slug_or_id))
    condition = Platform.id == platform_id if platform_id is not None else Platform.slug == str(slug_or_id)
    return db.session.execute(select(Platform).where(condition)).scalar_one_or_none()


def all_platforms() -> list[Platform]:
    """Every platform, in id order (the first is Megaphone), for the connection form's choice."""
    return list(db.session.execute(select(Platform).order_by(Platform.id)).scalars())


def all_connections() -> list[PlatformConnection]:
    """Every connection with its customer and platform loaded, for the sync runs page's Sync now buttons."""
    return list(db.session.execute(
        select(PlatformConnection).options(joinedload(PlatformConnection.customer), joinedload(PlatformConnection.platform))
        .order_by(PlatformConnection.id)).scalars())


def find_connection(customer_id: int, platform_id: int) -> PlatformConnection | None:
    """The customer's connection to a platform, if any."""
    return db.session.execute(
        select(PlatformConnection).where(PlatformConnection.customer_id == customer_id,
                                         PlatformConnection.platform_id == platform_id)
    ).scalar_one_or_none()


def client_for(connection: PlatformConnection, **options) -> MegaphoneClient:
    """A platform client for the connection (the only place tokens leave the database).

    Timeouts and the retry budget come from the app config unless the caller passes its own.
    """
    config = current_app.config
    settings = {"connect_timeout": config["MEGAPHONE_CONNECT_TIMEOUT"], "read_timeout": config["MEGAPHONE_READ_TIMEOUT"],
                "max_retry_seconds": config["MEGAPHONE_MAX_RETRY_SECONDS"], **options}
    return MegaphoneClient(config["MEGAPHONE_BASE_URL"], connection.organization, connection.api_token, **settings)


def save_connection(customer: Customer, platform: Platform, organization: str, token: str | None,
                    interval_minutes: int = 60, sync_enabled: bool = True,
                    existing: PlatformConnection | None = None) -> PlatformConnection:
    """Create a customer's connection, or update `existing` (a blank token keeps the stored one).

    Without `existing` the connection is new, and it never replaces one the customer already has
    on that platform: that is refused next to the customer field (edit the existing one instead).
    """
    organization = (organization or "").strip()
    token = (token or "").strip()
    connection = existing
    errors = {}
    if existing is None and find_connection(customer.id, platform.id) is not None:
        errors["customer_id"] = _already_connected(customer, platform)
    if not organization or len(organization) > 120:
        errors["organization"] = "Enter the platform's organisation id (at most 120 characters)."
    if connection is None and not token:
        errors["api_token"] = "Enter the API token the platform issued for this organisation."
    if len(token) > 255:
        errors["api_token"] = "That token is longer than 255 characters."
    if not isinstance(interval_minutes, int) or not MIN_INTERVAL <= interval_minutes <= MAX_INTERVAL:
        errors["sync_interval_minutes"] = f"Choose an interval from {MIN_INTERVAL} to {MAX_INTERVAL} minutes."
    if errors:
        raise ValidationError(errors)
    if connection is None:
        connection = PlatformConnection(customer_id=customer.id, platform_id=platform.id)
        db.session.add(connection)
    connection.organization = organization
    if token:
        connection.api_token = token
    connection.sync_interval_minutes = interval_minutes
    connection.sync_enabled = sync_enabled
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ValidationError({"customer_id": _already_connected(customer, platform)}) from None  # a race
    return connection


def _already_connected(customer: Customer, platform: Platform) -> str:
    return f"{customer.name} already has a {platform.name} connection: edit that one."


def test_connection(connection: PlatformConnection) -> str:
    """Call the platform once and say in plain words whether the connection works."""
    try:
        total = client_for(connection, max_attempts=2, max_retry_seconds=10).check_connection()
    except PlatformError as error:
        raise ValidationError(error.message) from None
    found = f"{total:,} campaign(s) visible" if total is not None else "the organisation answered"
    return f"Connection works: {found} for organisation {connection.organization}."
