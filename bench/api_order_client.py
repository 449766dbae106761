"""Load-generator clients for the JSON API: placing orders (the order benchmark) and a read/write mix (the load test).

Same protocol as bench/order_clients.py: setup(session, base_url) -> state; send(...) -> (outcome, detail).
"""
import uuid
from dataclasses import dataclass

from bench.order_clients import STOCK_SHORT


def _order(session, base_url: str, job: dict, timeout: float) -> tuple[str, str]:
    body = {"customer_id": job["customer_id"], "lines": [{"item_id": i, "quantity": q} for i, q in job["lines"]]}
    response = session.post(f"{base_url}/api/v1/orders", json=body, timeout=timeout,
                            headers={"Idempotency-Key": uuid.uuid4().hex})
    if response.status_code == 201:
        return "ok", response.headers["Location"]
    if response.status_code == 422 and STOCK_SHORT in response.text:
        return "short", STOCK_SHORT
    if response.status_code == 422:
        return "refused", response.text[:300]  # another rule (the balance): the API working, not failing
    return "error", f"{response.status_code}: {response.text[:300]!r}"


@dataclass(frozen=True)
class ApiOrderClient:
    """POST /api/v1/orders with a Bearer token and a fresh Idempotency-Key per order."""

    token: str

    def setup(self, session, base_url: str) -> dict:
        """The token goes on every request; nothing to sign in to."""
        session.headers["Authorization"] = f"Bearer {self.token}"
        return {"base_url": base_url}

    def send(self, session, state: dict, job: dict, timeout: float) -> tuple[str, str]:
        """Place the job's order."""
        return _order(session, state["base_url"], job, timeout)


@dataclass(frozen=True)
class ApiMixClient(ApiOrderClient):
    """What an integration does: a job with lines places an order, one without lists items and orders."""

    def send(self, session, state: dict, job: dict, timeout: float) -> tuple[str, str]:
        """An order, or two reads."""
        if job.get("lines"):
            return _order(session, state["base_url"], job, timeout)
        for path in ("/api/v1/items?limit=50&in_stock=true", "/api/v1/orders?limit=20"):
            response = session.get(state["base_url"] + path, timeout=timeout)
            if response.status_code != 200:
                return "error", f"GET {path}: {response.status_code}"
        return "ok", "read"
