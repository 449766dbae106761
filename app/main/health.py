"""What /healthz checks: can this process reach the database and Redis right now."""
from redis.exceptions import RedisError
from sqlalchemy import text

from app.extensions import db
from app.redis_client import get_redis


def health_checks() -> dict[str, str]:
    """'ok' or 'error: <kind>' for the database and for Redis."""
    checks = {}
    try:
        db.session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # any driver error means 'down' here
        checks["database"] = f"error: {type(exc).__name__}"
    try:
        get_redis().ping()
        checks["redis"] = "ok"
    except RedisError as exc:
        checks["redis"] = f"error: {type(exc).__name__}"
    return checks
