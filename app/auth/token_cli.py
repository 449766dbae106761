"""flask api-tokens ... commands."""
import click
from flask.cli import AppGroup

from app.auth import tokens
from app.auth.services import find_user_by_email
from app.common.errors import ValidationError

api_tokens_cli = AppGroup("api-tokens", help="Manage JSON API tokens.")


@api_tokens_cli.command("create")
@click.option("--email", required=True)
@click.option("--scopes", default=None, help="Comma-separated; default: everything the user's role may do.")
@click.option("--expires-days", default=tokens.DEFAULT_EXPIRY_DAYS, show_default=True)
@click.option("--name", default="", help="What the token is for.")
def create_command(email, scopes, expires_days, name):
    """Create a token; the token itself is printed once, as the last line."""
    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"no user with email {email!r}")
    try:
        issued = tokens.create_token(user, name=name, scopes=scopes, expires_days=expires_days)
    except ValidationError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created token {issued.token.prefix} for {user.email} "
               f"(scopes {issued.token.scopes}; expires {issued.token.expires_at:%Y-%m-%d}). It is shown only now:")
    click.echo(issued.secret)


@api_tokens_cli.command("revoke")
@click.option("--prefix", required=True)
def revoke_command(prefix):
    """Revoke a token by its visible prefix."""
    try:
        token = tokens.revoke_token(prefix)
    except ValidationError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Revoked token {token.prefix}.")
