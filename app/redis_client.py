"""The Redis connection, one per app, used for queues, locks and login throttling."""
from flask import current_app
from redis import Redis


def init_redis(app) -> None:
    """Create the app's Redis client from REDIS_URL (connects lazily)."""
    app.extensions["redis"] = Redis.from_url(
        app.config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=5, health_check_interval=30
    )


def get_redis() -> Redis:
    """Return the current app's Redis client."""
    return current_app.extensions["redis"]
