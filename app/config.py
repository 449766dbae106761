"""Settings read from the environment once, when the app is created."""
import os
import secrets

from app.notifications.settings import InvalidNotificationSetting, notification_settings

DEV_SECRET_PLACEHOLDER = "dev-insecure-secret-key"


def normalise_database_url(url: str) -> str:
    """Point PostgreSQL URLs at psycopg 3, the driver we ship (Heroku-style postgres:// included)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class ConfigError(RuntimeError):
    """Raised when the environment cannot start the app safely."""


def _positive(env, name: str, default: str, kind: type = float):
    """A number greater than 0 from the environment, typed like `kind`, or a ConfigError naming the variable."""
    try:
        value = kind(env.get(name, default))
    except ValueError:
        value = 0
    if not value > 0:
        raise ConfigError(f"{name} must be a {'positive number of seconds' if kind is float else 'whole number above 0'}")
    return value


def _seconds(env, name: str, default: str) -> float:
    """A positive number of seconds from the environment."""
    return _positive(env, name, default, float)


def _sync_settings(env) -> dict:
    """The sync's tunables, so a worker can be tuned from its environment."""
    return {
        # How long a lock (and a heartbeat) lives without renewal; a page plus its retries must fit.
        "SYNC_LOCK_TTL_SECONDS": _seconds(env, "SYNC_LOCK_TTL_SECONDS", "180"),
        "SYNC_PAGE_SIZE": _positive(env, "SYNC_PAGE_SIZE", "500", int),
        # Writer threads (PostgreSQL only), each with its own connection: pages are written while the
        # next ones are read, and this many at once; a first load is bound by the server's index work.
        "SYNC_WRITERS": _positive(env, "SYNC_WRITERS", "2", int),
        # At most this many unseen campaigns are checked one GET each before being marked deleted.
        "SYNC_VERIFY_BY_GET_LIMIT": _positive(env, "SYNC_VERIFY_BY_GET_LIMIT", "25", int),
        # Campaigns created on the platform this close to a pass's start may not be in its pages yet.
        "SYNC_RECENT_SECONDS": _seconds(env, "SYNC_RECENT_SECONDS", "120"),
        "SYNC_JOB_TIMEOUT_SECONDS": _positive(env, "SYNC_JOB_TIMEOUT_SECONDS", "3600", int),
    }


def _count(env, name: str, default: str) -> int:
    """A whole number of zero or more from the environment, or a ConfigError naming the variable."""
    raw = env.get(name, default)
    if not (raw.isascii() and raw.isdigit()):
        raise ConfigError(f"{name} must be a whole number of 0 or more, not {raw!r}")
    return int(raw)


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

    try:  # SMTP, SMS provider and public URL: checked here so a bad value stops the start
        notifications = notification_settings(env)
    except InvalidNotificationSetting as exc:
        raise ConfigError(str(exc)) from None
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
        # Failed sign-ins per window: per (account, client IP), and per client IP over all accounts.
        "LOGIN_FAILURE_LIMIT": _positive(env, "OMS_LOGIN_FAILURE_LIMIT", "10", int),
        "LOGIN_IP_FAILURE_LIMIT": _positive(env, "OMS_LOGIN_IP_FAILURE_LIMIT", "50", int),
        "LOGIN_FAILURE_WINDOW_SECONDS": _positive(env, "OMS_LOGIN_FAILURE_WINDOW", "300", int),
        # How many proxies in front of the app set X-Forwarded-*; 0 trusts none (clients connect directly).
        "TRUSTED_PROXY_HOPS": _count(env, "TRUSTED_PROXY_HOPS", "0"),
        "LIST_PAGE_SIZE": 25,
        "API_RATE_LIMIT": env.get("API_RATE_LIMIT", "600/minute"),  # per API token; Flask-Limiter's notation
        **_sync_settings(env),
        **notifications,
        # werkzeug's scrypt (32768:8:1, ~0.3 s a hash here) everywhere but tests, which hash hundreds of logins.
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1" if oms_env == "test" else "scrypt",
    }
