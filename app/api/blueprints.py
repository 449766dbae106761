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


def _takes_query(view) -> bool:
    parameters = getattr(view, "_apidoc", {}).get("arguments", {}).get("parameters", [])
    return any(p.get("in") == "query" for p in parameters)


def refuse_query_where_none_is_taken():
    """A view that declares no query parameters gets none silently ignored (those that do: StrictParser)."""
    if request.args and not _takes_query(current_app.view_functions[request.endpoint]):
        abort(400, description=f"Unknown query parameter(s): {', '.join(sorted(request.args))[:200]}.")


def api_blueprint(name: str, path: str, description: str) -> Blueprint:
    """A smorest blueprint under /api/v1 whose services' ValidationErrors answer 422 problems."""
    blp = ApiBlueprint(name, __name__, url_prefix=f"/api/v1{path}", description=description)
    blp.register_error_handler(ValidationError, from_validation_error)
    blp.before_request(refuse_query_where_none_is_taken)
    return blp
