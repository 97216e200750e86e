"""Shift patterns: every candidate shift of one employee on one day, precomputed and pruned.

A *pattern* is a shift (start, end, one pause in the middle when the law needs one) that
already keeps every rule that concerns the shift alone: the planner's shift rules (start
step, earliest start, latest end, length), availability, the maximum work per shift, the
pause rules (ATW-06 / JW-04), no night shift (NA rules: see below), the youth night ban
(JW-02), Sunday consent (ATW-08), and the rest before and after fixed and previous shifts.
Rules between shifts (daily rest, weekly hours, weekly rest) are left to the solver.

Night shifts (more than ``night_work_min_minutes`` of work between 00:00 and 06:00) are not
generated: the NA rules then never apply.  This is the simple, safe choice documented in
docs/roster-solver.md; fixed shifts may still be night shifts.

All times are UTC epoch minutes (as in :mod:`veerkracht.planning.roster.check`); interval
``i`` of the period is ``[p0 + 15 i, p0 + 15 i + 15)``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from numpy.typing import NDArray

from veerkracht.planning.calendar import TZ
from veerkracht.planning.roster.model import (
    Employee,
    RosterProblem,
    WorkingTimeSettings,
    WorkShift,
    clock_minutes,
)
from veerkracht.planning.roster.rules import LocalClock

__all__ = ["Grid", "Pattern", "EmployeeData", "Prepared", "prepare"]

STEP = 15
EVENING_FROM_MIN = 19 * 60
"""Work from this wall-clock minute counts as evening work for fairness."""


@dataclass(frozen=True, slots=True)
class Pattern:
    """One candidate shift.

    Attributes
    ----------
    emp : int
        Employee index.
    day : int
        Day index in the period (the day of the shift-rule window it starts in).
    start, end : int
        UTC epoch minutes.
    brk : tuple of int or None
        The pause ``(start, end)`` in epoch minutes.
    work_min : int
        Work minutes (length minus pause).
    i0, i1 : int
        Interval indices ``[i0, i1)`` of the shift in the period.
    b0, b1 : int
        Interval indices of the pause (``b0 == b1`` without a pause).
    unpleasant : int
        Work intervals in the evening (from 19:00) or at the weekend.
    """

    emp: int
    day: int
    start: int
    end: int
    brk: tuple[int, int] | None
    work_min: int
    i0: int
    i1: int
    b0: int
    b1: int
    unpleasant: int

    def work_intervals(self) -> range | list[int]:
        """Interval indices worked (the pause left out)."""
        if self.b0 == self.b1:
            return range(self.i0, self.i1)
        return [*range(self.i0, self.b0), *range(self.b1, self.i1)]


@dataclass
class Grid:
    """Local landmarks of the period."""

    p0: int
    p1: int
    n: int
    days: int
    day_start: list[int]
    """Epoch minutes of local midnight of each day, and of the end of the period."""
    wall: NDArray[np.int64]
    """Wall-clock minute of each interval start."""
    weekday: NDArray[np.int64]
    day_of: NDArray[np.int64]
    week_bounds: list[int]
    """Week starts (epoch minutes) of every week touching the period, plus the last end."""
    clock: LocalClock

    def idx(self, t_min: int) -> int:
        """Interval index of an epoch minute (on the grid)."""
        return (t_min - self.p0) // STEP

    def local(self, t_min: int) -> datetime:
        """Aware local datetime of an epoch minute."""
        return datetime.fromtimestamp(t_min * 60, TZ)

    def week_of(self, t_min: int) -> int:
        """Index into :attr:`week_bounds` of the week containing ``t_min``."""
        return bisect.bisect_right(self.week_bounds, t_min) - 1


@dataclass
class EmployeeData:
    """What the solver needs of one employee, precomputed."""

    index: int
    emp: Employee
    youth: bool
    skills: list[int]
    preferred: set[int]
    unpreferred: set[int]
    rest_min: int
    max_week_min: int
    max_4_weeks_min: int
    fixed: list[tuple[int, int, list[tuple[int, int]]]] = field(default_factory=list)
    """Fixed shifts as (start, end, pauses) in epoch minutes."""
    fixed_work_week: dict[int, int] = field(default_factory=dict)
    """Work minutes of fixed and previous shifts per week index."""
    blocked: list[tuple[int, int, int]] = field(default_factory=list)
    """(start, end, rest) of fixed and previous shifts: candidates keep ``rest`` away."""
    patterns: list[Pattern] = field(default_factory=list)
    available: NDArray[np.bool_] | None = None
    """Per interval: inside an availability window."""


@dataclass
class Prepared:
    """A problem turned into arrays and patterns."""

    problem: RosterProblem
    grid: Grid
    channels: list[str]
    demand: NDArray[np.int64]
    """(channels, intervals)."""
    employees: list[EmployeeData]
    start_stride_min: int
    length_stride_min: int

    @property
    def n_patterns(self) -> int:
        return sum(len(e.patterns) for e in self.employees)


def _minute(moment: datetime) -> int:
    return int(moment.timestamp()) // 60


def _grid(problem: RosterProblem) -> Grid:
    p0, p1 = _minute(problem.period_start), _minute(problem.period_end)
    n = (p1 - p0) // STEP
    day_start = [
        _minute(datetime.combine(problem.start + timedelta(days=d), datetime.min.time(), TZ))
        for d in range(problem.days + 1)
    ]
    wall = np.zeros(n, dtype=np.int64)
    weekday = np.zeros(n, dtype=np.int64)
    day_of = np.zeros(n, dtype=np.int64)
    for d in range(problem.days):
        a, b = (day_start[d] - p0) // STEP, (day_start[d + 1] - p0) // STEP
        wd = (problem.start + timedelta(days=d)).weekday()
        for i in range(a, b):
            local = datetime.fromtimestamp((p0 + STEP * i) * 60, TZ)
            wall[i] = local.hour * 60 + local.minute
        weekday[a:b] = wd
        day_of[a:b] = d
    clock = LocalClock.covering(p0 - 16 * 7 * 1440, p1)
    starts = clock.week_starts(problem.settings.week_start_day)
    first = max(bisect.bisect_right(starts, p0) - 1, 0)
    last = bisect.bisect_left(starts, p1)
    week_bounds = starts[first : last + 1]
    return Grid(p0, p1, n, problem.days, day_start, wall, weekday, day_of, week_bounds, clock)


def _merge(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(windows):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def pause_for(length_min: int, *, youth: bool, settings: WorkingTimeSettings) -> int | None:
    """The shortest legal pause (in 15-minute blocks) for a shift of ``length_min``.

    Returns ``None`` when no pause makes the shift legal (too much work).
    """
    s = settings
    max_work = s.youth_max_shift_work_minutes if youth else s.max_shift_work_minutes
    options = [0, 30, 45, 60] if not youth else [0, 30, 45]
    for pause in options:
        work = length_min - pause
        if work <= 0:
            return None
        if youth:
            need = s.youth_pause_minutes if work > s.youth_pause_threshold_work_minutes else 0
        elif work > s.pause_threshold_2_work_minutes:
            need = s.pause_2_minutes
        elif work > s.pause_threshold_1_work_minutes:
            need = s.pause_1_minutes
        else:
            need = 0
        # Pauses are placed in whole 15-minute blocks, one block in the middle.
        need = -(-need // STEP) * STEP
        if pause >= need and work <= max_work:
            return pause
    return None


def _times(shift: WorkShift) -> tuple[int, int, list[tuple[int, int]]]:
    return (
        _minute(shift.start),
        _minute(shift.end),
        [(_minute(b.start), _minute(b.end)) for b in shift.breaks],
    )


def _work_by_week(
    grid: Grid, start: int, end: int, pauses: list[tuple[int, int]]
) -> dict[int, int]:
    out: dict[int, int] = {}
    pieces = [(start, end)]
    for b0, b1 in pauses:
        if b1 - b0 < 15:
            continue  # shorter interruptions are work
        nxt = []
        for a, b in pieces:
            if b0 >= b or b1 <= a:
                nxt.append((a, b))
                continue
            if a < b0:
                nxt.append((a, b0))
            if b1 < b:
                nxt.append((b1, b))
        pieces = nxt
    bounds = grid.week_bounds
    for a, b in pieces:
        while a < b:
            w = bisect.bisect_right(bounds, a) - 1
            hi = bounds[w + 1] if 0 <= w < len(bounds) - 1 else b
            if w < 0:
                hi = bounds[0] if bounds else b
            seg_end = min(b, hi)
            out[w] = out.get(w, 0) + seg_end - a
            a = seg_end
    return out


def prepare(
    problem: RosterProblem,
    *,
    start_stride_min: int = 30,
    length_stride_min: int = 60,
) -> Prepared:
    """Precompute the grid, the demand and every employee's candidate shifts.

    Parameters
    ----------
    problem : RosterProblem
        The problem.
    start_stride_min : int
        Candidate starts every this many minutes (rounded up to a multiple of the shift
        rules' ``start_step_minutes``); 15 with a step of 15 gives every allowed start.
    length_stride_min : int
        Candidate lengths every this many minutes from ``min_minutes`` (``max_minutes`` is
        always a candidate); 15 gives every length.

    Returns
    -------
    Prepared
    """
    grid = _grid(problem)
    s = problem.settings
    rules = problem.shift_rules
    channels = list(problem.channels)
    cidx = {c: k for k, c in enumerate(channels)}
    demand = np.zeros((len(channels), grid.n), dtype=np.int64)
    for c, values in problem.demand.items():
        demand[cidx[c]] = values
    step = rules.start_step_minutes
    stride = -(-max(start_stride_min, step) // step) * step
    earliest = clock_minutes(rules.earliest_start)
    latest = clock_minutes(rules.latest_end)
    round_clock = rules.round_the_clock
    spans = latest < earliest
    lengths = list(range(rules.min_minutes, rules.max_minutes + 1, max(length_stride_min, STEP)))
    if rules.max_minutes not in lengths:
        lengths.append(rules.max_minutes)
    # Candidate starts per day, shared by all employees: (day, start, window end).
    day_starts: list[list[tuple[int, int]]] = []
    for d in range(grid.days):
        out: list[tuple[int, int]] = []
        day_i = grid.clock.day_index(grid.day_start[d])
        if round_clock:
            lo_abs, hi_abs, last_start = grid.day_start[d], grid.p1, grid.day_start[d + 1]
        else:
            lo_abs = grid.clock.at(earliest)[day_i]
            hi_abs = grid.clock.at(latest + 1440 if spans else latest)[day_i]
            last_start = hi_abs
        # Every quarter of real time (both 02:00s on the fall-back day), kept when its wall
        # clock is on the start grid.
        for t in range(max(lo_abs, grid.p0), min(last_start, grid.p1), STEP):
            local = grid.local(t)
            if (local.hour * 60 + local.minute - earliest) % stride:
                continue
            out.append((t, min(hi_abs, grid.p1)))
        day_starts.append(out)

    night_limit = s.night_work_min_minutes
    youth_from = clock_minutes(s.youth_no_work_from)
    youth_until = clock_minutes(s.youth_no_work_until)
    sunday_ban = s.sunday_work_by_consent
    wall = grid.wall
    evening_or_weekend = (wall >= EVENING_FROM_MIN) | (grid.weekday >= 5)
    night = wall < 6 * 60
    youth_ban = (wall >= youth_from) | (wall < youth_until)
    sunday = grid.weekday == 6

    emps: list[EmployeeData] = []
    for k, emp in enumerate(problem.employees):
        youth = emp.is_youth(s)
        rest = s.youth_daily_rest_minutes if youth else s.daily_rest_minutes
        max_week = min(
            emp.max_minutes_per_week,
            (s.youth_max_week_work_minutes - emp.school_minutes_per_week)
            if youth
            else s.max_week_work_minutes,
        )
        max_4 = (
            s.youth_max_4_weeks_work_minutes - 4 * emp.school_minutes_per_week
            if youth
            else s.max_4_weeks_work_minutes
        )
        data = EmployeeData(
            index=k,
            emp=emp,
            youth=youth,
            skills=sorted(cidx[c] for c in emp.skills),
            preferred={cidx[c] for c in emp.preferred_channels},
            unpreferred={cidx[c] for c in emp.unpreferred_channels},
            rest_min=rest,
            max_week_min=max(max_week, 0),
            max_4_weeks_min=max(max_4, 0),
        )
        for shift, is_fixed in [(f, True) for f in emp.fixed_shifts] + [
            (p, False) for p in emp.previous_shifts
        ]:
            a, b, pauses = _times(shift)
            if is_fixed:
                data.fixed.append((a, b, pauses))
            for w, m in _work_by_week(grid, a, b, pauses).items():
                data.fixed_work_week[w] = data.fixed_work_week.get(w, 0) + m
            # A fixed night shift needs the longer rests; keep the longest that may apply.
            night_work = _night_minutes(grid, a, b)
            need = rest
            if night_work > night_limit:
                need = max(rest, s.rest_after_late_night_minutes)
            data.blocked.append((a, b, need))
        avail = np.zeros(grid.n, dtype=np.bool_)
        windows = _merge([(_minute(w.start), _minute(w.end)) for w in emp.availability])
        for a, b in windows:
            avail[max(grid.idx(a), 0) : min(grid.idx(b), grid.n)] = True
        data.available = avail
        # Prefix sums for "whole window available" tests.
        cum = np.concatenate([[0], np.cumsum(avail)])
        cum_night = np.concatenate([[0], np.cumsum(night)])
        cum_eve = np.concatenate([[0], np.cumsum(evening_or_weekend)])
        cum_youth = np.concatenate([[0], np.cumsum(youth_ban)])
        cum_sun = np.concatenate([[0], np.cumsum(sunday)])
        blocked = sorted(data.blocked)
        for d in range(grid.days):
            for t, hi in day_starts[d]:
                i0 = (t - grid.p0) // STEP
                if not avail[i0]:
                    continue
                for length in lengths:
                    end = t + length
                    if end > hi:
                        break
                    i1 = i0 + length // STEP
                    if cum[i1] - cum[i0] != i1 - i0:
                        break  # longer ones leave the availability window too
                    pause = pause_for(length, youth=youth, settings=problem.settings)
                    if pause is None:
                        continue
                    if pause:
                        mid = (length - pause) // 2
                        b0 = i0 + mid // STEP
                        b1 = b0 + pause // STEP
                    else:
                        b0 = b1 = i0

                    def count(
                        cs: NDArray[np.int64],
                        i0: int = i0,
                        i1: int = i1,
                        b0: int = b0,
                        b1: int = b1,
                    ) -> int:
                        return int(cs[i1] - cs[i0] - (cs[b1] - cs[b0]))

                    if count(cum_night) * STEP > night_limit:
                        continue
                    if youth and count(cum_youth):
                        continue
                    if sunday_ban and not emp.sunday_work_allowed and count(cum_sun):
                        continue
                    if any(a - need < end and t < b + need for a, b, need in blocked):
                        continue
                    data.patterns.append(
                        Pattern(
                            emp=k,
                            day=d,
                            start=t,
                            end=end,
                            brk=(grid.p0 + STEP * b0, grid.p0 + STEP * b1) if pause else None,
                            work_min=length - pause,
                            i0=i0,
                            i1=i1,
                            b0=b0,
                            b1=b1,
                            unpleasant=count(cum_eve),
                        )
                    )
        emps.append(data)
    return Prepared(problem, grid, channels, demand, emps, stride, length_stride_min)


def _night_minutes(grid: Grid, a: int, b: int) -> int:
    total = 0
    t = a
    while t < b:  # quarter-hour resolution is enough to tell a night shift from another
        if grid.local(t).hour < 6:
            total += min(STEP, b - t)
        t += STEP
    return total
