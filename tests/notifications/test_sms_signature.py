"""X-Twilio-Signature: computing and verifying, including every way a forgery differs."""

import pytest
from werkzeug.datastructures import MultiDict

from app.notifications.sms.client import verify_signature
from app.notifications.sms.signature import compute_signature

URL = "https://oms.example.com/webhooks/sms/status?x=1"
TOKEN = "token-123"
PARAMS = {"MessageSid": "SM" + "0" * 31 + "1", "MessageStatus": "delivered", "To": "+15557654321",
          "From": "+15550001111", "AccountSid": "AC0123"}
# openssl dgst -sha1 -hmac token-123 -binary | base64, over URL + sorted name/value pairs
EXPECTED = "FxuBNnCHKUNmGJWZnqyHLQzRcPA="


def test_signature_matches_an_independent_computation():
    assert compute_signature(URL, PARAMS, TOKEN) == EXPECTED
    assert compute_signature(URL, list(PARAMS.items())[::-1], TOKEN) == EXPECTED


def test_a_good_signature_verifies():
    assert verify_signature(URL, PARAMS, EXPECTED, TOKEN)
    assert verify_signature(URL, MultiDict(PARAMS), EXPECTED, TOKEN)


@pytest.mark.parametrize(("url", "params", "signature", "token"), [
    (URL, PARAMS, "AAAA" + EXPECTED[4:], TOKEN),  # bad signature
    (URL, {**PARAMS, "MessageStatus": "failed"}, EXPECTED, TOKEN),  # tampered parameter
    (URL, {**PARAMS, "ErrorCode": "30003"}, EXPECTED, TOKEN),  # added parameter
    (URL, {k: v for k, v in PARAMS.items() if k != "To"}, EXPECTED, TOKEN),  # dropped parameter
    ("https://oms.example.com/webhooks/sms/status", PARAMS, EXPECTED, TOKEN),  # other URL (query)
    ("http://oms.example.com/webhooks/sms/status?x=1", PARAMS, EXPECTED, TOKEN),  # other scheme
    ("https://evil.example.com/webhooks/sms/status?x=1", PARAMS, EXPECTED, TOKEN),  # other host
    (URL, PARAMS, EXPECTED, "other-token"),  # other account's token
    (URL, PARAMS, None, TOKEN),
    (URL, PARAMS, "", TOKEN),
    (URL, PARAMS, "ünïcode", TOKEN),
    (URL, PARAMS, EXPECTED, ""),
])
def test_anything_else_does_not_verify(url, params, signature, token):
    assert verify_signature(url, params, signature, token) is False


def test_every_value_of_a_repeated_parameter_is_signed():
    both = MultiDict([("To", "+15550000001"), ("To", "+15550000002")])
    signature = compute_signature(URL, both, TOKEN)
    assert verify_signature(URL, both, signature, TOKEN)
    assert not verify_signature(URL, {"To": "+15550000001"}, signature, TOKEN)
