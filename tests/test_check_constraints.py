"""CHECK constraints are built from Python constants; a changed constant needs a migration too.

Alembic's autogenerate does not compare CHECK constraints, so test_migrations would not notice.
"""
from pathlib import Path

import pytest
from sqlalchemy import CheckConstraint

import app.models  # noqa: F401  (every model registered on the metadata)
from app.common.checks import between, one_of
from app.extensions import db

MIGRATIONS = "".join(path.read_text() for path in (Path(__file__).parents[1] / "migrations/versions").glob("*.py"))
CHECKS = [(table.name, check) for table in db.metadata.sorted_tables
          for check in table.constraints if isinstance(check, CheckConstraint)]


@pytest.mark.parametrize(("table", "check"), CHECKS, ids=[f"{t}.{c.name}" for t, c in CHECKS])
def test_every_model_check_is_written_as_a_migration_wrote_it(table, check):
    assert repr(str(check.sqltext)) in MIGRATIONS or f'"{check.sqltext}"' in MIGRATIONS, (
        f"{table}.{check.name} is now {check.sqltext!r}: add a migration that replaces the constraint")


def test_the_check_helpers_write_plain_sql():
    assert one_of("status", ("draft", "active")) == "status IN ('draft', 'active')"
    assert between("minutes", 5, 10080) == "minutes BETWEEN 5 AND 10080"
    with pytest.raises(ValueError):
        one_of("name", ("o'brien",))
