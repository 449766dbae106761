"""Campaign sync benchmark (not a test): the sync's database write phase against two baselines.

    .venv/bin/python bench/sync_bench.py [--count 100000] [--database-url postgresql://postgres@127.0.0.1:5432/oms_bench]

It empties the benchmark database (creating it if needed) and migrates it, serves the simulator
in a thread with the rate limit off, seeds it, and reads every page once per data set, so all
three writers get the same campaigns:

- sync:   the sync's own per-page write path (CampaignSync.store + save_progress: one upsert
          statement per 500-campaign page, its run-row update, one commit per page);
- naive:  per-row ORM: SELECT by key, then INSERT or UPDATE, one commit per page;
- copy:   COPY every row into a temp table, then one INSERT … SELECT … ON CONFLICT merge.

Each writer does a first load into an empty table, a re-sync after 1% of the campaigns changed on
the platform, and a re-sync of unchanged data, counting the rows written (a new xmin) and the rows
only locked (a new xmax: ON CONFLICT DO UPDATE locks a conflicting row even when it changes nothing).
Finally one real end-to-end sync run (HTTP included) is timed for reference.
"""
import argparse
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("OMS_ENV", "development")

from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from werkzeug.serving import WSGIRequestHandler, make_server  # noqa: E402

from app import create_app  # noqa: E402
from app.config import normalise_database_url  # noqa: E402
from app.devtools import empty_postgres_database  # noqa: E402
from app.extensions import db  # noqa: E402
from app.platforms.megaphone.client import MegaphoneClient  # noqa: E402
from app.platforms.megaphone.simulator import create_simulator, simulator_state  # noqa: E402
from bench.sync_writers import WRITERS, rows_written, row_versions  # noqa: E402

ORG, TOKEN = "bench", "bench-token"


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:
        pass


def start_simulator(count: int):
    """The simulator on a free port with the rate limit off, seeded with `count` campaigns."""
    simulator = create_simulator(rate_limit_per_minute=None)
    store = simulator_state(simulator).store
    store.upsert_organization(ORG, TOKEN)
    store.seed(ORG, count)
    server = make_server("127.0.0.1", 0, simulator, threaded=True, request_handler=_Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return store, f"http://127.0.0.1:{server.port}/api"


def read_pages(api_url: str) -> list:
    """Every page of the organization's campaigns, as the sync's client yields them."""
    client = MegaphoneClient(api_url, ORG, TOKEN)
    return [page.campaigns for page in client.iter_pages(per_page=500)]


def measure(writer, pages: list, count: int) -> dict:
    """First load, 1%-changed re-sync and unchanged re-sync for one writer on an emptied table."""
    db.session.execute(text("TRUNCATE campaigns, sync_runs RESTART IDENTITY CASCADE"))
    db.session.commit()
    figures = {}
    for phase, data in (("first load", pages[0]), ("1% changed", pages[1]), ("unchanged", pages[1])):
        db.session.execute(text("CHECKPOINT"))
        before = row_versions()
        started = time.perf_counter()
        writer.write(data)
        seconds = time.perf_counter() - started
        written, locked = rows_written(before)
        figures[phase] = {"seconds": seconds, "rows_per_s": count / seconds, "written": written, "locked": locked}
    return figures


def median_of(trials: list[dict]) -> dict:
    """Per phase, the trial with the median time (the machine may be shared, so one trial can be unlucky)."""
    return {phase: sorted((t[phase] for t in trials), key=lambda f: f["seconds"])[len(trials) // 2]
            for phase in trials[0]}


def main(argv=None) -> int:
    """Run the benchmark and print its figures; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/oms_bench")
    parser.add_argument("--trials", type=int, default=3, help="trials of the fast writers (the median is shown)")
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    args = parser.parse_args(argv)
    url = normalise_database_url(args.database_url)

    print(f"Preparing: database {make_url(url).database}, simulator with {args.count:,} campaigns…", flush=True)
    empty_postgres_database(url)
    store, api_url = start_simulator(args.count)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": args.redis_url, "MEGAPHONE_BASE_URL": api_url})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        started = time.perf_counter()
        first = read_pages(api_url)
        fetch_seconds = time.perf_counter() - started
        store.mutate(ORG, {"update": args.count // 100})
        changed = read_pages(api_url)
        trials = {name: [] for name in WRITERS}
        for trial in range(args.trials):
            for name, make_writer in WRITERS.items():
                if name == "naive" and trial:
                    continue  # minutes per trial; one is plenty to be 25 times slower than
                print(f"Trial {trial + 1}: writing with {name}…", flush=True)
                trials[name].append(measure(make_writer(), (first, changed), args.count))
        results = {name: median_of(figures) for name, figures in trials.items()}
        from bench.sync_writers import end_to_end

        end_to_end_figures = end_to_end(store, ORG, args.count)
    return report(results, fetch_seconds, end_to_end_figures, args.count)


def report(results: dict, fetch_seconds: float, end_to_end_figures: dict, count: int) -> int:
    """Print the table, the ratios and the targets."""
    print(f"\nReading {count:,} campaigns from the simulator (HTTP, 500 a page): {fetch_seconds:.1f} s "
          f"({count / fetch_seconds:,.0f} campaigns/s)\n")
    print(f"{'writer':<8} {'phase':<11} {'seconds':>8} {'rows/s':>10} {'rows written':>13} {'only locked':>12}")
    for name, figures in results.items():
        for phase, f in figures.items():
            print(f"{name:<8} {phase:<11} {f['seconds']:>8.2f} {f['rows_per_s']:>10,.0f} "
                  f"{f['written']:>13,} {f['locked']:>12,}")
    ok = True
    print()
    for phase in ("first load", "1% changed"):
        ours = results["sync"][phase]["rows_per_s"]
        vs_naive = ours / results["naive"][phase]["rows_per_s"]
        vs_copy = ours / results["copy"][phase]["rows_per_s"]
        ok &= vs_naive >= 25 and vs_copy >= 0.40
        print(f"{phase:<11}: sync is {vs_naive:,.1f}x naive (target >= 25x), "
              f"{vs_copy:.0%} of COPY+merge (target >= 40%)")
    unchanged_writes = results["sync"]["unchanged"]["written"]
    ok &= unchanged_writes == 0
    print(f"unchanged re-sync wrote {unchanged_writes} row(s) (target 0)")
    print("\nEnd-to-end sync run through the simulator (HTTP + write, a second read if the list looked busy):")
    for phase, f in end_to_end_figures.items():
        print(f"  {phase:<11}: {f['seconds']:.1f} s, {f['pages']} pages, inserted {f['inserted']:,}, "
              f"updated {f['updated']:,}, unchanged {f['unchanged']:,}")
    print("\nAll targets met." if ok else "\nA target was missed.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
