"""flask customers ... commands."""
import click
from flask.cli import AppGroup

from app.common.errors import ValidationError
from app.customers import services

customers_cli = AppGroup("customers", help="Manage customers.")


@customers_cli.command("create")
@click.option("--code", required=True)
@click.option("--name", required=True)
@click.option("--email", default=None)
@click.option("--phone", default=None)
def create_customer_command(code, name, email, phone):
    """Create a customer; an existing code is left unchanged (safe to re-run)."""
    existing = services.find_customer_by_code(code)
    if existing:
        click.echo(f"Customer {existing.code} already exists; left unchanged.")
        return
    try:
        customer = services.create_customer(code, name, email, phone)
    except ValidationError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created customer {customer.code} ({customer.name}).")
