"""A stand-in for the Megaphone-style ad platform: the whole contract plus /_sim controls."""

from flask import Flask
from werkzeug.exceptions import HTTPException

from app.platforms.megaphone.simulator import api, controls
from app.platforms.megaphone.simulator.faults import Faults
from app.platforms.megaphone.simulator.payloads import json_error
from app.platforms.megaphone.simulator.state import EXTENSION_KEY, SimulatorState, simulator_state
from app.platforms.megaphone.simulator.store import Store, UnknownOrganization

__all__ = ["create_simulator", "simulator_state"]


def create_simulator(*, rate_limit_per_minute: int | None = 60) -> Flask:
    """Build a simulator app with its own empty state; None or 0 disables the rate limit."""
    app = Flask(__name__)
    app.json.sort_keys = False  # keep the campaign fields in the contract's order
    app.extensions[EXTENSION_KEY] = SimulatorState(Store(), Faults(rate_limit_per_minute or None))
    # The contract's example base URL ends in /api; serving the root too means a base URL
    # without it works as well.
    app.register_blueprint(api.bp, url_prefix="/api")
    app.register_blueprint(api.bp, url_prefix="", name="megaphone_api_root")
    app.register_blueprint(controls.bp)
    app.register_error_handler(UnknownOrganization, _unknown_organization)
    app.register_error_handler(HTTPException, _http_error)
    return app


def _unknown_organization(exc: UnknownOrganization):
    return json_error(404, "not_found", f"Organization '{exc.org_id}' not found.")


def _http_error(exc: HTTPException):
    error = (exc.name or "error").lower().replace(" ", "_")
    return json_error(exc.code or 500, error, exc.description or exc.name)
