"""Sync pages: the runs list, a run's self-refreshing status, and the Sync now / Sync all buttons."""
from flask import Blueprint, flash, redirect, url_for

from app.auth.access import access
from app.auth.scope import get_scoped_or_404
from app.common.errors import ValidationError
from app.common.htmx import render_page_or_fragment, wants_fragment
from app.common.views import render_list
from app.platforms.models import PlatformConnection
from app.platforms.services import all_connections
from app.sync import services
from app.sync.listing import runs_list_spec
from app.sync.models import SyncRun
from app.sync.runs import active_run

bp = Blueprint("sync", __name__, url_prefix="/sync")


@bp.get("/runs")
@access("staff")
def runs():
    """Sync runs list, with each connection's Sync now button above it."""
    connections = [] if wants_fragment() else all_connections()
    return render_list(runs_list_spec(), "sync/runs.html", "sync/_runs_list.html", connections=connections)


@bp.get("/runs/<int:run_id>")
@access("staff")
def run(run_id: int):
    """One run; its status fragment polls this URL until the run ends."""
    sync_run = get_scoped_or_404(SyncRun, run_id)
    return render_page_or_fragment("sync/run.html", "sync/_run_status.html", run=sync_run)


@bp.post("/connections/<int:connection_id>/run")
@access("staff")
def sync_connection(connection_id: int):
    """Sync now: queue a sync of one connection (or show the one under way) and go to its page."""
    connection = get_scoped_or_404(PlatformConnection, connection_id)
    already = active_run(connection.id)
    try:
        sync_run = services.request_sync(connection.id, "manual")
    except ValidationError as error:
        flash(str(error), "error")
        return redirect(url_for("sync.runs"), code=303)
    if already is not None and already.id == sync_run.id:
        flash(f"A sync of {connection.customer.code} is already under way (run #{sync_run.id}).", "success")
    return redirect(url_for("sync.run", run_id=sync_run.id), code=303)


@bp.post("/run-all")
@access("staff")
def sync_all():
    """Sync all: queue a sync of every enabled connection, and say which could not be queued (Redis down)."""
    started, failed = services.request_all_syncs("manual")
    if started:
        flash(f"Sync started for {len(started)} connection(s): runs {', '.join(f'#{r.id}' for r in started)}.", "success")
    if failed:
        flash(f"{len(failed)} connection(s) not synced (runs {', '.join(f'#{r.id}' for r in failed)}): "
              f"{failed[0].error}", "error")
    if not started and not failed:
        flash("No enabled connection to sync; add one under Connections.", "error")
    return redirect(url_for("sync.runs"), code=303)
