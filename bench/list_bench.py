"""List pages on a million rows: keyset pages and capped counts vs. OFFSET and COUNT(*).

Run:  .venv/bin/python -m bench.list_bench [--rows 1000000] [--database-url postgresql://postgres@127.0.0.1:5432/oms_bench_list]
It rebuilds that database, loads the customers with one INSERT … SELECT, then times real requests
to /customers through the app (test client, signed in as an admin) and the naive SQL a
page-number paginator would run. Prints a table of median milliseconds.
"""
import argparse
import os
import statistics
import time

os.environ.setdefault("OMS_ENV", "test")

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from app import create_app  # noqa: E402
from app.auth.services import create_user  # noqa: E402
from app.config import normalise_database_url  # noqa: E402
from app.extensions import db  # noqa: E402


def rebuild(url: str) -> None:
    """Drop and create the benchmark database."""
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def load(rows: int) -> float:
    """Insert the customers in one statement; returns seconds taken."""
    started = time.perf_counter()
    db.session.execute(text("""
        INSERT INTO customers (code, name, email, balance, created_at, updated_at)
        SELECT 'C' || g, 'Customer ' || substr(md5(g::text), 1, 10), 'c' || g || '@bench.example',
               (g % 100000) / 7.0, now() - (g || ' seconds')::interval, now()
        FROM generate_series(1, :rows) AS g"""), {"rows": rows})
    db.session.commit()
    db.session.execute(text("ANALYZE customers"))
    return time.perf_counter() - started


def median_ms(action, repeat: int = 7) -> float:
    """Median wall time of an action in milliseconds (first call warms caches and is dropped)."""
    action()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/oms_bench_list")
    args = parser.parse_args()
    url = normalise_database_url(args.database_url)
    rebuild(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False,
                      "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/11")})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        seconds = load(args.rows)
        create_user("bench@bench.example", "bench-password", "admin")
        print(f"loaded {args.rows:,} customers in {seconds:.1f} s")
        client = app.test_client()
        client.post("/login", data={"email": "bench@bench.example", "password": "bench-password"})

        def get(path):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        deep_offset = args.rows - 50
        results = [
            ("GET /customers (first page, by name)", median_ms(lambda: get("/customers"))),
            ("GET /customers?last=1 (last page)", median_ms(lambda: get("/customers?last=1"))),
            ("GET /customers?sort=balance&dir=desc", median_ms(lambda: get("/customers?sort=balance&dir=desc"))),
            ("GET /customers?q=c999999 (search)", median_ms(lambda: get("/customers?q=c999999"))),
            ("GET /customers?format=csv&q=customer 00 (export)", median_ms(lambda: get("/customers?format=csv&q=customer%2000"), 3)),
        ]
        # What a page-number paginator would run for the same pages.
        sql = [
            ("SQL: COUNT(*) over all customers", "SELECT count(*) FROM customers WHERE archived_at IS NULL"),
            (f"SQL: ORDER BY name OFFSET {deep_offset:,} LIMIT 25",
             f"SELECT * FROM customers WHERE archived_at IS NULL ORDER BY name, id OFFSET {deep_offset} LIMIT 25"),
        ]
        for label, statement in sql:
            results.append((label, median_ms(lambda: db.session.execute(text(statement)).all())))
    print(f"\n{'what':<58} {'median ms':>10}")
    for label, ms in results:
        print(f"{label:<58} {ms:>10.1f}")


if __name__ == "__main__":
    main()
