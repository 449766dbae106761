"""API fixtures: tokens issued through the real service, and a client that sends them."""
import pytest

from app.auth.tokens import create_token


class TokenClient:
    """The test client with `Authorization: Bearer <token>` on every request."""

    def __init__(self, client, secret: str, user):
        self._client, self.secret, self.user = client, secret, user

    def open(self, method: str, path: str, headers=None, **kwargs):
        return self._client.open(path, method=method,
                                 headers={"Authorization": f"Bearer {self.secret}", **(headers or {})}, **kwargs)

    def get(self, path, **kwargs):
        return self.open("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.open("POST", path, **kwargs)

    def patch(self, path, **kwargs):
        return self.open("PATCH", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.open("DELETE", path, **kwargs)


@pytest.fixture
def api_as(client, factory):
    """api_as('operator' | 'admin' | 'customer', customer=None, scopes=None) -> a TokenClient for a new user."""
    def make(role="operator", customer=None, scopes=None, **kwargs):
        user = factory.user(role, customer=customer)
        return TokenClient(client, create_token(user, scopes=scopes, **kwargs).secret, user)
    return make


@pytest.fixture
def staff_api(api_as):
    """An operator's token with every scope an operator may hold."""
    return api_as("operator")
