"""What one send to the SMS provider came to, so callers decide without reading HTTP."""

from dataclasses import dataclass

OPTED_OUT = 21610
INVALID_NUMBER = 21211
IDEMPOTENCY_CONFLICT = 20422


@dataclass(frozen=True)
class Accepted:
    """The provider has the message (201, or 200 when it answered a repeated Idempotency-Key)."""

    sid: str
    status: str
    segments: int | None
    replayed: bool = False


@dataclass(frozen=True)
class Transient:
    """Nothing is known to be lost: retry later with the same Idempotency-Key."""

    reason: str
    status: int | None = None
    retry_after: float | None = None  # seconds the provider asked us to wait (429)


@dataclass(frozen=True)
class Permanent:
    """The provider refused this message (400/422): retrying it cannot succeed."""

    reason: str
    code: int | None
    status: int

    @property
    def opted_out(self) -> bool:
        """The recipient replied STOP earlier."""
        return self.code == OPTED_OUT

    @property
    def invalid_number(self) -> bool:
        """The To number is not a valid phone number."""
        return self.code == INVALID_NUMBER


@dataclass(frozen=True)
class Misconfigured:
    """Our settings are wrong (credentials, base URL or account): no message can go until fixed."""

    reason: str
    status: int | None = None


SendOutcome = Accepted | Transient | Permanent | Misconfigured
