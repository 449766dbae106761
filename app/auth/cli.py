"""flask users ... commands."""
import click
from flask.cli import AppGroup

from app.auth import services
from app.common.errors import ValidationError
from app.customers.services import find_customer_by_code

users_cli = AppGroup("users", help="Manage logins.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--password", required=True)
@click.option("--role", required=True, type=click.Choice(["admin", "operator", "customer"]))
@click.option("--customer", "customer_code", default=None, help="Customer code, for customer logins.")
@click.option("--name", default="")
def create_user_command(email, password, role, customer_code, name):
    """Create a login; an existing email is left unchanged (safe to re-run)."""
    if services.find_user_by_email(email):
        click.echo(f"User {email.strip().lower()} already exists; left unchanged.")
        return
    customer = None
    if customer_code:
        customer = find_customer_by_code(customer_code)
        if customer is None:
            raise click.ClickException(f"no customer with code {customer_code!r}")
    try:
        user = services.create_user(email, password, role, name=name, customer=customer)
    except ValidationError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created {user.role} {user.email}.")
