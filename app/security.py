"""Response security headers (flask-talisman) and the real client address behind trusted proxies."""
from flask import Flask, request
from flask_talisman import Talisman
from werkzeug.middleware.proxy_fix import ProxyFix

# No inline script or style anywhere: htmx is configured through <meta name="htmx-config">.
# Pico draws its checkbox and select icons as data: SVGs, hence img-src data:.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def trust_proxies(app: Flask) -> None:
    """Take client IP, scheme and host from X-Forwarded-* set by TRUSTED_PROXY_HOPS proxies (0: none)."""
    hops = app.config["TRUSTED_PROXY_HOPS"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def init_security_headers(app: Flask) -> None:
    """CSP, framing, sniffing and referrer headers on every response; HSTS only in production."""
    production = app.config["OMS_ENV"] == "production"
    Talisman(
        app,
        content_security_policy=CONTENT_SECURITY_POLICY,
        frame_options="DENY",
        referrer_policy="same-origin",
        strict_transport_security=production,
        force_https=False,  # TLS ends at the reverse proxy; redirecting here would break plain-HTTP health checks
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_samesite=app.config["SESSION_COOKIE_SAMESITE"],
    )
    app.after_request(_no_store_outside_static)


def _no_store_outside_static(response):
    """Pages can show a signed-in user's data, so no browser or proxy keeps a copy; static files may be cached."""
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
    return response
