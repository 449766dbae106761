"""Whatever a person types into a URL, no page answers 500."""
import pytest

NONSENSE = {
    "q": "'; drop table customers; --%_\\ ünï", "sort": "password_hash", "dir": "up", "archived": "maybe",
    "after": "!!!", "before": "WyJ4Il0", "last": "2", "page": "-1", "format": "xml",
    "customer": "abc", "customer_id": "-5", "status": "exploded", "trigger": "sometimes", "role": "root",
    "date_from": "2026-13-45", "date_to": "yesterday", "low_stock": "perhaps", "enabled": "2",
    "platform": "x", "sync_state": "gone",
}


def _get_rules(app):
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and rule.endpoint != "static":
            yield rule


# Every parameter that names a row, with an id no database integer holds.
HUGE_IDS = {name: "9" * 20 for name in ("customer", "customer_id", "platform", "platform_id", "campaign_id", "run",
                                        "item_id", "order_id", "user_id")}


def everywhere(value: str, names) -> dict:
    """The same extreme value in every parameter."""
    return dict.fromkeys(names, value)


@pytest.mark.parametrize("role", ["customer", "admin"])
@pytest.mark.parametrize("nonsense", [NONSENSE, HUGE_IDS, everywhere("1e309", [*NONSENSE, *HUGE_IDS]),
                                      everywhere("x" * 100_000, ["q", "sort", "after", "customer", "date_from"])],
                         ids=["nonsense", "huge ids", "1e309", "100 KB"])
def test_nonsense_query_parameters_never_give_500(app, client, auth, factory, role, nonsense):
    auth.login(role)
    for rule in _get_rules(app):
        path = rule.rule
        for argument in rule.arguments:
            path = path.replace(f"<int:{argument}>", "1").replace(f"<{argument}>", "1")
        response = client.get(path, query_string=nonsense)
        assert response.status_code < 500, f"{role} GET {path}: {response.status_code}"
        assert response.status_code != 400, f"{role} GET {path}: nonsense must fall back, not be refused"


def test_nul_bytes_are_refused_with_a_clear_message(client, auth):
    auth.login("admin")
    for response in (client.post("/customers/new", data={"code": "AB\x00C", "name": "N\x00ame"}),
                     client.get("/customers", query_string={"q": "a\x00b"})):
        assert response.status_code == 400
        assert "NUL character" in response.get_data(as_text=True)


FORM_NONSENSE = {
    "ids": ["x", "-1", "99999999999999999999"], "action": "explode", "quantity": "-3.5", "customer_id": "abc",
    "campaign_id": "1e9", "lines-0-item_id": "zz", "lines-0-quantity": "9" * 30, "amount": "1e400",
    "delta": "NaN", "reason": "", "budget": "-0.001", "start_date": "2026-02-30", "end_date": "never",
    "status": "exploded", "sync_interval_minutes": "0", "idempotency_key": "x" * 500, "next": "//evil.example",
    "email": "@", "password": "", "role": "root", "note": "é" * 5000,
}


@pytest.mark.parametrize("role", ["customer", "operator", "admin"])
@pytest.mark.parametrize("nonsense", [
    FORM_NONSENSE, {**FORM_NONSENSE, **HUGE_IDS, "lines-0-item_id": "9" * 20},
    everywhere("1e309", [*FORM_NONSENSE, *HUGE_IDS, "unit_price", "opening_stock", "low_stock_threshold"]),
    everywhere("9" * 30, [*FORM_NONSENSE, *HUGE_IDS, "unit_price", "opening_stock", "low_stock_threshold"]),
    everywhere("x" * 100_000, [*FORM_NONSENSE, *HUGE_IDS, "unit_price", "name", "sku", "code", "description"]),
], ids=["nonsense", "huge ids", "1e309", "thirty 9s", "100 KB"])
def test_nonsense_forms_never_give_500(app, client, auth, factory, role, nonsense):
    customer = factory.customer()
    auth.login(role, customer=customer if role == "customer" else None)
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint == "auth.logout":
            continue
        path = rule.rule
        for argument in rule.arguments:
            path = path.replace(f"<int:{argument}>", "1").replace(f"<{argument}>", "1")
        response = client.post(path, data=nonsense)
        assert response.status_code < 500, f"{role} POST {path}: {response.status_code}"


