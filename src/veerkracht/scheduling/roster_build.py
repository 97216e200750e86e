"""From the database to the roster format and back.

Everything that turns people, availability, the forecast and stored shifts into a
`veerkracht.planning.roster` problem or solution lives here, so the roster run, the review page,
hand edits, swaps and intraday extra hours all check against the same rules.

* `build_problem(period)`: the problem of a roster period (demand from the latest finished
  forecast's staffing, the organisation's agents with their availability, preferences and
  contracts, published and fixed shifts as fixed shifts).
* `shift_payload(shift)`: a stored `Shift` as a roster-format shift (local ISO times).
* `check_shifts(period, shifts)`: the independent rule checker over stored shifts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet, prefetch_related_objects

from veerkracht.people.models import Employee, Organisation, Role
from veerkracht.planning.calendar import TZ, local_grid
from veerkracht.planning.roster.check import CheckReport, check_solution
from veerkracht.planning.roster.model import (
    RosterProblem,
    RosterShift,
    RosterSolution,
    SolutionStatus,
)

from .availability import PeriodInput, input_windows, period_inputs, period_windows
from .models import Forecast
from .models_availability import EmployeePreferences, RosterPeriod
from .models_roster import Shift, ShiftState

__all__ = [
    "DEFAULT_SHIFT_RULES",
    "MIN_CONTRACT_SHARE",
    "PeriodProblem",
    "build_problem",
    "check_shifts",
    "demand_for",
    "age_on",
    "employee_key",
    "local_iso",
    "parse_local",
    "period_bounds",
    "period_shifts",
    "rosterable_employees",
    "shift_payload",
    "shift_rules_of",
    "snapshot_windows",
]

# Shift shapes when the planner has not set any for a period: 4 to 9 hours, starting on the
# quarter hour between 07:00 and 22:00 (a contact center's opening hours; nights are not
# rostered by the solver, see docs/roster-solver.md).
DEFAULT_SHIFT_RULES: dict[str, Any] = {
    "min_minutes": 240,
    "max_minutes": 540,
    "start_step_minutes": 15,
    "earliest_start": "07:00",
    "latest_end": "22:00",
}

# An agent is rostered for at least this share of their contract hours in a full week, where
# their availability allows (never more than 60 % of the hours they are available that week).
MIN_CONTRACT_SHARE = 0.75


def local_iso(moment: datetime) -> str:
    """An aware datetime as a local Europe/Amsterdam ISO string with minutes (roster format)."""
    return moment.astimezone(TZ).isoformat(timespec="minutes")


def parse_local(text: str) -> datetime:
    """A roster-format local ISO datetime (with offset) as an aware datetime."""
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=TZ)
    return value


def period_bounds(period: RosterPeriod) -> tuple[datetime, datetime]:
    """Local midnight of the first day and of the day after the last day."""
    first = datetime.combine(period.start, datetime.min.time(), TZ)
    last = datetime.combine(period.start + timedelta(days=period.days), datetime.min.time(), TZ)
    return first, last


def employee_key(employee: Employee | int) -> str:
    """Employees appear in the roster format by their primary key as a string."""
    return str(employee if isinstance(employee, int) else employee.pk)


def shift_rules_of(period: RosterPeriod) -> dict[str, Any]:
    return {**DEFAULT_SHIFT_RULES, **(period.shift_rules or {})}


def shift_payload(shift: Shift) -> dict[str, Any]:
    """A stored shift in the roster format (`WorkShift` fields)."""
    return {
        "start": local_iso(shift.start),
        "end": local_iso(shift.end),
        "breaks": [dict(b) for b in shift.breaks or []],
        "assignments": [dict(a) for a in shift.assignments or []],
    }


def rosterable_employees(organisation: Organisation) -> QuerySet[Employee]:
    """Active agents of the organisation (the people a roster run plans)."""
    return (
        Employee.objects.filter(organisation=organisation, is_active=True, roles__role=Role.AGENT)
        .exclude(channels=[])
        .distinct()
        .order_by("pk")
    )


def period_shifts(
    period: RosterPeriod, states: Iterable[str] = (ShiftState.DRAFT, ShiftState.PUBLISHED)
) -> QuerySet[Shift]:
    return (
        Shift.objects.filter(period=period, state__in=list(states))
        .select_related("employee")
        .order_by("employee_id", "start")
    )


# --- Demand -------------------------------------------------------------------------------------


@dataclass
class DemandInfo:
    demand: dict[str, list[int]]
    forecast: Forecast | None
    days_without_forecast: list[date] = field(default_factory=list)


def demand_for(
    period: RosterPeriod, forecast: Forecast | None, channels: Sequence[str]
) -> DemandInfo:
    """Agents needed per channel per local 15-minute interval of the period.

    The staffing page's "scheduled" figure (required agents with shrinkage, from the service
    targets) of the forecast; intervals the forecast does not reach need nobody and their days
    are listed, so the planner sees it.
    """
    from .selectors import staffing_plans

    grid = local_grid(period.start, period.days)
    n = len(grid.start_utc_s)
    demand = {c: [0] * n for c in channels}
    if forecast is None:
        return DemandInfo(demand, None, list(grid.days))
    plans = staffing_plans(forecast, channels)
    index = {int(t): i for i, t in enumerate(grid.start_utc_s)}
    for channel, plan in plans.items():
        values = demand[channel]
        for t, agents in zip(
            plan.start_utc_s.tolist(), plan.scheduled_agents.tolist(), strict=True
        ):
            i = index.get(int(t))
            if i is not None:
                values[i] = int(agents)
    first, last = forecast.first_day, forecast.last_day
    missing = [d for d in grid.days if first is None or last is None or d < first or d > last]
    return DemandInfo(demand, forecast, missing)


# --- Employees ----------------------------------------------------------------------------------


def snapshot_windows(employee: Employee, period: RosterPeriod) -> list[tuple[datetime, datetime]]:
    """The availability the planner rosters with: after the deadline, the windows as submitted
    (later edits of the weekly pattern do not count for a closed period); before it, or without
    a submission, the current pattern and exceptions (availability.period_inputs)."""
    return period_windows(employee, period)


def _preferences(data: PeriodInput, live: EmployeePreferences | None) -> dict[str, Any]:
    """The snapshot's preferences after the deadline, else the current ones."""
    if data.preferences is not None:
        return data.preferences
    return {
        "preferred_channels": list(live.preferred_channels) if live else [],
        "unpreferred_channels": list(live.unpreferred_channels) if live else [],
        "wished_minutes_per_week": live.wished_minutes_per_week if live else None,
    }


