"""The notification settings (SMTP, SMS provider, public URL), read and checked once at start-up."""

from email.utils import parseaddr
from urllib.parse import urlsplit

from app.notifications.email.smtp import InvalidSmtpUrl, parse_smtp_url
from app.notifications.sms.numbers import is_e164

# Development defaults point at the local SMTP sink and SMS simulator that `make run` starts.
DEFAULTS = {
    "SMTP_URL": "smtp://127.0.0.1:1025",
    "MAIL_FROM": "OMS <oms@localhost>",
    "SMS_BASE_URL": "http://127.0.0.1:5056",
    "SMS_ACCOUNT_SID": "AC0123",
    "SMS_AUTH_TOKEN": "dev-sms-token",
    "SMS_FROM": "+15550001111",
    "OMS_PUBLIC_URL": "http://127.0.0.1:5000",
}


class InvalidNotificationSetting(ValueError):
    """A notification setting cannot be used; the message names it and says why."""


def notification_settings(env) -> dict:
    """The seven settings with defaults filled in; raises InvalidNotificationSetting on a bad one."""
    values = {name: (env.get(name) or default).strip() for name, default in DEFAULTS.items()}
    try:
        parse_smtp_url(values["SMTP_URL"])
    except InvalidSmtpUrl as exc:
        raise InvalidNotificationSetting(str(exc)) from None
    if "@" not in parseaddr(values["MAIL_FROM"])[1]:
        raise InvalidNotificationSetting("MAIL_FROM must be an address such as OMS <oms@example.com>")
    for name in ("SMS_BASE_URL", "OMS_PUBLIC_URL"):
        values[name] = _base_url(name, values[name])
    if not (values["SMS_ACCOUNT_SID"].isascii() and values["SMS_ACCOUNT_SID"].isalnum()):
        raise InvalidNotificationSetting("SMS_ACCOUNT_SID must be letters and digits, e.g. AC0123")
    if not is_e164(values["SMS_FROM"]):
        raise InvalidNotificationSetting("SMS_FROM must be E.164: + then 8 to 15 digits, e.g. +15550001111")
    return values


def _base_url(name: str, url: str) -> str:
    """An http(s) URL with a host and no query, stored without its trailing slash."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError on a bad port)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise InvalidNotificationSetting(f"{name} must be an http(s) URL such as {DEFAULTS[name]}")
    return url.rstrip("/")
