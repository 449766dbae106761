"""flask platforms connect: create or update a customer's platform connection (safe to re-run)."""
import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.common.errors import ValidationError
from app.customers.services import find_customer_by_code
from app.extensions import db
from app.platforms.models import Platform
from app.platforms.services import find_connection, find_platform, save_connection

platforms_cli = AppGroup("platforms", help="Manage ad platform connections.")


@platforms_cli.command("connect")
@click.option("--customer", "customer_code", required=True, help="Customer code, e.g. ACME.")
@click.option("--platform", "platform_slug", required=True, help="Platform slug, e.g. megaphone.")
@click.option("--org", required=True, help="The customer's organization id on the platform.")
@click.option("--token", required=True, help="API token for that organization (stored, never printed).")
@click.option("--interval", type=int, default=None, help="Minutes between scheduled syncs (default 60, or unchanged).")
def connect_command(customer_code, platform_slug, org, token, interval):
    """Connect a customer to a platform; re-running updates the connection in place."""
    customer = find_customer_by_code(customer_code)
    if customer is None:
        raise click.ClickException(f"No customer has the code {customer_code!r}.")
    platform = find_platform(platform_slug.strip().lower())
    if platform is None:
        known = ", ".join(db.session.execute(select(Platform.slug).order_by(Platform.slug)).scalars())
        raise click.ClickException(f"Unknown platform {platform_slug!r}; choose one of: {known}.")
    existing = find_connection(customer.id, platform.id)
    if interval is None:
        interval = existing.sync_interval_minutes if existing else 60
    enabled = existing.sync_enabled if existing else True
    try:
        save_connection(customer, platform, org, token, interval, enabled, existing=existing)
    except ValidationError as error:
        raise click.ClickException(" ".join(error.errors.values())) from None
    verb = "Updated the connection of" if existing else "Connected"
    click.echo(f"{verb} {customer.code} to {platform.name} (organization {org.strip()}, "
               f"sync every {interval} minutes{'' if enabled else ', scheduled sync off'}).")
