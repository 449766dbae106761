"""The real client address behind trusted proxies."""
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def trust_proxies(app: Flask) -> None:
    """Take client IP, scheme and host from X-Forwarded-* set by TRUSTED_PROXY_HOPS proxies (0: none)."""
    hops = app.config["TRUSTED_PROXY_HOPS"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
