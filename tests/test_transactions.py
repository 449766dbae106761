"""run_in_transaction: one budget of attempts for every reason to run a unit of work again."""
import pytest

from app.common.errors import ValidationError
from app.common.transactions import BUSY_MESSAGE, MAX_ATTEMPTS, run_in_transaction


class StillShort(Exception):
    """Stands in for a refusal that, read after the rollback, turns out to be worth another run."""


def test_work_that_may_succeed_now_is_run_again_within_the_one_budget(app):
    runs = []

    def work():
        runs.append(1)
        raise StillShort()

    with pytest.raises(ValidationError) as busy:
        run_in_transaction(work, again=lambda error: isinstance(error, StillShort))
    assert len(runs) == MAX_ATTEMPTS and busy.value.errors == {"": BUSY_MESSAGE}


def test_an_error_not_worth_another_run_propagates_after_one_run(app):
    runs = []

    def work():
        runs.append(1)
        raise StillShort()

    with pytest.raises(StillShort):
        run_in_transaction(work, again=lambda error: False)
    assert len(runs) == 1
