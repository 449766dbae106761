"""RQ worker: python worker.py [QUEUE ...] (default: every queue in app.queues).

The worker builds the app itself and runs every job inside its app context.
"""
import sys

from rq import Worker

from app import create_app
from app.queues import ALL_QUEUES, get_queue
from app.redis_client import get_redis


def main(argv: list[str]) -> None:
    """Start a worker on the named queues, inside the app context."""
    names = argv or list(ALL_QUEUES)
    unknown = [n for n in names if n not in ALL_QUEUES]
    if unknown:
        sys.exit(f"unknown queue(s): {', '.join(unknown)}; choose from {', '.join(ALL_QUEUES)}")
    app = create_app()
    with app.app_context():
        worker = Worker([get_queue(n) for n in names], connection=get_redis())
        worker.work(with_scheduler=False, burst="--burst" in sys.argv)


if __name__ == "__main__":
    main([a for a in sys.argv[1:] if not a.startswith("--")])
