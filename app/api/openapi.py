"""The OpenAPI 3.1 document: problem+json for every error, the bearer scheme, the error responses of each operation."""
import http

from apispec import BasePlugin
from flask_smorest import Api
from marshmallow import Schema, fields

from app.api.problems import MEDIA_TYPE

# Every operation can answer these (the token, its scope, its rate, a bad query); more where they apply.
COMMON_ERRORS = (400, 401, 403, 429)
PATH_ERRORS = (404,)  # operations on one resource
WRITE_ERRORS = (412, 422)  # operations with a body or an If-Match


class ProblemSchema(Schema):
    """RFC 9457 problem details."""

    type = fields.String(metadata={"example": "about:blank"})
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.String(),
                         metadata={"description": "422: each field's message, the same sentence the pages show."})


def _problem_response(description: str) -> dict:
    return {"description": description, "content": {MEDIA_TYPE: {"schema": ProblemSchema}}}


class OmsApi(Api):
    """smorest's Api whose error responses are documented as application/problem+json."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self):
        for status in http.HTTPStatus:
            if status >= 400:
                self.spec.components.response(status.name, _problem_response(status.phrase), lazy=True)
        self.spec.components.response("DEFAULT_ERROR", _problem_response("Any other error"), lazy=True)


class ErrorResponses(BasePlugin):
    """Adds the error responses each operation can give, so the document lists them all."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        for method, operation in (operations or {}).items():
            responses = operation.setdefault("responses", {})
            statuses = list(COMMON_ERRORS)
            if "{" in (path or ""):
                statuses += PATH_ERRORS
            if method in ("post", "patch", "delete"):
                statuses += WRITE_ERRORS
            if "/campaigns" in (path or "") and method != "get":
                statuses.append(503)  # the ad platform is down or slow
            if (path or "").endswith("/orders") and method == "post":
                statuses.append(409)  # the same Idempotency-Key is still being processed
            for status in statuses:
                responses.setdefault(str(status), http.HTTPStatus(status).name)
