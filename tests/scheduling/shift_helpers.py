"""Published shifts for the shift tests, made directly (as the roster review would publish them)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from veerkracht.people.models import Employee
from veerkracht.planning.calendar import TZ
from veerkracht.scheduling import shifts
from veerkracht.scheduling.models_roster import Shift, ShiftChange, ShiftChangeKind, ShiftState


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), TZ)


def iso(moment: datetime) -> str:
    return moment.astimezone(TZ).isoformat(timespec="minutes")


def published_shift(
    employee: Employee,
    day: date,
    start: tuple[int, int] = (9, 0),
    end: tuple[int, int] = (17, 30),
    *,
    channels: tuple[str, ...] = ("phone",),
    pause: tuple[tuple[int, int], tuple[int, int]] | None = ((13, 0), (13, 30)),
    explanation: str = "",
    state: str = ShiftState.PUBLISHED,
) -> Shift:
    """A shift with an optional pause; the work before the pause on channels[0], after it on
    channels[-1]."""
    s, e = at(day, *start), at(day, *end)
    breaks, assignments = [], []
    if pause:
        p0, p1 = at(day, *pause[0]), at(day, *pause[1])
        breaks = [{"start": iso(p0), "end": iso(p1)}]
        assignments = [
            {"start": iso(s), "end": iso(p0), "channel": channels[0]},
            {"start": iso(p1), "end": iso(e), "channel": channels[-1]},
        ]
    else:
        assignments = [{"start": iso(s), "end": iso(e), "channel": channels[0]}]
    return Shift.objects.create(
        organisation=employee.organisation,
        employee=employee,
        start=s,
        end=e,
        breaks=breaks,
        assignments=assignments,
        state=state,
        explanation=explanation,
        published_at=timezone.now() - timedelta(days=1) if state == ShiftState.PUBLISHED else None,
    )


def added_notice(employee: Employee, shift: Shift, by: Employee | None = None) -> ShiftChange:
    """The notice that `shift` was added to `employee`'s roster (by `by`, or by the planning)."""
    return shifts.record_change(
        employee=employee,
        shift=shift,
        kind=ShiftChangeKind.ADDED,
        before=None,
        after=shifts.shift_snapshot(shift),
        by=by.user if by else None,
    )
