"""Random sequences of place, confirm, fulfil, cancel, adjust stock and deposit keep every ledger right."""
import itertools
from decimal import Decimal

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, multiple, rule, run_state_machine_as_test

from app.balances.services import record_deposit
from app.common.errors import ValidationError
from app.inventory.services import adjust_stock
from app.orders.services import change_status
from app.orders.states import TRANSITIONS
from tests.factories import Factory, new_key
from tests.ledgers import assert_ledgers_add_up, stock_of

# Awkward cents on purpose: SQLite sums them in floating point, so rounding bugs would show.
PRICES = ("0.10", "3.33", "12.25")
_runs = itertools.count(1)


class OrderLedgers(RuleBasedStateMachine):
    """One customer, three items, and every operation that moves stock or money.

    Each example gets its own customer and items instead of an emptied database (much faster on
    PostgreSQL); the invariants are checked over every row, earlier examples' included.
    """

    orders = Bundle("orders")

    def __init__(self):
        super().__init__()
        run, self.factory = next(_runs), Factory()
        self.customer_id = self.factory.customer(f"HYPO{run}", "Hypothesis Ltd").id
        self.item_ids = [self.factory.item(sku=f"H{run}-{n}", price=price, stock=stock).id
                         for n, (price, stock) in enumerate(zip(PRICES, (3, 5, 0)))]
        self.factory.deposit(self.customer_id, "40.00")
        self.statuses: dict[int, str] = {}

    @rule(target=orders, lines=st.lists(st.tuples(st.integers(0, 2), st.integers(1, 4)), min_size=1, max_size=3))
    def place_an_order(self, lines):
        try:
            order = self.factory.order(self.customer_id, [(self.item_ids[i], qty) for i, qty in lines], new_key())
        except ValidationError as refused:
            assert set(refused.errors) <= {"lines", "balance"}, refused.errors
            return multiple()
        self.statuses[order.id] = "pending"
        return order.id

    @rule(order_id=orders, status=st.sampled_from(["confirmed", "fulfilled", "cancelled", "pending"]))
    def change_an_order(self, order_id, status):
        legal = status in TRANSITIONS[self.statuses[order_id]]
        try:
            change_status(order_id, status)
        except ValidationError:
            assert not legal, f"{self.statuses[order_id]} -> {status} should be allowed"
        else:
            assert legal, f"{self.statuses[order_id]} -> {status} should be refused"
            self.statuses[order_id] = status

    @rule(index=st.integers(0, 2), delta=st.integers(-6, 6).filter(bool))
    def adjust_stock_by_hand(self, index, delta):
        before = stock_of(self.item_ids[index])
        try:
            adjust_stock(self.item_ids[index], delta, "Stock count")
        except ValidationError:
            assert before + delta < 0
        else:
            assert stock_of(self.item_ids[index]) == before + delta

    @rule(amount=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("30"), places=2))
    def deposit(self, amount):
        record_deposit(self.customer_id, amount, "Top-up")

    @invariant()
    def stock_and_money_are_explained(self):
        assert_ledgers_add_up()


def test_random_operations_keep_stock_balances_and_totals_right(app):
    run_state_machine_as_test(OrderLedgers, settings=settings(
        max_examples=30, stateful_step_count=15, deadline=None, database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]))
