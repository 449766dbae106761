"""The contract's message endpoints; latency, auth, rate limit and faults run before each one."""

import time
from urllib.parse import urlsplit

from flask import Blueprint, g, jsonify, request

from app.notifications.sms.numbers import is_e164
from app.notifications.sms.simulator.callbacks import advance
from app.notifications.sms.simulator.state import simulator_state
from app.notifications.sms.simulator.store import KeyConflict, OptedOut, ResetMeanwhile

bp = Blueprint("sms_sim_api", __name__, url_prefix="/2010-04-01/Accounts/<account_sid>")

MAX_BODY_CHARACTERS = 1600
MAX_KEY_LENGTH = 255


def error(status: int, code: int, message: str, headers: dict | None = None):
    """The contract's JSON error reply."""
    body = {"code": code, "message": message, "status": status,
            "more_info": f"https://www.twilio.com/docs/errors/{code}"}
    return jsonify(body), status, headers or {}


@bp.before_request
def admit_request():
    """Latency, then Basic auth (20003), then the rate limit (429) and injected 5xx."""
    state = simulator_state()
    g.sim_generation = state.store.generation  # a reset during the latency sleep voids this request
    latency = state.faults.latency_seconds()
    if latency:
        time.sleep(latency)
    account_sid = request.view_args["account_sid"]
    account = state.store.account(account_sid)
    auth = request.authorization
    if (account is None or auth is None or auth.type != "basic" or auth.username != account_sid
            or auth.password != account.token):
        return error(401, 20003, "Authenticate", {"WWW-Authenticate": 'Basic realm="SMS API"'})
    refusal = state.faults.admit(account_sid)
    if refusal:
        status, retry_after = refusal
        if status == 429:
            return error(429, 20429, "Too Many Requests", {"Retry-After": str(retry_after)})
        return error(status, 20500, "Simulated provider failure")
    g.sms_account = account
    return None


@bp.post("/Messages.json")
def create_message(account_sid: str):
    """Validate the form, answer a repeated Idempotency-Key with its first message, else queue one."""
    state, account = simulator_state(), g.sms_account
    key = request.headers.get("Idempotency-Key")
    form = {name: request.form.get(name) for name in ("To", "From", "Body", "StatusCallback")}
    problem = _form_problem(form, key, account)
    if problem:
        return error(400, *problem)
    callback = form["StatusCallback"] or None
    try:
        record, replayed = state.store.create_or_replay(account, form, key, callback, g.sim_generation)
    except KeyConflict:
        return error(422, 20422, "This Idempotency-Key was already used with different parameters.")
    except OptedOut:
        return error(400, 21610, "Attempt to send to unsubscribed recipient")
    except ResetMeanwhile:
        return error(503, 20503, "The simulator was reset during this request.")
    if not replayed and state.dispatcher.settings["auto_deliver"]:
        state.dispatcher.background(advance, state, record["sid"])
    if state.faults.fail_after_accept():
        return error(500, 20500, "Simulated provider failure after the message was accepted")
    return jsonify(record), 200 if replayed else 201


@bp.get("/Messages/<message_sid>.json")
def get_message(account_sid: str, message_sid: str):
    """The message with its current status, or 404 20404."""
    record = simulator_state().store.get(account_sid, message_sid)
    if record is None:
        return error(404, 20404, f"The requested resource {request.path} was not found")
    return jsonify(record)


def _form_problem(form: dict, key: str | None, account) -> tuple[int, str] | None:
    """(code, message) of the first rule the request breaks, or None."""
    if key is not None and not (1 <= len(key) <= MAX_KEY_LENGTH and key.isascii() and key.isprintable()):
        return 20001, "Idempotency-Key must be 1 to 255 printable ASCII characters."
    if not is_e164(form["To"]):
        return 21211, f"The 'To' number {form['To'] or ''} is not a valid phone number."
    if form["From"] not in account.numbers:
        return 21606, (f"The 'From' phone number provided ({form['From'] or ''}) is not a valid "
                       "message-capable phone number for this account.")
    if not form["Body"]:
        return 21602, "Message body is required."
    if len(form["Body"]) > MAX_BODY_CHARACTERS:
        return 21617, "The concatenated message body exceeds the 1600 character limit."
    if form["StatusCallback"] and not is_absolute_url(form["StatusCallback"]):
        return 21609, f"The StatusCallback URL {form['StatusCallback']} is not a valid URL."
    return None


def is_absolute_url(url: str) -> bool:
    """An http(s) URL with a host."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in url
