"""The JSON API v1 (flask-smorest): the same services as the pages, Bearer tokens, problem+json errors."""
from app.auth.access import access

API_SETTINGS = {
    "API_TITLE": "OMS API",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.1.0",
    "OPENAPI_URL_PREFIX": "/api/v1",
    "OPENAPI_JSON_PATH": "openapi.json",
}


def _public(view):
    """smorest's document views (bound methods, which take no attributes) declared public, like the docs page."""
    @access("public")
    def public_view(**kwargs):
        return view(**kwargs)

    return public_view


def init_api(app) -> None:
    """Register the API blueprints, their docs, the error shape and the cookie-free session for /api/."""
    from app.api import campaigns, customers, docs, items, orders, sync
    from app.api.auth import init_api_auth
    from app.api.limits import init_rate_limits
    from app.api.openapi import ErrorResponses, OmsApi
    from app.common.ids import MAX_ID, IdConverter
    from app.extensions import csrf

    for key, value in API_SETTINGS.items():
        app.config.setdefault(key, value)
    api = OmsApi(app, spec_kwargs={"extra_plugins": [ErrorResponses()], "security": [{"bearerAuth": []}]})
    api.spec.components.security_scheme("bearerAuth", {
        "type": "http", "scheme": "bearer",
        "description": "An API token (oms_…) from the admin pages or `flask api-tokens create`."})
    api.register_converter(IdConverter, lambda _converter: {"type": "integer", "minimum": 1, "maximum": MAX_ID})
    for module in (items, orders, customers, campaigns, sync):
        csrf.exempt(module.blp)  # Bearer tokens, never cookies: nothing for a forged form to ride on
        api.register_blueprint(module.blp)
    for endpoint in [e for e in app.view_functions if e.startswith("api-docs.")]:
        app.view_functions[endpoint] = _public(app.view_functions[endpoint])
    app.register_blueprint(docs.bp)
    init_api_auth(app)
    init_rate_limits(app)  # after the access hook, so requests are counted per authenticated token
