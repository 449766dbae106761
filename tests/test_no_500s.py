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


@pytest.mark.parametrize("role", ["customer", "admin"])
@pytest.mark.parametrize("nonsense", [NONSENSE, HUGE_IDS], ids=["nonsense", "huge ids"])
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
@pytest.mark.parametrize("nonsense", [FORM_NONSENSE, {**FORM_NONSENSE, **HUGE_IDS, "lines-0-item_id": "9" * 20}],
                         ids=["nonsense", "huge ids"])
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