def age_on(employee: Employee, day: date) -> int | None:
    """Age in whole years on `day` (None without a birthday): for the under-18 rules."""
    born = employee.birthday
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _minimum(
    contract_min: int, windows: Sequence[tuple[datetime, datetime]], period: RosterPeriod
) -> int:
    """Contract share, limited by what the availability of the leanest full week allows."""
    weekly = []
    for w in range(period.days // 7):
        lo = datetime.combine(period.start + timedelta(days=7 * w), datetime.min.time(), TZ)
        hi = lo + timedelta(days=7)
        minutes = sum(max(0.0, (min(e, hi) - max(s, lo)).total_seconds() / 60) for s, e in windows)
        weekly.append(minutes)
    available = min(weekly) if weekly else 0.0
    value = min(MIN_CONTRACT_SHARE * contract_min, 0.6 * available)
    return int(value // 15 * 15)


def employee_input(
    employee: Employee,
    period: RosterPeriod,
    *,
    data: PeriodInput,
    live_preferences: EmployeePreferences | None,
    fixed: Sequence[Shift] = (),
    previous: Sequence[Shift] = (),
) -> dict[str, Any]:
    """One employee in the roster format; `data` from availability.period_inputs."""
    windows = input_windows(data, period)
    first, last = period_bounds(period)
    prefs = _preferences(data, live_preferences)
    contract = int(employee.contract_hours * 60)
    wished = prefs.get("wished_minutes_per_week")
    maximum = max(contract, wished or 0)
    data: dict[str, Any] = {
        "id": employee_key(employee),
        "skills": list(employee.channels),
        "availability": [
            {"start": local_iso(max(s, first)), "end": local_iso(min(e, last))}
            for s, e in windows
            if min(e, last) > max(s, first)
        ],
        "min_minutes_per_week": min(_minimum(contract, windows, period), maximum),
        "max_minutes_per_week": maximum,
        "preferred_channels": [
            c for c in prefs.get("preferred_channels", []) if c in employee.channels
        ],
        "unpreferred_channels": [
            c for c in prefs.get("unpreferred_channels", []) if c in employee.channels
        ],
        "fixed_shifts": [shift_payload(s) for s in fixed],
        "previous_shifts": [shift_payload(s) for s in previous],
    }
    if wished is not None:
        data["wished_minutes_per_week"] = wished
    age = age_on(employee, period.start)
    if age is not None:
        data["age"] = age
    return data


@dataclass
class PeriodProblem:
    problem: RosterProblem
    forecast: Forecast | None
    days_without_forecast: list[date]
    employees: dict[str, Employee]


def build_problem(
    period: RosterPeriod,
    *,
    forecast: Forecast | None = None,
    keep: Iterable[Shift] | None = None,
    employees: Iterable[Employee] | None = None,
) -> PeriodProblem:
    """The roster problem of a period.

    `keep`: the shifts to hold fixed (default: published shifts and draft shifts marked fixed).
    Published shifts of the week before the period count for rest rules across its start.
    """
    from .selectors import latest_finished_forecast

    org = period.organisation
    forecast = forecast or latest_finished_forecast(org)
    people = list(employees if employees is not None else rosterable_employees(org))
    prefetch_related_objects(people, "availability_patterns")
    inputs = period_inputs(people, period)
    live_preferences = {
        p.employee_id: p for p in EmployeePreferences.objects.filter(employee__in=people)
    }
    channels = sorted({c for e in people for c in e.channels}) or ["phone"]
    info = demand_for(period, forecast, channels)
    if keep is None:
        keep = period_shifts(period).filter(Q(state=ShiftState.PUBLISHED) | Q(fixed=True))
    fixed: dict[int, list[Shift]] = {}
    for s in keep:
        fixed.setdefault(s.employee_id, []).append(s)
    first, _last = period_bounds(period)
    previous: dict[int, list[Shift]] = {}
    for s in Shift.objects.filter(
        employee__in=people,
        state=ShiftState.PUBLISHED,
        end__gt=first - timedelta(days=7),
        start__lt=first,
    ).order_by("start"):
        previous.setdefault(s.employee_id, []).append(s)
    problem = RosterProblem.model_validate(
        {
            "start": period.start.isoformat(),
            "days": period.days,
            "channels": channels,
            "demand": info.demand,
            "shift_rules": shift_rules_of(period),
            "employees": [
                employee_input(
                    e,
                    period,
                    data=inputs[e.pk],
                    live_preferences=live_preferences.get(e.pk),
                    fixed=fixed.get(e.pk, ()),
                    previous=previous.get(e.pk, ()),
                )
                for e in people
            ],
        }
    )
    return PeriodProblem(
        problem=problem,
        forecast=info.forecast,
        days_without_forecast=info.days_without_forecast,
        employees={employee_key(e): e for e in people},
    )


def solution_of(shifts: Iterable[Shift]) -> RosterSolution:
    return RosterSolution(
        status=SolutionStatus.FEASIBLE,
        shifts=[
            RosterShift(employee=employee_key(s.employee_id), **shift_payload(s)) for s in shifts
        ],
    )


def check_shifts(
    period: RosterPeriod,
    shifts: Sequence[Shift] | None = None,
    *,
    problem: PeriodProblem | None = None,
) -> tuple[CheckReport, PeriodProblem]:
    """Check stored shifts of a period (default: all its draft and published shifts) against the
    working-time law, availability, skills, contracts; coverage against the forecast demand.

    The problem is built with no fixed shifts: the shifts under check are the solution."""
    shifts = list(shifts if shifts is not None else period_shifts(period))
    problem = problem or build_problem(period, keep=[])
    known = set(problem.employees)
    # Shifts of people who left the roster (inactive, no agent role) are still checked for the
    # law against nothing else; the checker needs them in the problem, so they are skipped here
    # and reported by the caller.
    own = [s for s in shifts if employee_key(s.employee_id) in known]
    report = check_solution(problem.problem, solution_of(own))
    return report, problem
