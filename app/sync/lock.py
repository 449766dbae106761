"""One sync at a time per connection: redis-py's Lock, which expires when its holder stops renewing it."""
import uuid

from redis import Redis
from redis.exceptions import LockError
from redis.lock import Lock


class LockLost(Exception):
    """The lock expired (we were too slow between renewals) and may now belong to another run."""

    message = ("This sync went too long without progress and lost its lock, so it stopped "
               "to let another sync take over. Nothing was marked deleted.")


def lock_key(connection_id: int) -> str:
    """The Redis key of a connection's sync lock."""
    return f"oms:sync:lock:{connection_id}"


class SyncLock:
    """A run's hold on its connection: the token names the run, so staff can be told who holds it."""

    def __init__(self, redis: Redis, connection_id: int, run_id: int, ttl_seconds: float):
        # thread_local=False: writer threads renew the lock that the reading thread took.
        self.lock = Lock(redis, lock_key(connection_id), timeout=ttl_seconds, thread_local=False)
        self.token = f"{run_id}:{uuid.uuid4().hex}"

    def acquire(self) -> bool:
        """Take the lock if nobody holds it."""
        return self.lock.acquire(blocking=False, token=self.token)

    def renew(self) -> None:
        """Push the expiry out again; raises LockLost if the lock is no longer ours."""
        try:
            self.lock.reacquire()
        except LockError:
            raise LockLost() from None

    def release(self) -> None:
        """Give the lock up, if it is still ours."""
        try:
            self.lock.release()
        except LockError:
            pass  # it expired, and may be another run's now: not ours to delete


def lock_holder(redis: Redis, connection_id: int) -> int | None:
    """The id of the run holding the connection's lock, or None when it is free."""
    value = redis.get(lock_key(connection_id))
    if value is None:
        return None
    run_id = value.decode().split(":", 1)[0]
    return int(run_id) if run_id.isdigit() else None
