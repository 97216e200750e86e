"""Shared set-up for the roster run tests: a one-week period with weekday availability for the
world's three agents and a small phone demand, solved in a second or two."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from tests.conftest import World
from veerkracht.planning.calendar import TZ
from veerkracht.scheduling import roster_runs
from veerkracht.scheduling.models_availability import AvailabilityPattern, RosterPeriod
from veerkracht.scheduling.models_roster import RosterRun, Shift, ShiftSource, ShiftState

RUN_SECONDS = 2


def monday_in(days: int) -> date:
    day = timezone.localdate() + timedelta(days=days)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def make_period(world: World, *, start: date | None = None, weeks: int = 1) -> RosterPeriod:
    start = start or monday_in(35)
    for employee in (world.agent, world.colleague, world.agent_b):
        for weekday in range(5):
            AvailabilityPattern.objects.get_or_create(
                employee=employee, weekday=weekday, start=time(8), end=time(17)
            )
    return RosterPeriod.objects.create(
        organisation=world.org,
        start=start,
        weeks=weeks,
        deadline=timezone.now() - timedelta(days=1),
        created_by=world.planner.user,
    )


def phone_demand(run: RosterRun, agents: int = 1) -> None:
    """`agents` on the phone 09:00–17:00 on weekdays, nothing else."""
    problem = run.problem
    start = date.fromisoformat(problem["start"])
    values = []
    for day in range(problem["days"]):
        d = start + timedelta(days=day)
        for q in range(96):
            busy = d.weekday() < 5 and 36 <= q < 68
            values.append(agents if busy else 0)
    n = len(next(iter(problem["demand"].values())))
    assert n == len(values), "no DST day in these test periods"
    problem["demand"] = {c: (values if c == "phone" else [0] * n) for c in problem["channels"]}
    RosterRun.objects.filter(pk=run.pk).update(problem=problem, time_limit_s=RUN_SECONDS)
    run.refresh_from_db()


def solved_run(world: World, period: RosterPeriod, *, agents: int = 1) -> RosterRun:
    run = roster_runs.start_roster_run(period=period, by=world.planner.user, time_limit_s=10)
    phone_demand(run, agents)
    roster_runs.compute_roster_run(run_id=run.pk)
    run.refresh_from_db()
    return run


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), TZ)


def draft_shift(
    world: World, period: RosterPeriod, employee: Any, day: date, start: int, end: int, **extra: Any
) -> Shift:
    """A stored shift without a pause (short) on one channel, made directly for set-ups."""
    s, e = at(day, start), at(day, end)
    iso = {"start": s.isoformat(timespec="minutes"), "end": e.isoformat(timespec="minutes")}
    return Shift.objects.create(
        organisation=world.org,
        period=period,
        employee=employee,
        start=s,
        end=e,
        assignments=[{**iso, "channel": "phone"}],
        state=extra.pop("state", ShiftState.DRAFT),
        source=extra.pop("source", ShiftSource.MANUAL),
        **extra,
    )
