"""Per-token rate limits: a 429 problem with Retry-After and RateLimit-* headers; each token has its own budget."""


def test_a_token_past_its_limit_gets_a_clear_429(app, api_as):
    app.config["API_RATE_LIMIT"] = "3/minute"
    busy, other = api_as("operator"), api_as("operator")
    answers = [busy.get("/api/v1/items") for _ in range(4)]
    assert [r.status_code for r in answers] == [200, 200, 200, 429]
    assert answers[0].headers["RateLimit-Limit"] == "3" and answers[0].headers["RateLimit-Remaining"] == "2"
    refused = answers[-1]
    assert refused.mimetype == "application/problem+json" and refused.json["status"] == 429
    assert int(refused.headers["Retry-After"]) > 0 and "RateLimit-Reset" in refused.headers
    assert other.get("/api/v1/items").status_code == 200  # per token, not per address
    assert app.test_client().get("/login").status_code == 200  # pages are not counted


def test_a_bad_rate_setting_stops_the_start(test_settings):
    import pytest

    from app import create_app
    from app.config import ConfigError

    with pytest.raises(ConfigError, match="API_RATE_LIMIT"):
        create_app({**test_settings, "API_RATE_LIMIT": "lots"})
