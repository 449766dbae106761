"""The Megaphone-style ad platform: its HTTP client, typed errors and a local simulator."""

from app.platforms.megaphone.client import CampaignPage, MegaphoneClient
from app.platforms.megaphone.errors import (
    Forbidden, InvalidRecord, NotFound, PlatformError, RateLimited, Unauthorized, Unavailable,
    ValidationFailed,
)
from app.platforms.megaphone.records import CAMPAIGN_STATUSES, PlatformCampaign

__all__ = [
    "CAMPAIGN_STATUSES", "CampaignPage", "Forbidden", "InvalidRecord", "MegaphoneClient",
    "NotFound", "PlatformCampaign", "PlatformError", "RateLimited", "Unauthorized",
    "Unavailable", "ValidationFailed",
]
