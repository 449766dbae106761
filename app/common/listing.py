"""List-page machinery written once: search, whitelisted sort, keyset pages, archive filter, CSV.

Pagination is keyset ("after/before this row"), so the 20,000th page costs what the first costs on a
million rows; only the first MAX_NUMBERED_PAGES pages are numbered (OFFSET there reads at most a few
hundred rows). A jump by the sorted column's value ("at") is a keyset cursor too. The total is exact
only where counting is cheap, else the planner's estimate (app/common/counts.py).
"""
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Callable
from urllib.parse import urlencode

from flask import request, url_for
from sqlalchemy import Date, DateTime, Integer, Numeric, Select, String, and_, case, or_, tuple_

from app.common.counts import Count, count_for_page
from app.common.cursor import BadCursor, decode_cursor, encode_cursor, parse_jump
from app.common.ids import parse_id
from app.extensions import db

MAX_NUMBERED_PAGES = 10
ROW_ID_PLACEHOLDER = 918_273_645  # stands for the row id in a link built once per page (row_url)
URL_SAFE = "!$'()*,/:;?@"  # what werkzeug's url_for leaves unescaped in a query string
MAX_QUERY_LENGTH = 200
ARCHIVE_CHOICES = ("active", "archived", "all")


@dataclass(frozen=True)
class SortKey:
    """A column the list may be sorted by; nullable ones sort NULLs last (first when descending)."""

    label: str
    column: Any
    nullable: bool = False


@dataclass(frozen=True)
class Filter:
    """A domain filter: apply(value) returns a WHERE clause, or None when the value is not valid.

    choices(current) gives a select's (value, label) options; current is the value the list is filtered by
    (or None), passed in so the options can keep it even when they are a bounded few (customers).
    """

    label: str
    apply: Callable[[str], Any]
    choices: Callable[[str | None], list[tuple[str, str]]] | None = None
    input_type: str = "select"


def id_equals(column) -> Callable[[str], Any]:
    """Filter.apply for a filter by row id: column == id, or None (ignored with a notice) for what is no id."""
    def apply(value: str):
        row_id = parse_id(value)
        return None if row_id is None else column == row_id
    return apply


@dataclass(frozen=True)
class ListSpec:
    """Everything a list page declares about itself; the machinery does the rest."""

    name: str
    base_query: Callable[[], Select]
    id_column: Any
    sort_keys: dict[str, SortKey]
    default_sort: str
    default_dir: str = "asc"
    search_columns: tuple = ()  # text matched anywhere, any case (ILIKE '%q%'; a trigram index serves it)
    id_search_columns: tuple = ()  # identifiers matched from their start (LIKE 'q%'; a B-tree serves it)
    search_label: str = "Search"
    archived_clause: Callable[[], Any] | None = None
    filters: dict[str, Filter] = field(default_factory=dict)
    csv_columns: tuple[tuple[str, Callable[[Any], Any]], ...] = ()
    # (header, SQL expression) to export plain rows (PostgreSQL: COPY) instead of csv_columns' ORM getters.
    csv_sql: tuple[tuple[str, Any], ...] = ()
    page_size: int = 25


@dataclass
class ListParams:
    """The list's state, parsed from the query string; nonsense falls back to defaults with a notice."""

    q: str = ""
    sort: str = ""
    direction: str = "asc"
    archived: str = "active"
    filters: dict[str, str] = field(default_factory=dict)
    after: str | None = None
    before: str | None = None
    last: bool = False
    page_number: int = 1  # 1..MAX_NUMBERED_PAGES, only without a cursor
    at: str = ""  # jump to this value of the sorted column
    notices: list[str] = field(default_factory=list)

    @classmethod
    def from_request(cls, spec: ListSpec, args=None) -> "ListParams":
        """Parse and validate request args against the spec's whitelists."""
        args = request.args if args is None else args
        params = cls(sort=spec.default_sort, direction=spec.default_dir)
        params.q = " ".join(args.get("q", "").split())[:MAX_QUERY_LENGTH]
        sort = args.get("sort")
        if sort:
            if sort in spec.sort_keys:
                params.sort = sort
            else:
                params.notices.append(f"Unknown sort “{sort[:40]}”: sorted by {spec.sort_keys[spec.default_sort].label}.")
        direction = args.get("dir")
        if direction:
            if direction in ("asc", "desc"):
                params.direction = direction
            else:
                params.notices.append("Sort direction must be asc or desc: used the default.")
        if spec.archived_clause is not None:
            archived = args.get("archived", "active")
            if archived in ARCHIVE_CHOICES:
                params.archived = archived
            else:
                params.notices.append("Archived filter must be active, archived or all: showing active.")
        for name in spec.filters:
            value = args.get(name, "").strip()
            if value:
                params.filters[name] = value[:MAX_QUERY_LENGTH]
        params.after = args.get("after") or None
        params.before = None if params.after else (args.get("before") or None)
        params.last = not (params.after or params.before) and args.get("last") == "1"
        params.at = args.get("at", "").strip()[:MAX_QUERY_LENGTH] if not (params.after or params.before or params.last) else ""
        page = args.get("page")
        if page and not (params.after or params.before or params.last or params.at):
            if page.isdigit() and 1 <= int(page) <= MAX_NUMBERED_PAGES:
                params.page_number = int(page)
            else:
                params.notices.append(f"Page numbers go from 1 to {MAX_NUMBERED_PAGES}: showing the first page "
                                      f"(jump by {spec.sort_keys[params.sort].label.lower()} to go further).")
        return params

    def query_args(self, spec: ListSpec, **changes) -> dict:
        """The URL arguments of this state (defaults left out), with changes applied."""
        state = {"q": self.q, "sort": self.sort, "dir": self.direction, "archived": self.archived, **self.filters}
        state.update(changes)
        defaults = {"q": "", "sort": spec.default_sort, "dir": spec.default_dir, "archived": "active"}
        return {k: v for k, v in state.items() if v not in (None, "") and defaults.get(k) != v}


