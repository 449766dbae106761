"""A load test of the JSON API with pass/fail thresholds, like the seeds' k6 scripts: exits 1 when one is missed.

Run against a running OMS on 127.0.0.1 (e.g. `gunicorn -w 4 -k gthread --threads 4 wsgi:app`), with a staff token:
  .venv/bin/python -m bench.api_load_test --base-url http://127.0.0.1:8000 --token oms_... \
      [--clients 16] [--requests 2000] [--order-share 0.2] [--p95-ms 500] [--max-error-rate 0.01]
Each client mixes reads (items in stock, then order history) with orders of one unit of an item in
stock for a customer the token sees. Refusals (short stock or balance: 422) are the API working and
count as answers; errors are everything else (5xx, 429, timeouts). Set API_RATE_LIMIT on the server
above the load, or the test measures the rate limit.
"""
import argparse
import random
import sys

import requests

from bench.api_order_client import ApiMixClient
from bench.load import run_load


def plan(base_url: str, token: str, clients: int, total: int, order_share: float, rng) -> list[list[dict]]:
    """Jobs per client: {} for a read, {customer_id, lines} for an order, from what the token can see."""
    headers = {"Authorization": f"Bearer {token}"}
    items = requests.get(f"{base_url}/api/v1/items?limit=500&in_stock=true", headers=headers, timeout=30)
    customers = requests.get(f"{base_url}/api/v1/customers?limit=500", headers=headers, timeout=30)
    items.raise_for_status()
    customers.raise_for_status()
    item_ids, customer_ids = [i["id"] for i in items.json()], [c["id"] for c in customers.json()]
    if not item_ids or not customer_ids:
        raise SystemExit("the token sees no item in stock or no customer: seed some first (flask seed demo)")
    per_client = total // clients
    return [[{"customer_id": rng.choice(customer_ids), "lines": [(rng.choice(item_ids), 1)]}
             if rng.random() < order_share else {} for _ in range(per_client)] for _ in range(clients)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--token", required=True)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--requests", type=int, default=2000, help="jobs over all clients (a read job is two GETs)")
    parser.add_argument("--order-share", type=float, default=0.2)
    parser.add_argument("--time-limit", type=float, default=120)
    parser.add_argument("--p95-ms", type=float, default=500, help="threshold: 95th percentile latency of answered jobs")
    parser.add_argument("--max-error-rate", type=float, default=0.01, help="threshold: errors / jobs sent")
    args = parser.parse_args()
    jobs = plan(args.base_url, args.token, args.clients, args.requests, args.order_share, random.Random(13))
    result = run_load([(ApiMixClient(args.token), j) for j in jobs], args.base_url, args.processes, args.time_limit)
    answered = result.count("ok") + result.count("short") + result.count("refused")
    sent = len(result.samples) + result.unfinished
    error_rate = (sent - answered) / sent if sent else 1.0
    latencies = sorted(latency for latency, outcome in result.samples if outcome in ("ok", "short", "refused"))
    p95_ms = latencies[int(0.95 * (len(latencies) - 1))] * 1000 if latencies else float("inf")
    checks = [(f"p95 {p95_ms:.0f} ms <= {args.p95_ms:.0f} ms", p95_ms <= args.p95_ms),
              (f"error rate {error_rate:.2%} <= {args.max_error_rate:.2%}", error_rate <= args.max_error_rate)]
    print(f"{sent} jobs in {result.wall_seconds:.1f} s ({answered / result.wall_seconds if result.wall_seconds else 0:.0f}"
          f"/s): {result.count('ok')} ok, {result.count('short') + result.count('refused')} refused, "
          f"{sent - answered} errors {result.errors[:3]}")
    for label, passed in checks:
        print(f"  {'PASS' if passed else 'FAIL'}  {label}")
    return 0 if all(passed for _, passed in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
