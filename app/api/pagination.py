"""Cursor pages for API lists, on the list pages' keyset machinery (app/common/listing.py), used as is."""
from dataclasses import replace

from flask import abort, request, url_for
from marshmallow import Schema, fields, validate

from app.common.cursor import BadCursor, decode_cursor
from app.common.listing import ListParams, ListSpec, fetch_page, sort_parts

MAX_LIMIT = 500
DEFAULT_LIMIT = 50


class PageArgs(Schema):
    """The query parameters every API list takes; resources add their filters."""

    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(1, MAX_LIMIT),
                           metadata={"description": f"Rows per page, at most {MAX_LIMIT}."})
    cursor = fields.String(validate=validate.Length(max=1000),
                           metadata={"description": "The opaque cursor from the previous page's Link rel=\"next\"."})


def api_page(spec: ListSpec, args: dict, filters: dict | None = None, q: str = "", archived: str = "active"):
    """One page of `spec` after `args['cursor']`, with its Link rel="next" header; a bad cursor or filter is a 400.

    A filter the spec does not offer this login (customer, for a customer login) is left out: the rows stay scoped.

    Keyset pages (rows after the last one seen) stay stable when rows are inserted meanwhile.
    """
    params = ListParams(sort=spec.default_sort, direction=spec.default_dir, q=q, archived=archived,
                        filters={k: str(v) for k, v in (filters or {}).items() if v is not None and k in spec.filters},
                        after=args.get("cursor") or None)
    if params.after:
        try:
            decode_cursor(params.after, sort_parts(spec, params))
        except BadCursor:
            abort(400, description="The cursor is not valid: start again from the first page.")
    page = fetch_page(replace(spec, page_size=args["limit"]), params)
    if page.params.notices:
        abort(400, description=" ".join(page.params.notices))
    headers = {}
    if page.has_next and page.next_cursor:
        query = {**request.args.to_dict(), "cursor": page.next_cursor}
        headers["Link"] = f'<{url_for(request.endpoint, **request.view_args, **query)}>; rel="next"'
    return page.rows, headers
