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


@pytest.mark.parametrize("role", ["customer", "admin"])
def test_nonsense_query_parameters_never_give_500(app, client, auth, factory, role):
    auth.login(role)
    for rule in _get_rules(app):
        path = rule.rule
        for argument in rule.arguments:
            path = path.replace(f"<int:{argument}>", "1").replace(f"<{argument}>", "1")
        response = client.get(path, query_string=NONSENSE)
        assert response.status_code < 500, f"{role} GET {path}: {response.status_code}"
        assert response.status_code != 400, f"{role} GET {path}: nonsense must fall back, not be refused"


def test_nul_bytes_are_refused_with_a_clear_message(client, auth):
    auth.login("admin")
    for response in (client.post("/customers/new", data={"code": "AB\x00C", "name": "N\x00ame"}),
                     client.get("/customers", query_string={"q": "a\x00b"})):
        assert response.status_code == 400
        assert "NUL character" in response.get_data(as_text=True)
