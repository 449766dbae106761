"""Request parsing and JSON bodies for the simulator's API, with the contract's rules."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import jsonify

from app.platforms.megaphone.records import PLATFORM_FIELD_NAMES, check_campaign_fields

WRITABLE_FIELDS = tuple(PLATFORM_FIELD_NAMES.values())
CREATE_DEFAULTS = {"endDate": None, "status": "draft", "budget": None}
DEFAULT_PER_PAGE, MAX_PER_PAGE = 100, 500
_WHOLE_NUMBER = re.compile(r"\d+")


class InvalidFields(ValueError):
    """A campaign body broke the contract's rules; `.problems` maps platform field names to why."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(problems)
        self.problems = problems


@dataclass(frozen=True)
class ListQuery:
    """The list endpoint's query: page, per_page and the optional updated_since."""

    page: int
    per_page: int
    since: datetime | None
    since_text: str | None


def parse_list_query(args: Mapping[str, str]) -> ListQuery:
    """Read page, per_page and updated_since; raises InvalidFields naming each bad one."""
    problems = {}
    per_page = _whole_number(args.get("per_page"), DEFAULT_PER_PAGE)
    if per_page is None or not 1 <= per_page <= MAX_PER_PAGE:
        problems["per_page"] = f"must be a whole number from 1 to {MAX_PER_PAGE}"
    page = _whole_number(args.get("page"), 1)
    if page is None or page < 1:
        problems["page"] = "must be a whole number from 1"
    since_text = args.get("updated_since")
    since = _timestamp(since_text) if since_text is not None else None
    if since_text is not None and since is None:
        problems["updated_since"] = "must be an ISO 8601 timestamp"
    if problems:
        raise InvalidFields(problems)
    return ListQuery(page=page, per_page=per_page, since=since, since_text=since_text)


def writable(body: Mapping) -> dict:
    """Only the fields a client may set; the rest (id, timestamps, unknown keys) is ignored."""
    return {name: body[name] for name in WRITABLE_FIELDS if name in body}


def validated(candidate: Mapping) -> dict:
    """The campaign fields in their stored JSON form; raises InvalidFields on any broken rule."""
    values, problems = check_campaign_fields(candidate)
    if problems:
        raise InvalidFields(problems)
    budget = values["budget"]
    return {
        "title": values["title"],
        "advertiserName": values["advertiserName"],
        "startDate": values["startDate"].isoformat(),
        "endDate": values["endDate"].isoformat() if values["endDate"] else None,
        "status": values["status"],
        "budget": f"{budget:.2f}" if budget is not None else None,
    }


def json_error(status: int, error: str, message: str, **extra):
    """A JSON error reply in the contract's shape."""
    return jsonify({"error": error, "message": message, **extra}), status


def validation_failed(problems: dict[str, str]):
    """The contract's 422 reply listing every broken field."""
    details = "; ".join(f"{name} {problem}" for name, problem in problems.items())
    return json_error(422, "validation_failed", f"Validation failed: {details}.", fields=problems)


def _whole_number(text: str | None, default: int) -> int | None:
    if text is None:
        return default
    return int(text) if _WHOLE_NUMBER.fullmatch(text.strip()) else None


def _timestamp(text: str) -> datetime | None:
    # A "+" in an unencoded query string arrives as a space; accept that spelling too.
    for candidate in (text.strip(), text.strip().replace(" ", "+")):
        try:
            moment = datetime.fromisoformat(candidate)
        except ValueError:
            continue
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return None
