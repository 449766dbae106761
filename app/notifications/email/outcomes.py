"""What sending one email came to, so callers decide without reading SMTP replies."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Sent:
    """The server accepted the message for its recipient."""

    message_id: str


@dataclass(frozen=True)
class Transient:
    """4xx, refused connection, timeout or a dropped link: retry later (same Message-ID)."""

    reason: str
    code: int | None = None


@dataclass(frozen=True)
class Permanent:
    """5xx for this message or recipient: retrying cannot succeed; reason is the server's reply."""

    reason: str
    code: int | None


@dataclass(frozen=True)
class Misconfigured:
    """Our settings are wrong (login refused, STARTTLS unavailable): nothing can go until fixed."""

    reason: str
    code: int | None = None


EmailOutcome = Sent | Transient | Permanent | Misconfigured
