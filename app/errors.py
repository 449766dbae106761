"""Error pages that answer as JSON, as an htmx message, or as a whole page."""
from flask import jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.api.problems import from_http_exception, is_api_request, problem
from app.extensions import db

MESSAGES = {
    400: "The request was not understood.",
    403: "You do not have access to this page or action.",
    404: "That page or record does not exist (or is not yours to see).",
    405: "That action is not allowed here.",
    413: "The upload is too large.",
    500: "Something went wrong on our side. Nothing was saved; please try again.",
}


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return request.path.startswith("/api/") or best == "application/json"


def render_error(status: int, message: str):
    """One renderer for every error: problem+json (API), JSON, htmx fragment in the messages area, or a page."""
    if is_api_request():
        return problem(status, message)
    if _wants_json():
        return jsonify(error=status, message=message), status
    if request.headers.get("HX-Request") == "true":
        response = make_response(render_template("errors/_message.html", status=status, message=message), status)
        # Error bodies go to the flash area, not into whatever the request targeted.
        response.headers["HX-Retarget"] = "#flashes"
        response.headers["HX-Reswap"] = "innerHTML"
        return response
    return render_template("errors/error.html", status=status, message=message), status


def register_error_handlers(app) -> None:
    """Install the handlers on the app."""

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, "Your form expired or was sent from elsewhere. Reload the page and try again.")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        if is_api_request():
            return from_http_exception(error)
        # Our own abort(code, description=...) carries a sentence for people; werkzeug's defaults do not.
        custom = error.description if error.description != type(error).description else None
        return render_error(error.code, custom or MESSAGES.get(error.code, error.name))

    @app.errorhandler(InternalServerError)
    def server_error(error):
        db.session.rollback()
        return render_error(500, MESSAGES[500])

    @app.errorhandler(Exception)
    def unhandled(error):
        db.session.rollback()
        app.logger.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(500, MESSAGES[500])