# Numbers a person (or a script) can type that Decimal and PostgreSQL choke on.
EXTREME_NUMBERS = ["1e309", "9" * 30, "-" + "9" * 30, "NaN", "inf", "-inf", "-0", "1e-400", "0x10",
                   "9" * 100_000]


@pytest.mark.parametrize("value", EXTREME_NUMBERS, ids=lambda v: v[:12])
def test_extreme_numbers_on_the_money_forms_are_field_errors(client, auth, factory, value):

    customer, item = factory.customer(), factory.item(price="5.00")
    auth.login("admin")
    posts = {
        "/inventory/new": {"sku": "NEW-1", "name": "New", "unit_price": value, "opening_stock": "0"},
        f"/inventory/{item.id}/edit": {"sku": item.sku, "name": "Renamed", "unit_price": value},
        f"/customers/{customer.id}/balance/new": {"kind": "deposit", "amount": value, "reason": "Test"},
        f"/inventory/{item.id}/adjust": {"delta": value, "reason": "Count"},
    }
    for path, data in posts.items():
        response = client.post(path, data=data)
        if value in ("-0", "1e-400"):  # both round to 0.00: a zero price is allowed, a zero deposit or change is not: either way, no 500
            assert response.status_code in (303, 422), f"POST {path} {value}: {response.status_code}"
            continue
        assert response.status_code == 422, f"POST {path} {value[:12]}: {response.status_code}"
        assert "Enter " in response.get_data(as_text=True), path


def test_path_ids_beyond_a_database_integer_are_404(app, client, auth):
    auth.login("admin")
    checked = 0
    for rule in app.url_map.iter_rules():
        int_args = [a for a in rule.arguments if f"<int:{a}>" in rule.rule]
        if not int_args or rule.rule.startswith("/api/"):  # the API takes no session: tests/api checks its ids
            continue
        for huge in ("2147483648", "9" * 30):
            path = rule.rule
            for argument in rule.arguments:
                path = path.replace(f"<int:{argument}>", huge).replace(f"<{argument}>", "1")
            method = "get" if "GET" in rule.methods else "post"
            response = getattr(client, method)(path)
            assert response.status_code == 404, f"{method.upper()} {path}: {response.status_code}"
            checked += 1
    assert checked > 10


def test_an_order_too_large_for_an_amount_is_a_line_error_and_nothing_is_placed(client, auth, factory):
    from app.balances.services import record_deposit
    from app.orders.models import Order
    from tests.ledgers import count, stock_of

    customer = factory.customer()
    record_deposit(customer.id, "9999999999.99", "Big")
    item = factory.item(price="9999999999.99", stock=10_000)
    auth.login("admin")
    response = client.post("/orders/new", data={"customer_id": customer.id, "idempotency_key": "key-0123456789",
                                                "lines-0-item_id": item.id, "lines-0-quantity": "10000"})
    assert response.status_code == 422
    assert "more than the largest amount" in response.get_data(as_text=True)
    assert count(Order) == 0 and stock_of(item) == 10_000


def test_a_deposit_that_would_take_the_balance_past_an_amount_is_a_field_error(client, auth, factory):
    from tests.ledgers import balance_of

    customer = factory.customer()
    auth.login("admin")
    data = {"kind": "deposit", "amount": "9999999999.99", "reason": "Big"}
    assert client.post(f"/customers/{customer.id}/balance/new", data=data).status_code == 303
    response = client.post(f"/customers/{customer.id}/balance/new", data={**data, "amount": "0.01"})
    assert response.status_code == 422
    assert "it cannot go above 9,999,999,999.99" in response.get_data(as_text=True)
    assert str(balance_of(customer)) == "9999999999.99"


def test_stock_that_would_pass_an_integer_is_a_field_error(client, auth, factory):
    from sqlalchemy import update

    from app.extensions import db
    from app.inventory.models import InventoryItem
    from tests.ledgers import stock_of

    item = factory.item(stock=5)
    # 2,147 adjustments of +1,000,000 reach this; one UPDATE gets there faster.
    db.session.execute(update(InventoryItem).where(InventoryItem.id == item.id).values(stock_on_hand=2**31 - 10))
    db.session.commit()
    auth.login("admin")
    response = client.post(f"/inventory/{item.id}/adjust", data={"delta": "1000", "reason": "Count"})
    assert response.status_code == 422
    assert "Stock on hand cannot go above 2,147,483,647." in response.get_data(as_text=True)
    assert stock_of(item) == 2**31 - 10
