"""Failed-login throttling per (account, client IP) and per client IP, in Redis so every web process shares it.

A fixed window starting at the first failure. The (account, IP) limit stops guessing one password
without letting a stranger lock the owner out from elsewhere; the per-IP limit (higher) stops one
client from spraying many accounts. When Redis is down each process keeps counting in a bounded
in-memory table instead, so throttling never silently switches off.
"""
import math
import threading
import time
from collections import OrderedDict

from flask import current_app
from redis.exceptions import RedisError

from app.redis_client import get_redis

PREFIX = "oms:login-failures"
FALLBACK_MAX_KEYS = 10_000  # oldest entries go first, so a flood of addresses cannot grow memory forever


def _limited_keys(email: str, ip: str) -> list[tuple[str, int]]:
    """Each counter a sign-in attempt touches, with the failure limit that blocks it."""
    config = current_app.config
    return [(f"{PREFIX}:pair:{ip}:{email.strip().lower()}", config["LOGIN_FAILURE_LIMIT"]),
            (f"{PREFIX}:ip:{ip}", config["LOGIN_IP_FAILURE_LIMIT"])]


class MemoryCounters:
    """The per-process stand-in for Redis: counters with an expiry, at most FALLBACK_MAX_KEYS of them."""

    def __init__(self):
        self._entries: OrderedDict[str, tuple[int, float]] = OrderedDict()
        self._lock = threading.Lock()

    def count_and_ttl(self, key: str) -> tuple[int, int]:
        """The key's count and whole seconds left (0, 0 when absent or expired)."""
        with self._lock:
            count, expires = self._entries.get(key, (0, 0.0))
            left = expires - time.monotonic()
            return (count, math.ceil(left)) if left > 0 else (0, 0)

    def incr(self, key: str, window: int) -> None:
        """Count one failure; the window starts at the first one."""
        with self._lock:
            count, expires = self._entries.pop(key, (0, 0.0))
            if expires <= time.monotonic():
                count, expires = 0, time.monotonic() + window
            self._entries[key] = (count + 1, expires)
            while len(self._entries) > FALLBACK_MAX_KEYS:
                self._entries.popitem(last=False)

    def delete(self, key: str) -> None:
        with self._lock:
            self._entries.pop(key, None)


def _fallback() -> MemoryCounters:
    """This app's in-process counters, used only while Redis is unreachable."""
    return current_app.extensions.setdefault("login_throttle_fallback", MemoryCounters())


def _redis_down(action: str) -> MemoryCounters:
    current_app.logger.warning("login throttling: Redis unavailable, %s in this process only", action)
    return _fallback()


def seconds_blocked(email: str, ip: str) -> int:
    """0 when a sign-in may be tried, else how long until the longest block ends."""
    keys = _limited_keys(email, ip)
    try:
        pipe = get_redis().pipeline()
        for key, _ in keys:
            pipe.get(key)
            pipe.ttl(key)
        replies = pipe.execute()
        states = [(int(replies[i] or 0), replies[i + 1]) for i in range(0, len(replies), 2)]
    except RedisError:
        counters = _redis_down("checking failures")
        states = [counters.count_and_ttl(key) for key, _ in keys]
    blocked = [max(ttl, 1) for (count, ttl), (_, limit) in zip(states, keys) if count >= limit]
    return max(blocked, default=0)


def record_failure(email: str, ip: str) -> None:
    """Count one failed attempt for the (account, IP) pair and for the IP."""
    window = current_app.config["LOGIN_FAILURE_WINDOW_SECONDS"]
    keys = [key for key, _ in _limited_keys(email, ip)]
    try:
        pipe = get_redis().pipeline()
        for key in keys:
            pipe.incr(key)
            pipe.expire(key, window, nx=True)
        pipe.execute()
    except RedisError:
        counters = _redis_down("counting failures")
        for key in keys:
            counters.incr(key, window)


def clear_account(email: str, ip: str) -> None:
    """Forget this client's failures on an account once it signs in (the IP's own count stays)."""
    key = _limited_keys(email, ip)[0][0]
    _fallback().delete(key)
    try:
        get_redis().delete(key)
    except RedisError:
        _redis_down("clearing failures")


def minutes(seconds: int) -> int:
    """Whole minutes to show a person, rounded up."""
    return max(1, math.ceil(seconds / 60))
