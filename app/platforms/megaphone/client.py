"""The only code in OMS that speaks HTTP to the Megaphone-style ad platform."""

import logging
import random
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import requests
from urllib3.exceptions import MaxRetryError, NewConnectionError

from app.platforms.megaphone.errors import (
    Forbidden, InvalidRecord, NotFound, PlatformError, RateLimited, Unauthorized, Unavailable,
    ValidationFailed,
)
from app.platforms.megaphone.records import (
    OUR_FIELD_NAMES, PlatformCampaign, parse_campaign, to_platform_body,
)

logger = logging.getLogger("oms.platforms.megaphone")

RETRYABLE_STATUSES = frozenset({500, 502, 503, 504})
_PRINTABLE_ASCII = re.compile(r"[\x20-\x7e]*")
_LINK_TARGET = re.compile(r"[\s,]*<([^>]*)>")
_LINK_PARAM = re.compile(r'\s*;\s*([^\s=;,]+)\s*(?:=\s*("(?:[^"\\]|\\.)*"|[^\s;,]*))?')


@dataclass
class CampaignPage:
    """One page of the campaign list: usable campaigns and the (id, reason) of skipped ones."""

    number: int
    campaigns: list[PlatformCampaign]
    invalid: list[tuple[str | None, str]]
    total: int | None


