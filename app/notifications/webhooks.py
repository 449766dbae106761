"""Endpoints the outside calls: the SMS provider's status and inbound webhooks, and one-click unsubscribe.

None has a session or CSRF token to show; each proves itself instead: the provider's signature over
the URL it called (OMS_PUBLIC_URL + path), or our own signed unsubscribe token.
"""
from flask import Blueprint, abort, current_app, request
from sqlalchemy import select

from app.auth.access import access
from app.extensions import csrf, db
from app.notifications.content import read_unsubscribe_token
from app.notifications.events import ANNOUNCEMENT, SMS
from app.notifications.lifecycle import move_forward
from app.notifications.models import BOUNCED, DELIVERED, FAILED, SENT, Delivery
from app.notifications.services import set_preference, set_sms_opt_out
from app.notifications.sms.numbers import opt_change
from app.notifications.sms.signature import verify_signature

bp = Blueprint("webhooks", __name__)
STATUS_PATH = "/webhooks/sms/status"
INBOUND_PATH = "/webhooks/sms/inbound"
PROVIDER_STATUSES = {"sent": SENT, "delivered": DELIVERED, "undelivered": BOUNCED, "failed": FAILED}


def provider_status(status: str) -> str | None:
    """Our delivery status for the provider's message status, or None for one we do not track (queued)."""
    return PROVIDER_STATUSES.get(status)


def _signed_by_provider() -> None:
    """403 unless X-Twilio-Signature matches the URL the provider called and every parameter sent."""
    url = current_app.config["OMS_PUBLIC_URL"] + request.path
    if request.query_string:
        url += "?" + request.query_string.decode("latin-1")
    if not verify_signature(url, request.form, request.headers.get("X-Twilio-Signature"),
                            current_app.config["SMS_AUTH_TOKEN"]):
        abort(403)


@bp.post(STATUS_PATH)
@csrf.exempt
@access("public")
def sms_status():
    """A status callback: moves the message's delivery forward only; late or repeated ones change nothing."""
    _signed_by_provider()
    status = provider_status(request.form.get("MessageStatus", ""))
    delivery_id = db.session.execute(select(Delivery.id).where(
        Delivery.provider_id == request.form.get("MessageSid", ""), Delivery.channel == SMS)).scalar()
    if delivery_id is None:
        # The callback can overtake the worker recording the sid: not 2xx, so the provider sends it again.
        return "", 404
    if status:
        move_forward(delivery_id, status)
    return "", 200


@bp.post(INBOUND_PATH)
@csrf.exempt
@access("public")
def sms_inbound():
    """A reply: STOP-type words opt the number out of SMS, START/UNSTOP opt it back in."""
    _signed_by_provider()
    change = opt_change(request.form.get("Body", ""))
    if change:
        word = request.form["Body"].strip().upper()
        set_sms_opt_out(request.form.get("From", ""), change == "out", f"the recipient replied {word}")
    return "", 200


@bp.post("/notifications/unsubscribe/<token>")
@csrf.exempt
@access("public")
def unsubscribe(token: str):
    """RFC 8058 one-click unsubscribe: turns announcements off for the channel the signed token names."""
    signed = read_unsubscribe_token(token)
    if signed is None:
        abort(404)
    customer_id, channel = signed
    set_preference(customer_id, ANNOUNCEMENT, channel, False)
    return "You will no longer receive announcements on this channel.\n", 200, {"Content-Type": "text/plain"}
