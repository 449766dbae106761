"""Order placement over HTTP: the real place-order form vs. a bare raw-SQL endpoint, uncontended and on one hot item.

Run:  .venv/bin/python -m bench.order_bench [--orders 1500] [--rounds 3] [--clients 16]
It rebuilds the database oms_bench_orders, migrates and seeds it (customers with large balances,
items with stock, one operator per client), serves bench.order_app with gunicorn (gthread) and drives
it with the bounded load generator in bench/load.py. Two cases, each in rounds that alternate
real then bare, so a change in background load hits both endpoints alike:
  uncontended: every client orders 2 lines from its own customers and items (no shared rows);
  hot:         every order takes one unit of one item (a fresh one per round) whose stock covers
               90% of the round's orders, so the last 10% race for the last units and must be refused.
Prints orders/s, p95 latency and real/bare, then checks for oversells and that the ledgers add up.
"""
import argparse
import os
import random
import secrets
import signal
import sys
import tempfile

os.environ.setdefault("OMS_ENV", "test")

from sqlalchemy import text  # noqa: E402

from app import create_app  # noqa: E402
from app.auth.services import create_user  # noqa: E402
from app.config import normalise_database_url  # noqa: E402
from app.extensions import db  # noqa: E402
from app.redis_client import get_redis  # noqa: E402
from bench.list_bench import rebuild  # noqa: E402
from bench.load import LoadResult, run_load  # noqa: E402
from bench.order_clients import BareOrderClient, RealOrderClient  # noqa: E402
from bench.order_data import check_hot_item, count_orders, ledger_problems, seed  # noqa: E402
from bench.order_report import report  # noqa: E402
from bench.server import gunicorn  # noqa: E402

ENDPOINTS = ("real", "bare")
CASES = ("uncontended", "hot")
PASSWORD = "bench-password"


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if k < total % parts else 0) for k in range(parts)]


def uncontended_jobs(seeded, clients: int, orders: int, rng) -> list[list[dict]]:
    """Two-line orders; client k uses only the k-th slice of customers and items, so no two clients share a row."""
    plans = []
    for k, count in enumerate(_split(orders, clients)):
        customers, items = seeded.customer_ids[k::clients], seeded.item_ids[k::clients]
        plans.append([{"customer_id": customers[j % len(customers)],
                       "lines": [(item, rng.randint(1, 3)) for item in rng.sample(items, 2)]} for j in range(count)])
    return plans


def hot_jobs(seeded, clients: int, orders: int, hot_item_id: int) -> list[list[dict]]:
    """Single-unit orders of one item; customers sliced per client as above, so only the item is shared."""
    plans = []
    for k, count in enumerate(_split(orders, clients)):
        customers = seeded.customer_ids[k::clients]
        plans.append([{"customer_id": customers[j % len(customers)], "lines": [(hot_item_id, 1)]}
                      for j in range(count)])
    return plans


def clients_for(endpoint: str, users: list) -> list:
    """One client per load-generator thread, each signed in as its own operator (real) or naming it (bare)."""
    if endpoint == "real":
        return [RealOrderClient(email, PASSWORD) for email, _ in users]
    return [BareOrderClient(user_id) for _, user_id in users]


