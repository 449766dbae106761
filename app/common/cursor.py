"""Opaque keyset cursors: the sort values of a boundary row, typed by their SQL expressions."""
import base64
import json
from datetime import date, datetime, time, timezone
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


def parse_jump(text: str, sql_type, descending: bool = False):
    """A value typed by the user to jump to in a column of sql_type, or None when it is not one.

    Dates and times take an ISO date (a timestamp jumps to the start of that day, or its end when
    descending); text takes its first letters (descending, the value just past every text that starts
    with them, so "ab" lands on the last "ab…" title); amounts take a number.
    """
    text = text.strip()
    if not text:
        return None
    try:
        if isinstance(sql_type, DateTime):
            day = date.fromisoformat(text[:10])
            moment = datetime.combine(day, time.max if descending else time.min)
            return moment.replace(tzinfo=timezone.utc) if sql_type.timezone else moment
        if isinstance(sql_type, Date):
            return date.fromisoformat(text[:10])
        if isinstance(sql_type, Integer):
            value = int(text.replace(",", ""))
            return value if abs(value) < 2**63 else None
        if isinstance(sql_type, Numeric):
            value = Decimal(text.replace(",", ""))
            return value if value.is_finite() else None
        if isinstance(sql_type, String):
            # Byte order (C collation, SQLite's too): the prefix with its last character bumped sorts after every text that starts with it.
            return text[:-1] + chr(ord(text[-1]) + 1) if descending and ord(text[-1]) < 0x10FFFF else text
    except (ValueError, InvalidOperation, OverflowError):
        return None
    return None
