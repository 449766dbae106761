"""CSV export from plain rows: COPY on PostgreSQL and Core rows elsewhere write the same bytes,
with the list's filters and formula defusing (issue 14, item 4)."""
import csv
import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import update

from app.common import export
from app.common.listing import ListParams, filtered_query
from app.customers.listing import customers_list_spec
from app.customers.models import Customer
from app.extensions import db

TRICKY_NAMES = ["=SUM(A1:A9)", "+44 formula", "-2+3", "@cmd", "\tTabbed", "\rReturn", "plain, with comma",
                'a "quoted" name', "two\nlines", "'already quoted", "Ünïcode ✓"]


@pytest.fixture
def tricky(factory):
    """Customers whose text a spreadsheet would run, or that CSV must quote; one archived, one without email."""
    rows = [factory.customer(code=f"T{i:02d}") for i in range(len(TRICKY_NAMES))]
    for i, (row, name) in enumerate(zip(rows, TRICKY_NAMES)):  # past the form's rules: data a sync or import could bring
        db.session.execute(update(Customer).where(Customer.id == row.id).values(
            name=name, email=None if i == 1 else f"t{i}@x.example", phone="" if i == 2 else "=1+1",
            balance=Decimal(i) + Decimal("0.05"), created_at=datetime(2026, 3, 1, 9, 30, 15, 123456 * (i % 2), tzinfo=UTC)))
    db.session.execute(update(Customer).where(Customer.id == rows[-1].id).values(archived_at=datetime(2026, 4, 1, tzinfo=UTC)))
    db.session.commit()
    return rows


def _expected(customers, query=None) -> str:
    """What the export must say: the rows the list shows, defused, timestamps in UTC to the second."""
    lines = []

    def write(cells):  # one row at a time: quoted where it holds a comma, a quote, \r or \n; lines end in \n
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerow(cells)
        lines.append(buffer.getvalue()[:-2] + "\n")

    write(["code", "name", "email", "phone", "balance", "archived_at", "created_at"])
    for c in sorted(customers, key=lambda c: c.code, reverse=True):
        if c.archived_at is None and (query is None or query in c.name.lower()):
            write([c.code, export._cell(c.name), export._cell(c.email), export._cell(c.phone or None),
                             f"{c.balance:.2f}", "", c.created_at.replace(tzinfo=UTC).strftime("%Y-%m-%d %H:%M:%S+00:00")])
    return "".join(lines)


@pytest.mark.parametrize("query", [None, "o"])  # "o": in some names, in no email, code or phone
def test_the_export_has_the_filtered_rows_defused_and_quoted(client, auth, tricky, query):
    auth.login("operator")
    response = client.get("/customers?format=csv&sort=code&dir=desc" + (f"&q={query}" if query else ""))
    assert response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    db.session.expire_all()
    assert body == _expected([db.session.get(Customer, c.id) for c in tricky], query)
    names = [row["name"] for row in csv.DictReader(io.StringIO(body))]
    assert "'=SUM(A1:A9)" in names or query and "'=SUM(A1:A9)" not in names
    assert not any(name.startswith(export.FORMULA_PREFIXES) for name in names)


def test_copy_and_plain_rows_write_the_same_bytes(app, factory, tricky):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("COPY is PostgreSQL's (the SQLite run checks the plain-rows path against the expected text)")
    admin = factory.user("admin")
    with app.test_request_context("/customers"):
        from flask_login import login_user

        login_user(admin)
        spec = customers_list_spec()
        params = ListParams.from_request(spec, {"sort": "name", "archived": "all"})
        rows_stmt = export._ordered(spec, params, filtered_query(spec, params).with_only_columns(
            *(export._sql_cell(e, postgresql=False) for _, e in spec.csv_sql)))
        copy_stmt = export._ordered(spec, params, filtered_query(spec, params).with_only_columns(
            *(export._sql_cell(e, postgresql=True) for _, e in spec.csv_sql)))
        from_rows = b"".join(export._row_chunks(rows_stmt))
        from_copy = b"".join(export._copy_chunks(copy_stmt))
    assert from_copy == from_rows and from_copy.count(b"'=SUM") == 1 and b"2026-04-01 00:00:00+00:00" in from_copy
