"""can(action): the one role check views and templates share, read from the same rules as the access gate."""
import pytest
from flask_login import login_user

from app.auth.access import can


@pytest.mark.parametrize("role, allowed", [
    ("customer", {"customers.show"}),
    ("operator", {"customers.show", "customers.edit", "see_connections"}),
    ("admin", {"customers.show", "customers.edit", "see_connections", "admin.new_connection"}),
])
def test_can_follows_each_endpoints_access_rule(app, factory, role, allowed):
    user = factory.user(role)
    with app.test_request_context("/"):
        login_user(user)
        actions = ("customers.show", "customers.edit", "see_connections", "admin.new_connection")
        assert {action for action in actions if can(action)} == allowed
        assert not can("nowhere.index")  # no such endpoint: nobody can


def test_an_anonymous_visitor_can_only_do_public_things(app):
    with app.test_request_context("/"):
        assert can("main.healthz") and not can("customers.show") and not can("see_connections")
