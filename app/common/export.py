"""CSV export of a list's current filtered rows, streamed so a large export never sits in memory.

A list that declares csv_sql (header, SQL expression) exports plain rows, never ORM objects: on
PostgreSQL one `COPY (query) TO STDOUT WITH (FORMAT csv)` whose output goes to the client as it
comes; elsewhere a Core select whose rows the csv module writes. Both give the same bytes: formula
defusing and empty text are done in SQL, timestamps are written to the second in UTC. A list with
only csv_columns (getters over ORM objects, for values no plain column holds) still exports those.
"""
import csv
from datetime import UTC, date, datetime

from flask import Response, stream_with_context
from sqlalchemy import DateTime, String, case, func, literal

from app.common.listing import ListParams, ListSpec, filtered_query, sort_parts
from app.extensions import db

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 64_000
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S+00:00"  # PostgreSQL's to_char twin is in _sql_cell


def _cell(value) -> str:
    """Render one value; text that a spreadsheet would run as a formula is defused with a quote."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (value.astimezone(UTC) if value.tzinfo else value).strftime(TIMESTAMP_FORMAT)
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def _sql_cell(expr, postgresql: bool):
    """The expression as the CSV shows it: text defused (and empty text as NULL, as COPY writes NULL),
    timestamps as UTC text to the second where COPY writes them."""
    if isinstance(expr.type, String):
        return case((func.substr(expr, 1, 1).in_(FORMULA_PREFIXES), literal("'") + expr), else_=func.nullif(expr, ""))
    if postgresql and isinstance(expr.type, DateTime):
        return func.to_char(func.timezone("UTC", expr), 'YYYY-MM-DD HH24:MI:SS"+00:00"')
    return expr


def _ordered(spec: ListSpec, params: ListParams, stmt):
    parts = sort_parts(spec, params)
    return stmt.order_by(*(p.asc() if params.direction == "asc" else p.desc() for p in parts))


def _copy_chunks(stmt):
    """PostgreSQL: the rows as CSV straight from COPY, in the order the server sends them."""
    connection = db.session.connection()
    compiled = stmt.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    raw = connection.connection.driver_connection
    with raw.cursor() as cursor:
        with cursor.copy(f"COPY ({compiled}) TO STDOUT WITH (FORMAT csv)", compiled.params or None) as copy:
            for block in copy:
                yield bytes(block)


class _Lines:
    """csv.writer's file. The writer ends rows with \\r\\n, so it quotes every field holding a \\r or \\n (as
    COPY does, and Python 3.11 only does for the terminator's characters); the rows here end in \\n, as COPY's."""

    def __init__(self):
        self.lines, self.size = [], 0

    def write(self, line: str) -> None:
        self.lines.append(line[:-2])
        self.size += len(line)

    def take(self) -> bytes:
        chunk = "".join(line + "\n" for line in self.lines).encode()
        self.lines, self.size = [], 0
        return chunk


def _csv_chunks(cells_of_rows):
    """Rows of cells as CSV in chunks of about CHUNK characters."""
    lines = _Lines()
    writer = csv.writer(lines, lineterminator="\r\n")
    for cells in cells_of_rows:
        writer.writerow(cells)
        if lines.size > CHUNK:
            yield lines.take()
    yield lines.take()


def _row_chunks(stmt):
    """Other databases: plain rows through the csv module."""
    rows = db.session.execute(stmt.execution_options(yield_per=2000))
    return _csv_chunks([_cell(value) for value in row] for row in rows)


def _object_chunks(spec: ListSpec, stmt):
    """Lists without csv_sql: each ORM object through the spec's getters."""
    objects = db.session.execute(stmt.execution_options(yield_per=500)).scalars()
    return _csv_chunks([_cell(getter(obj)) for _, getter in spec.csv_columns] for obj in objects)


def csv_response(spec: ListSpec, params: ListParams) -> Response:
    """Every row matching the list's search, filters and sort (not just one page) as CSV."""
    filtered = filtered_query(spec, params)
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    if spec.csv_sql:
        headers = [header for header, _ in spec.csv_sql]
        stmt = _ordered(spec, params, filtered.with_only_columns(*(_sql_cell(e, postgresql) for _, e in spec.csv_sql)))
        chunks = _copy_chunks(stmt) if postgresql else _row_chunks(stmt)
    else:
        headers = [header for header, _ in spec.csv_columns]
        chunks = _object_chunks(spec, _ordered(spec, params, filtered))

    def generate():
        yield (",".join(headers) + "\n").encode()
        yield from chunks

    filename = f"{spec.name}-{date.today().isoformat()}.csv"
    return Response(
        stream_with_context(generate()),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
