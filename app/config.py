"""Settings read from the environment once, when the app is created."""
import os
import secrets

DEV_SECRET_PLACEHOLDER = "dev-insecure-secret-key"


def normalise_database_url(url: str) -> str:
    """Point PostgreSQL URLs at psycopg 3, the driver we ship (Heroku-style postgres:// included)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class ConfigError(RuntimeError):
    """Raised when the environment cannot start the app safely."""


def _seconds(env, name: str, default: str) -> float:
    """A positive number of seconds from the environment, or a ConfigError naming the variable."""
    try:
        value = float(env.get(name, default))
    except ValueError:
        value = 0.0
    if not value > 0:
        raise ConfigError(f"{name} must be a positive number of seconds")
    return value


def _engine_options(env) -> dict:
    """PgBouncer in transaction mode hands each transaction to any server connection, where psycopg's
    prepared statements would not exist: DATABASE_BEHIND_PGBOUNCER=1 turns them off."""
    options = {"pool_pre_ping": True}
    if env.get("DATABASE_BEHIND_PGBOUNCER", "").strip().lower() in ("1", "true", "yes"):
        options["connect_args"] = {"prepare_threshold": None}
    return options


def load_config(env: dict | None = None, instance_path: str = "instance") -> dict:
    """Build the Flask config mapping from environment variables."""
    env = os.environ if env is None else env
    oms_env = env.get("OMS_ENV", "development")
    if oms_env not in ("development", "production", "test"):
        raise ConfigError(f"OMS_ENV must be development, production or test, not {oms_env!r}")
    production = oms_env == "production"

    secret_key = env.get("SECRET_KEY", "")
    if production and (len(secret_key) < 32 or secret_key == DEV_SECRET_PLACEHOLDER):
        raise ConfigError("SECRET_KEY must be set to a random string of at least 32 characters in production")
    if not secret_key:
        # Development and tests: a per-process key is safe; sessions just don't survive restarts.
        secret_key = DEV_SECRET_PLACEHOLDER if oms_env == "development" else secrets.token_hex(32)

    log_level = env.get("LOG_LEVEL", "INFO").strip().upper()
    if log_level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise ConfigError(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {log_level!r}")

    default_db = "sqlite:///" + os.path.join(os.path.abspath(instance_path), "oms.sqlite3")
    return {
        "OMS_ENV": oms_env,
        "LOG_LEVEL": log_level,
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(env.get("DATABASE_URL") or default_db),
        "SQLALCHEMY_ENGINE_OPTIONS": _engine_options(env),
        "REDIS_URL": env.get("REDIS_URL", "redis://localhost:6379/0"),
        "MEGAPHONE_BASE_URL": env.get("MEGAPHONE_BASE_URL", "http://127.0.0.1:5055/api"),
        # Platform client limits in seconds (tests shorten them to reach the slow-platform paths fast).
        "MEGAPHONE_CONNECT_TIMEOUT": _seconds(env, "MEGAPHONE_CONNECT_TIMEOUT", "3.05"),
        "MEGAPHONE_READ_TIMEOUT": _seconds(env, "MEGAPHONE_READ_TIMEOUT", "10"),
        "MEGAPHONE_MAX_RETRY_SECONDS": _seconds(env, "MEGAPHONE_MAX_RETRY_SECONDS", "60"),
        "TESTING": oms_env == "test",
        # Cookies: HttpOnly and SameSite=Lax always, Secure whenever we serve over HTTPS (production).
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_DURATION": 14 * 24 * 3600,
        "REMEMBER_COOKIE_REFRESH_EACH_REQUEST": False,
        "PERMANENT_SESSION_LIFETIME": 12 * 3600,
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session, so long forms don't expire
        "LOGIN_FAILURE_LIMIT": int(env.get("OMS_LOGIN_FAILURE_LIMIT", "10")),
        "LOGIN_FAILURE_WINDOW_SECONDS": int(env.get("OMS_LOGIN_FAILURE_WINDOW", "300")),
        "LIST_PAGE_SIZE": 25,
    }
