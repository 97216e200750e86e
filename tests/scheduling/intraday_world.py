"""A small intraday day for the intraday tests: a finished forecast for Tuesday 3 June 2025
(phone and e-mail, 08:00–20:00), helpers for actuals, agents, availability and shifts."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

from tests.conftest import World, make_employee
from veerkracht.people.models import Employee
from veerkracht.planning.calendar import TZ, local_grid
from veerkracht.scheduling import shifts as shift_services
from veerkracht.scheduling.models import ContactVolume, Forecast
from veerkracht.scheduling.models_availability import AvailabilityPattern
from veerkracht.scheduling.models_roster import Shift, ShiftSource, ShiftState
from veerkracht.scheduling.roster_build import local_iso

DAY = date(2025, 6, 3)  # a Tuesday
NOW = datetime(2025, 6, 3, 12, 7, tzinfo=TZ)
OPEN_FROM, OPEN_UNTIL = 8, 20


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hour, minute), TZ)


def open_starts(day: date = DAY) -> list[int]:
    grid = local_grid(day, 1)
    lo, hi = at(OPEN_FROM, day=day).timestamp(), at(OPEN_UNTIL, day=day).timestamp()
    return [int(t) for t in grid.start_utc_s if lo <= t < hi]


def make_forecast(world: World, *, phone: float = 2.0, email: float = 1.0) -> Forecast:
    starts = open_starts()

    def series(value: float) -> dict[str, object]:
        values = [value] * len(starts)
        return {
            "start": starts,
            "contacts": values,
            "lower": [0] * len(starts),
            "upper": [int(value * 2)] * len(starts),
            "unadjusted": values,
            "daily": {"contacts": [sum(values)], "lower": [0], "upper": [0], "unadjusted": [0]},
        }

    return Forecast.objects.create(
        organisation=world.org,
        horizon_days=1,
        channels=["phone", "email"],
        status="succeeded",
        finished_at=NOW - timedelta(days=1),
        first_day=DAY,
        last_day=DAY,
        result={
            "method": "test",
            "days": [DAY.isoformat()],
            "channels": {"phone": series(phone), "email": series(email)},
        },
    )


def store_actuals(world: World, channel: str, value: float, until: datetime = NOW) -> None:
    for t in open_starts():
        if t + 900 <= until.timestamp():
            ContactVolume.objects.create(
                organisation=world.org,
                channel=channel,
                start=datetime.fromtimestamp(t, UTC),
                contacts=value,
            )


def agent(world: World, name: str, channels: tuple[str, ...]) -> Employee:
    return make_employee(
        world.org,
        f"{name.lower()}@example.nl",
        first=name,
        last="Test",
        team=world.team_a,
        channels=channels,
    )


def available(employee: Employee, start: int = 8, end: int = 22, weekday: int = 1) -> None:
    AvailabilityPattern.objects.create(
        employee=employee, weekday=weekday, start=time(start), end=time(end)
    )


def published_shift(employee: Employee, start: datetime, end: datetime, channel: str) -> Shift:
    breaks = shift_services.break_for(start, end)
    return Shift.objects.create(
        organisation=employee.organisation,
        employee=employee,
        start=start,
        end=end,
        breaks=breaks,
        assignments=shift_services.assignments_for(start, end, breaks, channel),
        state=ShiftState.PUBLISHED,
        source=ShiftSource.MANUAL,
        published_at=timezone.now(),
    )


__all__ = [
    "DAY",
    "NOW",
    "agent",
    "at",
    "available",
    "local_iso",
    "make_forecast",
    "published_shift",
    "store_actuals",
]
