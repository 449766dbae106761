"""Quiet hours: whether a moment falls in a customer's quiet window, and when that window ends."""
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from app.notifications.models import QuietHours


def quiet_until(hours: QuietHours | None, now: datetime) -> datetime | None:
    """The UTC moment the window around `now` ends, or None when `now` is outside it (or no window)."""
    if hours is None:
        return None
    zone = ZoneInfo(hours.time_zone)
    local = now.astimezone(zone)
    clock = local.time().replace(tzinfo=None)
    wraps = hours.starts > hours.ends  # e.g. 21:00-08:00 spans midnight
    inside = (clock >= hours.starts or clock < hours.ends) if wraps else hours.starts <= clock < hours.ends
    if not inside:
        return None
    end_day = local.date() + timedelta(days=1) if wraps and clock >= hours.starts else local.date()
    # Built as a wall-clock time in the zone, so a DST change that night still ends at the local hour.
    end = datetime.combine(end_day, hours.ends, tzinfo=zone)
    return end.astimezone(timezone.utc)
