"""Time one list page in-process: the whole request and the template render alone, per page (no HTTP).

Run:  .venv/bin/python -m bench.list_render [--repeat 300]
A SQLite file in a temp dir with one customer and 200 campaigns on Megaphone; signed in as an admin,
it times GET /platforms/1/campaigns (whole page and htmx fragment) and, with the page already fetched,
the fragment template's render alone. Prints median and p95 microseconds.
"""
import argparse
import os
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta

os.environ.setdefault("OMS_ENV", "test")

from flask import render_template  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from app import create_app  # noqa: E402
from app.auth.services import create_user  # noqa: E402
from app.campaigns.listing import campaigns_list_spec  # noqa: E402
from app.campaigns.models import Campaign  # noqa: E402
from app.common.listing import ListParams, fetch_page  # noqa: E402
from app.customers.services import create_customer  # noqa: E402
from app.extensions import db  # noqa: E402
from app.platforms.models import Platform  # noqa: E402


def timed(action, repeat: int) -> tuple[float, float]:
    """Median and p95 of an action in microseconds, after 20 warm-up calls."""
    for _ in range(20):
        action()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1e6)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="oms-list-render-")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/render.sqlite3", "WTF_CSRF_ENABLED": False,
                      "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/11")})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        customer = create_customer("BENCH", "Bench customer")
        now = datetime.now(UTC)
        db.session.execute(insert(Campaign), [
            {"customer_id": customer.id, "platform_id": 1, "platform_campaign_id": f"cmp-{n:08d}-abcdef",
             "title": f"Campaign {n:05d}", "advertiser": f"Advertiser {n % 37}", "start_date": date(2026, 1, 1),
             "end_date": date(2026, 12, 31) if n % 3 else None, "status": "active", "budget": 1000 + n,
             "platform_updated_at": now - timedelta(minutes=n)} for n in range(200)])
        db.session.commit()
        create_user("bench@bench.example", "bench-password", "admin")
    client = app.test_client()
    client.post("/login", data={"email": "bench@bench.example", "password": "bench-password"})
    assert client.get("/platforms/1/campaigns").status_code == 200
    results = {
        "GET whole page": timed(lambda: client.get("/platforms/1/campaigns"), args.repeat),
        "GET htmx fragment": timed(lambda: client.get("/platforms/1/campaigns", headers={"HX-Request": "true"}),
                                   args.repeat),
    }
    with app.test_request_context("/platforms/1/campaigns"):
        from flask_login import login_user

        from app.auth.models import User

        login_user(db.session.query(User).one())
        platform = db.session.get(Platform, 1)
        spec = campaigns_list_spec(platform)
        page = fetch_page(spec, ListParams.from_request(spec, {}))
        results["render fragment template"] = timed(
            lambda: render_template("campaigns/_list.html", page=page, platform=platform, fragment=True), args.repeat)
    print(f"{'what (25 campaigns a page)':<32} {'median µs':>10} {'p95 µs':>10}")
    for label, (median, p95) in results.items():
        print(f"{label:<32} {median:>10.0f} {p95:>10.0f}")


if __name__ == "__main__":
    main()
