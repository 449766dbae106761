"""flask sync run [--customer CODE] [--wait]: sync from scripts or cron-less setups."""
import click
from flask.cli import AppGroup
from redis.exceptions import RedisError

from app.common.errors import ValidationError
from app.sync import services
from app.sync.models import SyncRun

sync_cli = AppGroup("sync", help="Sync campaigns from the ad platforms.")


def describe(run: SyncRun) -> str:
    """One line with a run's outcome and counts (and a second with its error, if any)."""
    line = (f"Run #{run.id} {run.customer.code}/{run.connection.platform.slug}: {run.status} — "
            f"{run.pages} page(s), {run.inserted} inserted, {run.updated} updated, {run.unchanged} unchanged, "
            f"{run.skipped_invalid} invalid skipped, {run.marked_deleted} marked deleted")
    return f"{line}\n  {run.error}" if run.error else line


@sync_cli.command("run")
@click.option("--customer", "customer_code", default=None, help="Only this customer's connection(s).")
@click.option("--wait", is_flag=True, help="Sync in this process and print the counts; exit 1 if a run failed.")
def run_command(customer_code, wait):
    """Queue a sync of every enabled connection (or one customer's); --wait runs it here and now."""
    try:
        connections = services.connections_to_sync(customer_code)
        if not connections:
            raise ValidationError("No enabled platform connection to sync; add one with `flask platforms connect`.")
        unsuccessful = 0
        for connection in connections:
            if wait:
                run = services.sync_connection(connection.id, "cli")
                unsuccessful += run.status != "succeeded"
                click.echo(describe(run))
            else:
                run = services.request_sync(connection.id, "cli")
                unsuccessful += run.status == "failed"  # could not be queued: its error says why
                note = {"queued": "a worker on the sync queue runs it", "failed": run.error}.get(run.status, run.status)
                click.echo(f"Run #{run.id} {connection.customer.code}/{connection.platform.slug}: {note}.")
    except ValidationError as error:
        raise click.ClickException(str(error)) from None
    except RedisError as error:
        raise click.ClickException(f"Redis (REDIS_URL) did not answer: {error}") from None
    if unsuccessful:
        raise click.exceptions.Exit(1)
