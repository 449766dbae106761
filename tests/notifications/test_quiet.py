"""The quiet window: inside or not, and when it ends, in the customer's own time zone."""
from datetime import datetime, time, timezone

import pytest

from app.notifications.models import QuietHours
from app.notifications.quiet import quiet_until

NIGHT = QuietHours(time_zone="America/New_York", starts=time(21), ends=time(8))
LUNCH = QuietHours(time_zone="Europe/London", starts=time(12), ends=time(13, 30))


def utc(*parts):
    return datetime(*parts, tzinfo=timezone.utc)


@pytest.mark.parametrize("hours, now, until", [
    (NIGHT, utc(2026, 7, 1, 2, 0), utc(2026, 7, 1, 12, 0)),   # 22:00 in New York (EDT): until 08:00 next day
    (NIGHT, utc(2026, 7, 1, 11, 0), utc(2026, 7, 1, 12, 0)),  # 07:00: the same morning
    (NIGHT, utc(2026, 7, 1, 12, 0), None),                    # 08:00 sharp: the window is over
    (NIGHT, utc(2026, 1, 15, 2, 0), utc(2026, 1, 15, 13, 0)),  # winter (EST): 08:00 is 13:00 UTC
    (LUNCH, utc(2026, 1, 15, 12, 15), utc(2026, 1, 15, 13, 30)),
    (LUNCH, utc(2026, 1, 15, 14, 0), None),
    (None, utc(2026, 1, 15, 2, 0), None),
])
def test_quiet_until(hours, now, until):
    assert quiet_until(hours, now) == until
