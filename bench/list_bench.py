"""List pages at a million rows over HTTP: OMS's campaigns list vs a bare Flask+Jinja route vs Flask-Admin.

Run:  .venv/bin/python -m bench.list_bench [--rows 1000000] [--samples 60]
It rebuilds the database oms_bench_list_i (dropped at the end unless --keep), migrates it, COPYs the
campaigns in (over 1,000 customers; 30% of titles hold "spring", 0.01% "zephyr"), serves OMS
(wsgi:app) and the peers (bench.list_peers:app) with gunicorn, 2 workers of 1 thread each, signs in
to OMS as an admin, then, interleaved request by request: the first page, a deep page (row 500,000),
sort by title, a selective and a broad (30%) search; 8 threads on the first page for req/s; and a CSV
of the broad search (time, and the serving worker's peak memory growth). Prints a table.
"""
import argparse
import os
import re
import secrets
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

os.environ.setdefault("OMS_ENV", "test")

import requests  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app import create_app  # noqa: E402
from app.auth.services import create_user  # noqa: E402
from app.common.cursor import encode_cursor  # noqa: E402
from app.config import normalise_database_url  # noqa: E402
from app.extensions import db  # noqa: E402
from app.redis_client import get_redis  # noqa: E402
from bench.server import gunicorn  # noqa: E402

PASSWORD = "bench-password-0"
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
OMS_LIST = "/platforms/1/campaigns"
FA_LIST = "/admin/campaign/"


def rebuild(url: str, drop_only: bool = False) -> None:
    """Drop (and unless drop_only, create) the benchmark database."""
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        if not drop_only:
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def load(rows: int) -> float:
    """1,000 customers, then the campaigns through COPY; returns seconds taken."""
    started = time.perf_counter()
    db.session.execute(text("""INSERT INTO customers (code, name, balance, created_at, updated_at)
        SELECT 'C' || g, 'Customer ' || g, 0, now(), now() FROM generate_series(1, 1000) AS g"""))
    first_customer = db.session.execute(text("SELECT min(id) FROM customers")).scalar_one()
    db.session.commit()
    now = datetime.now(UTC)
    raw = db.session.connection().connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(
            "COPY campaigns (customer_id, platform_id, platform_campaign_id, title, advertiser, start_date, end_date,"
            " status, budget, platform_updated_at, sync_state) FROM STDIN") as copy:
        for n in range(rows):
            word = "Spring" if n % 10 < 3 else "Autumn"
            rare = " Zephyr" if n % 10_000 == 7 else ""
            copy.write_row((first_customer + n % 1000, 1, f"cmp-{n:09d}", f"{word} campaign {n:07d}{rare}",
                            f"Advertiser {n % 997}", "2026-01-01", None if n % 3 else "2026-12-31", "active",
                            f"{1000 + n % 50_000}.00", now - timedelta(seconds=n), "synced"))
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    return time.perf_counter() - started


def signed_in(base_url: str) -> requests.Session:
    """A session signed in to OMS through its form."""
    session = requests.Session()
    token = CSRF_INPUT.search(session.get(f"{base_url}/login", timeout=30).text).group(1)
    _plain_http(session)
    response = session.post(f"{base_url}/login", allow_redirects=False, timeout=30,
                            data={"csrf_token": token, "email": "bench@bench.example", "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    _plain_http(session)
    session.hooks["response"].append(lambda *_args, **_kwargs: _plain_http(session))  # each response re-sets it
    return session


def same_login(session: requests.Session) -> requests.Session:
    """Another connection with the signed-in session's cookie (one browser tab each)."""
    other = requests.Session()
    other.cookies.update(session.cookies)
    other.hooks["response"].append(lambda *_args, **_kwargs: _plain_http(other))
    return other


def _plain_http(session: requests.Session) -> None:
    """Production cookies are Secure; the benchmark speaks plain HTTP to 127.0.0.1, as a TLS proxy would."""
    for cookie in session.cookies:
        cookie.secure = False


def percentile(samples: list[float], percent: int) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * percent / 100))]


def latencies(targets: dict, samples: int) -> dict:
    """Interleaved: each round sends every (case, target) request once; returns ms lists."""
    results = {key: [] for key in targets}
    for round_number in range(samples):
        for key, (session, url, slow) in targets.items():
            if slow and round_number >= max(3, samples // 6):
                continue  # Flask-Admin's OFFSET and COUNT pages take a second each: fewer samples bound the run
            started = time.perf_counter()
            response = session.get(url, timeout=120, allow_redirects=False)
            assert response.status_code == 200 and b"<table" in response.content, (url, response.status_code)
            results[key].append((time.perf_counter() - started) * 1000)
    return results


def throughput(session_factory, url: str, seconds: float, threads: int = 8) -> float:
    """Requests per second from `threads` threads, each with its own session, for `seconds`."""
    deadline = time.monotonic() + seconds

    def worker(_):
        session, done = session_factory(), 0
        while time.monotonic() < deadline:
            assert session.get(url, timeout=60, allow_redirects=False).status_code == 200
            done += 1
        return done

    started = time.monotonic()
    with ThreadPoolExecutor(threads) as pool:
        total = sum(pool.map(worker, range(threads)))
    return total / (time.monotonic() - started)


def _workers(port: int) -> list[int]:
    """The gunicorn processes serving a port (master and workers share its command line)."""
    pids = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                if f"127.0.0.1:{port}".encode() in f.read():
                    pids.append(int(pid))
        except OSError:
            pass
    return pids


def _kib(pid: int, field: str) -> int:
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field))


