"""flask contacts ... and flask notifications ... commands."""
import click
from flask.cli import AppGroup

from app.common.errors import ValidationError
from app.customers.services import find_customer_by_code
from app.notifications import services
from app.notifications.events import CHANNELS
from app.notifications.relay import relay_once

contacts_cli = AppGroup("contacts", help="Manage customers' contact points.")
notifications_cli = AppGroup("notifications", help="Run the notification relay.")


@contacts_cli.command("add")
@click.option("--customer", "code", required=True, help="The customer's code.")
@click.option("--channel", required=True, type=click.Choice(CHANNELS))
@click.option("--address", required=True, help="An email address, or a phone number in E.164.")
@click.option("--label", default="")
def add_contact_command(code, channel, address, label):
    """Add a contact point; an existing one is left unchanged (safe to re-run)."""
    customer = find_customer_by_code(code)
    if customer is None:
        raise click.ClickException(f"No customer has the code {code!r}.")
    try:
        point, created = services.add_contact_point(customer.id, channel, address, label)
    except ValidationError as error:
        raise click.ClickException(str(error)) from None
    verb = "Added" if created else "Already there, left unchanged:"
    click.echo(f"{verb} {point.channel} {point.address} for {customer.code}.")


@notifications_cli.command("relay")
def relay_command():
    """One relay pass: expand due outbox rows and retries into queued deliveries, enqueue them, exit."""
    click.echo(relay_once().summary())
