"""Small builders for roster problems and solutions in the tests (local times as text)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from veerkracht.planning.roster.check import CheckReport, check_solution
from veerkracht.planning.roster.model import (
    RosterProblem,
    RosterSolution,
    expected_demand_length,
)

START = date(2026, 3, 2)  # a Monday, before the spring-forward Sunday of 2026-03-29


def employee(emp_id: str = "a", **fields: Any) -> dict[str, Any]:
    """An employee available for the whole period unless told otherwise."""
    return {
        "id": emp_id,
        "skills": ["phone", "email"],
        "min_minutes_per_week": 0,
        "max_minutes_per_week": 60 * 60,
        **fields,
    }


def problem(
    *,
    start: date = START,
    days: int = 14,
    employees: Sequence[dict[str, Any]] | None = None,
    settings: dict[str, Any] | None = None,
    shift_rules: dict[str, Any] | None = None,
    demand: dict[str, list[int]] | None = None,
    **fields: Any,
) -> RosterProblem:
    """A problem over ``days`` days with zero demand and permissive shift rules."""
    n = expected_demand_length(start, days)
    emps = [dict(e) for e in (employees if employees is not None else [employee()])]
    whole = {
        "start": f"{start.isoformat()}T00:00",
        "end": f"{(start + timedelta(days=days)).isoformat()}T00:00",
    }
    for e in emps:
        e.setdefault("availability", [whole])
    data: dict[str, Any] = {
        "start": start.isoformat(),
        "days": days,
        "channels": ["phone", "email"],
        "demand": demand if demand is not None else {"phone": [0] * n, "email": [0] * n},
        "shift_rules": shift_rules
        or {"min_minutes": 60, "max_minutes": 24 * 60, "start_step_minutes": 15},
        "employees": emps,
        "settings": settings or {},
        **fields,
    }
    return RosterProblem.model_validate(data)


def shift(
    start: str,
    end: str,
    *breaks: tuple[str, str],
    employee: str = "a",
    **fields: Any,
) -> dict[str, Any]:
    """A shift ``start``-``end`` (local ISO) with pauses as local ISO or ``HH:MM``.

    An ``HH:MM`` pause is on the start's day, or on the next day when it is before the start
    time (a pause in a night shift).
    """
    day = date.fromisoformat(start[:10])
    begin = start[11:16]

    def full(t: str) -> str:
        if "T" in t:
            return t
        return f"{(day + timedelta(days=1) if t < begin else day).isoformat()}T{t}"

    return {
        "employee": employee,
        "start": start,
        "end": end,
        "breaks": [{"start": full(a), "end": full(b)} for a, b in breaks],
        **fields,
    }


def solution(*shifts: dict[str, Any], **fields: Any) -> RosterSolution:
    return RosterSolution.model_validate({"status": "feasible", "shifts": list(shifts), **fields})


def check(prob: RosterProblem, *shifts: dict[str, Any]) -> CheckReport:
    return check_solution(prob, solution(*shifts))


def errors(report: CheckReport) -> list[str]:
    """Rule ids of the errors, in report order."""
    return [v.rule for v in report.errors]


def warnings(report: CheckReport) -> list[str]:
    return [v.rule for v in report.warnings]


def daily(
    first: date,
    days: int,
    begin: str,
    end: str,
    *breaks: tuple[str, str],
    skip: Sequence[int] = (),
    employee: str = "a",
) -> list[dict[str, Any]]:
    """The same shift on ``days`` consecutive days from ``first``, except weekdays in ``skip``.

    ``end`` before ``begin`` means the next day (nights); pauses are ``HH:MM`` and fall on
    the start day unless they are before ``begin``.
    """
    out = []
    for i in range(days):
        day = first + timedelta(days=i)
        if day.weekday() in skip:
            continue
        nxt = day + timedelta(days=1)
        end_day = nxt if end <= begin else day
        pauses = [
            (
                f"{(nxt if a < begin else day).isoformat()}T{a}",
                f"{(nxt if b <= begin else day).isoformat()}T{b}",
            )
            for a, b in breaks
        ]
        out.append(
            shift(
                f"{day.isoformat()}T{begin}",
                f"{end_day.isoformat()}T{end}",
                *pauses,
                employee=employee,
            )
        )
    return out


def previous(shifts: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Shifts as ``previous_shifts`` of an employee (without the employee field)."""
    return [{k: v for k, v in s.items() if k != "employee"} for s in shifts]
