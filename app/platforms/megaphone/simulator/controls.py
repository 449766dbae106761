"""The /_sim control endpoints: organizations, data, faults and the request log (no auth)."""

from flask import Blueprint, jsonify, request

from app.common.simulated_faults import InvalidSettings
from app.platforms.megaphone.simulator.payloads import json_error, validation_failed
from app.platforms.megaphone.simulator.state import simulator_state
from app.platforms.megaphone.simulator.store import DuplicateCampaign

bp = Blueprint("megaphone_sim_controls", __name__, url_prefix="/_sim")

MAX_BATCH = 1_000_000


class _BadBody(ValueError):
    def __init__(self, problems: dict[str, str]):
        super().__init__(problems)
        self.problems = problems


@bp.errorhandler(_BadBody)
def _bad_body(exc: _BadBody):
    return validation_failed(exc.problems)


@bp.post("/organizations")
def create_organization():
    """Create an organization with its token, or change the token of an existing one."""
    body = _body()
    problems = {name: "must be a non-empty string" for name in ("id", "token")
                if not isinstance(body.get(name), str) or not body[name]}
    if problems:
        raise _BadBody(problems)
    created = simulator_state().store.upsert_organization(body["id"], body["token"])
    return jsonify({"id": body["id"]}), 201 if created else 200


@bp.post("/organizations/<org>/seed")
def seed(org: str):
    """Add {"count": N} valid random campaigns and optionally {"invalid": K} broken ones."""
    counts = _counts(_body(), required=("count",), optional=("invalid",))
    total = simulator_state().store.seed(org, counts["count"], counts["invalid"])
    return jsonify({"created": counts["count"], "invalid": counts["invalid"], "total": total}), 201


@bp.post("/organizations/<org>/mutate")
def mutate(org: str):
    """Update, delete and create random campaigns now, or after N more list requests."""
    counts = _counts(_body(), optional=("update", "delete", "create", "after_requests"))
    after = counts.pop("after_requests")
    result = simulator_state().store.mutate(org, counts, after)
    if result is None:
        return jsonify({"scheduled": True, "after_requests": after}), 202
    return jsonify(result)


@bp.get("/organizations/<org>/campaigns")
def all_campaigns(org: str):
    """Every stored record of the organization, raw and unpaged."""
    return jsonify(simulator_state().store.all_campaigns(org))


@bp.post("/organizations/<org>/campaigns")
def insert_campaign(org: str):
    """Store a JSON object verbatim (id and timestamps are filled in only when absent)."""
    body = _body()
    try:
        return jsonify(simulator_state().store.insert_raw(org, body)), 201
    except DuplicateCampaign:
        return json_error(409, "conflict", f"Campaign '{body['id']}' already exists.")


@bp.route("/faults", methods=["GET", "POST"])
def faults():
    """Read, or change any subset of, the injected faults and the rate limit."""
    state = simulator_state()
    if request.method == "GET":
        return jsonify(state.faults.settings())
    try:
        return jsonify(state.faults.configure(_body()))
    except InvalidSettings as exc:
        raise _BadBody(exc.problems) from None


@bp.post("/reset")
def reset():
    """Drop all organizations, data, faults and the request log."""
    simulator_state().reset()
    return jsonify({"reset": True})


@bp.get("/requests")
def request_log():
    """The API requests served since the last reset: method, path, query, status, time."""
    return jsonify(simulator_state().store.requests())


def _body() -> dict:
    body = request.get_json(silent=True, force=True)
    if body is None and not request.get_data():
        return {}
    if not isinstance(body, dict):
        raise _BadBody({"body": "must be a JSON object"})
    return body


def _counts(body: dict, *, required: tuple = (), optional: tuple = ()) -> dict[str, int]:
    counts, problems = {}, {}
    for name in required + optional:
        value = body.get(name, None if name in required else 0)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_BATCH:
            problems[name] = f"must be a whole number from 0 to {MAX_BATCH}"
        else:
            counts[name] = value
    if problems:
        raise _BadBody(problems)
    return counts
