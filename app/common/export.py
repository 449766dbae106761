"""CSV export of a list's current filtered rows, streamed so a large export never sits in memory."""
import csv
import io
from datetime import date

from flask import Response, stream_with_context

from app.common.listing import ListParams, ListSpec, filtered_query, sort_parts
from app.extensions import db

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """Render one value; text that a spreadsheet would run as a formula is defused with a quote."""
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, str) and text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def csv_response(spec: ListSpec, params: ListParams) -> Response:
    """Every row matching the list's search, filters and sort (not just one page) as CSV."""
    parts = sort_parts(spec, params)
    ordering = [p.asc() if params.direction == "asc" else p.desc() for p in parts]
    stmt = filtered_query(spec, params).order_by(*ordering).execution_options(yield_per=500)

    def generate():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([header for header, _ in spec.csv_columns])
        for row in db.session.execute(stmt).scalars():
            writer.writerow([_cell(getter(row)) for _, getter in spec.csv_columns])
            if buffer.tell() > 64_000:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    filename = f"{spec.name}-{date.today().isoformat()}.csv"
    return Response(
        stream_with_context(generate()),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
