"""Injected faults and the per-account rate limit of the SMS simulator's API."""

import math
import random
import threading
import time
from collections import deque
from collections.abc import Mapping
from typing import Any

FAULT_STATUSES = (500, 503)


class InvalidSettings(ValueError):
    """Settings that make no sense; `.problems` maps each setting to why."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(problems)
        self.problems = problems


class Faults:
    """Fault settings and rate-limit bookkeeping, shared by every API request."""

    # rate_limit_window_seconds stays 1 for "per second"; tests lengthen it so a slow machine
    # cannot spread their few requests over two windows.
    DEFAULTS = {"error_rate": 0.0, "latency_ms": 0, "rate_limit_per_second": None,
                "rate_limit_window_seconds": 1.0, "fail_next": 0, "fail_next_status": 503,
                "accept_then_fail_next": 0}

    def __init__(self, rng: random.Random):
        self._lock = threading.Lock()
        self._rng = rng
        self.reset()

    def reset(self) -> None:
        """No faults, no rate limit, every account's window empty."""
        with self._lock:
            self._settings: dict[str, Any] = dict(self.DEFAULTS)
            self._recent: dict[str, deque[float]] = {}

    def settings(self) -> dict:
        """The current settings."""
        with self._lock:
            return dict(self._settings)

    def configure(self, changes: Mapping) -> dict:
        """Change any subset of the settings; raises InvalidSettings naming each bad one."""
        parsed = check_settings(changes, _CHECKS)
        with self._lock:
            self._settings.update(parsed)
            return dict(self._settings)

    def latency_seconds(self) -> float:
        """How long to sleep before answering."""
        with self._lock:
            return self._settings["latency_ms"] / 1000

    def admit(self, account_sid: str) -> tuple[int, int | None] | None:
        """None to serve the request, else (status, Retry-After seconds or None) to refuse it."""
        with self._lock:
            settings = self._settings
            limit = settings["rate_limit_per_second"]
            if limit:
                wait = self._take_slot(account_sid, limit, settings["rate_limit_window_seconds"],
                                       time.monotonic())
                if wait:
                    return 429, wait
            if settings["fail_next"] > 0:
                settings["fail_next"] -= 1
                return settings["fail_next_status"], None
            if settings["error_rate"] and self._rng.random() < settings["error_rate"]:
                return self._rng.choice(FAULT_STATUSES), None
            return None

    def fail_after_accept(self) -> bool:
        """True when this accepted message must still be answered with a 500 (reply lost)."""
        with self._lock:
            if self._settings["accept_then_fail_next"] > 0:
                self._settings["accept_then_fail_next"] -= 1
                return True
            return False

    def _take_slot(self, account_sid: str, limit: int, window: float, now: float) -> int:
        """Count a request in the sliding window, or return whole seconds to wait (>= 1)."""
        recent = self._recent.setdefault(account_sid, deque())
        while recent and recent[0] <= now - window:
            recent.popleft()
        if len(recent) >= limit:
            return max(1, math.ceil(recent[-limit] + window - now))
        recent.append(now)
        return 0


def check_settings(changes: Mapping, checks: dict) -> dict:
    """Parse each named setting with its check; raises InvalidSettings listing every bad one."""
    parsed, problems = {}, {}
    for name, value in changes.items():
        check = checks.get(name)
        try:
            if check is None:
                raise ValueError("is not a setting")
            parsed[name] = check(value)
        except (TypeError, ValueError) as exc:
            problems[name] = str(exc)
    if problems:
        raise InvalidSettings(problems)
    return parsed


def count(value: Any) -> int:
    """A whole number >= 0 (booleans refused)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("must be a whole number >= 0")
    return value


def _rate(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ValueError("must be a number from 0 to 1")
    return float(value)


def _latency(value: Any) -> int:
    if count(value) > 120_000:
        raise ValueError("must be at most 120000")
    return value


def _optional_count(value: Any) -> int | None:
    return None if value in (None, 0) else count(value)


def _window(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 3600:
        raise ValueError("must be a number of seconds above 0, at most 3600")
    return float(value)


def _fault_status(value: Any) -> int:
    if value not in FAULT_STATUSES or isinstance(value, bool):
        raise ValueError("must be 500 or 503")
    return value


_CHECKS = {"error_rate": _rate, "latency_ms": _latency, "rate_limit_per_second": _optional_count,
           "rate_limit_window_seconds": _window,
           "fail_next": count, "fail_next_status": _fault_status, "accept_then_fail_next": count}
