"""The independent roster checker: does a solution keep every rule of its problem?

:func:`check_solution` recomputes everything from the shifts themselves and trusts none of
the solver's own figures.  It checks

* structure: known employees, shifts inside the period, pauses inside their shift
  (``SOL-*``), no overlapping shifts of one employee (``SHF-01``);
* availability (``AVL-01``) and skills (``SKL-01``): shifts only inside the employee's
  availability, assignments only to trained channels;
* assignments (``ASG-*``): inside their shift, not in a pause, one channel at a time;
* the planner's shift rules (``SR-01`` length, ``SR-02`` start time, ``SR-03`` earliest
  start, ``SR-04`` latest end) for shifts that are not fixed;
* fixed shifts kept (``FIX-01``);
* the contract: work per week between ``min_minutes_per_week`` (pro rata for weeks partly
  outside the period) and ``max_minutes_per_week`` (``CON-01``, ``CON-02``);
* the Dutch working-time rules of :mod:`veerkracht.planning.roster.rules` (``ATW-*``,
  ``NA-*``, ``JW-*``);
* coverage recomputed from the assignments and compared with the solution's
  ``under_coverage``, ``over_coverage`` and ``coverage`` when given (``COV-01..03``);
* publication at least ``publish_days_ahead`` days before the period (``PUB-01``, a warning).

Availability and shift rules do not apply to fixed shifts (the planner placed them by hand
or they were published); the working-time rules apply to every shift.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field, JsonValue

from veerkracht.planning.calendar import INTERVAL_S, TZ
from veerkracht.planning.roster.model import (
    Employee,
    RosterProblem,
    RosterShift,
    RosterSolution,
    WorkShift,
    clock_minutes,
    gc_paused,
)
from veerkracht.planning.roster.rules import (
    LocalClock,
    RuleViolation,
    ShiftTimes,
    check_working_time,
    format_minutes,
    segment_duties,
    work_minutes_per_week,
)

__all__ = ["ChannelCoverage", "CheckReport", "Violation", "check_solution"]

_INTERVAL_MIN = INTERVAL_S // 60
_WEEK_MIN = 7 * 1440


class Violation(BaseModel):
    """One finding of the checker.

    Attributes
    ----------
    rule : str
        Rule id (``"ATW-05"``, ``"AVL-01"``, ...).
    severity : {"error", "warning"}
        Errors make the roster invalid; warnings ask for attention.
    employee : str or None
        Employee id, when the finding is about one employee.
    start, end : datetime or None
        The time window concerned (local time).
    message : str
        English text.
    params : dict
        The values in the message, for translation (durations in minutes).
    paths : list of str
        Where in the solution or problem, e.g. ``shifts[3].assignments[1]``.
    """

    rule: str
    severity: Literal["error", "warning"] = "error"
    employee: str | None = None
    start: datetime | None = None
    end: datetime | None = None
    message: str
    params: dict[str, JsonValue] = Field(default_factory=dict)
    paths: list[str] = Field(default_factory=list)

    def format(self) -> str:
        """One readable line."""
        parts = [f"{self.severity:<7}", f"{self.rule:<7}"]
        if self.employee is not None:
            parts.append(self.employee)
        if self.start is not None and self.end is not None:
            parts.append(_window_text(self.start, self.end))
        parts.append(self.message)
        if self.paths:
            parts.append(f"[{', '.join(self.paths[:4])}{', ...' if len(self.paths) > 4 else ''}]")
        return "  ".join(parts)


class ChannelCoverage(BaseModel):
    """Coverage of one channel over the period, in agent-intervals (agents x 15 minutes)."""

    demand: int
    assigned: int
    under: int
    over: int
    under_pct: float = Field(description="under-coverage as a percentage of demand")


class CheckReport(BaseModel):
    """What :func:`check_solution` found, and the coverage it recomputed."""

    violations: list[Violation] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    employees_checked: int = 0
    shifts_checked: int = 0
    coverage: dict[str, list[int]] = Field(default_factory=dict)
    under_coverage: dict[str, list[int]] = Field(default_factory=dict)
    over_coverage: dict[str, list[int]] = Field(default_factory=dict)
    channels: dict[str, ChannelCoverage] = Field(default_factory=dict)

    @property
    def errors(self) -> list[Violation]:
        """Findings that make the roster invalid."""
        return [v for v in self.violations if v.severity == "error"]

    @property
    def warnings(self) -> list[Violation]:
        """Findings that only ask for attention."""
        return [v for v in self.violations if v.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings allowed)."""
        return not self.errors

    def summary(self) -> str:
        """``"3 violations, 1 warning"`` or ``"no violations"``."""
        n_err, n_warn = len(self.errors), len(self.warnings)
        head = _count(n_err, "violation") if n_err else "no violations"
        if n_warn:
            head += f", {_count(n_warn, 'warning')}"
        return head

    def format_text(self, *, limit: int | None = None) -> str:
        """The report as readable lines: summary, findings (errors first), notes, coverage."""
        ordered = self.errors + self.warnings
        shown = ordered if limit is None else ordered[:limit]
        lines = [
            f"{self.summary()} ({_count(self.employees_checked, 'employee')}, "
            f"{_count(self.shifts_checked, 'shift')} checked)"
        ]
        lines += [v.format() for v in shown]
        if len(shown) < len(ordered):
            lines.append(f"... and {len(ordered) - len(shown)} more (use --format json for all)")
        for channel, cov in self.channels.items():
            lines.append(
                f"coverage {channel}: demand {cov.demand}, assigned {cov.assigned}, under "
                f"{cov.under} ({cov.under_pct:.1f}%), over {cov.over} agent-intervals"
            )
        lines += [f"note: {note}" for note in self.notes]
        return "\n".join(lines)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def _window_text(start: datetime, end: datetime) -> str:
    start, end = start.astimezone(TZ), end.astimezone(TZ)
    if start.date() == end.date():
        return f"{start:%a %Y-%m-%d %H:%M}-{end:%H:%M}"
    return f"{start:%a %Y-%m-%d %H:%M} - {end:%a %Y-%m-%d %H:%M}"


