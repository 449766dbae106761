"""Contact points, preferences and quiet hours: the rules staff pages, customer pages and the CLI share.

`user` is the login acting (views pass current_user); None means the system itself (CLI, jobs, staff
tools that already chose the customer). A customer login only ever reaches its own customer's rows.
"""
import re
from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.auth.scope import may_see_customer
from app.common.emails import email_problem, normalise_email
from app.common.errors import ValidationError
from app.common.models import utcnow
from app.customers.models import Customer
from app.extensions import db
from app.notifications.events import CHANNEL_LABELS, CHANNELS, EMAIL, EVENTS, SMS
from app.notifications.models import ContactPoint, Preference, QuietHours
from app.notifications.sms.numbers import is_e164

PHONE_PUNCTUATION = re.compile(r"[\s().\-/]")
NO_CUSTOMER = "That customer does not exist."


def _check_customer(customer_id: int, user) -> None:
    """A customer the acting login may see, or the same refusal as a customer that does not exist."""
    if (user is not None and not may_see_customer(customer_id, user)) or db.session.get(Customer, customer_id) is None:
        raise ValidationError({"customer": NO_CUSTOMER})


def normalise_address(channel: str, address: str | None) -> str:
    """The stored form of an address: a lower-cased email, or a phone number in E.164."""
    if channel not in CHANNELS:
        raise ValidationError({"channel": "Choose email or sms."})
    text = (address or "").strip()
    if channel == EMAIL:
        problem = email_problem(text)
        if problem:
            raise ValidationError({"address": problem})
        return normalise_email(text)
    number = PHONE_PUNCTUATION.sub("", text)
    number = "+" + number[2:] if number.startswith("00") else number
    if not is_e164(number):
        raise ValidationError({"address": "Enter the phone number in international form: + then the country code "
                                          "and number, 8 to 15 digits, e.g. +44 20 7946 0958."})
    return number


def add_contact_point(customer_id: int, channel: str, address: str, label: str = "", user=None) -> tuple[ContactPoint, bool]:
    """Add (or find) an active contact point; returns it and whether it is new. Safe to repeat."""
    _check_customer(customer_id, user)
    address = normalise_address(channel, address)
    label = (label or "").strip()
    if len(label) > 100:
        raise ValidationError({"label": "Keep the label to 100 characters."})
    existing = _find(customer_id, channel, address)
    if existing is not None:
        return existing, False
    point = ContactPoint(customer_id=customer_id, channel=channel, address=address, label=label)
    db.session.add(point)
    try:
        db.session.commit()
    except IntegrityError:  # added at the same moment by another request: that one stands
        db.session.rollback()
        return _find(customer_id, channel, address), False
    return point, True


def _find(customer_id: int, channel: str, address: str) -> ContactPoint | None:
    return db.session.execute(select(ContactPoint).where(
        ContactPoint.customer_id == customer_id, ContactPoint.channel == channel,
        ContactPoint.address == address)).scalar_one_or_none()


def get_contact_point(point_id: int, user=None) -> ContactPoint:
    """A contact point the login may see, or a ValidationError that reads like a missing one."""
    point = db.session.get(ContactPoint, point_id)
    if point is None or (user is not None and not may_see_customer(point.customer_id, user)):
        raise ValidationError("That contact point does not exist.")
    return point


def set_contact_point_archived(point_id: int, archived: bool, user=None) -> ContactPoint:
    """Archive (no more deliveries, kept as history) or restore a contact point."""
    point = get_contact_point(point_id, user)
    point.archived_at = utcnow() if archived else None
    db.session.commit()
    return point


def set_sms_opt_out(number: str, opted_out: bool, reason: str) -> int:
    """STOP/START from a number: disable or re-enable its SMS contact points; returns how many changed."""
    points = ContactPoint.__table__.c
    if opted_out:
        target, values = points.disabled_at.is_(None), {"disabled_reason": reason, "disabled_at": utcnow()}
    else:
        target, values = points.disabled_at.is_not(None), {"disabled_reason": None, "disabled_at": None}
    changed = db.session.execute(update(ContactPoint.__table__).where(
        points.channel == SMS, points.address == number, target).values(**values)).rowcount
    db.session.commit()
    return changed


def disable_contact_point(point_id: int, reason: str) -> None:
    """A permanent failure: no more deliveries to this point until staff fix it (caller commits)."""
    db.session.execute(update(ContactPoint).where(ContactPoint.id == point_id, ContactPoint.disabled_at.is_(None))
                       .values(disabled_reason=reason[:300], disabled_at=utcnow()))


def preferences_of(customer_id: int) -> dict[tuple[str, str], bool]:
    """Every (event type, channel) with what the customer chose, or the declared default."""
    chosen = dict(((p.event_type, p.channel), p.enabled) for p in db.session.execute(
        select(Preference).where(Preference.customer_id == customer_id)).scalars())
    return {(name, channel): effective_choice(event, channel, chosen.get((name, channel)))
            for name, event in EVENTS.items() for channel in CHANNELS}


def effective_choice(event, channel: str, chosen: bool | None) -> bool:
    """A mandatory event stays on whatever a row says; otherwise the row, or the default without one."""
    if not event.may_turn_off(channel):
        return True
    return event.default(channel) if chosen is None else chosen


def set_preference(customer_id: int, event_type: str, channel: str, enabled: bool, user=None) -> None:
    """Turn one event on or off for one channel; mandatory events are refused with the reason."""
    _check_customer(customer_id, user)
    event = EVENTS.get(event_type)
    if event is None or channel not in CHANNELS:
        raise ValidationError({"event_type": "Choose one of the listed events and channels."})
    if not enabled and not event.may_turn_off(channel):
        raise ValidationError({"event_type": f"{event.label} by {CHANNEL_LABELS[channel]} is mandatory: "
                                             "it cannot be turned off."})
    row = db.session.get(Preference, (customer_id, event_type, channel))
    if row is None:
        db.session.add(Preference(customer_id=customer_id, event_type=event_type, channel=channel, enabled=enabled))
    else:
        row.enabled = enabled
    db.session.commit()


def time_zone_problem(name: str) -> str | None:
    """Why a time zone name cannot be used, or None (IANA names such as Europe/London)."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return f"{name!r} is not a time zone; use a name such as Europe/London or America/New_York."
    return None


def set_quiet_hours(customer_id: int, time_zone: str, starts: time | None, ends: time | None, user=None) -> None:
    """Set the customer's quiet window for SMS (starts > ends wraps midnight); None for both clears it."""
    _check_customer(customer_id, user)
    row = db.session.get(QuietHours, customer_id)
    if starts is None and ends is None:
        if row is not None:
            db.session.delete(row)
        db.session.commit()
        return
    time_zone = (time_zone or "").strip()
    errors = {}
    problem = time_zone_problem(time_zone) if time_zone else "Choose the customer's time zone."
    if problem:
        errors["time_zone"] = problem
    if starts is None or ends is None or starts == ends:
        errors["starts"] = "Give the quiet window a start and a different end, e.g. 21:00 to 08:00."
    if errors:
        raise ValidationError(errors)
    if row is None:
        db.session.add(QuietHours(customer_id=customer_id, time_zone=time_zone, starts=starts, ends=ends))
    else:
        row.time_zone, row.starts, row.ends = time_zone, starts, ends
    db.session.commit()
