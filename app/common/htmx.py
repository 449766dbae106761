"""The one helper that decides between a whole page and an htmx fragment."""
from flask import make_response, render_template, request


def wants_fragment() -> bool:
    """An htmx request that is not a boosted navigation or a history restore gets only the fragment."""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and headers.get("HX-Boosted") != "true"
        and headers.get("HX-History-Restore-Request") != "true"
    )


def render_page_or_fragment(page_template: str, fragment_template: str, status: int = 200, **context):
    """Render the fragment for htmx swaps, else the whole page (which includes the same fragment)."""
    fragment = wants_fragment()
    body = render_template(fragment_template if fragment else page_template, fragment=fragment, **context)
    response = make_response(body, status)
    # The same URL answers two shapes, so caches must key on the header.
    response.vary.add("HX-Request")
    return response