def _min(moment: datetime) -> int:
    """UTC epoch minutes of an aware datetime."""
    return int(moment.timestamp()) // 60


def _local(t_min: int) -> datetime:
    return datetime.fromtimestamp(t_min * 60, TZ)


def _merge(windows: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(windows):
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _uncovered(
    a: int, b: int, merged: list[tuple[int, int]], starts: list[int]
) -> list[tuple[int, int]]:
    """Parts of ``[a, b)`` outside the merged windows."""
    gaps = []
    i = max(bisect.bisect_right(starts, a) - 1, 0)
    cursor = a
    while cursor < b:
        if i < len(merged) and merged[i][1] <= cursor:
            i += 1
            continue
        if i >= len(merged) or merged[i][0] >= b:
            gaps.append((cursor, b))
            break
        w0, w1 = merged[i]
        if w0 > cursor:
            gaps.append((cursor, w0))
        cursor = max(cursor, w1)
        i += 1
    return gaps


class _Report:
    def __init__(self) -> None:
        self.items: list[Violation] = []

    def add(
        self,
        rule: str,
        message: str,
        *,
        employee: str | None = None,
        window: tuple[int, int] | None = None,
        paths: Sequence[str] = (),
        severity: Literal["error", "warning"] = "error",
        **params: JsonValue,
    ) -> None:
        self.items.append(
            Violation(
                rule=rule,
                severity=severity,
                employee=employee,
                start=_local(window[0]) if window else None,
                end=_local(window[1]) if window else None,
                message=message,
                params=params,
                paths=list(paths),
            )
        )

    def add_rule(self, v: RuleViolation) -> None:
        self.items.append(
            Violation(
                rule=v.rule,
                severity=v.severity,
                employee=v.employee,
                start=_local(v.start_min),
                end=_local(v.end_min),
                message=v.message,
                params=dict(v.params),
                paths=list(v.refs),
            )
        )


@dataclass(slots=True)
class _Shift:
    """A solution shift with its times converted once to UTC epoch minutes."""

    index: int
    shift: RosterShift
    start: int
    end: int
    breaks: list[tuple[int, int, int]]  # (start, end, index), sorted
    assignments: list[tuple[int, int, str, int]]  # (start, end, channel, index)

    path: str  # shifts[index]

    def times(self) -> ShiftTimes:
        return ShiftTimes(
            start_min=self.start,
            end_min=self.end,
            breaks=tuple((b0, b1) for b0, b1, _ in self.breaks),
            ref=self.path,
            shortening_reason=self.shift.rest_shortening_reason,
        )


class _Minutes:
    """Memoised UTC epoch minutes of the datetimes of one check.

    Validation hands out one datetime object per distinct time text, so the cache is keyed by
    object identity (hashing an aware datetime is slower than converting it); the object is
    kept alive by the cache so that its identity cannot be reused during the check.
    """

    def __init__(self) -> None:
        self.by_id: dict[int, int] = {}
        self._keep: list[datetime] = []

    def convert(self, moment: datetime) -> int:
        value = self.by_id[id(moment)] = int(moment.timestamp()) // 60
        self._keep.append(moment)
        return value


def _prepare(index: int, shift: RosterShift, minutes: _Minutes) -> _Shift:
    # ``get(id(x)) or convert(x)``: a cache hit costs two C calls (no epoch minute is 0 here).
    get, convert = minutes.by_id.get, minutes.convert
    return _Shift(
        index=index,
        shift=shift,
        path=f"shifts[{index}]",
        start=get(id(shift.start)) or convert(shift.start),
        end=get(id(shift.end)) or convert(shift.end),
        breaks=sorted(
            (get(id(b.start)) or convert(b.start), get(id(b.end)) or convert(b.end), j)
            for j, b in enumerate(shift.breaks)
        ),
        assignments=[
            (get(id(a.start)) or convert(a.start), get(id(a.end)) or convert(a.end), a.channel, j)
            for j, a in enumerate(shift.assignments)
        ],
    )


def _shift_times(shift: WorkShift, ref: str) -> ShiftTimes:
    return ShiftTimes(
        start_min=_min(shift.start),
        end_min=_min(shift.end),
        breaks=tuple((_min(b.start), _min(b.end)) for b in shift.breaks),
        ref=ref,
        shortening_reason=shift.rest_shortening_reason,
    )


def check_solution(problem: RosterProblem, solution: RosterSolution) -> CheckReport:
    """Check a roster against its problem: every hard rule, the law and the coverage figures.

    Parameters
    ----------
    problem : RosterProblem
        The problem the roster was made for.
    solution : RosterSolution
        The roster.

    Returns
    -------
    CheckReport
        Violations (errors and warnings) ordered by employee, then time, notes, and the
        coverage recomputed from the assignments.
    """
    with gc_paused():
        return _check_solution(problem, solution)


def _check_solution(problem: RosterProblem, solution: RosterSolution) -> CheckReport:
    report = _Report()
    settings = problem.settings
    p0, p1 = _min(problem.period_start), _min(problem.period_end)
    employees = {e.id: (k, e) for k, e in enumerate(problem.employees)}
    minutes = _Minutes()
    shifts = [_prepare(i, s, minutes) for i, s in enumerate(solution.shifts)]
    previous = {
        e.id: [
            _shift_times(s, f"employees[{k}].previous_shifts[{j}]")
            for j, s in enumerate(e.previous_shifts)
        ]
        for k, e in enumerate(problem.employees)
    }
    lo = min([p0, *(t.start_min for ts in previous.values() for t in ts)])
    hi = max([p1, *(s.end for s in shifts)])
    clock = LocalClock.covering(min(lo, p0 - 16 * _WEEK_MIN), hi)

    by_employee: dict[str, list[_Shift]] = defaultdict(list)
    assignment_rows = _structure(report, problem, shifts, employees, clock, by_employee, (p0, p1))

    # --- per employee: overlaps, one channel at a time, fixed shifts, contract, the law ----
    week_starts = clock.week_starts(settings.week_start_day)
    youth_count = 0
    for k, emp in enumerate(problem.employees):
        own = sorted(by_employee.get(emp.id, []), key=lambda s: (s.start, s.end))
        _overlaps(report, emp.id, own)
        _fixed(report, emp, k, own)
        times = previous[emp.id] + [s.times() for s in own]
        duties = segment_duties(times, settings, clock)
        youth = emp.is_youth(settings)
        youth_count += youth
        for v in check_working_time(
            times,
            employee=emp.id,
            settings=settings,
            period=(p0, p1),
            clock=clock,
            duties=duties,
            youth=youth,
            weekly_rest_rule=emp.weekly_rest_rule,
            school_minutes_per_week=emp.school_minutes_per_week if youth else 0,
            sunday_work_allowed=emp.sunday_work_allowed,
        ):
            report.add_rule(v)
        _contract(report, emp, work_minutes_per_week(duties, week_starts), week_starts, (p0, p1))

    # --- coverage ---------------------------------------------------------------------------
    n = problem.n_intervals
    assigned = np.zeros((len(problem.channels), n + 1), dtype=np.int64)
    if assignment_rows:
        rows = np.array(assignment_rows, dtype=np.int64)
        np.add.at(assigned, (rows[:, 0], rows[:, 1]), 1)
        np.add.at(assigned, (rows[:, 0], rows[:, 2]), -1)
    assigned = np.cumsum(assigned, axis=1)[:, :n]
    coverage: dict[str, list[int]] = {}
    under: dict[str, list[int]] = {}
    over: dict[str, list[int]] = {}
    figures: dict[str, ChannelCoverage] = {}
    for c, name in enumerate(problem.channels):
        demand = np.asarray(problem.demand.get(name, [0] * n), dtype=np.int64)
        got = assigned[c]
        short = np.maximum(demand - got, 0)
        extra = np.maximum(got - demand, 0)
        coverage[name], under[name], over[name] = got.tolist(), short.tolist(), extra.tolist()
        total = int(demand.sum())
        figures[name] = ChannelCoverage(
            demand=total,
            assigned=int(got.sum()),
            under=int(short.sum()),
            over=int(extra.sum()),
            under_pct=round(100.0 * int(short.sum()) / total, 3) if total else 0.0,
        )
    for rule, field, mine in (
        ("COV-01", "under_coverage", under),
        ("COV-02", "over_coverage", over),
        ("COV-03", "coverage", coverage),
    ):
        _compare(report, problem, rule, field, getattr(solution, field), mine)

    # --- publication and notes -------------------------------------------------------------
    notes: list[str] = []
    if problem.published_at is not None:
        ahead = problem.period_start - problem.published_at
        if ahead < timedelta(days=settings.publish_days_ahead):
            days = ahead // timedelta(days=1)
            when = (
                f"{days} days before the period starts"
                if days >= 0
                else f"{-days} days after the period started"
            )
            report.add(
                "PUB-01",
                f"published {when}; publish at least {settings.publish_days_ahead} days ahead "
                "unless the CAO or the employees agree otherwise (art. 4:2)",
                severity="warning",
                window=(_min(problem.published_at), p0),
                days_ahead=days,
                required_days=settings.publish_days_ahead,
            )
    else:
        notes.append(
            f"no published_at given: publication {settings.publish_days_ahead} days ahead "
            "(art. 4:2) was not checked"
        )
    overrides = settings.overrides()
    if overrides:
        shown = ", ".join(f"{k}={v}" for k, v in overrides.items())
        notes.append(f"settings differ from the statutory defaults: {shown}")
    if any((problem.start + timedelta(days=d)).weekday() == 6 for d in range(problem.days)):
        notes.append(
            "ATW-09 (free Sundays per 52 weeks) is checked pro rata, as a warning, for employees "
            "whose previous_shifts do not cover 52 Sundays"
        )
    if youth_count:
        notes.append(f"{youth_count} employee(s) aged 16-17: youth rules JW-01..04 applied")

    order = {e.id: k for k, e in enumerate(problem.employees)}
    report.items.sort(
        key=lambda v: (
            order.get(v.employee, -1) if v.employee is not None else -1,
            v.start or problem.period_start,
            v.rule,
        )
    )
    return CheckReport(
        violations=report.items,
        notes=notes,
        employees_checked=len(problem.employees),
        shifts_checked=len(solution.shifts),
        coverage=coverage,
        under_coverage=under,
        over_coverage=over,
        channels=figures,
    )


def _structure(
    report: _Report,
    problem: RosterProblem,
    shifts: list[_Shift],
    employees: dict[str, tuple[int, Employee]],
    clock: LocalClock,
    by_employee: dict[str, list[_Shift]],
    period: tuple[int, int],
) -> list[tuple[int, int, int]]:
    """Checks of single shifts; returns the assignment rows (channel, first, end interval)."""
    p0, p1 = period
    channel_index = {c: i for i, c in enumerate(problem.channels)}
    rows: list[tuple[int, int, int]] = []
    fixed_keys = {
        (e.id, _min(f.start), _min(f.end)) for e in problem.employees for f in e.fixed_shifts
    }
    avail: dict[str, tuple[list[tuple[int, int]], list[int]]] = {}
    for emp_id, (_, emp) in employees.items():
        merged = _merge((_min(w.start), _min(w.end)) for w in emp.availability)
        avail[emp_id] = (merged, [w[0] for w in merged])
    rules = _ShiftRuleClock(problem, clock)
    for sh in shifts:
        path, s0, s1 = sh.path, sh.start, sh.end
        known = employees.get(sh.shift.employee)
        if known is None:
            report.add(
                "SOL-01",
                f"unknown employee {sh.shift.employee!r}",
                employee=sh.shift.employee,
                window=(s0, s1),
                paths=[f"{path}.employee"],
            )
            continue
        emp = known[1]
        by_employee[emp.id].append(sh)
        if s0 < p0 or s1 > p1:
            report.add(
                "SOL-02",
                "shift outside the roster period",
                employee=emp.id,
                window=(s0, s1),
                paths=[path],
            )
        for b0, b1, j in sh.breaks:
            if b0 < s0 or b1 > s1:
                report.add(
                    "SOL-03",
                    "pause outside its shift",
                    employee=emp.id,
                    window=(b0, b1),
                    paths=[f"{path}.breaks[{j}]"],
                )
        for (_a0, a1, ja), (b0, b1, jb) in zip(sh.breaks, sh.breaks[1:], strict=False):
            if b0 < a1:
                report.add(
                    "SOL-03",
                    "pauses overlap",
                    employee=emp.id,
                    window=(b0, min(a1, b1)),
                    paths=[f"{path}.breaks[{ja}]", f"{path}.breaks[{jb}]"],
                )
        if not (sh.shift.fixed or (emp.id, s0, s1) in fixed_keys):
            merged, starts = avail[emp.id]
            for g0, g1 in _uncovered(s0, s1, merged, starts):
                report.add(
                    "AVL-01",
                    f"works {format_minutes(g1 - g0)} outside the employee's availability",
                    employee=emp.id,
                    window=(g0, g1),
                    paths=[path],
                    minutes=g1 - g0,
                )
            rules.check(report, emp.id, sh)
        skills = emp.skills
        for a0, a1, channel, j in sh.assignments:
            c = channel_index.get(channel)
            if c is None:
                report.add(
                    "SOL-04",
                    f"unknown channel {channel!r}",
                    employee=emp.id,
                    window=(a0, a1),
                    paths=[f"{path}.assignments[{j}].channel"],
                    channel=channel,
                )
                continue
            if channel not in skills:
                report.add(
                    "SKL-01",
                    f"assigned to {channel}, a channel the employee is not trained for",
                    employee=emp.id,
                    window=(a0, a1),
                    paths=[f"{path}.assignments[{j}]"],
                    channel=channel,
                )
            if a0 < s0 or a1 > s1:
                report.add(
                    "ASG-01",
                    f"assignment to {channel} outside its shift",
                    employee=emp.id,
                    window=(a0, a1),
                    paths=[f"{path}.assignments[{j}]"],
                    channel=channel,
                )
            for b0, b1, jb in sh.breaks:
                if a0 < b1 and b0 < a1:
                    report.add(
                        "ASG-02",
                        f"assigned to {channel} during a pause",
                        employee=emp.id,
                        window=(max(a0, b0), min(a1, b1)),
                        paths=[f"{path}.assignments[{j}]", f"{path}.breaks[{jb}]"],
                        channel=channel,
                    )
            lo = a0 if a0 > p0 else p0
            hi = a1 if a1 < p1 else p1
            if lo < hi:
                rows.append((c, (lo - p0) // _INTERVAL_MIN, (hi - p0) // _INTERVAL_MIN))
    return rows


class _ShiftRuleClock:
    """The planner's shift rules (SR-01..04) evaluated on a shared local clock."""

    def __init__(self, problem: RosterProblem, clock: LocalClock) -> None:
        self.rules = problem.shift_rules
        self.clock = clock
        self.earliest = clock_minutes(self.rules.earliest_start)
        latest = clock_minutes(self.rules.latest_end)
        # A window whose end is before its start runs into the next day (nights).
        self.spans_midnight = latest < self.earliest
        self.round_the_clock = self.rules.round_the_clock
        self.lo = clock.at(self.earliest)
        self.hi = clock.at(latest + 1440 if self.spans_midnight else latest)

    def check(self, report: _Report, emp_id: str, sh: _Shift) -> None:
        rules = self.rules
        s0, s1, path = sh.start, sh.end, sh.path
        length = s1 - s0
        if not rules.min_minutes <= length <= rules.max_minutes:
            report.add(
                "SR-01",
                f"shift of {format_minutes(length)}; the shift rules allow "
                f"{format_minutes(rules.min_minutes)} to {format_minutes(rules.max_minutes)}",
                employee=emp_id,
                window=(s0, s1),
                paths=[path],
                minutes=length,
                min_minutes=rules.min_minutes,
                max_minutes=rules.max_minutes,
            )
        start = sh.shift.start
        wall = start.hour * 60 + start.minute
        if (wall - self.earliest) % rules.start_step_minutes:
            report.add(
                "SR-02",
                f"starts at {start:%H:%M}; allowed starts are {rules.earliest_start} and every "
                f"{rules.start_step_minutes} minutes after",
                employee=emp_id,
                window=(s0, s1),
                paths=[path],
                start=f"{start:%H:%M}",
                step_minutes=rules.start_step_minutes,
            )
        if self.round_the_clock:
            return
        d = self.clock.day_index(s0)
        for day in (d, d - 1) if self.spans_midnight else (d,):
            if day >= 0 and self.lo[day] <= s0 < self.hi[day]:
                if s1 > self.hi[day]:
                    report.add(
                        "SR-04",
                        f"ends at {sh.shift.end:%H:%M}, after the latest end {rules.latest_end}",
                        employee=emp_id,
                        window=(s0, s1),
                        paths=[path],
                        end=f"{sh.shift.end:%H:%M}",
                        latest_end=rules.latest_end,
                    )
                return
        report.add(
            "SR-03",
            f"starts at {start:%H:%M}, outside {rules.earliest_start}-{rules.latest_end}",
            employee=emp_id,
            window=(s0, s1),
            paths=[path],
            start=f"{start:%H:%M}",
            earliest_start=rules.earliest_start,
            latest_end=rules.latest_end,
        )


def _overlaps(report: _Report, emp_id: str, own: list[_Shift]) -> None:
    last_end = None
    last_path = ""
    for sh in own:
        if last_end is not None and sh.start < last_end:
            report.add(
                "SHF-01",
                "shifts overlap",
                employee=emp_id,
                window=(sh.start, min(sh.end, last_end)),
                paths=[last_path, sh.path],
            )
        if last_end is None or sh.end > last_end:
            last_end, last_path = sh.end, sh.path
    # One channel at a time, across all of the employee's shifts.
    rows = sorted((a0, a1, sh.index, j) for sh in own for a0, a1, _, j in sh.assignments)
    reach, reach_path = -1, ""
    for a0, a1, i, j in rows:
        path = f"shifts[{i}].assignments[{j}]"
        if a0 < reach:
            report.add(
                "ASG-03",
                "assigned to two channels at once",
                employee=emp_id,
                window=(a0, min(a1, reach)),
                paths=[reach_path, path],
            )
        if a1 > reach:
            reach, reach_path = a1, path


def _fixed(report: _Report, emp: Employee, k: int, own: list[_Shift]) -> None:
    if not emp.fixed_shifts:
        return
    present = {(s.start, s.end) for s in own}
    for j, fixed in enumerate(emp.fixed_shifts):
        key = (_min(fixed.start), _min(fixed.end))
        if key not in present:
            report.add(
                "FIX-01",
                "fixed shift missing from the roster (or moved)",
                employee=emp.id,
                window=key,
                paths=[f"employees[{k}].fixed_shifts[{j}]"],
            )


def _contract(
    report: _Report,
    emp: Employee,
    work: list[int],
    week_starts: list[int],
    period: tuple[int, int],
) -> None:
    p0, p1 = period
    first = max(bisect.bisect_right(week_starts, p0) - 1, 0)
    last = bisect.bisect_left(week_starts, p1) - 1
    for w in range(first, last + 1):
        w0, w1 = week_starts[w], week_starts[w + 1]
        share = (min(w1, p1) - max(w0, p0)) / (w1 - w0)
        minimum = int(emp.min_minutes_per_week * share)
        label = f"{_local(w0):%G-W%V}"
        window = (max(w0, p0), min(w1, p1))
        if work[w] > emp.max_minutes_per_week:
            report.add(
                "CON-02",
                f"{format_minutes(work[w])} of work in week {label}; the contract allows at most "
                f"{format_minutes(emp.max_minutes_per_week)}",
                employee=emp.id,
                window=window,
                work_minutes=work[w],
                max_minutes=emp.max_minutes_per_week,
                week=label,
            )
        if work[w] < minimum:
            part = (
                "" if share > 0.99 else f" (pro rata for the {round(share * 7)} days in the period)"
            )
            report.add(
                "CON-01",
                f"{format_minutes(work[w])} of work in week {label}; the contract needs at least "
                f"{format_minutes(minimum)}{part}",
                employee=emp.id,
                window=window,
                work_minutes=work[w],
                min_minutes=minimum,
                week=label,
            )


def _compare(
    report: _Report,
    problem: RosterProblem,
    rule: str,
    field: str,
    given: dict[str, list[int]] | None,
    mine: dict[str, list[int]],
) -> None:
    if given is None:
        return
    n = problem.n_intervals
    for name, listed in given.items():
        if name not in mine:
            report.add(rule, f"{field} names unknown channel {name!r}", paths=[f"{field}.{name}"])
            continue
        if len(listed) != n:
            report.add(
                rule,
                f"{field} for {name} has {len(listed)} values; expected {n}",
                paths=[f"{field}.{name}"],
                expected=n,
                got=len(listed),
            )
    for name, expected in mine.items():
        values = given.get(name)
        if values is None:
            if any(expected):
                report.add(
                    rule,
                    f"{field} has no entry for {name}; recomputed total {sum(expected)}",
                    paths=[field],
                    channel=name,
                    recomputed_total=sum(expected),
                )
            continue
        if len(values) != n:
            continue
        diff = np.flatnonzero(np.asarray(values) != np.asarray(expected))
        if diff.size:
            first = int(diff[0])
            t0 = _min(problem.period_start) + first * _INTERVAL_MIN
            report.add(
                rule,
                f"{field} for {name} differs from the assignments in {diff.size} intervals; first "
                f"at {_local(t0):%Y-%m-%d %H:%M}: {values[first]} given, {expected[first]} recomputed",
                window=(t0, t0 + _INTERVAL_MIN),
                paths=[f"{field}.{name}[{first}]"],
                channel=name,
                intervals=int(diff.size),
                given=values[first],
                recomputed=expected[first],
            )
