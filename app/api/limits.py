"""Rate limits per API token (Flask-Limiter on Redis): a 429 problem with Retry-After and RateLimit-* headers."""
from flask import current_app, g
from flask_limiter import HeaderNames, Limiter
from limits import parse_many

from app.api.auth import token_rate_key
from app.api.problems import is_api_request
from app.config import ConfigError

# The IETF draft's names (draft-ietf-httpapi-ratelimit-headers), not the X- ones.
HEADER_NAMES = {HeaderNames.LIMIT: "RateLimit-Limit", HeaderNames.REMAINING: "RateLimit-Remaining",
                HeaderNames.RESET: "RateLimit-Reset", HeaderNames.RETRY_AFTER: "Retry-After"}


def _not_a_token_request() -> bool:
    # Pages have their own throttles; a request refused for its token (401) never reached a budget.
    return not is_api_request() or g.get("api_token") is None


def init_rate_limits(app) -> Limiter:
    """Count each token's requests in Redis (shared by every web process), API_RATE_LIMIT per token."""
    try:
        parse_many(app.config["API_RATE_LIMIT"])
    except ValueError:
        raise ConfigError(f"API_RATE_LIMIT {app.config['API_RATE_LIMIT']!r} is not a rate such as 600/minute") from None
    return Limiter(
        token_rate_key, app=app, storage_uri=app.config["REDIS_URL"],
        default_limits=[lambda: current_app.config["API_RATE_LIMIT"]],
        default_limits_exempt_when=_not_a_token_request,
        headers_enabled=True, header_name_mapping=HEADER_NAMES,
        swallow_errors=True,  # Redis down: serve the request uncounted rather than fail it
        key_prefix="oms:api:rate",
    )
