"""Helpers for `make run` (say clearly what is missing instead of printing a traceback), and the
empty PostgreSQL database that tests and benchmarks start from.

python -m app.devtools check-redis | wait-ready URL
"""
import os
import sys
import time
import urllib.request

from redis import Redis
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from redis.exceptions import RedisError


def empty_postgres_database(url: str) -> None:
    """Create the PostgreSQL database if missing and empty its schema, so the migrations build it from scratch."""
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}).scalar():
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()
    engine = create_engine(parsed)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def check_redis() -> int:
    """Exit non-zero with instructions when Redis is not reachable."""
    url = os.environ.get("REDIS_URL", "redis://localhost:6379/0")
    try:
        Redis.from_url(url, socket_connect_timeout=2).ping()
    except RedisError as error:
        print(f"Redis is not reachable at {url} ({error}).", file=sys.stderr)
        print("OMS needs Redis for its job queues. Start one, for example:", file=sys.stderr)
        print("  redis-server --daemonize yes --bind 127.0.0.1 --port 6379", file=sys.stderr)
        print("  (or: docker run -d -p 6379:6379 redis:7), or point REDIS_URL at yours.", file=sys.stderr)
        return 1
    return 0


def wait_ready(base_url: str, seconds: float = 30) -> int:
    """Wait until the web app answers /healthz."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=2):
                return 0
        except OSError:
            time.sleep(0.3)
    print(f"The web app did not answer at {base_url} within {seconds:.0f} s.", file=sys.stderr)
    return 1


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "check-redis":
        sys.exit(check_redis())
    if command == "wait-ready" and len(sys.argv) == 3:
        sys.exit(wait_ready(sys.argv[2]))
    sys.exit("usage: python -m app.devtools check-redis | wait-ready URL")
