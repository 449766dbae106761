"""The benchmark's floor: place_order's work in hand-written SQL on a raw psycopg connection (bench only).

One transaction, all or nothing, against the same tables and constraints as the real service:
claim the idempotency key with the order row, read the items' prices, debit the balance
conditionally, write the lines, ledger row, order event and outbox row, and last take each line's
stock with a conditional UPDATE (items in ascending id) and write the stock movements: the real
service's lock order (order, customer, items), so no deadlocks. No login, CSRF, forms, ORM or
templates: it never belongs in app/.
"""
import json
import threading
from decimal import Decimal

import psycopg
from flask import Blueprint, current_app, jsonify, request

from app.auth.access import access

bp = Blueprint("bench_bare", __name__)
_local = threading.local()

CLAIM_ORDER = """
    INSERT INTO orders (id, number, idempotency_key, customer_id, status, total, notes, placed_by_id,
                        created_at, updated_at)
    SELECT n, 'ORD-' || repeat('0', greatest(0, 6 - length(n::text))) || n, %(key)s, %(customer)s,
           'pending', 0, '', %(user)s, now(), now()
    FROM nextval('orders_id_seq') AS n
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id, number"""
PRICES = "SELECT id, unit_price FROM inventory_items WHERE id = ANY(%s) AND archived_at IS NULL"
TAKE_STOCK = """
    UPDATE inventory_items SET stock_on_hand = stock_on_hand - %(qty)s, updated_at = now()
    WHERE id = %(item)s AND archived_at IS NULL AND stock_on_hand >= %(qty)s
    RETURNING stock_on_hand"""
DEBIT = """
    UPDATE customers SET balance = balance - %(total)s, updated_at = now()
    WHERE id = %(customer)s AND archived_at IS NULL AND balance >= %(total)s
    RETURNING balance"""


class Refused(Exception):
    """Nothing was placed; the message says why (409 short stock or balance, 422 bad input)."""

    def __init__(self, message: str, status: int = 409):
        super().__init__(message)
        self.status = status


def _connection() -> psycopg.Connection:
    """One autocommit connection per server thread; transactions are explicit."""
    conn = getattr(_local, "conn", None)
    if conn is None or conn.closed or conn.broken:
        url = current_app.config["SQLALCHEMY_DATABASE_URI"].replace("postgresql+psycopg://", "postgresql://", 1)
        conn = _local.conn = psycopg.connect(url, autocommit=True)
    return conn


def _parse_lines(text: str) -> dict[int, int]:
    """'12:1,40:3' -> {12: 1, 40: 3}, the same item twice merged."""
    lines: dict[int, int] = {}
    for part in text.split(","):
        item, _, qty = part.partition(":")
        if int(qty) < 1:
            raise ValueError(qty)
        lines[int(item)] = lines.get(int(item), 0) + int(qty)
    return lines


def place_bare_order(conn, customer_id: int, lines: dict[int, int], key: str, user_id: int) -> dict:
    """Place the order or raise Refused; a key seen before returns the first order (replayed)."""
    with conn.transaction(), conn.cursor() as cur:
        claimed = cur.execute(CLAIM_ORDER, {"key": key, "customer": customer_id, "user": user_id}).fetchone()
        if claimed is None:
            first = cur.execute("SELECT id, number, customer_id FROM orders WHERE idempotency_key = %s",
                                (key,)).fetchone()
            if first[2] != customer_id:
                raise Refused("This key was already used for another customer's order.", 422)
            return {"order_id": first[0], "number": first[1], "replayed": True}
        order_id, number = claimed
        prices = dict(cur.execute(PRICES, (list(lines),)).fetchall())
        if len(prices) != len(lines):
            raise Refused("Some items can no longer be ordered.")
        total = sum((price * lines[item_id] for item_id, price in prices.items()), Decimal("0.00"))
        balance = cur.execute(DEBIT, {"total": total, "customer": customer_id}).fetchone()
        if balance is None:
            raise Refused("The balance is short (or the customer is archived or missing).")
        reason = f"Order {number}"
        cur.execute("UPDATE orders SET total = %s WHERE id = %s", (total, order_id))
        cur.executemany("INSERT INTO order_lines (order_id, item_id, quantity, unit_price) VALUES (%s, %s, %s, %s)",
                        [(order_id, item_id, lines[item_id], prices[item_id]) for item_id in sorted(lines)])
        cur.execute("INSERT INTO balance_entries (customer_id, kind, amount, balance_after, reason, order_id, user_id,"
                    " created_at) VALUES (%s, 'order_debit', %s, %s, %s, %s, %s, now())",
                    (customer_id, -total, balance[0], reason, order_id, user_id))
        cur.execute("INSERT INTO order_events (order_id, from_status, to_status, note, user_id, created_at)"
                    " VALUES (%s, NULL, 'pending', 'Order placed', %s, now())", (order_id, user_id))
        payload = {"order_id": order_id, "number": number, "customer_id": customer_id, "from_status": None,
                   "to_status": "pending", "total": str(total), "user_id": user_id, "note": "Order placed"}
        cur.execute("INSERT INTO outbox_events (event, payload, created_at) VALUES ('order.placed', %s::json, now())",
                    (json.dumps(payload),))
        taken, short = {}, []
        for item_id, qty in sorted(lines.items()):
            row = cur.execute(TAKE_STOCK, {"item": item_id, "qty": qty}).fetchone()
            if row is None:
                left = cur.execute("SELECT sku, stock_on_hand FROM inventory_items WHERE id = %s",
                                   (item_id,)).fetchone()
                short.append(f"{left[0]}: ordered {qty}, only {left[1]} available")
            else:
                taken[item_id] = row[0]
        if short:
            raise Refused(f"Not enough stock for {len(short)} line(s): {'; '.join(short)}.")
        cur.executemany(
            "INSERT INTO stock_movements (item_id, delta, stock_after, reason, order_id, user_id, created_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, now())",
            [(item_id, -lines[item_id], after, reason, order_id, user_id) for item_id, after in taken.items()])
    return {"order_id": order_id, "number": number, "replayed": False}


@bp.post("/bench/bare-order")
@access("public")
def bare_order():
    """POST customer_id, user_id, key, lines=item:qty,...; 201 placed, 200 replayed, 409 refused."""
    try:
        customer_id, user_id = int(request.form["customer_id"]), int(request.form["user_id"])
        key, lines = request.form["key"], _parse_lines(request.form["lines"])
    except (KeyError, ValueError):
        return jsonify(error="Send customer_id, user_id, key and lines=item:qty,..."), 422
    try:
        placed = place_bare_order(_connection(), customer_id, lines, key, user_id)
    except Refused as refusal:
        return jsonify(error=str(refusal)), refusal.status
    return jsonify(placed), 200 if placed["replayed"] else 201
