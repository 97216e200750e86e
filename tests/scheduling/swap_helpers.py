"""Shared set-up for the swap tests: a frozen Monday, availability and published shifts.

Time is frozen at Monday 2 March 2026, 08:00 in Amsterdam; the shifts are in the week after
(Monday 9 March onwards), so they are in the future and nothing expires by itself.
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from veerkracht.people.models import Employee
from veerkracht.scheduling.models_availability import AvailabilityPattern
from veerkracht.scheduling.models_roster import Shift, ShiftState
from veerkracht.scheduling.shifts import assignments_for, break_for

TZ = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=TZ)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A local time in March 2026 (9 = Monday of the week after NOW)."""
    return datetime(2026, 3, day, hour, minute, tzinfo=TZ)


def available(employee: Employee, *, start: time = time(6), end: time = time(23, 45)) -> None:
    """Every weekday and weekend day from `start` to `end`."""
    for weekday in range(7):
        AvailabilityPattern.objects.create(employee=employee, weekday=weekday, start=start, end=end)


def published(employee: Employee, start: datetime, end: datetime, channel: str = "phone") -> Shift:
    breaks = break_for(start, end)
    return Shift.objects.create(
        organisation=employee.organisation,
        employee=employee,
        start=start,
        end=end,
        breaks=breaks,
        assignments=assignments_for(start, end, breaks, channel),
        state=ShiftState.PUBLISHED,
        published_at=NOW,
    )