def prepare(args):
    """Rebuild, migrate and seed the database; returns (app, Seeded, [(operator email, id)])."""
    url = normalise_database_url(args.database_url)
    rebuild(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": args.redis_url})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        hot_runs = [(endpoint, r) for r in range(1, args.rounds + 1) for endpoint in ENDPOINTS]
        with db.engine.begin() as conn:
            seeded = seed(conn, args.customers, args.items, args.hot_stock, hot_runs)
        users = [(user.email, user.id) for user in
                 (create_user(f"bench-op-{k}@bench.example", PASSWORD, "operator") for k in range(args.clients))]
        get_redis().flushdb()  # our own Redis database: no login throttle left from an earlier run
    return app, seeded, users


def parse_args():
    """Command-line options; the defaults keep a run under two minutes on 2 cores."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/oms_bench_orders")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/10")
    parser.add_argument("--orders", type=int, default=1500, help="requests per case and endpoint, over all rounds")
    parser.add_argument("--rounds", type=int, default=3, help="real/bare alternations per case")
    parser.add_argument("--warmup", type=int, default=200, help="untimed orders per endpoint first")
    parser.add_argument("--clients", type=int, default=16, help="concurrent load-generator threads")
    parser.add_argument("--processes", type=int, default=4, help="load-generator processes the threads spread over")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--customers", type=int, default=200)
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--time-limit", type=float, default=60, help="hard limit in seconds per run")
    parser.add_argument("--wsgi", default="bench.order_app:app",
                        help="what gunicorn serves: a module that wraps bench.order_app can try a change to app/")
    args = parser.parse_args()
    args.per_round = args.orders // args.rounds
    args.hot_stock = args.per_round * 9 // 10
    return args


def main() -> int:
    # A plain kill becomes SystemExit, so the with-blocks below still stop gunicorn and the clients.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    args = parse_args()
    app, seeded, users = prepare(args)
    rng = random.Random(4)
    env = {"OMS_ENV": "production", "SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": args.database_url,
           "REDIS_URL": args.redis_url}
    log_path = os.path.join(tempfile.gettempdir(), "oms_order_bench_gunicorn.log")
    results = {(case, e): LoadResult() for case in CASES for e in ENDPOINTS}
    placed_in_db = {key: 0 for key in results}
    hot_checks, round_ratios = [], {case: [] for case in CASES}

    def timed_run(base_url: str, case: str, endpoint: str, jobs) -> LoadResult:
        db.session.execute(text("CHECKPOINT"))  # no run pays for flushing what the previous one dirtied
        before = count_orders(db.session)
        db.session.commit()
        run = run_load(list(zip(clients_for(endpoint, users), jobs)), base_url, args.processes, args.time_limit)
        placed_in_db[(case, endpoint)] += count_orders(db.session) - before
        db.session.commit()
        results[(case, endpoint)].add(run)
        return run

    with gunicorn(args.wsgi, env, args.workers, args.threads, log_path) as base_url, app.app_context():
        print(f"gunicorn -w {args.workers} -k gthread --threads {args.threads} at {base_url}; {args.clients} clients "
              f"in {args.processes} processes; {args.rounds} rounds of {args.per_round} orders per case and endpoint",
              flush=True)
        for endpoint in ENDPOINTS:  # untimed: connections, caches and compiled statements warm on both sides
            warm = run_load(list(zip(clients_for(endpoint, users), uncontended_jobs(seeded, args.clients, args.warmup,
                                                                                    rng))),
                            base_url, args.processes, args.time_limit)
            if warm.errors or warm.count("ok") != len(warm.samples):
                raise RuntimeError(f"warm-up of the {endpoint} endpoint failed: {warm.errors[:3]}")
        for case in CASES:
            for round_no in range(1, args.rounds + 1):
                line, speeds = [], {}
                for endpoint in ENDPOINTS:
                    if case == "uncontended":
                        jobs = uncontended_jobs(seeded, args.clients, args.per_round, rng)
                    else:
                        jobs = hot_jobs(seeded, args.clients, args.per_round, seeded.hot_item_ids[(endpoint, round_no)])
                    run = timed_run(base_url, case, endpoint, jobs)
                    speeds[endpoint] = run.per_second()
                    line.append(f"{endpoint} {run.per_second():6.1f} orders/s")
                    if case == "hot":
                        figures = check_hot_item(db.session, seeded.hot_item_ids[(endpoint, round_no)], args.hot_stock,
                                                 run.count("ok"))
                        hot_checks.append((f"{endpoint} round {round_no}", figures))
                        db.session.commit()
                round_ratios[case].append(speeds["real"] / speeds["bare"] if speeds["bare"] else 0.0)
                print(f"  {case:<12} round {round_no}: {', '.join(line)}, real/bare {round_ratios[case][-1]:.0%}",
                      flush=True)
        problems = ledger_problems(db.session)
        db.session.rollback()
    return report(results, placed_in_db, hot_checks, problems, round_ratios)


if __name__ == "__main__":
    sys.exit(main())
