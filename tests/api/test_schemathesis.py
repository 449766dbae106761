"""The whole OpenAPI document, fuzzed through WSGI with a staff and a customer token: no 5xx, every answer as documented."""
import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from schemathesis.specs.openapi.checks import positive_data_acceptance

from app.auth.tokens import create_token

# Schema-valid is not always acceptable: an unknown cursor, a short line or a service rule is a documented 400/422.
NOT_CHECKED = [positive_data_acceptance]


@pytest.fixture
def api_schema(app, factory):
    """The app's own document, with a few rows for generated requests to find."""
    app.config["API_RATE_LIMIT"] = "100000/minute"  # fuzzing is not abuse
    customer = factory.customer()
    factory.deposit(customer, "500.00")
    item = factory.item(sku="FUZZ-1", stock=50)
    factory.order(customer, [(item, 1)])
    app.fuzz_tokens = [create_token(factory.user("operator")).secret,
                       create_token(factory.user("customer", customer=customer)).secret]
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_documented(case, app):
    for secret in app.fuzz_tokens:
        case.call_and_validate(headers={"Authorization": f"Bearer {secret}"}, excluded_checks=NOT_CHECKED)
