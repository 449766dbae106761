"""/api/v1/sync/runs: start syncs (202 and the runs to poll) and follow one run, through the sync services."""
from flask import abort, url_for
from marshmallow import Schema, fields

from app.api.auth import api_access
from app.api.blueprints import api_blueprint
from app.api.schemas import UtcDateTime
from app.api.etags import with_etag
from app.auth.access import can
from app.auth.scope import get_scoped_or_404
from app.common.errors import ValidationError
from app.customers.models import Customer
from app.platforms.models import PlatformConnection
from app.sync import services
from app.sync.models import SyncRun

blp = api_blueprint("api_sync", "/sync/runs", "Platform syncs: start them and follow their progress (staff).")
TRIGGER = "manual"  # a person or their scheduler asked for it now, as with the Sync now button


class RunSchema(Schema):
    id = fields.Integer()
    connection_id = fields.Integer()
    customer_id = fields.Integer()
    trigger = fields.String()
    status = fields.String(metadata={"description": "queued, running, succeeded or failed."})
    pages = fields.Integer()
    inserted = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    skipped_invalid = fields.Integer()
    marked_deleted = fields.Integer()
    error = fields.String(allow_none=True)
    started_at = UtcDateTime(allow_none=True)
    finished_at = UtcDateTime(allow_none=True)
    updated_at = UtcDateTime()


class SyncRequest(Schema):
    connection_id = fields.Integer(metadata={"description": "Sync this connection."})
    customer_id = fields.Integer(metadata={"description": "Sync every connection of this customer."})


def _staff_only():
    if not can("sync.runs"):
        abort(403, description="Only staff run and follow syncs.")


def _connections(data: dict) -> list[int]:
    if data.get("connection_id") is not None and data.get("customer_id") is not None:
        raise ValidationError({"connection_id": "Give a connection or a customer, not both."})
    if data.get("connection_id") is not None:
        return [get_scoped_or_404(PlatformConnection, data["connection_id"]).id]
    if data.get("customer_id") is not None:
        customer = get_scoped_or_404(Customer, data["customer_id"], customer_id_column=Customer.id)
        return [c.id for c in services.connections_to_sync(customer.code)]
    return [c.id for c in services.connections_to_sync()]


@blp.route("", methods=["POST"], endpoint="start")
@blp.arguments(SyncRequest)
@blp.response(202, RunSchema(many=True))
@api_access("sync:run")
def start_syncs(data):
    """Queue a sync of a connection, a customer's connections, or every enabled one (body {}): 202 and the runs."""
    _staff_only()
    connection_ids = _connections(data)
    if not connection_ids:
        raise ValidationError("No enabled connection to sync; add one under Connections.")
    runs = [services.request_sync(connection_id, TRIGGER) for connection_id in connection_ids]
    return runs, 202, {"Location": url_for("api_sync.get", run_id=runs[0].id)}


@blp.route("/<int:run_id>", methods=["GET"], endpoint="get")
@blp.response(200, RunSchema)
@api_access("read")
def get_run(run_id: int):
    """One run: its status and counts (poll it until it succeeded or failed)."""
    _staff_only()
    return with_etag(get_scoped_or_404(SyncRun, run_id))
