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


@users_cli.command("bootstrap-admin")
@click.option("--email", envvar="OMS_ADMIN_EMAIL", default="", help="Default: $OMS_ADMIN_EMAIL.")
@click.option("--password", envvar="OMS_ADMIN_PASSWORD", default="", help="Default: $OMS_ADMIN_PASSWORD.")
def bootstrap_admin_command(email, password):
    """Create the first admin from the environment, once: does nothing when an active admin exists."""
    from sqlalchemy import select

    from app.auth.models import User
    from app.extensions import db

    admin = db.session.execute(select(User.email).where(User.role == "admin", User.active.is_(True)).limit(1)).scalar()
    if admin is not None:
        click.echo(f"An active admin exists ({admin}); nothing to do.")
        return
    if not email or not password:
        # Not an error: deployments that create the admin by hand must still start.
        click.echo("No admin yet: set OMS_ADMIN_EMAIL and OMS_ADMIN_PASSWORD and run this again, "
                   "or use `flask --app wsgi users create --role admin ...`.")
        return
    try:
        user = services.create_user(email, password, "admin", name="Administrator")
    except ValidationError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created the first admin {user.email}.")
