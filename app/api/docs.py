"""/api/v1/docs: the vendored Swagger UI over /api/v1/openapi.json (public, like the document)."""
from flask import Blueprint, render_template, url_for

from app.auth.access import access

bp = Blueprint("api_docs", __name__, url_prefix="/api/v1")


@bp.get("/docs")
@access("public")
def docs():
    """The interactive reference of the API."""
    return render_template("api/docs.html", spec_url=url_for("api-docs.openapi_json"))