class MegaphoneClient:
    """Talks to one organization on the platform, retrying only what is safe to retry."""

    BACKOFF_BASE_SECONDS = 0.25
    BACKOFF_CAP_SECONDS = 8.0
    # Used when a 429 carries no usable Retry-After: long enough never to hammer.
    DEFAULT_RETRY_AFTER_SECONDS = 5.0
    MIN_RATE_LIMIT_WAIT_SECONDS = 1.0
    MIN_RETRY_TIMEOUT_SECONDS = 0.1

    def __init__(self, base_url: str, organization: str, token: str, *,
                 connect_timeout: float = 3.05, read_timeout: float = 10.0,
                 max_attempts: int = 6, max_retry_seconds: float = 60.0,
                 session: requests.Session | None = None):
        self.base_url = base_url.rstrip("/")
        self.organization = organization
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.max_attempts = max(1, max_attempts)
        self.max_retry_seconds = max_retry_seconds
        self._session = session or requests.Session()
        # The token lives only in this header; it is never logged, repr'd or put in errors.
        self._token_sendable = bool(_PRINTABLE_ASCII.fullmatch(token or ""))
        self._headers = {
            "Authorization": f'Token token="{token}"',
            "Accept": "application/json",
            "Content-Type": "application/json",
        }
        self._campaigns_url = f"{self.base_url}/organizations/{quote(organization, safe='')}/campaigns"

    def __repr__(self) -> str:
        return f"MegaphoneClient(base_url={self.base_url!r}, organization={self.organization!r})"

    def iter_pages(self, per_page: int = 500, updated_since: datetime | date | str | None = None,
                   ) -> Iterator[CampaignPage]:
        """Yield every page of the organization's campaigns, following the Link header."""
        params: dict[str, Any] | None = {"per_page": per_page}
        if updated_since is not None:
            params["updated_since"] = _iso_timestamp(updated_since)
        url: str | None = self._campaigns_url
        seen: set[str] = set()
        number = 0
        while url:
            seen.add(url)
            response = self._call("GET", url, params=params, not_found=self._unknown_organization())
            number += 1
            yield _page(number, _json_list(response), _total_count(response))
            url, params = next_page_url(response), None
            if url in seen:
                raise Unavailable("The ad platform's page links go round in a circle; try again later.")

    def get_campaign(self, platform_id: str) -> PlatformCampaign:
        """Fetch one campaign by its platform id."""
        response = self._call("GET", self._campaign_url(platform_id), not_found=_CAMPAIGN_GONE)
        return parse_campaign(_json(response))

    def create_campaign(self, fields: dict) -> PlatformCampaign:
        """Create a campaign from our field names; returns the platform's record."""
        response = self._call("POST", self._campaigns_url, body=to_platform_body(fields),
                              not_found=self._unknown_organization())
        return parse_campaign(_json(response))

    def update_campaign(self, platform_id: str, fields: dict) -> PlatformCampaign:
        """Change any subset of a campaign's fields; returns the platform's record."""
        response = self._call("PUT", self._campaign_url(platform_id),
                              body=to_platform_body(fields), not_found=_CAMPAIGN_GONE)
        return parse_campaign(_json(response))

    def delete_campaign(self, platform_id: str) -> None:
        """Delete a campaign; raises NotFound when the platform no longer has it."""
        self._call("DELETE", self._campaign_url(platform_id), not_found=_CAMPAIGN_GONE)

    def check_connection(self) -> int | None:
        """Make one cheap list call to prove the settings work; returns X-Total-Count."""
        response = self._call("GET", self._campaigns_url, params={"per_page": 1},
                              not_found=self._unknown_organization())
        _json_list(response)
        return _total_count(response)

    def _campaign_url(self, platform_id: str) -> str:
        return f"{self._campaigns_url}/{quote(str(platform_id), safe='')}"

    def _unknown_organization(self) -> str:
        return (f"The ad platform has no organization {self.organization!r}. "
                "Check the connection's organization.")

    def _call(self, method: str, url: str, *, params: dict | None = None, body: dict | None = None,
              not_found: str) -> requests.Response:
        """Send with retries, then turn any error reply into a typed error."""
        response = self._send_with_retries(method, url, params, body)
        status = response.status_code
        if status < 400:
            return response
        if status == 401:
            raise Unauthorized(_TOKEN_REJECTED, status=status)
        if status == 403:
            raise Forbidden(f"The API token does not give access to organization {self.organization!r} "
                            "on the ad platform. Check the connection's organization and token.",
                            status=status)
        if status == 404:
            raise NotFound(not_found, status=status)
        if status == 422:
            raise _validation_failed(response)
        if status >= 500:
            # Only a POST gets here with a 5xx (it is never retried): it may have been applied.
            raise _unavailable(f"had a server error (HTTP {status})", status, method != "GET")
        raise PlatformError(f"The ad platform refused the request (HTTP {status}).", status=status)

    def _send_with_retries(self, method: str, url: str, params: dict | None, body: dict | None,
                           ) -> requests.Response:
        """Send until there is a final answer, retrying only what cannot do harm."""
        # Hand-written, not urllib3's Retry: that has no total time budget (ours also shortens each
        # attempt's timeout to what is left) and cannot tell the user whether a failed POST may have landed.
        started, path = time.monotonic(), urlsplit(url).path
        attempts = failures = 0
        reached = False  # whether any attempt may have reached the platform
        while True:
            attempts += 1
            try:
                response = self._send_once(method, url, params, body, started, attempts)
            except requests.RequestException as exc:
                sent = not _nothing_was_sent(exc)
                reached = reached or sent
                error = _unavailable(_failure_reason(exc), None, reached and method != "GET")
                if method == "POST" and sent:
                    # The platform may have created the campaign before the connection failed;
                    # retrying could create it twice, so the next sync adopts it instead.
                    raise error from exc
                # Only here for a POST when nothing was sent (refused, connect timeout): safe to retry.
                failures += 1
                self._pause_or_give_up(method, path, type(exc).__name__, failures, started, None, error)
                continue
            status = response.status_code
            if status == 429:  # not processed, so every method (POST too) may try again
                self._wait_for_rate_limit(method, path, response, started)
                continue
            if status in RETRYABLE_STATUSES and method != "POST":
                failures += 1
                error = _unavailable(f"had a server error (HTTP {status})", status, method != "GET")
                self._pause_or_give_up(method, path, status, failures, started, _retry_after(response), error)
                continue
            return response

    def _send_once(self, method: str, url: str, params: dict | None, body: dict | None,
                   started: float, attempt: int) -> requests.Response:
        if not self._token_sendable:
            raise Unauthorized("The API token contains characters that cannot be sent to the ad "
                               "platform. Check the connection's token.")
        connect, read = self.connect_timeout, self.read_timeout
        if attempt > 1:
            # Retries must fit in the retry budget, so they get at most what is left of it.
            left = max(self.max_retry_seconds - (time.monotonic() - started), self.MIN_RETRY_TIMEOUT_SECONDS)
            connect, read = min(connect, left), min(read, left)
        try:
            return self._session.request(method, url, params=params, json=body, headers=self._headers,
                                         timeout=(connect, read))
        except (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                requests.exceptions.InvalidSchema):
            raise PlatformError("The ad platform address is not a valid URL. "
                                "Check MEGAPHONE_BASE_URL.") from None

    def _pause_or_give_up(self, method: str, path: str, what: object, failures: int, started: float,
                          retry_after: float | None, give_up: Unavailable) -> None:
        """Sleep a capped, fully jittered backoff before the next try, or raise give_up."""
        ceiling = min(self.BACKOFF_CAP_SECONDS, self.BACKOFF_BASE_SECONDS * 2 ** (failures - 1))
        wait = max(random.uniform(0, ceiling), retry_after or 0.0)
        if failures >= self.max_attempts or time.monotonic() - started + wait > self.max_retry_seconds:
            logger.warning("Megaphone %s %s failed (%s); giving up after %d attempts",
                           method, path, what, failures)
            raise give_up
        logger.warning("Megaphone %s %s failed (%s); retrying in %.2fs (attempt %d of %d)",
                       method, path, what, wait, failures + 1, self.max_attempts)
        time.sleep(wait)

    def _wait_for_rate_limit(self, method: str, path: str, response: requests.Response,
                             started: float) -> None:
        """Honour a 429's Retry-After (a 429 was not processed, so even POST may retry)."""
        wait = _retry_after(response)
        wait = self.DEFAULT_RETRY_AFTER_SECONDS if wait is None else max(wait, self.MIN_RATE_LIMIT_WAIT_SECONDS)
        if time.monotonic() - started + wait > self.max_retry_seconds:
            logger.warning("Megaphone %s %s rate limited for %.0fs; over the retry budget",
                           method, path, wait)
            raise RateLimited(f"The ad platform asked us to slow down for {wait:.0f} seconds; "
                              "try again in a minute.", retry_after=wait)
        logger.info("Megaphone %s %s rate limited (429); waiting %.2fs as asked", method, path, wait)
        time.sleep(wait)


