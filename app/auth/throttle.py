"""Failed-login throttling in Redis, per account and per client IP, shared by every web process.

A fixed window starting at the first failure: at most LOGIN_FAILURE_LIMIT failures per
LOGIN_FAILURE_WINDOW_SECONDS for one email and, separately, for one IP.
"""
import math

from flask import current_app
from redis.exceptions import RedisError

from app.redis_client import get_redis

PREFIX = "oms:login-failures"


def _keys(email: str, ip: str) -> list[str]:
    return [f"{PREFIX}:account:{email.strip().lower()}", f"{PREFIX}:ip:{ip}"]


def seconds_blocked(email: str, ip: str) -> int:
    """0 when a login may be tried, else how long until the longest block ends."""
    limit = current_app.config["LOGIN_FAILURE_LIMIT"]
    try:
        redis = get_redis()
        blocked = [redis.ttl(key) for key in _keys(email, ip) if int(redis.get(key) or 0) >= limit]
    except RedisError:
        # Availability over throttling: without Redis we still let staff sign in, loudly.
        current_app.logger.warning("login throttling skipped: Redis unavailable")
        return 0
    return max([max(ttl, 1) for ttl in blocked], default=0)


def record_failure(email: str, ip: str) -> None:
    """Count one failed attempt for the account and the IP."""
    window = current_app.config["LOGIN_FAILURE_WINDOW_SECONDS"]
    try:
        pipe = get_redis().pipeline()
        for key in _keys(email, ip):
            pipe.incr(key)
            pipe.expire(key, window, nx=True)
        pipe.execute()
    except RedisError:
        current_app.logger.warning("login failure not counted: Redis unavailable")


def clear_account(email: str) -> None:
    """Forget an account's failures after it signs in (the IP's count stays)."""
    try:
        get_redis().delete(_keys(email, "-")[0])
    except RedisError:
        pass


def minutes(seconds: int) -> int:
    """Whole minutes to show a person, rounded up."""
    return max(1, math.ceil(seconds / 60))
