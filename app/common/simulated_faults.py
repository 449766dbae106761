"""What both simulators (the ad platform's and the SMS provider's) share: fault settings behind one
lock, their checks, and a sliding-window rate limit per caller."""

import math
import threading
from collections import deque
from collections.abc import Mapping
from typing import Any


class InvalidSettings(ValueError):
    """Settings that make no sense; `.problems` maps each setting to why."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(problems)
        self.problems = problems


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


def optional_count(value: Any) -> int | None:
    """A whole number >= 0, or None (and 0) for "off"."""
    return None if value in (None, 0) else count(value)


def number(low: float, high: float):
    """A check for a number from low to high (booleans and NaN refused)."""
    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
            raise ValueError("must be a number")
        if not low <= value <= high:
            raise ValueError(f"must be a number from {low} to {high}")
        return value
    return check


def window(value: Any) -> float:
    """A rate-limit window: seconds above 0, at most an hour."""
    if number(0, 3600)(value) == 0:
        raise ValueError("must be a number of seconds above 0, at most 3600")
    return float(value)


class SimulatedFaults:
    """Fault settings shared by every request of one simulator, and a sliding-window rate limit.

    Subclasses give CHECKS (setting -> check) and their defaults, and decide what a refusal looks like.
    """

    CHECKS: dict = {}

    def __init__(self, defaults: dict):
        self._defaults = dict(defaults)
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """Back to the start-up settings, with every caller's window empty."""
        with self._lock:
            self._settings: dict[str, Any] = dict(self._defaults)
            self._recent: dict[str, deque[float]] = {}

    def settings(self) -> dict:
        """The current settings."""
        with self._lock:
            return dict(self._settings)

    def configure(self, changes: Mapping) -> dict:
        """Change any subset of the settings; raises InvalidSettings naming each bad one."""
        parsed = check_settings(changes, self.CHECKS)
        with self._lock:
            self._settings.update(parsed)
            return dict(self._settings)

    def latency_seconds(self) -> float:
        """How long to sleep before answering."""
        with self._lock:
            return self._settings["latency_ms"] / 1000

    def _take_slot(self, caller: str, limit: int, window_seconds: float, now: float) -> int:
        """Count a request in the caller's sliding window, or return whole seconds to wait (>= 1).

        Called under the lock. The slot frees when the limit-th newest request leaves the window.
        """
        recent = self._recent.setdefault(caller, deque())
        while recent and recent[0] <= now - window_seconds:
            recent.popleft()
        if len(recent) >= limit:
            return max(1, math.ceil(recent[-limit] + window_seconds - now))
        recent.append(now)
        return 0