def csv_run(session, base_url: str, path: str) -> tuple[float, int, float]:
    """Seconds, rows and the serving worker's peak memory growth (MB) for one streamed CSV download."""
    pids = _workers(int(base_url.rsplit(":", 1)[1]))
    before = {}
    for pid in pids:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")  # reset the peak (VmHWM) to the current resident size
        before[pid] = _kib(pid, "VmRSS:")
    started = time.perf_counter()
    lines = 0
    with session.get(f"{base_url}{path}", stream=True, timeout=600, allow_redirects=False) as response:
        assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/csv"), response
        for chunk in response.iter_content(1 << 16):
            lines += chunk.count(b"\n")
    seconds = time.perf_counter() - started
    growth = max(_kib(pid, "VmHWM:") - before[pid] for pid in pids) / 1024
    return seconds, lines - 1, growth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=60, help="requests per case and target (fewer for slow ones)")
    parser.add_argument("--seconds", type=float, default=6, help="length of each 8-thread run")
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/oms_bench_list_i")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/10")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    url = normalise_database_url(args.database_url)
    rebuild(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": args.redis_url})
    try:
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            print(f"loaded {args.rows:,} campaigns in {load(args.rows):.0f} s", flush=True)
            create_user("bench@bench.example", PASSWORD, "admin")
            deep = db.session.execute(text(
                "SELECT platform_updated_at, id FROM campaigns ORDER BY platform_updated_at DESC, id DESC "
                "OFFSET :n LIMIT 1"), {"n": args.rows // 2}).one()
            get_redis().flushdb()  # our own Redis database: no sign-in throttle left from an earlier run
            db.session.remove()
        env = {"OMS_ENV": "production", "SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": args.database_url,
               "REDIS_URL": args.redis_url}
        logs = tempfile.gettempdir()
        with gunicorn("wsgi:app", env, 2, 1, os.path.join(logs, "oms_list_bench_oms.log")) as oms, \
                gunicorn("bench.list_peers:app", env, 2, 1, os.path.join(logs, "oms_list_bench_peers.log")) as peers:
            run(args, oms, peers, encode_cursor(list(deep)))
    finally:
        if not args.keep:
            rebuild(url, drop_only=True)


def run(args, oms: str, peers: str, deep_cursor: str) -> None:
    """Measure and print every case."""
    oms_session, peer_session = signed_in(oms), requests.Session()
    half_page = args.rows // 2 // 25
    cases = {
        ("first page", "OMS"): (oms_session, f"{oms}{OMS_LIST}", False),
        ("first page", "bare"): (peer_session, f"{peers}/bare", False),
        ("first page", "Flask-Admin"): (peer_session, f"{peers}{FA_LIST}", False),
        ("row 500,000", "OMS"): (oms_session, f"{oms}{OMS_LIST}?after={deep_cursor}", False),
        ("row 500,000", "Flask-Admin"): (peer_session, f"{peers}{FA_LIST}?page={half_page}", True),
        ("sort by title", "OMS"): (oms_session, f"{oms}{OMS_LIST}?sort=title", False),
        ("sort by title", "Flask-Admin"): (peer_session, f"{peers}{FA_LIST}?sort=0", False),
        ("selective search (100 rows)", "OMS"): (oms_session, f"{oms}{OMS_LIST}?q=zephyr", False),
        ("selective search (100 rows)", "Flask-Admin"): (peer_session, f"{peers}{FA_LIST}?search=zephyr", False),
        ("search matching 30%", "OMS"): (oms_session, f"{oms}{OMS_LIST}?q=spring", False),
        ("search matching 30%", "Flask-Admin"): (peer_session, f"{peers}{FA_LIST}?search=spring", True),
    }
    for session, target, _ in cases.values():  # warm both servers' workers and the database's caches
        for _ in range(3):
            session.get(target, timeout=120)
    print(f"\n{'case':<30} {'target':<12} {'n':>4} {'p50 ms':>9} {'p95 ms':>9}")
    for (case, target), samples in latencies(cases, args.samples).items():
        print(f"{case:<30} {target:<12} {len(samples):>4} {statistics.median(samples):>9.1f} {percentile(samples, 95):>9.1f}")
    print(f"\nfirst page, 8 threads, {args.seconds:.0f} s each, interleaved twice (req/s):")
    rates = {"OMS": [], "bare": [], "Flask-Admin": []}
    for _ in range(2):
        rates["OMS"].append(throughput(lambda: same_login(oms_session), f"{oms}{OMS_LIST}", args.seconds))
        rates["bare"].append(throughput(requests.Session, f"{peers}/bare", args.seconds))
        rates["Flask-Admin"].append(throughput(requests.Session, f"{peers}{FA_LIST}", args.seconds))
    for target, values in rates.items():
        print(f"  {target:<12} {' / '.join(f'{v:.0f}' for v in values)}")
    print(f"  OMS / bare: {min(rates['OMS']) / max(rates['bare']):.0%}–{max(rates['OMS']) / min(rates['bare']):.0%}")
    print("\nCSV of the 30% search (seconds, rows, rows/s, worker peak memory growth):")
    for target, session, path in (("OMS", oms_session, f"{OMS_LIST}?q=spring&format=csv"),
                                  ("Flask-Admin", peer_session, "/admin/campaign/export/csv/?search=spring"),
                                  ("OMS", oms_session, f"{OMS_LIST}?q=spring&format=csv")):
        seconds, rows, growth = csv_run(session, oms if target == "OMS" else peers, path)
        print(f"  {target:<12} {seconds:>7.1f} s {rows:>9,} rows {rows / seconds:>9,.0f} rows/s {growth:>7.0f} MB")


if __name__ == "__main__":
    main()
