"""Turning ad platform failures into sentences people can act on, next to the right field."""
from contextlib import contextmanager

from app.common.errors import ValidationError
from app.platforms.megaphone.errors import PlatformError, RateLimited, Unavailable, ValidationFailed

FIELD_LABELS = {"title": "Title", "advertiser": "Advertiser", "start_date": "Start date",
                "end_date": "End date", "status": "Status", "budget": "Budget"}
# The platform's reasons name its JSON fields; people know ours.
PLATFORM_NAMES_IN_REASONS = {"startDate": "the start date", "endDate": "the end date",
                             "advertiserName": "the advertiser"}

# What did not happen, per action, so every failure says plainly what state things are in.
NOTHING_DONE = {
    "create": "nothing was saved",
    "update": "nothing was changed in OMS",
    "archive": "the campaign was not archived",
    "restore": "the campaign is still archived",
    "delete": "the campaign was not deleted",
}
# What happens if a write reached the platform even though its answer never came back.
IF_IT_GOT_THROUGH = {
    "create": " If it was created, the next sync will add it.",
    "update": " If the change reached the platform, the next sync will bring it in.",
    "restore": (" If the platform re-created it anyway, the next sync will add it as a new campaign,"
                " so check the list before restoring again."),
}


class PlatformUnavailableError(ValidationError):
    """The platform did not answer (down, slow or rate limiting): worth stopping a bulk action."""

    def __init__(self, errors, retry_after: float | None = None):
        super().__init__(errors)
        self.retry_after = retry_after  # seconds the platform asked us to wait, when it said (the API passes it on)


def field_problem(name: str, reason: str) -> str:
    """'End date must be on or after the start date.' from our field name and a contract reason."""
    for theirs, ours in PLATFORM_NAMES_IN_REASONS.items():
        reason = reason.replace(theirs, ours)
    return f"{FIELD_LABELS.get(name, name.replace('_', ' ').capitalize())} {reason.rstrip('.')}."


def platform_problem(error: PlatformError, action: str) -> ValidationError:
    """The ValidationError a view shows for a platform failure during `action`."""
    nothing = NOTHING_DONE[action]
    if isinstance(error, ValidationFailed):
        errors = {name: field_problem(name, reason) for name, reason in error.fields.items()}
        errors[""] = f"The ad platform refused the campaign; {nothing}. See the marked fields."
        if not error.fields:
            errors[""] = f"{error.message} ({nothing.capitalize()}.)"
        return ValidationError(errors)
    if isinstance(error, RateLimited):
        return PlatformUnavailableError(f"The ad platform is busy and asked us to wait; {nothing}. "
                                        "Try again in a minute.", retry_after=error.retry_after)
    if isinstance(error, Unavailable):
        hint = IF_IT_GOT_THROUGH.get(action, " Try again in a few minutes.")
        return PlatformUnavailableError(f"The ad platform did not answer; {nothing}.{hint}")
    return ValidationError(f"{error.message} ({nothing.capitalize()}.)")


@contextmanager
def talking_to_platform(action: str):
    """Run platform calls, turning any PlatformError into the sentence for `action`."""
    try:
        yield
    except PlatformError as error:
        raise platform_problem(error, action) from None
