"""Typed errors for the ad platform, each carrying a sentence staff can act on."""


class PlatformError(Exception):
    """Talking to the ad platform failed; `.message` is a plain sentence for staff."""

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.status = status


class ValidationFailed(PlatformError):
    """The platform refused the data (422); `.fields` maps our field names to its reasons."""

    def __init__(self, message: str, fields: dict[str, str], *, status: int = 422):
        super().__init__(message, status=status)
        self.fields = dict(fields)


class NotFound(PlatformError):
    """The organization or the campaign does not exist on the platform (404)."""


class Unauthorized(PlatformError):
    """The platform rejected the API token (401)."""


class Forbidden(PlatformError):
    """The token is valid but not for this organization (403)."""


class Unavailable(PlatformError):
    """The platform failed, timed out or could not be reached, even after retrying.

    `maybe_applied` is True when a write reached the platform before it failed,
    so it may have taken effect (the next sync will show whether it did).
    """

    def __init__(self, message: str, *, status: int | None = None, maybe_applied: bool = False):
        super().__init__(message, status=status)
        self.maybe_applied = maybe_applied


class RateLimited(PlatformError):
    """The platform asked us to wait longer than our retry budget allows (429)."""

    def __init__(self, message: str, *, retry_after: float | None = None):
        super().__init__(message, status=429)
        self.retry_after = retry_after


class InvalidRecord(PlatformError):
    """A campaign record from the platform breaks the contract's rules; `.reason` says how."""

    def __init__(self, reason: str):
        super().__init__(f"The ad platform sent a campaign we cannot use: {reason}.")
        self.reason = reason
