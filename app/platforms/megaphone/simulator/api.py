"""The contract's campaign endpoints; faults, rate limit and auth run before each one."""

import re
import time
from urllib.parse import urlencode

from flask import Blueprint, g, jsonify, request

from app.platforms.megaphone.simulator.payloads import (
    CREATE_DEFAULTS, InvalidFields, json_error, parse_list_query, validated, validation_failed,
    writable,
)
from app.platforms.megaphone.simulator.state import simulator_state

bp = Blueprint("megaphone_api", __name__)

_TOKEN_HEADER = re.compile(r'\s*Token\s+token\s*=\s*(?:"([^"]*)"|([^\s"]+))\s*', re.IGNORECASE)
_DENIALS = {
    401: ("unauthorized", "Missing or invalid API token."),
    403: ("forbidden", "This API token does not give access to organization '{org}'."),
    404: ("not_found", "Organization '{org}' not found."),
}


@bp.before_request
def admit_request():
    """Apply latency, the rate limit, injected failures and auth, in that order."""
    state = simulator_state()
    g.sim_generation = state.store.generation
    latency = state.faults.latency_seconds()
    if latency:
        time.sleep(latency)
    if state.store.generation != g.sim_generation:
        return json_error(503, "service_unavailable", "The simulator was reset during this request.")
    token = _token(request.headers.get("Authorization", ""))
    g.sim_time, refusal = state.faults.admit(token)
    if refusal:
        return refusal
    org_id = request.view_args["org"]
    denied = state.store.authorize(org_id, token)
    if denied:
        error, message = _DENIALS[denied]
        return json_error(denied, error, message.format(org=org_id))
    return None


@bp.after_request
def log_request(response):
    """Add the request to the log tests read from /_sim/requests (never the token)."""
    entry = {"method": request.method, "path": request.path,
             "query": request.query_string.decode("latin-1"), "status": response.status_code,
             "time": g.get("sim_time") or time.time()}
    if response.status_code == 429:
        entry["retry_after"] = int(response.headers["Retry-After"])
    simulator_state().store.log_request(g.get("sim_generation"), entry)
    return response


@bp.get("/organizations/<org>/campaigns")
def list_campaigns(org: str):
    """One page of campaigns in (createdAt, id) order, with Link rel="next" and X-Total-Count."""
    try:
        query = parse_list_query(request.args)
    except InvalidFields as exc:
        return validation_failed(exc.problems)
    records, total = simulator_state().store.list_page(org, query.page, query.per_page, query.since)
    response = jsonify(records)
    response.headers["X-Total-Count"] = str(total)
    if query.page * query.per_page < total:
        params = {"per_page": query.per_page, "page": query.page + 1}
        if query.since_text is not None:
            params["updated_since"] = query.since_text
        response.headers["Link"] = f'<{request.base_url}?{urlencode(params)}>; rel="next"'
    return response


@bp.post("/organizations/<org>/campaigns")
def create_campaign(org: str):
    """Create a campaign from a fully valid body (201)."""
    body = request.get_json(silent=True, force=True)
    if not isinstance(body, dict):
        return validation_failed({"body": "must be a JSON object"})
    try:
        fields = validated({**CREATE_DEFAULTS, **writable(body)})
    except InvalidFields as exc:
        return validation_failed(exc.problems)
    return jsonify(simulator_state().store.create(org, fields)), 201


@bp.get("/organizations/<org>/campaigns/<campaign_id>")
def get_campaign(org: str, campaign_id: str):
    """One campaign, or 404."""
    record = simulator_state().store.get(org, campaign_id)
    return jsonify(record) if record is not None else _campaign_not_found(campaign_id)


@bp.put("/organizations/<org>/campaigns/<campaign_id>")
def update_campaign(org: str, campaign_id: str):
    """Change any subset of the writable fields, validating the merged record."""
    body = request.get_json(silent=True, force=True)
    if not isinstance(body, dict):
        return validation_failed({"body": "must be a JSON object"})
    changes = writable(body)

    def merge(current: dict) -> dict:
        return validated({**writable(current), **changes})

    try:
        record = simulator_state().store.update(org, campaign_id, merge)
    except InvalidFields as exc:
        return validation_failed(exc.problems)
    return jsonify(record) if record is not None else _campaign_not_found(campaign_id)


@bp.delete("/organizations/<org>/campaigns/<campaign_id>")
def delete_campaign(org: str, campaign_id: str):
    """Delete a campaign (204), or 404 when it is already gone."""
    if simulator_state().store.delete(org, campaign_id):
        return "", 204
    return _campaign_not_found(campaign_id)


def _campaign_not_found(campaign_id: str):
    return json_error(404, "not_found", f"Campaign '{campaign_id}' not found.")


def _token(header: str) -> str | None:
    match = _TOKEN_HEADER.fullmatch(header)
    token = (match.group(1) or match.group(2)) if match else None
    return token or None
