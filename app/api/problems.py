"""RFC 9457 problem details: the one shape of every error the API answers."""
from http import HTTPStatus

from flask import current_app, json, request
from werkzeug.exceptions import HTTPException

from app.common.errors import ValidationError
from app.extensions import db

PROBLEM_TYPE = "about:blank"  # RFC 9457 3.1.1: the title is then the HTTP status phrase
MEDIA_TYPE = "application/problem+json"
DETAILS = {
    400: "The request was not understood.",
    401: "Send a valid API token as 'Authorization: Bearer <token>'.",
    403: "This token may not do that.",
    404: "That resource does not exist (or is not yours to see).",
    405: "That method is not allowed on this resource.",
    412: "The resource changed since you read it (If-Match no longer matches): read it again.",
    422: "Some fields are not valid.",
    500: "Something went wrong on our side. Nothing was saved; please try again.",
}


def is_api_request() -> bool:
    """Whether the current request is under the JSON API (its errors are problem documents)."""
    return request.path.startswith("/api/")


def problem(status: int, detail: str | None = None, errors: dict | None = None, headers: dict | None = None):
    """A problem+json response; `errors` maps a field to its message (422)."""
    body = {"type": PROBLEM_TYPE, "title": HTTPStatus(status).phrase, "status": status,
            "detail": detail or DETAILS.get(status, HTTPStatus(status).phrase)}
    if errors:
        body["errors"] = errors
    response = current_app.response_class(json.dumps(body), status=status, mimetype=MEDIA_TYPE)
    response.headers.update(headers or {})
    return response


def _flatten(messages, prefix="") -> dict[str, str]:
    """webargs' nested {"json": {"lines": {"0": {"qty": ["..."]}}}} as {"lines.0.qty": "..."}."""
    if isinstance(messages, list):
        return {prefix: " ".join(str(m) for m in messages if not isinstance(m, (dict, list)))} if prefix else {}
    flat = {}
    for key, value in messages.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        flat.update(_flatten(value, name) if isinstance(value, (dict, list)) else {name: str(value)})
    return flat


def from_http_exception(error: HTTPException):
    """An HTTPException (abort, routing, webargs' 422) as a problem; unknown query parameters are a 400."""
    data = getattr(error, "data", None) or {}
    messages = data.get("messages") or {}
    headers = dict(data.get("headers") or {})
    if error.code == 405 and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    if error.code == 422 and messages:
        query = messages.get("query") or {}
        if query and all(m == ["Unknown field."] for m in query.values()):
            names = ", ".join(sorted(query))[:200]
            return problem(400, f"Unknown query parameter(s): {names}.", headers=headers)
        located = {}
        for location, fields in messages.items():
            located.update(_flatten(fields))
        return problem(422, DETAILS[422], errors=located, headers=headers)
    custom = error.description if error.description != type(error).description else None
    return problem(error.code or 500, custom or data.get("message"), headers=headers)


def from_validation_error(error: ValidationError):
    """A service's ValidationError: the same sentences the pages show, per field; general ones in detail."""
    db.session.rollback()
    fields = {name: message for name, message in error.errors.items() if name}
    general = " ".join(message for name, message in error.errors.items() if not name)
    return problem(422, general or DETAILS[422], errors=fields or None)
