"""`make test` runs the suite on SQLite first, then on PostgreSQL, even with TEST_DATABASE_URL set (issue 11, item 12)."""
import os
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Stands in for the virtualenv's python: prints which database the suite would have used.
PROBE = f"{sys.executable} -c 'import os; print(\"database:\", os.environ.get(\"TEST_DATABASE_URL\") or \"sqlite\")'"


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_test_runs_sqlite_first_then_postgresql_with_test_database_url_set(tmp_path):
    (tmp_path / ".installed").touch()  # a virtualenv that is up to date, so make installs nothing
    env = {**os.environ, "TEST_DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/somewhere"}

    result = subprocess.run(["make", "-s", "-C", ROOT, "test", f"VENV={tmp_path}", f"PY={PROBE}"],
                            env=env, capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stderr
    assert [line for line in result.stdout.splitlines() if line.startswith(("==", "database:"))] == [
        "== Test suite on SQLite ==",
        "database: sqlite",
        "== Test suite on PostgreSQL (postgresql://postgres@127.0.0.1:5432/somewhere) ==",
        "database: postgresql://postgres@127.0.0.1:5432/somewhere",
    ]
