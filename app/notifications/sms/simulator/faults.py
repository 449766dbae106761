"""Injected faults and the per-account rate limit of the SMS simulator's API."""

import random
import time
from typing import Any

from app.common.simulated_faults import SimulatedFaults, count, number, optional_count, window

FAULT_STATUSES = (500, 503)


class Faults(SimulatedFaults):
    """Fault settings and the per-account rate limit, shared by every API request."""

    # rate_limit_window_seconds stays 1 for "per second"; tests lengthen it so a slow machine
    # cannot spread their few requests over two windows.
    DEFAULTS = {"error_rate": 0.0, "latency_ms": 0, "rate_limit_per_second": None,
                "rate_limit_window_seconds": 1.0, "fail_next": 0, "fail_next_status": 503,
                "accept_then_fail_next": 0}

    def __init__(self, rng: random.Random):
        self._rng = rng
        super().__init__(self.DEFAULTS)

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


def _fault_status(value: Any) -> int:
    if value not in FAULT_STATUSES or isinstance(value, bool):
        raise ValueError("must be 500 or 503")
    return value


Faults.CHECKS = {"error_rate": number(0, 1), "latency_ms": number(0, 120_000), "rate_limit_per_second": optional_count,
                 "rate_limit_window_seconds": window, "fail_next": count, "fail_next_status": _fault_status,
                 "accept_then_fail_next": count}
