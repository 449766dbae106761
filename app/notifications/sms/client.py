"""The only code in OMS that speaks HTTP to the SMS provider (contract: sms-api.md)."""

import logging
from urllib.parse import quote

import requests

from app.notifications.sms.outcomes import (
    IDEMPOTENCY_CONFLICT, INVALID_NUMBER, OPTED_OUT, Accepted, Misconfigured, Permanent, SendOutcome,
    Transient,
)
from app.notifications.sms.signature import verify_signature

__all__ = ["SmsClient", "verify_signature"]

logger = logging.getLogger("oms.notifications.sms")

# Plain sentences for the codes a caller acts on; other codes keep the provider's message.
_PERMANENT_REASONS = {
    OPTED_OUT: "recipient opted out",
    INVALID_NUMBER: "invalid number",
    IDEMPOTENCY_CONFLICT: "the Idempotency-Key was already used for a different message",
}


class SmsClient:
    """Sends SMS for one provider account; every reply becomes a typed outcome, never an exception."""

    def __init__(self, base_url: str, account_sid: str, auth_token: str, from_number: str, *,
                 connect_timeout: float = 3.05, read_timeout: float = 10.0,
                 session: requests.Session | None = None):
        self.base_url = base_url.rstrip("/")
        self.account_sid = account_sid
        self.from_number = from_number
        self.timeout = (connect_timeout, read_timeout)
        self._auth = (account_sid, auth_token)  # never logged, repr'd or put in an outcome
        self._session = session or requests.Session()
        self._messages_url = (f"{self.base_url}/2010-04-01/Accounts/{quote(account_sid, safe='')}"
                              "/Messages")

    @classmethod
    def from_config(cls, config: dict, **options) -> "SmsClient":
        """A client for the SMS_* settings of the app's config."""
        return cls(config["SMS_BASE_URL"], config["SMS_ACCOUNT_SID"], config["SMS_AUTH_TOKEN"],
                   config["SMS_FROM"], **options)

    def __repr__(self) -> str:
        return f"SmsClient(base_url={self.base_url!r}, account_sid={self.account_sid!r})"

    def send(self, to: str, body: str, idempotency_key: str,
             status_callback: str | None = None) -> SendOutcome:
        """POST one message; safe to repeat with the same key after a Transient outcome."""
        form = {"To": to, "From": self.from_number, "Body": body}
        if status_callback:
            form["StatusCallback"] = status_callback
        outcome = self._call("POST", f"{self._messages_url}.json", data=form,
                             headers={"Idempotency-Key": idempotency_key})
        logger.info("SMS send key=%s to=%s: %r", idempotency_key, to, outcome)
        return outcome

    def fetch(self, message_sid: str) -> SendOutcome:
        """Read a message's current status (Accepted carries it; 404 is Permanent with code 20404)."""
        return self._call("GET", f"{self._messages_url}/{quote(message_sid, safe='')}.json",
                          reading=True)

    def _call(self, method: str, url: str, *, reading: bool = False, **kwargs) -> SendOutcome:
        try:
            response = self._session.request(method, url, auth=self._auth, timeout=self.timeout,
                                             **kwargs)
        except requests.Timeout:
            return Transient("the SMS provider did not answer in time")
        except requests.ConnectionError:
            return Transient("the SMS provider could not be reached")
        except (UnicodeError, ValueError, requests.RequestException) as exc:
            # A token or key that cannot go in a header, or a malformed base URL.
            return Misconfigured(f"the SMS request could not be built ({type(exc).__name__})")
        return _outcome(response, reading)


def _outcome(response: requests.Response, reading: bool) -> SendOutcome:
    """Only a read may meet a 404 that means "no such message"; on a send it means a wrong URL."""
    status = response.status_code
    payload = _json(response)
    if status in (200, 201):
        if not isinstance(payload.get("sid"), str):
            # The message may exist: a retry with the same key finds it without sending twice.
            return Transient("the SMS provider's reply could not be read", status)
        return Accepted(payload["sid"], str(payload.get("status") or ""),
                        _whole(payload.get("num_segments")), replayed=status == 200)
    if status == 429:
        return Transient("the SMS provider asked us to slow down", status,
                         _retry_after(response.headers.get("Retry-After")))
    if status >= 500:
        return Transient(f"the SMS provider failed ({status})", status)
    code = _whole(payload.get("code"))
    if status == 401:
        return Misconfigured("the SMS provider refused the account SID or auth token", status)
    if status in (400, 422) or (reading and status == 404 and code == 20404):
        reason = _PERMANENT_REASONS.get(code) or str(payload.get("message") or f"refused ({status})")
        return Permanent(reason, code, status)
    return Misconfigured(f"unexpected answer {status} from the SMS provider (check SMS_BASE_URL)",
                         status)


def _json(response: requests.Response) -> dict:
    try:
        payload = response.json()
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}


def _whole(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _retry_after(header: str | None) -> float | None:
    """Delta-seconds only: the contract sends whole seconds."""
    text = (header or "").strip()
    return float(text) if text.isascii() and text.isdigit() else None
