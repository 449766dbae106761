"""Security headers on every kind of response: a page, an htmx fragment, an error page and a static file."""
import re
from pathlib import Path

import pytest

from tests.conftest import fresh_app

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def _responses(client, auth):
    auth.login("admin")
    return {
        "page": client.get("/customers"),
        "fragment": client.get("/customers?q=x", headers={"HX-Request": "true"}),
        "404": client.get("/no-such-page"),
        "static": client.get("/static/app.css"),
    }


def test_every_response_carries_the_security_headers(client, auth):
    for kind, response in _responses(client, auth).items():
        assert response.status_code == (404 if kind == "404" else 200), kind
        csp = response.headers.get("Content-Security-Policy", "")
        directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
        assert directives["default-src"] == "'self'", kind
        assert directives["frame-ancestors"] == "'none'", kind
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, kind
        assert response.headers["X-Frame-Options"] == "DENY", kind
        assert response.headers["X-Content-Type-Options"] == "nosniff", kind
        assert response.headers["Referrer-Policy"] == "same-origin", kind
        assert "Strict-Transport-Security" not in response.headers, kind  # only in production


def test_signed_in_pages_are_never_stored_but_static_files_may_be(client, auth):
    responses = _responses(client, auth)
    for kind in ("page", "fragment", "404"):
        assert responses[kind].headers["Cache-Control"] == "no-store", kind
    assert "no-store" not in responses["static"].headers.get("Cache-Control", "")


def test_production_over_https_adds_hsts(test_settings):
    with fresh_app({**test_settings, "OMS_ENV": "production", "TRUSTED_PROXY_HOPS": 1}) as app, app.app_context():
        client = app.test_client()
        secure = client.get("/login", headers={"X-Forwarded-Proto": "https"})
        assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
        assert secure.status_code == 200  # TLS ends at the proxy: no redirect loop to https


@pytest.mark.parametrize("template", sorted(str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html")))
def test_templates_have_no_inline_script_or_style(template):
    text = (TEMPLATES / template).read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)", text), "inline <script>: move it to static/app.js"
    assert not re.search(r"<style|\sstyle=|\son[a-z]+=|hx-on", text), "inline style or handler: the CSP refuses it"


def test_htmx_is_configured_for_the_csp(client):
    page = client.get("/login").get_data(as_text=True)
    config = re.search(r'<meta name="htmx-config" content=\'([^\']*)\'>', page).group(1)
    assert '"includeIndicatorStyles":false' in config and '"allowEval":false' in config
