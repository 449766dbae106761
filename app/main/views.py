"""The landing page and /healthz."""
from flask import Blueprint, jsonify, redirect, url_for
from flask_login import current_user
from redis.exceptions import RedisError
from sqlalchemy import text

from app.auth.access import access
from app.extensions import db
from app.redis_client import get_redis

bp = Blueprint("main", __name__)


@bp.get("/")
@access("login")
def home():
    """Send each role to the page it starts its day on."""
    if current_user.is_staff:
        return redirect(url_for("customers.index"))
    return redirect(url_for("customers.show", customer_id=current_user.customer_id))


@bp.get("/healthz")
@access("public")
def healthz():
    """Liveness plus reachability of the database and Redis, for load balancers and make run."""
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
    healthy = all(v == "ok" for v in checks.values())
    return jsonify(status="ok" if healthy else "degraded", checks=checks), 200 if healthy else 503
