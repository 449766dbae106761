"""Opaque keyset cursors: the sort values of a boundary row, typed by their SQL expressions."""
import base64
import json
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import Boolean, Date, DateTime, Integer, Numeric, String


class BadCursor(ValueError):
    """A cursor that was tampered with or comes from another sort."""


def encode_cursor(values) -> str:
    """Serialise sort values to a URL-safe token."""
    def plain(value):
        if isinstance(value, (datetime, date)):
            return value.isoformat()
        if isinstance(value, Decimal):
            return str(value)
        return value

    raw = json.dumps([plain(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(token: str, expressions) -> list:
    """Parse a token back into values of the expressions' Python types, or raise BadCursor."""
    try:
        raw = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (ValueError, TypeError) as exc:
        raise BadCursor(str(exc)) from exc
    if not isinstance(raw, list) or len(raw) != len(expressions):
        raise BadCursor("wrong shape")
    return [_typed(value, expr.type) for value, expr in zip(raw, expressions)]


def _typed(value, sql_type):
    if value is None:
        return None
    try:
        if isinstance(sql_type, DateTime):
            return datetime.fromisoformat(value)
        if isinstance(sql_type, Date):
            return date.fromisoformat(value)
        if isinstance(sql_type, Numeric) and not isinstance(sql_type, Integer):
            return Decimal(str(value))
        if isinstance(sql_type, Boolean):
            return bool(value)
        if isinstance(sql_type, Integer):
            if isinstance(value, bool) or not isinstance(value, int):
                raise BadCursor("not an integer")
            return value
        if isinstance(sql_type, String):
            if not isinstance(value, str):
                raise BadCursor("not a string")
            return value
    except (TypeError, ValueError, InvalidOperation) as exc:
        raise BadCursor(str(exc)) from exc
    raise BadCursor(f"unsupported type {sql_type!r}")
