"""One sync at a time per connection: a Redis lock that expires when its holder stops renewing it."""
import uuid

from redis import Redis

# Renew and release only when the key still holds our token, so we never touch a lock that
# expired and was taken by another run in the meantime.
_RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0"
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"


class LockLost(Exception):
    """The lock expired (we were too slow between renewals) and may now belong to another run."""

    message = ("This sync went too long without progress and lost its lock, so it stopped "
               "to let another sync take over. Nothing was marked deleted.")


def lock_key(connection_id: int) -> str:
    """The Redis key of a connection's sync lock."""
    return f"oms:sync:lock:{connection_id}"


class SyncLock:
    """SET NX with an expiry and a token naming the run; renewed as pages land, released by compare-and-delete."""

    def __init__(self, redis: Redis, connection_id: int, run_id: int, ttl_seconds: float):
        self.redis, self.key = redis, lock_key(connection_id)
        self.token = f"{run_id}:{uuid.uuid4().hex}"
        self.ttl_ms = max(1, int(ttl_seconds * 1000))

    def acquire(self) -> bool:
        """Take the lock if nobody holds it."""
        return bool(self.redis.set(self.key, self.token, nx=True, px=self.ttl_ms))

    def renew(self) -> None:
        """Push the expiry out again; raises LockLost if the lock is no longer ours."""
        if not self.redis.eval(_RENEW, 1, self.key, self.token, self.ttl_ms):
            raise LockLost()

    def release(self) -> None:
        """Give the lock up, if it is still ours."""
        self.redis.eval(_RELEASE, 1, self.key, self.token)


def lock_holder(redis: Redis, connection_id: int) -> int | None:
    """The id of the run holding the connection's lock, or None when it is free."""
    value = redis.get(lock_key(connection_id))
    if value is None:
        return None
    run_id = value.decode().split(":", 1)[0]
    return int(run_id) if run_id.isdigit() else None