_TOKEN_REJECTED = "The ad platform rejected the API token. Check the connection's token."
_CAMPAIGN_GONE = "The campaign was not found on the ad platform; it may have been deleted there."


def parse_link_header(value: str) -> list[tuple[str, dict[str, str]]]:
    """Split an RFC 8288 Link header into (target, params); names lower-cased, first one wins."""
    # Not requests' response.links: it splits inside a quoted ", <" and keeps the last of a repeated parameter.
    links = []
    position = 0
    while match := _LINK_TARGET.match(value, position):
        target, position, params = match.group(1).strip(), match.end(), {}
        while param := _LINK_PARAM.match(value, position):
            name, raw = param.group(1).lower(), param.group(2) or ""
            if raw.startswith('"'):
                raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
            params.setdefault(name, raw)
            position = param.end()
        links.append((target, params))
    return links


def next_page_url(response: requests.Response) -> str | None:
    """The absolute URL of the Link header's rel="next", or None on the last page."""
    for target, params in parse_link_header(response.headers.get("Link", "")):
        if "next" in params.get("rel", "").lower().split():
            return urljoin(response.url, target)
    return None


def _page(number: int, payload: list, total: int | None) -> CampaignPage:
    campaigns, invalid = [], []
    for raw in payload:
        try:
            campaigns.append(parse_campaign(raw))
        except InvalidRecord as exc:
            raw_id = raw.get("id") if isinstance(raw, dict) else None
            raw_id = raw_id if isinstance(raw_id, str) and raw_id else None
            logger.warning("Megaphone page %d: skipping campaign %s: %s", number, raw_id, exc.reason)
            invalid.append((raw_id, exc.reason))
    return CampaignPage(number=number, campaigns=campaigns, invalid=invalid, total=total)


def _json(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        written = response.request.method != "GET"
        raise _unavailable("sent a reply we could not read", response.status_code, written) from None


def _json_list(response: requests.Response) -> list:
    payload = _json(response)
    if not isinstance(payload, list):
        raise _unavailable("sent a campaign list we could not read", response.status_code, False)
    return payload


def _validation_failed(response: requests.Response) -> ValidationFailed:
    try:
        raw_fields = response.json().get("fields")
    except (ValueError, AttributeError):
        raw_fields = None
    raw_fields = raw_fields if isinstance(raw_fields, dict) else {}
    # Keyed by our names so forms can put each reason next to its own input.
    fields = {OUR_FIELD_NAMES.get(name, name): str(problem) for name, problem in raw_fields.items()}
    details = "; ".join(f"{name.replace('_', ' ')} {problem}" for name, problem in fields.items())
    return ValidationFailed(f"The ad platform refused the campaign: {details or 'invalid data'}.", fields)


def _unavailable(reason: str, status: int | None, maybe_applied: bool) -> Unavailable:
    message = f"The ad platform {reason}. Try again in a few minutes."
    if maybe_applied:
        message += " The change may have been applied anyway; the next sync will show it if so."
    return Unavailable(message, status=status, maybe_applied=maybe_applied)


def _nothing_was_sent(exc: requests.RequestException) -> bool:
    """True when the connection never opened (refused or connect timeout), so no bytes went out."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    reason = exc.args[0].reason if exc.args and isinstance(exc.args[0], MaxRetryError) else None
    return isinstance(exc, requests.ConnectionError) and isinstance(reason, NewConnectionError)


def _failure_reason(exc: requests.RequestException) -> str:
    if _nothing_was_sent(exc):
        return "could not be reached"
    return "did not answer in time" if isinstance(exc, requests.Timeout) else "dropped the connection"


def _retry_after(response: requests.Response) -> float | None:
    """Retry-After in seconds (the contract promises an integer); None when missing or garbage."""
    try:
        seconds = float(response.headers.get("Retry-After", "").strip())
    except ValueError:
        return None
    return seconds if 0 <= seconds < 86400 else None


def _total_count(response: requests.Response) -> int | None:
    value = response.headers.get("X-Total-Count", "").strip()
    return int(value) if value.isascii() and value.isdigit() else None  # '²'.isdigit() is True too


def _iso_timestamp(value: datetime | date | str) -> str:
    if isinstance(value, datetime):
        moment = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value.isoformat() if isinstance(value, date) else str(value)
