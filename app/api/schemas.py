"""Fields the API's schemas share."""
from marshmallow import fields, validate

from app.common.listing import ARCHIVE_CHOICES


def Text(max_length: int, **kwargs) -> fields.String:  # noqa: N802  (reads like the field classes)
    """A string of at most `max_length` characters: longer input is a 422 before any service sees it."""
    return fields.String(validate=validate.Length(max=max_length), **kwargs)


def ArchivedFilter() -> fields.String:  # noqa: N802
    """Which rows a list shows: active (default), archived or all."""
    return fields.String(load_default="active", validate=validate.OneOf(ARCHIVE_CHOICES))
