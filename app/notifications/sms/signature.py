"""X-Twilio-Signature: base64 HMAC-SHA1 over the full URL and the sorted POST parameters."""

import base64
import hashlib
import hmac
from collections.abc import Iterable, Mapping

Params = Mapping[str, str] | Iterable[tuple[str, str]]


def _pairs(params: Params) -> list[tuple[str, str]]:
    if hasattr(params, "items"):
        # A werkzeug MultiDict keeps every value of a repeated name; all of them are signed.
        items = params.items(multi=True) if hasattr(params, "getlist") else params.items()
    else:
        items = params
    return sorted((str(name), str(value)) for name, value in items)


def compute_signature(url: str, params: Params, auth_token: str) -> str:
    """The signature the provider sends for a POST of `params` to `url`."""
    payload = url + "".join(name + value for name, value in _pairs(params))
    digest = hmac.new(auth_token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def verify_signature(url: str, params: Params, signature: str | None, auth_token: str) -> bool:
    """True only when `signature` is the provider's for this URL and these parameters."""
    if not signature or not auth_token:
        return False
    expected = compute_signature(url, params, auth_token)
    return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))
