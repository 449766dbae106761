"""The two load-generator clients of the order benchmark: the real place-order form and the bare endpoint.

A job is {"customer_id": int, "lines": [(item_id, quantity), ...]}; send() answers
("ok", order url or id), ("short", message) for a refusal for lack of stock, or ("error", what came back).
"""
import http.cookiejar
import re
import uuid
from dataclasses import dataclass

CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
STOCK_SHORT = "Not enough stock"


class _KeepCookies(http.cookiejar.DefaultCookiePolicy):
    """Sends the cookies already held and stores no new ones."""

    def set_ok(self, cookie, request) -> bool:
        return False


def _csrf_token(session, url: str, timeout: float = 30) -> str:
    response = session.get(url, timeout=timeout)
    response.raise_for_status()
    match = CSRF_INPUT.search(response.text)
    if match is None:
        raise RuntimeError(f"no csrf_token on {url}")
    return match.group(1)


@dataclass(frozen=True)
class RealOrderClient:
    """An operator who signs in through the real form once, then submits the real place-order form.

    Each submit carries the page's CSRF token and a fresh one-time key (the page makes one per
    form; any 8-64 [A-Za-z0-9_-] key is valid). The 303 is not followed: only the POST is timed.
    A browser following it would show, and so drop, the flash message the POST stored in the
    session cookie; to keep the cookie the same size as that browser's, this client keeps the
    cookie it had after sign-in instead of storing each response's.
    """

    email: str
    password: str

    def setup(self, session, base_url: str) -> dict:
        """Sign in and read the CSRF token of the place-order page."""
        token = _csrf_token(session, f"{base_url}/login")
        signed_in = session.post(f"{base_url}/login", allow_redirects=False, timeout=30,
                                 data={"csrf_token": token, "email": self.email, "password": self.password})
        if signed_in.status_code != 302:
            raise RuntimeError(f"sign-in as {self.email} answered {signed_in.status_code}")
        form_token = _csrf_token(session, f"{base_url}/orders/new")
        session.cookies.set_policy(_KeepCookies())
        return {"url": f"{base_url}/orders/new", "csrf_token": form_token}

    def send(self, session, state: dict, job: dict, timeout: float) -> tuple[str, str]:
        """Submit the place-order form as the browser does (no JavaScript: a plain form POST)."""
        data = {"csrf_token": state["csrf_token"], "idempotency_key": uuid.uuid4().hex,
                "customer_id": str(job["customer_id"]), "campaign_id": "", "notes": ""}
        for index, (item_id, quantity) in enumerate(job["lines"]):
            data[f"lines-{index}-item_id"] = str(item_id)
            data[f"lines-{index}-quantity"] = str(quantity)
        response = session.post(state["url"], data=data, allow_redirects=False, timeout=timeout)
        if response.status_code == 303 and "/orders/" in response.headers.get("Location", ""):
            return "ok", response.headers["Location"]
        if response.status_code == 422 and STOCK_SHORT in response.text:
            return "short", STOCK_SHORT
        return "error", f"{response.status_code}: {response.text[:300]!r}"


@dataclass(frozen=True)
class BareOrderClient:
    """Posts the same order to the bare raw-SQL endpoint, with a fresh key each time."""

    user_id: int

    def setup(self, session, base_url: str) -> dict:
        """Nothing to sign in to."""
        return {"url": f"{base_url}/bench/bare-order"}

    def send(self, session, state: dict, job: dict, timeout: float) -> tuple[str, str]:
        """POST the order; 201 placed, 409 refused."""
        lines = ",".join(f"{item_id}:{quantity}" for item_id, quantity in job["lines"])
        data = {"customer_id": job["customer_id"], "user_id": self.user_id, "key": uuid.uuid4().hex, "lines": lines}
        response = session.post(state["url"], data=data, timeout=timeout)
        if response.status_code == 201:
            return "ok", str(response.json()["order_id"])
        if response.status_code == 409 and STOCK_SHORT in response.text:
            return "short", STOCK_SHORT
        return "error", f"{response.status_code}: {response.text[:300]!r}"
