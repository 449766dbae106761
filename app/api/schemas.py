"""Fields the API's schemas share."""
from marshmallow import fields, validate

from app.common.listing import ARCHIVE_CHOICES
from app.common.models import as_utc


def Text(max_length: int, **kwargs) -> fields.String:  # noqa: N802  (reads like the field classes)
    """A string of at most `max_length` characters: longer input is a 422 before any service sees it."""
    return fields.String(validate=validate.Length(max=max_length), **kwargs)


def ArchivedFilter() -> fields.String:  # noqa: N802
    """Which rows a list shows: active (default), archived or all."""
    return fields.String(load_default="active", validate=validate.OneOf(ARCHIVE_CHOICES))


class UtcDateTime(fields.DateTime):
    """An RFC 3339 timestamp with its zone: SQLite hands timestamps back naive, and they were stored in UTC."""

    def _serialize(self, value, attr, obj, **kwargs):
        return super()._serialize(as_utc(value), attr, obj, **kwargs)


def Money(**kwargs) -> fields.Decimal:  # noqa: N802
    """An amount as a decimal string ("12.50"), never a float."""
    return fields.Decimal(places=2, as_string=True,
                          metadata={"type": "string", "format": "decimal", "example": "12.50"}, **kwargs)
