"""The /_sim control endpoints: accounts, messages, faults, numbers, callbacks, inbound (no auth)."""

from flask import Blueprint, jsonify, request

from app.common.simulated_faults import InvalidSettings, check_settings, count
from app.notifications.sms.numbers import is_e164
from app.notifications.sms.simulator.api import is_absolute_url
from app.notifications.sms.simulator.callbacks import advance, send_inbound
from app.notifications.sms.simulator.state import simulator_state
from app.notifications.sms.simulator.store import ERROR_MESSAGES, STATUS_RANK, Account

bp = Blueprint("sms_sim_controls", __name__, url_prefix="/_sim")


@bp.errorhandler(InvalidSettings)
def _invalid(exc: InvalidSettings):
    return jsonify({"code": 422, "message": "Invalid control request.", "fields": exc.problems}), 422


@bp.post("/accounts")
def create_account():
    """Create an account {"sid", "token", "numbers": [E.164...], "inbound_url"?} or replace one."""
    body = _body({"sid": _text, "token": _text, "numbers": _numbers, "inbound_url": _url},
                 required=("sid", "token", "numbers"))
    account = Account(body["sid"], body["token"], set(body["numbers"]), body.get("inbound_url"))
    created = simulator_state().store.upsert_account(account)
    return jsonify({"sid": account.sid}), 201 if created else 200


@bp.get("/messages")
def messages():
    """Every message sent since the last reset, with its idempotency key and callback URL."""
    return jsonify(simulator_state().store.all_messages())


@bp.route("/faults", methods=["GET", "POST"])
def faults():
    """Read or change error_rate, latency_ms, rate_limit_per_second, fail_next(_status), accept_then_fail_next."""
    state = simulator_state()
    return jsonify(state.faults.configure(_json()) if request.method == "POST" else state.faults.settings())


@bp.route("/delivery", methods=["GET", "POST"])
def delivery():
    """Read or change auto_deliver (callbacks right after each send) and retry_delay_ms."""
    dispatcher = simulator_state().dispatcher
    if request.method == "POST":
        dispatcher.settings.update(check_settings(_json(), {"auto_deliver": _flag, "retry_delay_ms": count}))
    return jsonify(dispatcher.settings)


@bp.post("/numbers")
def numbers():
    """Set {"number", "opted_out"?: bool, "undeliverable"?: "failed"|"undelivered"|null, "error_code"?}."""
    body = _body({"number": _number, "opted_out": _flag, "undeliverable": _failure, "error_code": _code},
                 required=("number",))
    undeliverable = False
    if "undeliverable" in body:
        failure = body["undeliverable"]
        undeliverable = None if failure is None else (failure, body.get("error_code", 30003))
    simulator_state().store.set_number(body["number"], body.get("opted_out"), undeliverable)
    return jsonify({"number": body["number"]})


@bp.post("/messages/<message_sid>/callbacks")
def message_callbacks(message_sid: str):
    """Send this message's callbacks now: {"statuses"?: [...] in any order, "repeat"?: N}."""
    body = _body({"statuses": _statuses, "repeat": count})
    state = simulator_state()
    if state.store.message(message_sid) is None:
        return jsonify({"code": 20404, "message": "Unknown message."}), 404
    return jsonify(advance(state, message_sid, body.get("statuses"), body.get("repeat", 1)))


@bp.post("/callbacks")
def flush_callbacks():
    """Move every still-queued message along its natural path now, sending its callbacks."""
    state = simulator_state()
    sids = state.store.queued_sids()
    for sid in sids:
        advance(state, sid)
    return jsonify({"advanced": len(sids)})


@bp.get("/callbacks")
def callback_log():
    """Every status-callback and inbound POST attempt: url, params, signature, attempt, status."""
    return jsonify(simulator_state().dispatcher.attempts())


@bp.post("/inbound")
def inbound():
    """A customer replies: {"from", "body", "account"?, "to"?, "url"?} is POSTed signed to OMS."""
    body = _body({"from": _number, "body": _text, "account": _text, "to": _number, "url": _url},
                 required=("from", "body"))
    state = simulator_state()
    account = state.store.account(body["account"]) if "account" in body else state.store.only_account()
    if account is None:
        raise InvalidSettings({"account": "names no account (give one when there are several)"})
    if not (body.get("url") or account.inbound_url):
        raise InvalidSettings({"url": "is needed: the account has no inbound_url"})
    return jsonify(send_inbound(state, account, body["from"], body["body"], body.get("to"), body.get("url")))


@bp.post("/clock")
def clock():
    """Move the simulator's clock forward by {"advance_seconds": N} (expires idempotency keys)."""
    body = _body({"advance_seconds": count}, required=("advance_seconds",))
    simulator_state().store.advance_clock(body["advance_seconds"])
    return jsonify({"advanced": body["advance_seconds"]})


@bp.post("/reset")
def reset():
    """Back to the start-up accounts; {"seed": N} also re-seeds the random source."""
    body = _body({"seed": count})
    simulator_state().reset(body.get("seed"))
    return jsonify({"reset": True})


def _json() -> dict:
    body = request.get_json(silent=True, force=True)
    if body is None and not request.get_data():
        return {}
    if not isinstance(body, dict):
        raise InvalidSettings({"body": "must be a JSON object"})
    return body


def _body(checks: dict, required: tuple = ()) -> dict:
    body = _json()
    missing = {name: "is required" for name in required if name not in body}
    if missing:
        raise InvalidSettings(missing)
    return check_settings(body, checks)


def _text(value) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError("must be a non-empty string")
    return value


def _flag(value) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _number(value) -> str:
    if not is_e164(value):
        raise ValueError("must be an E.164 number (+ and 8 to 15 digits)")
    return value


def _numbers(value) -> list[str]:
    if not isinstance(value, list) or not value:
        raise ValueError("must be a non-empty list of E.164 numbers")
    return [_number(item) for item in value]


def _url(value) -> str:
    if not isinstance(value, str) or not is_absolute_url(value):
        raise ValueError("must be an absolute http(s) URL")
    return value


def _failure(value) -> str | None:
    if value not in (None, "failed", "undelivered"):
        raise ValueError('must be "failed", "undelivered" or null')
    return value


def _code(value) -> int:
    if count(value) not in ERROR_MESSAGES:
        raise ValueError(f"must be one of {sorted(ERROR_MESSAGES)}")
    return value


def _statuses(value) -> list[str]:
    if not isinstance(value, list) or not value or any(s not in STATUS_RANK or s == "queued" for s in value):
        raise ValueError("must be a non-empty list of sent, delivered, undelivered, failed")
    return value