@dataclass
class ListPage:
    """One page of rows plus what the template needs to draw navigation."""

    spec: ListSpec
    params: ListParams
    rows: list
    has_next: bool
    has_prev: bool
    next_cursor: str | None
    prev_cursor: str | None
    count: Count
    first_row: int | None = None  # position of the first row shown, where it is known
    filter_choices: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # see with_filter_choices

    @cached_property
    def path(self) -> str:
        """This list's path, built once per page: every other link of the page only appends its arguments."""
        return url_for(request.endpoint, **(request.view_args or {}))

    def url(self, **changes) -> str:
        """URL of this list with some state changed (cursors dropped unless given); encoded as url_for does."""
        args = self.params.query_args(self.spec, **changes)
        return f"{self.path}?{urlencode(args, safe=URL_SAFE)}" if args else self.path

    @staticmethod
    def row_url(endpoint: str, id_arg: str, **values) -> Callable[[Any], str]:
        """A link builder for a per-row link: one url_for per page, then prefix + row id + suffix per row."""
        prefix, suffix = url_for(endpoint, **{id_arg: ROW_ID_PLACEHOLDER}, **values).split(str(ROW_ID_PLACEHOLDER), 1)
        return lambda row_id: f"{prefix}{int(row_id)}{suffix}"

    def sort_url(self, key: str) -> str:
        """Link for a column header: toggles direction when already sorted by it."""
        direction = "desc" if self.params.sort == key and self.params.direction == "asc" else "asc"
        return self.url(sort=key, dir=direction)

    @property
    def total(self) -> int:
        return self.count.value

    @property
    def total_capped(self) -> bool:
        return not self.count.exact

    @property
    def total_label(self) -> str:
        return self.count.label

    @property
    def position(self) -> str:
        """The rows shown: "1–25", or how many ("25") where their position is unknown (keyset pages)."""
        if self.first_row is None or not self.rows:
            return f"{len(self.rows)}"
        return f"{self.first_row:,}–{self.first_row + len(self.rows) - 1:,}"

    @property
    def position_label(self) -> str:
        """Where the user is: "1–25 of about 979,747"."""
        return f"{self.position} of {self.count.label}"

    @property
    def page_numbers(self) -> list[int]:
        """The numbered pages worth linking: those the total (or estimate) says exist, up to MAX_NUMBERED_PAGES."""
        pages = -(-self.count.value // self.spec.page_size) if self.count.exact else MAX_NUMBERED_PAGES
        return list(range(1, min(max(pages, 1), MAX_NUMBERED_PAGES) + 1))

    @property
    def jump_input_type(self) -> str:
        """The input the jump form needs for the sorted column: a date, a number or text."""
        sql_type = self.spec.sort_keys[self.params.sort].column.type
        if isinstance(sql_type, (Date, DateTime)):
            return "date"
        return "number" if isinstance(sql_type, (Integer, Numeric)) else "text"

    @property
    def current_page_number(self) -> int | None:
        if self.first_row is None or (self.first_row - 1) % self.spec.page_size or self.params.last:
            return None
        return (self.first_row - 1) // self.spec.page_size + 1

    def next_url(self) -> str:
        """Next page: the next number while pages are numbered, else a keyset cursor."""
        number = self.current_page_number
        if number is not None and number < MAX_NUMBERED_PAGES:
            return self.url(page=number + 1)
        return self.url(after=self.next_cursor)

    def prev_url(self) -> str:
        number = self.current_page_number
        if number is not None and number > 1:
            return self.url(page=number - 1 if number > 2 else None)
        return self.url(before=self.prev_cursor)


def _escape_like(term: str) -> str:
    """The term with LIKE's wildcards and the escape character escaped (patterns use escape="\\")."""
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains(term: str, *columns):
    """Any of the columns contains the term, ignoring case: ILIKE '%term%', which PostgreSQL's trigram
    indexes serve (SQLAlchemy's icontains compares lower(column), which they do not)."""
    return or_(*(col.ilike(f"%{_escape_like(term)}%", escape="\\") for col in columns))


def filtered_query(spec: ListSpec, params: ListParams) -> Select:
    """The spec's base query narrowed by search, archived state and domain filters."""
    stmt = spec.base_query()
    if params.q and (spec.search_columns or spec.id_search_columns):
        prefix = f"{_escape_like(params.q)}%"
        stmt = stmt.where(or_(*([contains(params.q, *spec.search_columns)] if spec.search_columns else []),
                              *(col.like(prefix, escape="\\") for col in spec.id_search_columns)))
    if spec.archived_clause is not None and params.archived != "all":
        clause = spec.archived_clause()
        stmt = stmt.where(clause if params.archived == "archived" else ~clause)
    for name, value in list(params.filters.items()):
        clause = spec.filters[name].apply(value)
        if clause is None:
            params.notices.append(f"Ignored {spec.filters[name].label.lower()} “{value[:40]}”: not a valid value.")
            del params.filters[name]
        else:
            stmt = stmt.where(clause)
    return stmt


def sort_parts(spec: ListSpec, params: ListParams) -> list:
    """The ordering expressions: [null flag,] column, id — all in the same direction."""
    key = spec.sort_keys[params.sort]
    parts = [key.column, spec.id_column]
    if key.nullable:
        parts.insert(0, case((key.column.is_(None), 1), else_=0))  # typed Integer, as the cursor needs
    return parts


def _beyond(parts, values, forward: bool):
    """WHERE clause for rows strictly after (forward) or before the cursor in sort order."""
    if not any(v is None for v in values) and len(parts) == 2:
        left, right = tuple_(*parts), tuple_(*values)
        return left > right if forward else left < right
    clauses = []
    for i, (part, value) in enumerate(zip(parts, values)):
        if value is None:
            continue  # within the NULL group nothing sorts strictly past NULL; the id decides
        equal_before = [p.is_(None) if v is None else p == v for p, v in zip(parts[:i], values[:i])]
        clauses.append(and_(*equal_before, part > value if forward else part < value))
    return or_(*clauses)


def _jump_values(spec: ListSpec, params: ListParams, parts: list) -> list | None:
    """A cursor just before the first row at or past the jump value in sort order, or None (with a notice)."""
    key = spec.sort_keys[params.sort]
    value = parse_jump(params.at, key.column.type, descending=params.direction == "desc")
    if value is None:
        params.notices.append(f"Cannot jump to “{params.at[:40]}” in {key.label.lower()}: showing the first page.")
        params.at = ""
        return None
    # An id before every id in scan order, so rows equal to the value are included (descending text
    # jumps to a value just past the prefix, which itself must not be).
    include_ties = params.direction == "desc" and not isinstance(key.column.type, String)
    return ([0] if key.nullable else []) + [value, 2**63 - 1 if include_ties else 0]


def fetch_page(spec: ListSpec, params: ListParams) -> ListPage:
    """Run the keyset (or, for numbered pages, offset) query for the requested page, then count at page cost."""
    filtered = filtered_query(spec, params)
    stmt = filtered
    parts = sort_parts(spec, params)
    ascending = params.direction == "asc"
    cursor_token = params.after or params.before
    backwards = bool(params.before) or params.last
    if cursor_token:
        try:
            values = decode_cursor(cursor_token, parts)
            stmt = stmt.where(_beyond(parts, values, forward=ascending != bool(params.before)))
        except BadCursor:
            params.notices.append("That page link is out of date: showing the first page.")
            params.after = params.before = None
            backwards = False
    elif params.at and (values := _jump_values(spec, params, parts)) is not None:
        stmt = stmt.where(_beyond(parts, values, forward=ascending))
    scan_ascending = ascending != backwards
    ordered = stmt.add_columns(*parts).order_by(*(p.asc() if scan_ascending else p.desc() for p in parts))
    offset = (params.page_number - 1) * spec.page_size
    result = db.session.execute(ordered.offset(offset or None).limit(spec.page_size + 1)).unique().all()
    more = len(result) > spec.page_size
    result = result[: spec.page_size]
    if backwards:
        result.reverse()
    rows = [r[0] for r in result]
    first_values, last_values = (list(result[0][1:]), list(result[-1][1:])) if result else (None, None)
    from_start = not (params.after or params.before or params.last or params.at)
    has_prev = more if backwards else bool(params.after or params.at or offset)
    has_next = (bool(params.before) if backwards else more)
    if from_start and not more and (rows or not offset):
        count = Count(offset + len(rows))  # the page itself reached the end: no count needed
    else:
        count = count_for_page(filtered)
    first_row = offset + 1 if from_start else None
    if params.last and count.exact:
        first_row = max(count.value - len(rows) + 1, 1)
    return ListPage(
        spec=spec, params=params, rows=rows, has_next=has_next, has_prev=has_prev,
        next_cursor=encode_cursor(last_values) if has_next and result else None,
        prev_cursor=encode_cursor(first_values) if has_prev and result else None,
        count=count, first_row=first_row,
    )


def with_filter_choices(page: ListPage) -> ListPage:
    """The page with its select filters' options, for the filters form of a whole page (fragments need none)."""
    choices = {name: flt.choices(page.params.filters.get(name))
               for name, flt in page.spec.filters.items() if flt.choices is not None}
    return replace(page, filter_choices=choices)
