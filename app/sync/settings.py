"""Sync tunables: the app config wins, then the environment (so a worker can be tuned), then defaults."""
import os

from flask import current_app

DEFAULTS = {
    # How long a lock (and a heartbeat) lives without renewal; a page plus its retries must fit.
    "SYNC_LOCK_TTL_SECONDS": 180.0,
    "SYNC_PAGE_SIZE": 500,
    # Writer threads (PostgreSQL only), each with its own connection: pages are written while the
    # next ones are read, and this many at once; a first load is bound by the server's index work.
    "SYNC_WRITERS": 2,
    # At most this many unseen campaigns are checked one GET each before being marked deleted.
    "SYNC_VERIFY_BY_GET_LIMIT": 25,
    # Campaigns created on the platform this close to a pass's start may not be in its pages yet.
    "SYNC_RECENT_SECONDS": 120.0,
    "SYNC_JOB_TIMEOUT_SECONDS": 3600,
}


def sync_setting(name: str) -> float | int:
    """One sync setting, typed like its default."""
    default = DEFAULTS[name]
    value = current_app.config.get(name)
    if value is None:
        value = os.environ.get(name)
    if value is None:
        return default
    try:
        number = type(default)(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, not {value!r}") from None
    if number <= 0:
        raise ValueError(f"{name} must be greater than 0")
    return number
