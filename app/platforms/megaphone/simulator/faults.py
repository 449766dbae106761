"""Injected faults and the per-token sliding-window rate limit of the simulator's API."""

import math
import random
import threading
import time
from collections import deque
from collections.abc import Mapping
from typing import Any

FAULT_ERRORS = {500: "server_error", 502: "bad_gateway", 503: "service_unavailable",
                504: "gateway_timeout"}


class InvalidFaultSettings(ValueError):
    """Fault settings that make no sense; `.problems` maps each setting to why."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(problems)
        self.problems = problems


class Faults:
    """Fault settings and rate-limit bookkeeping, shared by every API request."""

    def __init__(self, rate_limit_per_minute: int | None = 60):
        self._defaults = {"error_rate": 0.0, "latency_ms": 0, "fail_next": 0,
                          "rate_limit_per_minute": rate_limit_per_minute,
                          "rate_limit_window_seconds": 60.0}
        self._lock = threading.Lock()
        self._rng = random.Random()
        self.reset()

    def reset(self) -> None:
        """Back to no faults and the start-up rate limit, with every token's window empty."""
        with self._lock:
            self._settings: dict[str, Any] = dict(self._defaults)
            self._accepted: dict[str, deque[float]] = {}

    def settings(self) -> dict:
        """The current fault settings."""
        with self._lock:
            return dict(self._settings)

    def configure(self, changes: Mapping) -> dict:
        """Change any subset of the settings; raises InvalidFaultSettings on bad values."""
        parsed, problems = {}, {}
        for name, value in changes.items():
            check = _CHECKS.get(name)
            try:
                if check is None:
                    raise ValueError("is not a fault setting")
                parsed[name] = check(value)
            except (TypeError, ValueError) as exc:
                problems[name] = str(exc)
        if problems:
            raise InvalidFaultSettings(problems)
        with self._lock:
            self._settings.update(parsed)
            return dict(self._settings)

    def latency_seconds(self) -> float:
        """How long to sleep before answering."""
        with self._lock:
            return self._settings["latency_ms"] / 1000

    def admit(self, token: str | None) -> tuple[float, tuple | None]:
        """Decide on a request: (time, None) to serve it or (time, (body, status, headers)) to refuse.

        The rate limit comes first and only accepted requests take a slot; the time
        returned is the one the limiter used, so the request log can be checked against it.
        """
        with self._lock:
            now = time.time()
            settings = self._settings
            if token and settings["rate_limit_per_minute"]:
                wait = self._take_slot(token, now)
                if wait:
                    return now, _refusal(429, "rate_limited", f"Rate limit exceeded; retry after {wait} s.",
                                         {"Retry-After": str(wait)})
            if settings["fail_next"] > 0:
                settings["fail_next"] -= 1
                return now, _refusal(503, FAULT_ERRORS[503], "Simulated outage (fail_next).")
            if settings["error_rate"] and self._rng.random() < settings["error_rate"]:
                status = self._rng.choice(tuple(FAULT_ERRORS))
                return now, _refusal(status, FAULT_ERRORS[status], "Simulated failure (error_rate).")
            return now, None

    def _take_slot(self, token: str, now: float) -> int:
        """Count an accepted request, or return whole seconds until a slot frees (>= 1)."""
        limit = self._settings["rate_limit_per_minute"]
        window = self._settings["rate_limit_window_seconds"]
        accepted = self._accepted.setdefault(token, deque())
        while accepted and accepted[0] <= now - window:
            accepted.popleft()
        if len(accepted) >= limit:
            # The slot frees when the limit-th newest accepted request leaves the window.
            return max(1, math.ceil(accepted[-limit] + window - now))
        accepted.append(now)
        return 0


def _refusal(status: int, error: str, message: str, headers: dict | None = None) -> tuple:
    return {"error": error, "message": message}, status, headers or {}


def _number(low: float, high: float | None = None):
    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
            raise ValueError("must be a number")
        if value < low or (high is not None and value > high):
            raise ValueError(f"must be between {low} and {high}" if high is not None else f"must be >= {low}")
        return value
    return check


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("must be a whole number >= 0")
    return value


def _optional_count(value: Any) -> int | None:
    return None if value is None else _count(value)


def _window(value: Any) -> float:
    if _number(0)(value) == 0:
        raise ValueError("must be > 0")
    return value


_CHECKS = {
    "error_rate": _number(0, 1),
    "latency_ms": _number(0, 120_000),
    "fail_next": _count,
    "rate_limit_per_minute": _optional_count,
    "rate_limit_window_seconds": _window,
}
