"""Run a unit of work as one transaction, retrying it when the database asks us to.

PostgreSQL aborts one side of a deadlock (40P01) or of a serialization conflict (40001);
SQLite answers "database is locked" when its busy timeout runs out. Both mean "run it again",
never "tell the user", so the work is retried a bounded number of times from a clean session.
"""
import random
import time
from typing import Callable, TypeVar

from sqlalchemy.exc import DBAPIError

from app.common.errors import ValidationError
from app.extensions import db

RETRYABLE_SQLSTATES = {"40001", "40P01"}
MAX_ATTEMPTS = 6
BUSY_MESSAGE = "The system is busy right now and nothing was saved. Please try again."

T = TypeVar("T")


def is_retryable(error: DBAPIError) -> bool:
    """Whether the database aborted the transaction only because of a conflict with another one."""
    sqlstate = getattr(error.orig, "sqlstate", None)
    return sqlstate in RETRYABLE_SQLSTATES or "database is locked" in str(error.orig)


def run_in_transaction(work: Callable[[], T], attempts: int = MAX_ATTEMPTS, *,
                       again: Callable[[Exception], bool] | None = None) -> T:
    """Call work() and commit; on a deadlock or serialization failure roll back and call it again.

    work() must do all its reads and writes through db.session and must not commit. Any other
    error rolls back and propagates, unless again(error), asked after the rollback, says the work
    may succeed now (it may also raise a clearer error instead). Every run counts against the one
    budget of attempts; after the last the user gets a plain message.
    """
    for attempt in range(1, attempts + 1):
        try:
            result = work()
            db.session.commit()
            return result
        except BaseException as error:
            db.session.rollback()
            if not _worth_another_run(error, again):
                raise
            if attempt == attempts:
                raise ValidationError(BUSY_MESSAGE) from error
            # Jittered backoff, so the transactions that collided do not collide again in lockstep.
            time.sleep(random.uniform(0, 0.005 * 2 ** attempt))
    raise AssertionError("unreachable")


def _worth_another_run(error: BaseException, again: Callable[[Exception], bool] | None) -> bool:
    if isinstance(error, DBAPIError):
        return is_retryable(error)
    return isinstance(error, Exception) and again is not None and again(error)
