"""A stand-in for the SMS provider (sms-api.md): the whole contract plus /_sim controls."""

import random

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from app.notifications.sms.simulator import api, controls
from app.notifications.sms.simulator.callbacks import Dispatcher
from app.notifications.sms.simulator.faults import Faults
from app.notifications.sms.simulator.state import EXTENSION_KEY, SimulatorState, simulator_state
from app.notifications.sms.simulator.store import Account, Store

__all__ = ["Account", "create_simulator", "simulator_state"]


def create_simulator(*, accounts: list[Account] = (), seed: int | None = None,
                     auto_deliver: bool = True, retry_delay_ms: int = 500) -> Flask:
    """Build a simulator app with its own state; `accounts` come back on every reset."""
    app = Flask(__name__)
    app.json.sort_keys = False
    rng = random.Random(seed)
    app.extensions[EXTENSION_KEY] = SimulatorState(
        Store(rng, list(accounts)), Faults(rng),
        Dispatcher(auto_deliver=auto_deliver, retry_delay_ms=retry_delay_ms), rng)
    app.register_blueprint(api.bp)
    app.register_blueprint(controls.bp)
    app.register_error_handler(HTTPException, _http_error)
    return app


def _http_error(exc: HTTPException):
    code = 20404 if exc.code == 404 else exc.code
    return jsonify({"code": code, "message": exc.description or exc.name, "status": exc.code}), exc.code
