"""Every API blueprint is made here, so each refuses unknown query parameters and answers service refusals alike."""
from flask import abort, current_app, request
from flask_smorest import Blueprint
from flask_smorest.arguments import ArgumentsMixin
from marshmallow import RAISE

from app.api.problems import from_validation_error
from app.common.errors import ValidationError


class StrictParser(type(ArgumentsMixin.ARGUMENTS_PARSER)):
    """webargs ignores unknown query parameters by default; the API answers them with a 400 instead."""

    DEFAULT_UNKNOWN_BY_LOCATION = {**type(ArgumentsMixin.ARGUMENTS_PARSER).DEFAULT_UNKNOWN_BY_LOCATION,
                                   "query": RAISE, "querystring": RAISE}


class ApiBlueprint(Blueprint):
    ARGUMENTS_PARSER = StrictParser()


def _takes(view, location: str) -> bool:
    parameters = getattr(view, "_apidoc", {}).get("arguments", {}).get("parameters", [])
    return any(p.get("in") == location for p in parameters)


def refuse_what_the_view_does_not_take():
    """No query parameter silently ignored by a view that takes none (those that do: StrictParser), and no
    missing or non-JSON body taken for an empty one (webargs reads a missing body as {})."""
    view = current_app.view_functions[request.endpoint]
    if request.args and not _takes(view, "query"):
        abort(400, description=f"Unknown query parameter(s): {', '.join(sorted(request.args))[:200]}.")
    if _takes(view, "json") and not isinstance(request.get_json(silent=True), dict):
        abort(400, description="Send a JSON object as the body, with Content-Type: application/json.")


def api_blueprint(name: str, path: str, description: str) -> Blueprint:
    """A smorest blueprint under /api/v1 whose services' ValidationErrors answer 422 problems."""
    blp = ApiBlueprint(name, __name__, url_prefix=f"/api/v1{path}", description=description)
    blp.register_error_handler(ValidationError, from_validation_error)
    blp.before_request(refuse_what_the_view_does_not_take)
    return blp
