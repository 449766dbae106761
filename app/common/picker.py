"""Pickers: a select that offers a bounded list, however many rows there are, and a search box
under it that narrows the list.

A picker offers its current choice and the first PICKER_SIZE rows that match the search. Forms
that redraw themselves on every change (the order form) read the search box with the rest of the
form; others let the box fetch the select's options from an endpoint (templates/_picker_options.html).
"""
from app.common.listing import contains
from app.extensions import db

PICKER_SIZE = 50
SEARCH_TERM_LIMIT = 100


def search_term(value) -> str:
    """What the search box holds, trimmed and bounded."""
    return (value or "").strip()[:SEARCH_TERM_LIMIT] if isinstance(value, str) else ""


def narrowed(stmt, term: str, *columns):
    """stmt limited to rows where any of the columns contains the term (all rows for no term)."""
    return stmt.where(contains(term, *columns)) if term else stmt


def picker_rows(base, id_column, chosen_id: int | None, term: str, search_columns, order_by) -> list:
    """The current choice (first, when the search left it out) and up to PICKER_SIZE matching rows of `base`."""
    found = db.session.execute(narrowed(base, term, *search_columns).order_by(*order_by).limit(PICKER_SIZE)).all()
    if chosen_id is None or any(row.id == chosen_id for row in found):
        return found
    return db.session.execute(base.where(id_column == chosen_id)).all() + found
