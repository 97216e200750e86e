"""Shared set-up for the swap tests: a frozen Monday, availability and published shifts.

Time is frozen at Monday 2 March 2026, 08:00 in Amsterdam; the shifts are in the week after
(Monday 9 March onwards), so they are in the future and nothing expires by itself.
"""

from __future__ import annotations

from datetime import datetime, time

from tests.conftest import World
from veerkracht.people.models import Employee
from veerkracht.planning.calendar import TZ
from veerkracht.scheduling.models_availability import AvailabilityPattern
from veerkracht.scheduling.models_roster import Shift, ShiftState
from veerkracht.scheduling.shifts import assignments_for, break_for

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


def with_a_shift_to_offer(world: World) -> World:
    """Everyone reads English, Alice and Bob are available every day, and Alice has a published
    shift on Tuesday 10 March 07:00-15:00 (`world.shift`) to offer."""
    Employee.objects.update(language="en")
    available(world.agent)
    available(world.colleague)
    world.shift = published(world.agent, at(10, 7), at(10, 15))  # type: ignore[attr-defined]
    return world
