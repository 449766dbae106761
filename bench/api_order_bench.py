"""Order placement through the JSON API vs. the bare raw-SQL endpoint: bench/order_bench.py with the API as "real".

Run:  .venv/bin/python -m bench.api_order_bench [the options of bench.order_bench]
Same database, seed, server, cases (uncontended and one hot item), rounds and report as
bench/order_bench.py; only the "real" client differs: each operator gets an API token and POSTs
/api/v1/orders with an Idempotency-Key instead of the place-order form. The issue asks for at
least 50% of the bare endpoint's orders/s in both cases.
"""
import os
import sys

os.environ.setdefault("OMS_ENV", "test")
os.environ["API_RATE_LIMIT"] = "1000000/minute"  # the benchmark measures placing orders, not the rate limit

from app.auth.models import User  # noqa: E402
from app.auth.tokens import create_token  # noqa: E402
from app.extensions import db  # noqa: E402
from bench import order_bench  # noqa: E402
from bench.api_order_client import ApiOrderClient  # noqa: E402
from bench.order_clients import BareOrderClient  # noqa: E402

_tokens: dict[int, str] = {}


def clients_for(endpoint: str, users: list) -> list:
    """The API client (a token per operator, made once, inside main's app context) for "real"; bare as before."""
    if endpoint != "real":
        return [BareOrderClient(user_id) for _, user_id in users]
    for _, user_id in users:
        if user_id not in _tokens:
            _tokens[user_id] = create_token(db.session.get(User, user_id), "bench").secret
    return [ApiOrderClient(_tokens[user_id]) for _, user_id in users]


if __name__ == "__main__":
    print('"real" below is POST /api/v1/orders with a Bearer token and an Idempotency-Key', flush=True)
    order_bench.clients_for = clients_for  # main() looks it up at call time: the one substitution
    sys.exit(order_bench.main())
