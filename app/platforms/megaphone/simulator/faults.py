"""Injected faults and the per-token sliding-window rate limit of the simulator's API."""

import random
import time

from app.common.simulated_faults import SimulatedFaults, count, number, optional_count, window

FAULT_ERRORS = {500: "server_error", 502: "bad_gateway", 503: "service_unavailable",
                504: "gateway_timeout"}


class Faults(SimulatedFaults):
    """Fault settings and the per-token rate limit, shared by every API request."""

    def __init__(self, rate_limit_per_minute: int | None = 60):
        self._rng = random.Random()
        super().__init__({"error_rate": 0.0, "latency_ms": 0, "fail_next": 0,
                          "rate_limit_per_minute": rate_limit_per_minute, "rate_limit_window_seconds": 60.0})

    def admit(self, token: str | None) -> tuple[float, tuple | None]:
        """Decide on a request: (time, None) to serve it or (time, (body, status, headers)) to refuse.

        The rate limit comes first and only accepted requests take a slot; the time
        returned is the one the limiter used, so the request log can be checked against it.
        """
        with self._lock:
            now = time.time()
            settings = self._settings
            if token and settings["rate_limit_per_minute"]:
                wait = self._take_slot(token, settings["rate_limit_per_minute"],
                                       settings["rate_limit_window_seconds"], now)
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


def _refusal(status: int, error: str, message: str, headers: dict | None = None) -> tuple:
    return {"error": error, "message": message}, status, headers or {}


Faults.CHECKS = {"error_rate": number(0, 1), "latency_ms": number(0, 120_000), "fail_next": count,
                 "rate_limit_per_minute": optional_count, "rate_limit_window_seconds": window}
