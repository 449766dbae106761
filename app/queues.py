"""RQ queues: the names in one place, and one helper that enqueues with explicit limits."""
from rq import Queue

from app.redis_client import get_redis

# Only queues that have jobs; email and sms each have their own so a slow channel never delays the other.
SYNC, EMAIL, SMS, DEFAULT = "sync", "email", "sms", "default"
ALL_QUEUES = (SYNC, EMAIL, SMS, DEFAULT)


def get_queue(name: str) -> Queue:
    """The named queue on the app's Redis connection (RQ 2 has no implicit connection)."""
    if name not in ALL_QUEUES:
        raise ValueError(f"unknown queue {name!r}")
    return Queue(name, connection=get_redis())


def enqueue(queue_name: str, func, *args, job_id: str | None = None, timeout: int = 600,
            result_ttl: int = 86_400, **kwargs):
    """Enqueue a function object (never a string path) with its timeout and TTLs set explicitly."""
    return get_queue(queue_name).enqueue(
        func, *args, job_id=job_id, job_timeout=timeout, result_ttl=result_ttl, failure_ttl=7 * 86_400, **kwargs
    )
