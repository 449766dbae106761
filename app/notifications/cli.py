"""flask contacts ... and flask notifications ... commands."""
import time

import click
from flask.cli import AppGroup

from app.common.errors import ValidationError
from app.customers.services import find_customer_by_code
from app.extensions import db
from app.notifications import services
from app.notifications.announcements import announcement_counts, create_announcement, is_finished
from app.notifications.events import CHANNELS
from app.notifications.relay import relay_once

contacts_cli = AppGroup("contacts", help="Manage customers' contact points.")
notifications_cli = AppGroup("notifications", help="Run the notification relay.")
announcements_cli = AppGroup("announcements", help="Send announcements to every client.")


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


@announcements_cli.command("send")
@click.option("--subject", required=True)
@click.option("--body", required=True, help="The email's text.")
@click.option("--sms", "sms_text", default=None, help="The SMS text (no SMS without it).")
@click.option("--wait", is_flag=True, help="Wait until every delivery has an outcome; exit 1 if any failed.")
@click.option("--timeout", default=600, show_default=True, help="Seconds --wait waits at most.")
def send_announcement_command(subject, body, sms_text, wait, timeout):
    """Send an announcement to every active client on the channels their preferences allow."""
    try:
        announcement_id = create_announcement(subject, body, sms_text)
    except ValidationError as error:
        raise click.ClickException(str(error)) from None
    relay_once()  # fan out now rather than at the scheduler's next pass
    click.echo(f"Announcement {announcement_id} sent to the relay.")
    if not wait:
        return
    deadline = time.monotonic() + timeout
    # Relay passes too: they are idempotent, and pick up retries without waiting for the scheduler.
    while not is_finished(announcement_id, counts := announcement_counts(announcement_id)):
        if time.monotonic() > deadline:
            raise click.ClickException(f"Not finished after {timeout} s: {_counts_line(counts)}")
        time.sleep(1)
        db.session.rollback()  # a fresh snapshot for the next look
        relay_once()
    click.echo(_counts_line(counts))
    if counts_failed(counts):
        raise click.exceptions.Exit(1)


def counts_failed(counts) -> int:
    """How many deliveries failed or bounced."""
    return sum(n for (_, status), n in counts.items() if status in ("failed", "bounced"))


def _counts_line(counts) -> str:
    by_channel = {}
    for (channel, status), n in sorted(counts.items()):
        by_channel.setdefault(channel, []).append(f"{status} {n}")
    return "; ".join(f"{channel}: {', '.join(parts)}" for channel, parts in by_channel.items()) or "no deliveries"
