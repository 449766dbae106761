"""Data for the order benchmark: seed it in a few statements, check the ledgers afterwards.

Seeded stock and money go in with a movement and a deposit ledger row each, so the invariants
(stock = sum of movements, balance = sum of ledger) hold from the first row.
"""
from dataclasses import dataclass

from sqlalchemy import text

SEED_REASON = "Bench seed"


@dataclass(frozen=True)
class Seeded:
    """Ids the load plans use."""

    customer_ids: list
    item_ids: list
    hot_item_ids: dict  # (endpoint, round) -> the one item every order of that hot run takes


def seed(conn, customers: int, items: int, hot_stock: int, hot_runs) -> Seeded:
    """Customers with large balances, items with plenty of stock, and one hot item per hot run."""
    conn.execute(text("""
        INSERT INTO customers (code, name, email, balance, created_at, updated_at)
        SELECT 'BC' || lpad(g::text, 5, '0'), 'Bench customer ' || g, 'bc' || g || '@bench.example', 1000000,
               now(), now()
        FROM generate_series(1, :n) AS g"""), {"n": customers})
    conn.execute(text("""
        INSERT INTO inventory_items (sku, name, description, unit_price, stock_on_hand, low_stock_threshold,
                                     created_at, updated_at)
        SELECT 'BENCH-' || lpad(g::text, 5, '0'), 'Bench item ' || g, '', 1 + g % 97 + (g % 100) / 100.0, 1000000, 10,
               now(), now()
        FROM generate_series(1, :n) AS g"""), {"n": items})
    hot = {}
    for endpoint, round_no in hot_runs:
        hot[(endpoint, round_no)] = conn.execute(text("""
            INSERT INTO inventory_items (sku, name, description, unit_price, stock_on_hand, low_stock_threshold,
                                         created_at, updated_at)
            VALUES (:sku, :name, '', 2.50, :stock, 10, now(), now()) RETURNING id"""),
            {"sku": f"HOT-{endpoint.upper()}-{round_no}", "name": f"Hot item ({endpoint}, round {round_no})",
             "stock": hot_stock}).scalar_one()
    conn.execute(text("""
        INSERT INTO stock_movements (item_id, delta, stock_after, reason, created_at)
        SELECT id, stock_on_hand, stock_on_hand, :reason, now() FROM inventory_items"""), {"reason": SEED_REASON})
    conn.execute(text("""
        INSERT INTO balance_entries (customer_id, kind, amount, balance_after, reason, created_at)
        SELECT id, 'deposit', balance, balance, :reason, now() FROM customers"""), {"reason": SEED_REASON})
    conn.execute(text("ANALYZE"))
    customer_ids = list(conn.execute(text("SELECT id FROM customers ORDER BY id")).scalars())
    item_ids = list(conn.execute(text("SELECT id FROM inventory_items WHERE sku LIKE 'BENCH-%' ORDER BY id")).scalars())
    return Seeded(customer_ids, item_ids, hot)


def count_orders(conn) -> int:
    """Orders in the database."""
    return conn.execute(text("SELECT count(*) FROM orders")).scalar_one()


def check_hot_item(conn, item_id: int, starting_stock: int, ok_responses: int) -> dict:
    """The hot item's figures and whether they add up: no oversell, nothing lost, nothing doubled."""
    row = conn.execute(text("""
        SELECT i.stock_on_hand,
               (SELECT coalesce(sum(delta), 0) FROM stock_movements m WHERE m.item_id = i.id),
               (SELECT coalesce(min(stock_after), 0) FROM stock_movements m WHERE m.item_id = i.id),
               (SELECT count(*) FROM order_lines l WHERE l.item_id = i.id),
               (SELECT coalesce(sum(quantity), 0) FROM order_lines l WHERE l.item_id = i.id)
        FROM inventory_items i WHERE i.id = :id"""), {"id": item_id}).one()
    stock, movements, lowest, orders, units = row
    figures = {"starting stock": starting_stock, "stock left": stock, "orders placed": orders,
               "units sold": units, "sum of movements": movements, "lowest stock seen": lowest,
               "successful responses": ok_responses}
    figures["ok"] = (stock >= 0 and lowest >= 0 and units + stock == starting_stock and stock == movements
                     and orders == ok_responses)
    return figures


LEDGER_CHECKS = {
    "items whose stock is negative or differs from the sum of movements": """
        SELECT count(*) FROM inventory_items i
        WHERE i.stock_on_hand < 0
           OR i.stock_on_hand <> (SELECT coalesce(sum(delta), 0) FROM stock_movements m WHERE m.item_id = i.id)""",
    "customers whose balance is negative or differs from the sum of the ledger": """
        SELECT count(*) FROM customers c
        WHERE c.balance < 0
           OR c.balance <> (SELECT coalesce(sum(amount), 0) FROM balance_entries b WHERE b.customer_id = c.id)""",
    "orders whose total differs from the sum of their lines": """
        SELECT count(*) FROM orders o
        WHERE o.total <> (SELECT coalesce(sum(quantity * unit_price), 0) FROM order_lines l WHERE l.order_id = o.id)""",
    "orders without exactly one event, one debit and one outbox row": """
        WITH outbox AS (SELECT (payload ->> 'order_id')::int AS order_id, count(*) AS n
                        FROM outbox_events GROUP BY 1)
        SELECT count(*) FROM orders o LEFT JOIN outbox x ON x.order_id = o.id
        WHERE coalesce(x.n, 0) <> 1
           OR (SELECT count(*) FROM order_events e WHERE e.order_id = o.id) <> 1
           OR (SELECT count(*) FROM balance_entries b WHERE b.order_id = o.id) <> 1""",
}


def ledger_problems(conn) -> dict[str, int]:
    """How many rows break each invariant, over the whole database (all zero when it adds up)."""
    return {label: conn.execute(text(sql)).scalar_one() for label, sql in LEDGER_CHECKS.items()}
