"""Platform campaign records: the contract's field rules, parsing, and request bodies."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from app.platforms.megaphone.errors import InvalidRecord

__all__ = [
    "CAMPAIGN_STATUSES", "InvalidRecord", "OUR_FIELD_NAMES", "PLATFORM_FIELD_NAMES",
    "PlatformCampaign", "check_campaign_fields", "parse_campaign", "to_platform_body",
]

CAMPAIGN_STATUSES = ("draft", "active", "paused", "completed")
MAX_TEXT_LENGTH = 255

# Our snake_case field names and the platform's JSON names for the writable fields.
PLATFORM_FIELD_NAMES = {
    "title": "title",
    "advertiser": "advertiserName",
    "start_date": "startDate",
    "end_date": "endDate",
    "status": "status",
    "budget": "budget",
}
OUR_FIELD_NAMES = {theirs: ours for ours, theirs in PLATFORM_FIELD_NAMES.items()}

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class PlatformCampaign:
    """One campaign as the platform knows it, with Python types."""

    platform_id: str
    title: str
    advertiser: str
    start_date: date
    end_date: date | None
    status: str
    budget: Decimal | None
    created_at: datetime
    updated_at: datetime


def parse_campaign(raw: Any) -> PlatformCampaign:
    """Turn one platform record into a PlatformCampaign, or raise InvalidRecord saying why."""
    if not isinstance(raw, Mapping):
        raise InvalidRecord("the record is not a JSON object")
    platform_id = raw.get("id")
    if not isinstance(platform_id, str) or not platform_id.strip():
        raise InvalidRecord("id is missing or not a string")
    values, problems = check_campaign_fields(raw)
    if problems:
        raise InvalidRecord("; ".join(f"{name} {problem}" for name, problem in problems.items()))
    return PlatformCampaign(
        platform_id=platform_id,
        created_at=_timestamp(raw, "createdAt"),
        updated_at=_timestamp(raw, "updatedAt"),
        **{OUR_FIELD_NAMES[name]: value for name, value in values.items()},
    )


def check_campaign_fields(raw: Mapping) -> tuple[dict[str, Any], dict[str, str]]:
    """Check the writable fields against the contract: (parsed values, problems), platform names."""
    checks = (
        ("title", _text), ("advertiserName", _text), ("startDate", _required_date),
        ("endDate", _optional_date), ("status", _status), ("budget", _budget),
    )
    values, problems = {}, {}
    for name, check in checks:
        try:
            values[name] = check(raw.get(name))
        except ValueError as exc:
            problems[name] = str(exc)
    start, end = values.get("startDate"), values.get("endDate")
    if start and end and end < start:
        problems["endDate"] = "must be on or after startDate"
    return values, problems


def to_platform_body(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Map our field names and Python values to the platform's JSON body, for the keys given."""
    body = {}
    for ours, theirs in PLATFORM_FIELD_NAMES.items():
        if ours not in fields:
            continue
        value = fields[ours]
        if ours in ("start_date", "end_date"):
            value = _date_text(value)
        elif ours == "budget":
            value = _budget_text(value)
        body[theirs] = value
    return body


def _text(value: Any) -> str:
    if value is None:
        raise ValueError("is required")
    if not isinstance(value, str):
        raise ValueError("must be a string")
    if not value.strip():
        raise ValueError("can't be blank")
    if len(value) > MAX_TEXT_LENGTH:
        raise ValueError(f"is too long (maximum is {MAX_TEXT_LENGTH} characters)")
    return value


def _required_date(value: Any) -> date:
    if value is None:
        raise ValueError("is required")
    return _optional_date(value)


def _optional_date(value: Any) -> date | None:
    if value is None:
        return None
    try:
        if isinstance(value, str) and _ISO_DATE.fullmatch(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise ValueError("must be a date (YYYY-MM-DD)")


def _status(value: Any) -> str:
    if value not in CAMPAIGN_STATUSES:
        raise ValueError(f"must be one of {', '.join(CAMPAIGN_STATUSES)}")
    return value


def _budget(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise InvalidOperation
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValueError("must be a decimal number") from None
    if not amount.is_finite():
        raise ValueError("must be a decimal number")
    if amount < 0:
        raise ValueError("must be greater than or equal to 0")
    if amount != amount.quantize(_CENT):
        raise ValueError("must have at most 2 decimals")
    return amount


def _timestamp(raw: Mapping, name: str) -> datetime:
    value = raw.get(name)
    try:
        moment = datetime.fromisoformat(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InvalidRecord(f"{name} is missing or not an ISO 8601 timestamp") from None
    # The contract says UTC; a timestamp without an offset is read as UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _date_text(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date().isoformat()
    return value.isoformat() if isinstance(value, date) else value


def _budget_text(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return value
    # Never round silently: an amount with more than 2 decimals goes as is, so the
    # platform's 422 tells the person instead of us changing their number.
    if amount.is_finite() and amount == amount.quantize(_CENT):
        return f"{amount:.2f}"
    return str(value)
