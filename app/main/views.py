"""The landing page and /healthz."""
from flask import Blueprint, jsonify, redirect, url_for

from app.auth.access import access
from app.auth.scope import visible_customer_id
from app.main.health import health_checks

bp = Blueprint("main", __name__)


@bp.get("/")
@access("login")
def home():
    """Send each login to the page it starts its day on: staff to all customers, a customer login to its own."""
    own_customer_id = visible_customer_id()
    if own_customer_id is None:
        return redirect(url_for("customers.index"))
    return redirect(url_for("customers.show", customer_id=own_customer_id))


@bp.get("/healthz")
@access("public")
def healthz():
    """Liveness plus reachability of the database and Redis, for load balancers and make run."""
    checks = health_checks()
    healthy = all(v == "ok" for v in checks.values())
    return jsonify(status="ok" if healthy else "degraded", checks=checks), 200 if healthy else 503
