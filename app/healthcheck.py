"""Container healthchecks: python -m app.healthcheck worker|scheduler (see docker-compose.yml).

Healthy when an RQ worker (or `rq cron` scheduler) of this host is registered in Redis. Both keep
their registration alive with a heartbeat, so a dead or hung process drops out within its TTL.
Reads only REDIS_URL: a healthcheck must not build the whole app every few seconds.
"""
import os
import socket
import sys

from redis import Redis
from redis.exceptions import RedisError
from rq import Worker
from rq.cron import CronScheduler

KINDS = ("worker", "scheduler")


def registered_here(kind: str, connection: Redis, hostname: str) -> bool:
    """Is a live process of this kind from this host registered in Redis?"""
    processes = Worker.all(connection=connection) if kind == "worker" else CronScheduler.all(connection)
    return any(process.hostname == hostname for process in processes)


def main(argv: list[str]) -> None:
    if len(argv) != 1 or argv[0] not in KINDS:
        sys.exit(f"usage: python -m app.healthcheck {'|'.join(KINDS)}")
    kind, hostname = argv[0], socket.gethostname()
    connection = Redis.from_url(os.environ.get("REDIS_URL", "redis://localhost:6379/0"),
                                socket_connect_timeout=2, socket_timeout=5)
    try:
        healthy = registered_here(kind, connection, hostname)
    except RedisError as error:
        sys.exit(f"unhealthy: Redis (REDIS_URL) did not answer: {error}")
    if not healthy:
        sys.exit(f"unhealthy: no {kind} of {hostname} is registered in Redis")
    print(f"healthy: a {kind} of {hostname} is registered")


if __name__ == "__main__":
    main(sys.argv[1:])
