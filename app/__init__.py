"""OMS application factory: it only wires configuration, extensions, blueprints and commands."""
import os

from flask import Flask

from app.common.logs import init_logging, init_request_logging
from app.config import load_config
from app.extensions import csrf, db, login_manager, migrate

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The factory imports the domains inside its functions: this file runs on every `import app.…`, so
# the platform simulator (app.platforms.megaphone.simulator) would otherwise load every blueprint.


def create_app(config: dict | None = None) -> Flask:
    """Build an app from the environment, with `config` overriding any setting (tests use this)."""
    app = Flask(
        __name__,
        instance_path=os.path.join(ROOT, "instance"),
        template_folder=os.path.join(ROOT, "templates"),
        static_folder=os.path.join(ROOT, "static"),
    )
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(load_config(instance_path=app.instance_path))
    app.config.from_mapping(config or {})
    init_logging(app.config["LOG_LEVEL"])
    from app.common.ids import IdConverter

    app.url_map.converters["int"] = IdConverter  # before any route: every <int:...> gets the id bound

    _init_extensions(app)
    from app.security import init_security_headers, trust_proxies

    trust_proxies(app)
    init_security_headers(app)
    _register_blueprints(app)
    _register_cli(app)
    from app.errors import register_error_handlers

    register_error_handlers(app)
    from app.templating import register_template_helpers

    register_template_helpers(app)
    return app


def _init_extensions(app: Flask) -> None:
    from app import models  # noqa: F401  (every model registered before migrations compare)
    from app.auth.access import enforce_access
    from app.auth.session import init_login
    from app.redis_client import init_redis

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(ROOT, "migrations"),
                     render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    init_login(login_manager)
    init_redis(app)
    from app.common.guards import refuse_nul_bytes

    app.before_request(refuse_nul_bytes)
    app.before_request(enforce_access)
    init_request_logging(app)  # after the others: it puts its request id first


def _register_blueprints(app: Flask) -> None:
    from app.admin import api_tokens, connections  # noqa: F401  (add their pages to the admin blueprint)
    from app.admin.views import bp as admin_bp
    from app.auth.views import bp as auth_bp
    from app.balances.views import bp as balances_bp
    from app.campaigns.views import bp as campaigns_bp
    from app.customers.views import bp as customers_bp
    from app.inventory.views import bp as inventory_bp
    from app.main.views import bp as main_bp
    from app.notifications.webhooks import bp as webhooks_bp
    from app.orders.views import bp as orders_bp
    from app.sync.views import bp as sync_bp

    for blueprint in (main_bp, auth_bp, customers_bp, admin_bp, campaigns_bp, sync_bp,
                      inventory_bp, orders_bp, balances_bp, webhooks_bp):
        app.register_blueprint(blueprint)
    from app.api import init_api

    init_api(app)
    # Browsers ask for /favicon.ico on every first visit: serve it as the static file it is (public, cached).
    app.add_url_rule("/favicon.ico", "static", app.view_functions["static"], defaults={"filename": "favicon.ico"})


def _register_cli(app: Flask) -> None:
    from app.auth.cli import users_cli
    from app.auth.token_cli import api_tokens_cli
    from app.customers.cli import customers_cli
    from app.demo import seed_cli
    from app.notifications.cli import announcements_cli, contacts_cli, notifications_cli
    from app.platforms.cli import platforms_cli
    from app.sync.cli import sync_cli

    for group in (users_cli, customers_cli, seed_cli, platforms_cli, sync_cli, contacts_cli, notifications_cli,
                  announcements_cli, api_tokens_cli):
        app.cli.add_command(group)
