"""ETags and If-Match for single resources.

Rows here have no version column, so the ETag is derived from the row's id and updated_at (which
every ORM and Core UPDATE of these tables sets); a write re-reads the row locked before comparing.
"""
import hashlib

from flask import abort, request

from app.common.models import as_utc


def etag_of(row) -> str:
    """The row's current ETag value (unquoted)."""
    stamp = as_utc(row.updated_at).isoformat() if row.updated_at else ""
    return hashlib.sha256(f"{type(row).__name__}:{row.id}:{stamp}".encode()).hexdigest()[:32]


def check_if_match(row) -> None:
    """412 when the request's If-Match names other versions than the row's current one (none sent: no check)."""
    if request.if_match and not request.if_match.star_tag and not request.if_match.contains(etag_of(row)):
        abort(412)


def with_etag(row, status: int = 200, headers: dict | None = None):
    """(row, status, headers) for smorest, with the row's ETag."""
    return row, status, {"ETag": f'"{etag_of(row)}"', **(headers or {})}
