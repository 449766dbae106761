"""View helpers every list page and form uses."""
from urllib.parse import urlsplit

from flask import abort, render_template, request

from app.common.export import csv_response
from app.common.htmx import render_page_or_fragment, wants_fragment
from app.common.ids import parse_id
from app.common.counts import count_for_page, exact_count
from app.common.listing import ListParams, ListSpec, fetch_page, filtered_query, with_filter_choices
from app.common.picker import search_term

MAX_BULK_IDS = 1000


def render_list(spec: ListSpec, page_template: str, fragment_template: str, **context):
    """Answer a list URL: CSV with format=csv, the exact total with count=exact, the rows fragment for htmx,
    else the whole page."""
    params = ListParams.from_request(spec)
    if request.args.get("format") == "csv":
        return csv_response(spec, params)
    if request.args.get("count") == "exact":  # asked for after the page, so the page never waits on it
        filtered = filtered_query(spec, params)
        return render_template("_list_count.html", count=exact_count(filtered) or count_for_page(filtered))
    page = fetch_page(spec, params)
    if not wants_fragment():  # only the whole page draws the filters form
        page = with_filter_choices(page)
    return render_page_or_fragment(page_template, fragment_template, page=page, **context)


def selected_ids() -> list[int]:
    """The row ids ticked in a bulk-action form; anything that is not an id is ignored; more than
    MAX_BULK_IDS is refused (422), never cut to the first MAX_BULK_IDS."""
    raw_ids = request.form.getlist("ids")
    if len(raw_ids) > MAX_BULK_IDS:
        abort(422, description=f"Tick at most {MAX_BULK_IDS:,} rows at a time ({len(raw_ids):,} were sent); "
                               f"nothing was changed.")
    ids = []
    for raw in raw_ids:
        row_id = parse_id(raw)
        if row_id is not None and row_id not in ids:
            ids.append(row_id)
    return ids


def safe_next(default: str) -> str:
    """The form's 'next' URL when it is a path on this site, else the default (no open redirects)."""
    target = request.form.get("next") or request.args.get("next") or ""
    return target if is_local_path(target) else default


def is_local_path(target: str) -> bool:
    """Whether a browser would read `target` as a path on this site.

    Browsers drop tabs and newlines, trim spaces and read a backslash as a slash, so a tab or a
    backslash can turn "/<TAB>/evil" into "//evil"; refusing control characters, spaces and backslashes
    leaves only what urlsplit sees as a bare path, and keeps CR/LF out of the Location header.
    """
    if not target.startswith("/") or "\\" in target or any(ord(char) <= 0x20 or ord(char) == 0x7F for char in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and not target.startswith("//")


def render_picker_options(choices_for):
    """A picker's options for its search box (macro picker_search): choices_for(chosen_id, term) gives
    the rows; the request names the current choice (customer_id), the search (q) and the blank label."""
    chosen = parse_id(request.args.get("customer_id"))
    return render_template("_picker_options.html", choices=choices_for(chosen, search_term(request.args.get("q"))),
                           selected=chosen, blank=search_term(request.args.get("blank")))
