"""The roster solver: CP-SAT over precomputed shift patterns, with a greedy start and decomposition.

Formulation (docs/roster-solver.md has the full story):

* one boolean per candidate shift (:mod:`veerkracht.planning.roster.patterns`: start x length
  per employee-day, already inside availability, the shift rules, the per-shift law);
* at most one shift per employee-day; daily rest as clique cuts over end times; weekly
  hours (contract and law) per calendar week and per 4 weeks; weekly rest as "one of these
  36-hour windows is free" per week;
* coverage through *employee types* (same skills and channel preferences): the number of
  type-``g`` agents working in interval ``t`` is split into integer channel counts
  ``z[g, c, t]``, which any assignment of the individual agents can realise, so the channel
  assignment needs no per-agent variables;
* objective (lower is better), weighted so each level dominates the next in practice:
  ``1000`` per missing agent-interval, ``5`` per 15 minutes away from wished hours, ``2`` /
  ``6`` per agent-interval on a neutral / unpreferred channel, ``1`` per agent-interval of
  over-coverage (working without demand), ``1`` per interval of the largest number of
  evening/weekend intervals of one employee (fairness).

A greedy heuristic gives CP-SAT a complete hint; big problems are solved per calendar week
and per team of employees, each part covering what the previous parts left.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model

from veerkracht.planning.roster.model import (
    Assignment,
    Break,
    Explanation,
    RosterProblem,
    RosterShift,
    RosterSolution,
    SolutionStatus,
)
from veerkracht.planning.roster.patterns import STEP, EmployeeData, Pattern, Prepared, prepare

__all__ = [
    "WEIGHTS",
    "ProgressEvent",
    "SolveStats",
    "coverage_lp_bound",
    "solve",
]

WEIGHTS: dict[str, int] = {
    "under": 1000,
    "wish_per_15min": 5,
    "neutral_channel": 2,
    "unpreferred_channel": 6,
    "over": 1,
    "fairness": 1,
}
"""Objective weights; the under-coverage weight is multiplied by the interval importance."""

MAX_PATTERNS_PER_MODEL = 120_000

FULL_MODEL_PATTERNS = 12_000
"""Up to this many candidate shifts a part is one CP-SAT model; above it, greedy + LNS."""

LNS_EMPLOYEES = 16
LNS_STEP_S = 4.0
"""Employees freed per large-neighbourhood step."""
"""Above this many candidate shifts a part is split by team."""


@dataclass(frozen=True)
class ProgressEvent:
    """What the progress callback gets.

    Attributes
    ----------
    elapsed_s : float
        Seconds since :func:`solve` started.
    objective : float or None
        Best objective so far (of the part being solved when decomposed, plus the parts done).
    bound : float or None
        Best proven bound of the part being solved.
    part : str
        Which part is being solved (``"week 1/4, team 2/3"``) or ``"all"``.
    """

    elapsed_s: float
    objective: float | None
    bound: float | None
    part: str = "all"


ProgressCallback = Callable[[ProgressEvent], bool]


@dataclass
class SolveStats:
    """Figures of a run, stored in ``solution.report["solver"]``."""

    patterns: int = 0
    parts: int = 0
    greedy_objective: float | None = None
    cp_status: list[str] = field(default_factory=list)
    cp_bound: float | None = None
    lp_bound_under: float | None = None
    wall_s: float = 0.0
    cancelled: bool = False
    missing_minimum: list[str] = field(default_factory=list)
    """Employees whose contract minimum the roster misses (no complete roster in time)."""


# --------------------------------------------------------------------------------------------
# Types: employees with the same skills and preferences
# --------------------------------------------------------------------------------------------


def _type_key(e: EmployeeData) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    return (tuple(e.skills), tuple(sorted(e.preferred)), tuple(sorted(e.unpreferred)))


def _channel_cost(key: tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]], c: int) -> int:
    _, preferred, unpreferred = key
    if c in unpreferred:
        return WEIGHTS["unpreferred_channel"]
    if preferred and c not in preferred:
        return WEIGHTS["neutral_channel"]
    return 0


# --------------------------------------------------------------------------------------------
# A part: employees x days, covering a residual demand
# --------------------------------------------------------------------------------------------


@dataclass
class _Part:
    emps: list[int]
    day_lo: int
    day_hi: int
    label: str


@dataclass
class _Result:
    chosen: dict[int, list[Pattern]]
    """Chosen patterns per employee."""
    z: dict[tuple[int, int, int], int]
    """(type id, channel, interval) -> agents; types are per part."""
    types: list[tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]]
    type_members: list[list[int]]
    status: str
    objective: float | None
    bound: float | None


def _allowed(p: Pattern, committed: list[Pattern], e: EmployeeData) -> bool:
    for q in committed:
        if q.start - e.rest_min < p.end and p.start < q.end + e.rest_min:
            return False
    return True


class _Builder:
    """Builds and solves the CP-SAT model of one part."""

    def __init__(
        self,
        prep: Prepared,
        part: _Part,
        residual: NDArray[np.int64],
        committed: dict[int, list[Pattern]],
        importance: NDArray[np.float64],
        *,
        contract_min: bool = True,
    ) -> None:
        self.prep = prep
        self.part = part
        self.residual = residual
        self.committed = committed
        self.importance = importance
        g = prep.grid
        lo_t, hi_t = g.day_start[part.day_lo], g.day_start[part.day_hi]
        self.lo_t, self.hi_t = lo_t, hi_t
        self.contract_min = contract_min
        # Candidate patterns of the part.
        self.pats: dict[int, list[Pattern]] = {}
        for k in part.emps:
            e = prep.employees[k]
            own = committed.get(k, [])
            self.pats[k] = [
                p for p in e.patterns if part.day_lo <= p.day < part.day_hi and _allowed(p, own, e)
            ]
        keys: dict[Any, int] = {}
        self.types: list[Any] = []
        self.members: list[list[int]] = []
        self.type_of: dict[int, int] = {}
        for k in part.emps:
            key = _type_key(prep.employees[k])
            if key not in keys:
                keys[key] = len(self.types)
                self.types.append(key)
                self.members.append([])
            self.type_of[k] = keys[key]
            self.members[keys[key]].append(k)

    # --- weeks -------------------------------------------------------------------------------

    def _week_range(self) -> list[int]:
        g = self.prep.grid
        return [
            w
            for w in range(len(g.week_bounds) - 1)
            if g.week_bounds[w] < self.hi_t and g.week_bounds[w + 1] > self.lo_t
        ]

    def _week_work(self, p: Pattern) -> dict[int, int]:
        g = self.prep.grid
        out: dict[int, int] = {}
        wa = g.week_of(p.start)
        wb = g.week_of(p.end - 1)
        if wa == wb:
            out[wa] = p.work_min
            return out
        for i in p.work_intervals():
            w = g.week_of(g.p0 + STEP * i)
            out[w] = out.get(w, 0) + STEP
        return out

    def _committed_week(self, k: int) -> dict[int, int]:
        e = self.prep.employees[k]
        out = dict(e.fixed_work_week)
        for q in self.committed.get(k, []):
            for w, m in self._week_work(q).items():
                out[w] = out.get(w, 0) + m
        return out

    def week_limits(self, k: int, w: int) -> tuple[int, int]:
        """(min, max) work minutes of employee ``k`` in week ``w`` from this part's shifts."""
        e = self.prep.employees[k]
        g = self.prep.grid
        w0, w1 = g.week_bounds[w], g.week_bounds[w + 1]
        share = (min(w1, g.p1) - max(w0, g.p0)) / (w1 - w0)
        done = self._committed_week(k).get(w, 0)
        hi = e.max_week_min - done
        lo = int(e.emp.min_minutes_per_week * share) - done if self.contract_min else 0
        # Parts after this one may still add work in the same week only if the week reaches
        # beyond this part; then the minimum is left to the last part of the week.
        if w1 > self.hi_t and g.p1 > self.hi_t:
            lo = 0
        return max(lo, 0), hi

    def rest_windows(self, k: int, w: int) -> list[tuple[int, int]] | None:
        """Candidate free windows for the weekly rest of ``k`` in week ``w``.

        ``None`` when the week needs nothing from this part (rest already outside it).
        """
        e = self.prep.employees[k]
        g = self.prep.grid
        s = self.prep.problem.settings
        need = s.youth_weekly_rest_minutes if e.youth else s.weekly_rest_minutes
        w0, w1 = g.week_bounds[w], g.week_bounds[w + 1]
        busy = [(a, b) for a, b, _ in e.blocked] + [
            (q.start, q.end) for q in self.committed.get(k, [])
        ]
        # The part of the week outside this part's days (and outside the period) holds only
        # committed shifts: if a free window of `need` exists there, nothing to do.
        outside = [(w0, max(w0, self.lo_t)), (min(w1, self.hi_t), w1)]
        for a, b in outside:
            if b - a >= need and _free(a, b, busy, need):
                return None
        cands: set[int] = set()
        for d in range(self.part.day_lo, self.part.day_hi):
            base = g.day_start[d]
            if not (w0 - 1440 <= base < w1):
                continue
            for h in (-6, -3, 0, 3, 6):
                cands.add(base + 60 * h)
        cands.add(w1 - need)
        cands.add(w0)
        out = []
        for a in sorted(cands):
            a = max(a, w0)
            b = a + need
            if b > w1:
                continue
            if any(x < b and a < y for x, y in busy):
                continue
            out.append((a, b))
        return sorted(set(out))

    # --- model ---------------------------------------------------------------------------------

    def build(self) -> None:
        prep, g = self.prep, self.prep.grid
        m = cp_model.CpModel()
        self.model = m
        self.x: dict[tuple[int, int], cp_model.IntVar] = {}
        self.rvars: list[tuple[Any, int, int, int]] = []
        self.devs: list[tuple[Any, int, int, int]] = []
        self.umax: Any = None
        n_ch = len(prep.channels)
        work_terms: dict[tuple[int, int], list[Any]] = defaultdict(list)  # (type, t) -> vars
        obj: list[Any] = []
        self.obj_const = 0
        for k in self.part.emps:
            e = prep.employees[k]
            pats = self.pats[k]
            tid = self.type_of[k]
            by_day: dict[int, list[int]] = defaultdict(list)
            for j, p in enumerate(pats):
                v = m.new_bool_var(f"x{k}_{j}")
                self.x[(k, j)] = v
                by_day[p.day].append(j)
                for i in p.work_intervals():
                    work_terms[(tid, i)].append(v)
            on: dict[int, Any] = {}
            for d, js in by_day.items():
                m.add_at_most_one(self.x[(k, j)] for j in js)
                on[d] = sum(self.x[(k, j)] for j in js)
            # Daily rest: a clique per distinct end time.
            for d, js in by_day.items():
                later = [j for dd in (d + 1, d + 2) for j in by_day.get(dd, [])]
                if not later:
                    continue
                for end in sorted({pats[j].end for j in js}):
                    left = [self.x[(k, j)] for j in js if pats[j].end >= end]
                    right = [self.x[(k, j)] for j in later if pats[j].start < end + e.rest_min]
                    if right:
                        m.add(sum(left) + sum(right) <= 1)
            # Weekly hours and rest.
            weeks = self._week_range()
            week_expr: dict[int, list[Any]] = defaultdict(list)
            for j, p in enumerate(pats):
                for w, mins in self._week_work(p).items():
                    week_expr[w].append(mins * self.x[(k, j)])
            for w in weeks:
                lo, hi = self.week_limits(k, w)
                expr = sum(week_expr.get(w, []))
                m.add(expr <= hi)
                if lo:
                    m.add(expr >= lo)
                wished = e.emp.wished_minutes_per_week
                if wished is not None:
                    w0, w1 = g.week_bounds[w], g.week_bounds[w + 1]
                    share = (min(w1, g.p1) - max(w0, g.p0)) / (w1 - w0)
                    target = int(wished * share) - self._committed_week(k).get(w, 0)
                    if w1 <= self.hi_t or g.p1 <= self.hi_t:
                        dev = m.new_int_var(0, 7 * 96, f"dev{k}_{w}")
                        self.devs.append((dev, k, w, target))
                        m.add(STEP * dev >= expr - target)
                        m.add(STEP * dev >= target - expr)
                        obj.append(WEIGHTS["wish_per_15min"] * dev)
                windows = self.rest_windows(k, w)
                if windows is None:
                    continue
                rs = []
                for a, b in windows:
                    r = m.new_bool_var("")
                    self.rvars.append((r, k, a, b))
                    inside = []
                    for d, js in by_day.items():
                        ds, de = g.day_start[d], g.day_start[min(d + 1, g.days)]
                        hit = [j for j in js if pats[j].start < b and a < pats[j].end]
                        if not hit:
                            continue
                        if len(hit) == len(js) and a <= ds and de <= b:
                            inside.append(on[d])
                        else:
                            inside.extend(self.x[(k, j)] for j in hit)
                    if inside:
                        m.add(sum(inside) == 0).only_enforce_if(r)
                    rs.append(r)
                if not rs:
                    m.add_bool_or([])  # no room for the weekly rest: infeasible
                else:
                    m.add_bool_or(rs)
            # Four-week maximum (ATW-03 / JW-01), windows touching this part.
            self._four_weeks(k, week_expr)
        # Coverage.
        self.z: dict[tuple[int, int, int], cp_model.IntVar] = {}
        t_lo, t_hi = g.idx(self.lo_t), g.idx(self.hi_t)
        under_w = WEIGHTS["under"]
        fair_w = WEIGHTS["fairness"]
        total_work: list[Any] = []
        for (tid, i), vs in work_terms.items():
            skills = self.types[tid][0]
            zs = []
            for c in skills:
                dem = int(self.residual[c, i])
                if dem <= 0:
                    continue
                zv = m.new_int_var(0, min(dem, len(vs)), f"z{tid}_{c}_{i}")
                self.z[(tid, c, i)] = zv
                zs.append(zv)
                cost = _channel_cost(self.types[tid], c)
                if cost:
                    obj.append(cost * zv)
            if zs:
                m.add(sum(zs) <= sum(vs))
            total_work.append(sum(vs))
        by_ct: dict[tuple[int, int], list[Any]] = defaultdict(list)
        for (_, c, i), zv in self.z.items():
            by_ct[(c, i)].append(zv)
        for c in range(n_ch):
            for i in range(t_lo, t_hi):
                dem = int(self.residual[c, i])
                if dem <= 0:
                    continue
                zs = by_ct.get((c, i), [])
                if zs:
                    m.add(sum(zs) <= dem)
                weight = int(round(under_w * float(self.importance[c, i])))
                self.obj_const += weight * dem
                for zv in zs:
                    obj.append(-weight * zv)
        # Over-coverage: working agent-intervals not assigned to demand.
        over_w = WEIGHTS["over"]
        obj.append(over_w * sum(total_work))
        obj.append(-over_w * sum(self.z.values()))
        # Fairness: the most evening/weekend intervals of one employee.
        unpleasant = [
            sum(p.unpleasant * self.x[(k, j)] for j, p in enumerate(self.pats[k]) if p.unpleasant)
            for k in self.part.emps
        ]
        unpleasant = [u for u in unpleasant if not isinstance(u, int)]
        if unpleasant:
            umax = m.new_int_var(0, g.n, "umax")
            self.umax = umax
            for u in unpleasant:
                m.add(umax >= u)
            obj.append(fair_w * umax)
        m.minimize(sum(obj) + self.obj_const)

    def _four_weeks(self, k: int, week_expr: dict[int, list[Any]]) -> None:
        e = self.prep.employees[k]
        g = self.prep.grid
        weeks = self._week_range()
        if not weeks or e.max_4_weeks_min >= 4 * e.max_week_min:
            return
        done = self._committed_week(k)
        nweeks = len(g.week_bounds) - 1
        for w0 in range(min(weeks) - 3, max(weeks) + 1):
            span = [w for w in range(w0, w0 + 4) if 0 <= w < nweeks]
            mine = [t for w in span if w in weeks for t in week_expr.get(w, [])]
            if not mine:
                continue
            fixed = sum(done.get(w, 0) for w in span)
            # Weeks before the period: the work of previous shifts counts too.
            self.model.add(sum(mine) <= e.max_4_weeks_min - fixed)

    # --- hint ----------------------------------------------------------------------------------

    def hint(self, chosen: dict[int, list[Pattern]]) -> None:
        for k in self.part.emps:
            mine = {(p.start, p.end) for p in chosen.get(k, [])}
            for j, p in enumerate(self.pats[k]):
                self.model.add_hint(self.x[(k, j)], int((p.start, p.end) in mine))
        z = _split_channels(self, chosen)
        for key, zv in self.z.items():
            self.model.add_hint(zv, z.get(key, 0))
        # Complete the hint: CP-SAT takes a complete hint as its first solution at once.
        for r, k, a, b in self.rvars:
            busy = any(p.start < b and a < p.end for p in chosen.get(k, []))
            self.model.add_hint(r, int(not busy))
        for dev, k, w, target in self.devs:
            work = sum(
                m for p in chosen.get(k, []) for ww, m in self._week_work(p).items() if ww == w
            )
            self.model.add_hint(dev, -(-abs(work - target) // STEP))
        if self.umax is not None:
            self.model.add_hint(
                self.umax,
                max(
                    (sum(p.unpleasant for p in chosen.get(k, [])) for k in self.part.emps),
                    default=0,
                ),
            )

    # --- solve ---------------------------------------------------------------------------------

    def solve(
        self,
        time_limit_s: float,
        workers: int,
        progress: ProgressCallback | None,
        t_start: float,
        offset: float,
        stats: SolveStats,
    ) -> _Result:
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(time_limit_s, 0.5)
        solver.parameters.num_workers = max(workers, 1)
        solver.parameters.random_seed = 7
        # Probing the whole model costs more than it gives on these sizes within a minute.
        solver.parameters.cp_model_probing_level = 0 if len(self.x) > 20_000 else 2
        if len(self.x) > 20_000:
            solver.parameters.symmetry_level = 0
            solver.parameters.max_presolve_iterations = 1
        solver.parameters.log_search_progress = bool(os.environ.get("VEERKRACHT_CPSAT_LOG"))
        cb = _Callback(progress, t_start, offset, self.part.label, solver)
        if progress is not None:
            solver.best_bound_callback = cb.on_bound
        status = solver.solve(self.model, cb)
        stats.cancelled = stats.cancelled or cb.cancelled
        name = solver.status_name(status)
        stats.cp_status.append(f"{self.part.label}: {name}")
        chosen: dict[int, list[Pattern]] = {}
        z: dict[tuple[int, int, int], int] = {}
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            for (k, j), v in self.x.items():
                if solver.value(v):
                    chosen.setdefault(k, []).append(self.pats[k][j])
            for key, zv in self.z.items():
                val = solver.value(zv)
                if val:
                    z[key] = val
            return _Result(
                chosen,
                z,
                self.types,
                self.members,
                name,
                solver.objective_value,
                solver.best_objective_bound,
            )
        return _Result({}, {}, self.types, self.members, name, None, None)


def _free(a: int, b: int, busy: list[tuple[int, int]], need: int) -> bool:
    edges = sorted((x, y) for x, y in busy if x < b and a < y)
    cursor = a
    for x, y in edges:
        if x - cursor >= need:
            return True
        cursor = max(cursor, y)
    return b - cursor >= need


class _Callback(cp_model.CpSolverSolutionCallback):
    def __init__(
        self,
        progress: ProgressCallback | None,
        t_start: float,
        offset: float,
        label: str,
        solver: cp_model.CpSolver,
    ) -> None:
        super().__init__()
        self.progress = progress
        self.t_start = t_start
        self.offset = offset
        self.label = label
        self.solver = solver
        self.cancelled = False
        self.best: float | None = None

    def _emit(self, objective: float | None, bound: float | None) -> None:
        if self.progress is None or self.cancelled:
            return
        event = ProgressEvent(
            elapsed_s=time.monotonic() - self.t_start,
            objective=None if objective is None else objective + self.offset,
            bound=None if bound is None else bound + self.offset,
            part=self.label,
        )
        if self.progress(event) is False:
            self.cancelled = True
            self.solver.stop_search()

    def on_solution_callback(self) -> None:
        self.best = self.objective_value
        self._emit(self.best, self.best_objective_bound)

    def on_bound(self, bound: float) -> None:
        self._emit(self.best, bound)


# --------------------------------------------------------------------------------------------
# Greedy heuristic
# --------------------------------------------------------------------------------------------


def _greedy(b: _Builder, order_seed: int = 0) -> dict[int, list[Pattern]]:
    """Fill residual demand shift by shift, keeping every constraint of the model."""
    prep, g = b.prep, b.prep.grid
    resid = b.residual.astype(np.float64).copy()
    chosen: dict[int, list[Pattern]] = {}
    rng = np.random.default_rng(order_seed)
    emps = list(b.part.emps)
    # Scarce skills first, then those with contract minimums.
    emps.sort(
        key=lambda k: (len(prep.employees[k].skills), -prep.employees[k].emp.min_minutes_per_week)
    )
    weeks = b._week_range()
    limits = {(k, w): b.week_limits(k, w) for k in emps for w in weeks}
    # Two free days per week, where demand is lowest, rotated over employees.
    day_load = [
        float(resid[:, g.idx(g.day_start[d]) : g.idx(g.day_start[d + 1])].sum())
        for d in range(g.days)
    ]
    for pos, k in enumerate(emps):
        e = prep.employees[k]
        pats = b.pats[k]
        if not pats:
            continue
        off: set[int] = set()
        rest_pairs: list[int] = []
        for w in weeks:
            if b.rest_windows(k, w) is None:
                continue
            days = [
                d
                for d in range(b.part.day_lo, b.part.day_hi)
                if g.week_bounds[w] <= g.day_start[d] < g.week_bounds[w + 1]
            ]
            pairs = [(days[i], days[i + 1]) for i in range(len(days) - 1)]
            if not pairs:
                off.update(days)
                continue
            # Days the employee cannot work anyway are the best days off; then low demand.
            workable = {d for d in days if any(p.day == d for p in pats)}

            def lost(pr: tuple[int, int], workable: set[int] = workable) -> int:
                return (pr[0] in workable) + (pr[1] in workable)

            fewest = min(lost(pr) for pr in pairs)
            costs = sorted(
                (pr for pr in pairs if lost(pr) == fewest),
                key=lambda pr: day_load[pr[0]] + day_load[pr[1]] + rng.random() * 1e-3,
            )
            pick = costs[(pos // 3) % min(3, len(costs))]
            off.update(pick)
            rest_pairs.append(pick[0])
        mine: list[Pattern] = []
        used = {w: 0 for w in weeks}
        by_day: dict[int, list[Pattern]] = defaultdict(list)
        for p in pats:
            by_day[p.day].append(p)
        skills = e.skills

        def fits(
            p: Pattern,
            e: EmployeeData = e,
            k: int = k,
            mine: list[Pattern] = mine,
            used: dict[int, int] = used,
            rest_pairs: list[int] = rest_pairs,
        ) -> bool:
            if any(q.start - e.rest_min < p.end and p.start < q.end + e.rest_min for q in mine):
                return False
            if p.day + 1 in rest_pairs and p.end > g.day_start[p.day + 1] + 180:
                return False
            return all(
                used.get(w, 0) + m <= limits.get((k, w), (0, 0))[1]
                for w, m in b._week_work(p).items()
            )

        def take(p: Pattern, mine: list[Pattern] = mine, used: dict[int, int] = used) -> None:
            mine.append(p)
            for w, m in b._week_work(p).items():
                used[w] = used.get(w, 0) + m

        work_days = [d for d in range(b.part.day_lo, b.part.day_hi) if d not in off and d in by_day]
        for pos_d, d in enumerate(work_days):
            w = g.week_of(g.day_start[d])
            left_days = sum(1 for dd in work_days[pos_d:] if g.week_of(g.day_start[dd]) == w)
            room = limits.get((k, w), (0, 0))[1] - used.get(w, 0)
            target = room / max(left_days, 1)
            best, best_score = None, 0.0
            for p in by_day[d]:
                if p.work_min > target + 60 or not fits(p):
                    continue
                idx = list(p.work_intervals())
                gain = (
                    float(np.minimum(resid[skills][:, idx], 1.0).max(axis=0).sum())
                    if skills
                    else 0.0
                )
                score = gain - 0.5 * (len(idx) - gain)
                if score > best_score:
                    best, best_score = p, score
            if best is None:
                continue
            take(best)
            idx = list(best.work_intervals())
            if skills:
                sub = resid[skills][:, idx]
                pick = sub.argmax(axis=0)
                for col, i in enumerate(idx):
                    resid[skills[int(pick[col])], i] -= 1
        # Repair: reach the contract minimum with extra or longer shifts.
        for w in weeks:
            lo = limits.get((k, w), (0, 0))[0]
            if used.get(w, 0) >= lo:
                continue
            for d in work_days:
                if g.week_of(g.day_start[d]) != w or used.get(w, 0) >= lo:
                    continue
                current = [q for q in mine if q.day == d]
                for q in current:
                    mine.remove(q)
                    for ww, m in b._week_work(q).items():
                        used[ww] -= m
                options = sorted(by_day[d], key=lambda q: -q.work_min)
                for p in options:
                    if fits(p):
                        take(p)
                        break
        if mine:
            chosen[k] = mine
    return chosen


def _split_channels(
    b: _Builder, chosen: dict[int, list[Pattern]]
) -> dict[tuple[int, int, int], int]:
    """z values for a set of chosen shifts: per interval, scarce types fill demand first."""
    count: dict[tuple[int, int], int] = defaultdict(int)
    for k, pats in chosen.items():
        tid = b.type_of.get(k)
        if tid is None:
            continue
        for p in pats:
            for i in p.work_intervals():
                count[(tid, i)] += 1
    resid = b.residual.copy()
    z: dict[tuple[int, int, int], int] = {}
    order = sorted(count, key=lambda ti: (ti[1], len(b.types[ti[0]][0])))
    for tid, i in order:
        left = count[(tid, i)]
        skills = sorted(
            b.types[tid][0], key=lambda c: (_channel_cost(b.types[tid], c), -resid[c, i])
        )
        for c in skills:
            if left <= 0:
                break
            take = int(min(left, max(resid[c, i], 0)))
            if take:
                z[(tid, c, i)] = take
                resid[c, i] -= take
                left -= take
    return z


# --------------------------------------------------------------------------------------------
# Assignment of individual agents to channels
# --------------------------------------------------------------------------------------------


def _assign(
    prep: Prepared,
    chosen: dict[int, list[Pattern]],
    results: list[tuple[_Builder, _Result]],
) -> dict[tuple[int, int], int]:
    """Per (employee, interval) the channel, realising every part's z counts.

    Agents keep their channel from the previous interval when they can (fewer switches) and
    get a preferred channel when there is a choice.  Idle agents stay on their last channel
    (over-coverage) or on their first preferred/trained channel.
    """
    out: dict[tuple[int, int], int] = {}
    for b, res in results:
        working: dict[tuple[int, int], list[int]] = defaultdict(list)
        for k in b.part.emps:
            tid = b.type_of[k]
            for p in res.chosen.get(k, []):
                for i in p.work_intervals():
                    working[(tid, i)].append(k)
        for (tid, i), ks in sorted(working.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            skills = b.types[tid][0]
            quota = {c: res.z.get((tid, c, i), 0) for c in skills}
            free = list(ks)
            # Keep the previous channel first.
            for k in list(free):
                c = out.get((k, i - 1))
                if c is not None and quota.get(c, 0) > 0:
                    out[(k, i)] = c
                    quota[c] -= 1
                    free.remove(k)
            for c in sorted(quota, key=lambda c: _channel_cost(b.types[tid], c)):
                while quota[c] > 0 and free:
                    k = free.pop(0)
                    out[(k, i)] = c
                    quota[c] -= 1
            for k in free:
                if not skills:
                    continue
                prev = out.get((k, i - 1))
                if prev is None:
                    prev = min(skills, key=lambda c: _channel_cost(b.types[tid], c))
                out[(k, i)] = prev
    return out


# --------------------------------------------------------------------------------------------
# The LP bound
# --------------------------------------------------------------------------------------------


def _avail(e: EmployeeData) -> NDArray[np.bool_]:
    assert e.available is not None
    return e.available


def coverage_lp_bound(prep: Prepared) -> float:
    """A lower bound on total under-coverage (agent-intervals) from an aggregate LP.

    Relaxation: per employee type ``g`` and interval ``t`` at most ``A[g, t]`` agents work
    (those available), in each week at most the sum of their weekly maxima (minutes / 15)
    of agent-intervals, and at most ``max shift work x days`` per day; the agents split freely
    over their trained channels.  Shift shapes, pauses and rest are dropped, so every roster is
    feasible for it and its optimum bounds the under-coverage from below.  Solved with
    ``scipy.optimize.linprog`` (HiGHS).
    """
    from scipy.optimize import linprog
    from scipy.sparse import coo_matrix

    g = prep.grid
    keys: dict[tuple[int, ...], int] = {}
    members: list[list[EmployeeData]] = []
    for e in prep.employees:
        key = tuple(e.skills)
        if not key:
            continue
        if key not in keys:
            keys[key] = len(members)
            members.append([])
        members[keys[key]].append(e)
    types = list(keys)
    cols: list[tuple[int, int, int]] = []  # (type, channel, t)
    for tid, skills in enumerate(types):
        avail = np.sum([_avail(e) for e in members[tid]], axis=0)
        for c in skills:
            for t_np in np.nonzero((prep.demand[c] > 0) & (avail > 0))[0]:
                cols.append((tid, c, int(t_np)))
    if not cols:
        return float(prep.demand.sum())
    ncol = len(cols)
    rows_i: list[int] = []
    rows_j: list[int] = []
    vals: list[float] = []
    rhs: list[float] = []
    row = 0
    # Demand per (c, t): sum z <= d.
    ct_row: dict[tuple[int, int], int] = {}
    tt_row: dict[tuple[int, int], int] = {}
    tw_row: dict[tuple[int, int], int] = {}
    avail_cache = [np.sum([_avail(e) for e in members[tid]], axis=0) for tid in range(len(types))]
    budget = []
    for tid in range(len(types)):
        per_week: dict[int, float] = defaultdict(float)
        for e in members[tid]:
            for w in range(len(g.week_bounds) - 1):
                per_week[w] += (e.max_week_min - e.fixed_work_week.get(w, 0)) / STEP
        budget.append(per_week)
    for j, (tid, c, t) in enumerate(cols):
        entries: list[tuple[tuple[int, int], dict[tuple[int, int], int], float | None]] = [
            ((c, t), ct_row, float(prep.demand[c, t])),
            ((tid, t), tt_row, float(avail_cache[tid][t])),
            ((tid, g.week_of(g.p0 + STEP * t)), tw_row, None),
        ]
        for key, store, limit in entries:
            r = store.get(key)
            if r is None:
                r = store[key] = row
                row += 1
                if limit is None:
                    limit = max(budget[tid][key[1]], 0.0)
                rhs.append(limit)
            rows_i.append(r)
            rows_j.append(j)
            vals.append(1.0)
    a = coo_matrix((vals, (rows_i, rows_j)), shape=(row, ncol)).tocsr()
    res = linprog(-np.ones(ncol), A_ub=a, b_ub=np.array(rhs), bounds=(0, None), method="highs")
    covered = -res.fun if res.status == 0 else 0.0
    # Dual-safe: the LP optimum is exact up to solver tolerance; round down the cover.
    return max(float(prep.demand.sum()) - covered - 1e-6, 0.0)


def _coverage_of(prep: Prepared, channel_of: dict[tuple[int, int], int]) -> NDArray[np.int64]:
    cov = np.zeros_like(prep.demand)
    for (_, i), c in channel_of.items():
        cov[c, i] += 1
    return cov


def _score(
    prep: Prepared,
    part: _Part,
    chosen: dict[int, list[Pattern]],
    cov: NDArray[np.int64],
    residual: NDArray[np.int64],
    imp: NDArray[np.float64],
) -> float:
    """Objective of a part's roster against its residual demand (same weights as the model)."""
    g = prep.grid
    a, b = g.idx(g.day_start[part.day_lo]), g.idx(g.day_start[part.day_hi])
    under = np.maximum(residual[:, a:b] - cov[:, a:b], 0)
    over = np.maximum(cov[:, a:b] - residual[:, a:b], 0)
    total = float((WEIGHTS["under"] * imp[:, a:b] * under).sum())
    total += WEIGHTS["over"] * float(over.sum())
    fair = 0
    for k in part.emps:
        e = prep.employees[k]
        pats = chosen.get(k, [])
        fair = max(fair, sum(p.unpleasant for p in pats))
        wished = e.emp.wished_minutes_per_week
        if wished is None:
            continue
        by_week: dict[int, int] = defaultdict(int)
        for p in pats:
            by_week[g.week_of(p.start)] += p.work_min
        for w in range(len(g.week_bounds) - 1):
            w0, w1 = g.week_bounds[w], g.week_bounds[w + 1]
            if not (w0 < g.day_start[part.day_hi] and w1 > g.day_start[part.day_lo]):
                continue
            share = (min(w1, g.p1) - max(w0, g.p0)) / (w1 - w0)
            total += WEIGHTS["wish_per_15min"] * abs(by_week[w] - int(wished * share)) / STEP
    total += WEIGHTS["fairness"] * fair
    return total


def _deficient(b: _Builder, chosen: dict[int, list[Pattern]]) -> list[int]:
    """Employees of the part whose roster misses a contract minimum."""
    out = []
    for k in b.part.emps:
        work: dict[int, int] = defaultdict(int)
        for p in chosen.get(k, []):
            for w, m in b._week_work(p).items():
                work[w] += m
        if any(work[w] < b.week_limits(k, w)[0] for w in b._week_range()):
            out.append(k)
    return out


def _hint_complete(b: _Builder, chosen: dict[int, list[Pattern]]) -> bool:
    """Whether the greedy roster reaches every contract minimum of the part."""
    return not _deficient(b, chosen)


def _lns(
    prep: Prepared,
    part: _Part,
    residual: NDArray[np.int64],
    committed: dict[int, list[Pattern]],
    imp: NDArray[np.float64],
    chosen: dict[int, list[Pattern]],
    channels: dict[tuple[int, int], int],
    *,
    deadline: float,
    workers: int,
    progress: ProgressCallback | None,
    t_start: float,
    offset: float,
    stats: SolveStats,
    bound: float,
) -> tuple[dict[int, list[Pattern]], dict[tuple[int, int], int]]:
    """Large-neighbourhood search: free a group of employees, keep the rest, re-solve exactly.

    Groups share skills with the channels that miss most agents (so they can move coverage
    there) and are filled up at random; a move is kept when the part's objective does not
    get worse.
    """
    rng = np.random.default_rng(7)
    cov = _coverage_of(prep, channels)
    best = _score(prep, part, chosen, cov, residual, imp)
    whole = _Builder(prep, part, residual, committed, imp)
    missing = _deficient(whole, chosen)
    emps = list(part.emps)
    step = 0
    while not stats.cancelled:
        left = deadline - time.monotonic()
        if left < 1.0:
            break
        step += 1
        under = np.maximum(residual - cov, 0)
        short = under.sum(axis=1)
        size = min(LNS_EMPLOYEES, len(emps))
        if step % 2 and short.sum() > 0:
            # Around the worst day of the worst channel: those trained for it first.
            c = int(np.argmax(short))
            weights = np.array(
                [3.0 if c in prep.employees[k].skills else 1.0 for k in emps], dtype=np.float64
            )
        else:
            weights = np.ones(len(emps))
        pick = rng.choice(len(emps), size=size, replace=False, p=weights / weights.sum())
        group = [emps[int(j)] for j in pick]
        if missing:
            # First repair contract minimums the greedy roster could not reach.
            group = (missing[: size // 2] + [k for k in group if k not in missing])[:size]
        gset = set(group)
        mine = {key: c for key, c in channels.items() if key[0] in gset}
        sub_resid = residual - cov + _coverage_of(prep, mine)
        sub_resid = np.maximum(sub_resid, 0)
        sub = _Builder(
            prep, _Part(group, part.day_lo, part.day_hi, part.label), sub_resid, committed, imp
        )
        sub.build()
        sub.hint({k: chosen.get(k, []) for k in group})
        res = sub.solve(
            min(max(left - 0.5, 0.5), LNS_STEP_S), workers, None, t_start, offset, stats
        )
        if res.objective is None:
            continue
        new_channels = _assign(prep, res.chosen, [(sub, res)])
        trial_chosen = {k: v for k, v in chosen.items() if k not in gset}
        trial_chosen.update(res.chosen)
        trial_channels = {key: c for key, c in channels.items() if key[0] not in gset}
        trial_channels.update(new_channels)
        trial_cov = _coverage_of(prep, trial_channels)
        score = _score(prep, part, trial_chosen, trial_cov, residual, imp)
        trial_missing = [k for k in missing if k not in gset]
        if (len(trial_missing), score) <= (len(missing), best):
            best, chosen, channels, cov = score, trial_chosen, trial_channels, trial_cov
            missing = trial_missing
        if progress is not None:
            event = ProgressEvent(time.monotonic() - t_start, offset + best, bound, part.label)
            if progress(event) is False:
                stats.cancelled = True
    stats.cp_status.append(f"{part.label}: LNS {step} steps")
    stats.missing_minimum.extend(prep.employees[k].emp.id for k in missing)
    return chosen, channels


# --------------------------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------------------------


def _parts(prep: Prepared, max_patterns: int) -> list[_Part]:
    g = prep.grid
    total = prep.n_patterns
    days_per_week: list[tuple[int, int]] = []
    if total <= max_patterns:
        return [_Part(list(range(len(prep.employees))), 0, g.days, "all")]
    # By calendar week.
    d = 0
    while d < g.days:
        w = g.week_of(g.day_start[d])
        end = d
        while end < g.days and g.week_of(g.day_start[end]) == w:
            end += 1
        days_per_week.append((d, end))
        d = end
    parts: list[_Part] = []
    for wi, (lo, hi) in enumerate(days_per_week):
        in_week = sum(1 for e in prep.employees for p in e.patterns if lo <= p.day < hi)
        teams = max(1, -(-in_week // max_patterns))
        emps = list(range(len(prep.employees)))
        # Teams mix skills evenly: deal employees round-robin in skill order.
        emps.sort(key=lambda k: (tuple(prep.employees[k].skills), k))
        for t in range(teams):
            parts.append(
                _Part(
                    emps[t::teams],
                    lo,
                    hi,
                    f"week {wi + 1}/{len(days_per_week)}, team {t + 1}/{teams}",
                )
            )
    return parts


def solve(
    problem: RosterProblem,
    *,
    time_limit_s: float = 60,
    workers: int = 2,
    progress: ProgressCallback | None = None,
    start_stride_min: int | None = None,
    length_stride_min: int | None = None,
    max_patterns_per_model: int = MAX_PATTERNS_PER_MODEL,
    importance: dict[str, Sequence[float]] | None = None,
) -> RosterSolution:
    """Make a roster with CP-SAT.

    Parameters
    ----------
    problem : RosterProblem
        The problem.
    time_limit_s : float
        Wall-clock budget in seconds for the whole run.
    workers : int
        CP-SAT workers (threads); 2 uses both cores.
    progress : callable, optional
        Called with a :class:`ProgressEvent` on every improvement of the objective or bound;
        return ``False`` to stop (the best roster so far is returned).
    start_stride_min, length_stride_min : int, optional
        Candidate shift starts and lengths every this many minutes; by default chosen from
        the problem size (30/60 minutes, coarser for big problems).
    max_patterns_per_model : int
        Above this many candidate shifts the problem is solved per week and per team.
    importance : dict of str to sequence of float, optional
        Weight per channel per interval of missing an agent (default 1).

    Returns
    -------
    RosterSolution
        ``status`` is ``optimal``/``feasible`` with the roster, ``infeasible`` with a report of
        the conflicts (``report["conflicts"]``, ``report["shortfall"]``), or ``timeout`` when
        no roster was found in time.
    """
    t_start = time.monotonic()
    # Keep a margin for turning the roster into a solution (assignments, explanations).
    deadline = t_start + max(time_limit_s - max(1.0, 0.01 * time_limit_s), 0.8 * time_limit_s)
    size = len(problem.employees) * problem.days
    # Small problems get every allowed start and length (then CP-SAT's bound is a bound of
    # the whole problem); bigger ones a coarser grid of candidate shifts.
    if start_stride_min is None:
        start_stride_min = 15 if size <= 40 else 30 if size <= 1500 else 60
    if length_stride_min is None:
        length_stride_min = 15 if size <= 40 else 60 if size <= 1500 else 120
    prep = prepare(problem, start_stride_min=start_stride_min, length_stride_min=length_stride_min)
    stats = SolveStats(patterns=prep.n_patterns)
    imp = np.ones_like(prep.demand, dtype=np.float64)
    if importance:
        for c, values in importance.items():
            imp[prep.channels.index(c)] = np.asarray(values, dtype=np.float64)

    pre = _precheck(prep)
    if pre:
        return _infeasible(prep, pre, stats, t_start)

    parts = _parts(prep, max_patterns_per_model)
    stats.parts = len(parts)
    residual = prep.demand.copy()
    fixed_cov = _fixed_coverage(prep)
    residual = np.maximum(residual - fixed_cov, 0)
    committed: dict[int, list[Pattern]] = {}
    weights = [
        sum(len(prep.employees[k].patterns) for k in p.emps) * (p.day_hi - p.day_lo) for p in parts
    ]
    offset = 0.0
    statuses: list[str] = []
    bound_sum = 0.0
    greedy_total = 0.0
    channel_of: dict[tuple[int, int], int] = {}
    lp_under = coverage_lp_bound(prep)
    stats.lp_bound_under = lp_under
    for pi, part in enumerate(parts):
        b = _Builder(prep, part, residual, committed, imp)
        greedy = _greedy(b)
        g_res = _Result(
            greedy, _split_channels(b, greedy), b.types, b.members, "GREEDY", None, None
        )
        greedy_total += _objective_of(b, greedy)
        if progress is not None and not stats.cancelled:
            first = ProgressEvent(
                time.monotonic() - t_start,
                offset + _objective_of(b, greedy),
                WEIGHTS["under"] * lp_under,
                part.label,
            )
            stats.cancelled = progress(first) is False
        left = deadline - time.monotonic()
        share = weights[pi] / max(sum(weights[pi:]), 1)
        budget = max(left * share, 0.5)
        n_pats = sum(len(b.pats[k]) for k in part.emps)
        if stats.cancelled and _hint_complete(b, greedy):
            res = g_res
            statuses.append(res.status)
            part_channels = _assign(prep, res.chosen, [(b, res)])
            chosen_part = res.chosen
        elif n_pats <= FULL_MODEL_PATTERNS:
            b.build()
            b.hint(greedy)
            res = b.solve(budget, workers, progress, t_start, offset, stats)
            if res.objective is None:
                if res.status == "INFEASIBLE":
                    return _infeasible(prep, _diagnose(prep, part), stats, t_start)
                res = g_res
                stats.missing_minimum.extend(
                    prep.employees[k].emp.id for k in _deficient(b, greedy)
                )
            statuses.append(res.status)
            part_channels = _assign(prep, res.chosen, [(b, res)])
            chosen_part = res.chosen
            if res.bound is not None:
                bound_sum += res.bound
        else:
            if not _hint_complete(b, greedy):
                # The greedy roster misses a contract minimum: let CP-SAT find one.
                b.build()
                b.hint(greedy)
                res = b.solve(min(budget, 30.0), workers, progress, t_start, offset, stats)
                if res.objective is None:
                    if res.status == "INFEASIBLE":
                        return _infeasible(prep, _diagnose(prep, part), stats, t_start)
                    res = g_res
                greedy = res.chosen
                g_res = res
            part_channels = _assign(prep, greedy, [(b, g_res)])
            chosen_part, part_channels = _lns(
                prep,
                part,
                residual,
                committed,
                imp,
                greedy,
                part_channels,
                deadline=time.monotonic() + max(budget, 0.0),
                workers=workers,
                progress=progress,
                t_start=t_start,
                offset=offset,
                stats=stats,
                bound=WEIGHTS["under"] * lp_under,
            )
            statuses.append("LNS")
        channel_of.update(part_channels)
        cov_part = _coverage_of(prep, part_channels)
        offset += _score(prep, part, chosen_part, cov_part, residual, imp)
        for k, pats in chosen_part.items():
            committed.setdefault(k, []).extend(pats)
        residual = np.maximum(residual - cov_part, 0)
    stats.greedy_objective = greedy_total
    stats.cp_bound = bound_sum if len(parts) == 1 and statuses[0] != "LNS" else None
    stats.wall_s = time.monotonic() - t_start
    if stats.missing_minimum:
        # The roster misses contract minimums: not a solution, say so.
        status = SolutionStatus.TIMEOUT
    elif all(s == "OPTIMAL" for s in statuses) and _full_grid(prep):
        # Optimal only when every allowed start and length was a candidate.
        status = SolutionStatus.OPTIMAL
    elif not committed and any(e.emp.min_minutes_per_week for e in prep.employees):
        status = SolutionStatus.TIMEOUT
    else:
        status = SolutionStatus.FEASIBLE
    return _build_solution(prep, committed, channel_of, status, stats, imp)


def _full_grid(prep: Prepared) -> bool:
    """Whether every allowed start and length was a candidate shift."""
    step = prep.problem.shift_rules.start_step_minutes
    return prep.start_stride_min <= step and prep.length_stride_min <= STEP


def _objective_of(b: _Builder, chosen: dict[int, list[Pattern]]) -> float:
    z = _split_channels(b, chosen)
    return float(WEIGHTS["under"] * (b.residual.sum() - sum(z.values())))


def _fixed_coverage(prep: Prepared) -> NDArray[np.int64]:
    g = prep.grid
    cov = np.zeros_like(prep.demand)
    cidx = {c: k for k, c in enumerate(prep.channels)}
    for e in prep.employees:
        for shift in e.emp.fixed_shifts:
            for a in shift.assignments:
                i0 = g.idx(int(a.start.timestamp()) // 60)
                i1 = g.idx(int(a.end.timestamp()) // 60)
                cov[cidx[a.channel], max(i0, 0) : min(i1, g.n)] += 1
    return cov


# --------------------------------------------------------------------------------------------
# Infeasibility: never silent
# --------------------------------------------------------------------------------------------


def _precheck(prep: Prepared) -> list[dict[str, Any]]:
    """Conflicts that need no solver: fixed shifts that break a rule on their own."""
    from veerkracht.planning.roster.check import check_solution

    problem = prep.problem
    if not any(e.emp.fixed_shifts for e in prep.employees):
        return []
    shifts = [
        RosterShift(employee=e.emp.id, fixed=True, **f.model_dump())
        for e in prep.employees
        for f in e.emp.fixed_shifts
    ]
    report = check_solution(problem, RosterSolution(status=SolutionStatus.FEASIBLE, shifts=shifts))
    conflicts = []
    for v in report.errors:
        if v.rule.startswith(("CON-01", "COV")):
            continue  # fewer hours than the minimum is for the solver to fill
        conflicts.append(
            {
                "kind": "fixed_shift_breaks_rule",
                "employee": v.employee,
                "rule": v.rule,
                "message": v.message,
                "start": v.start.isoformat() if v.start else None,
                "end": v.end.isoformat() if v.end else None,
            }
        )
    return conflicts


def _diagnose(prep: Prepared, part: _Part) -> list[dict[str, Any]]:
    """Which employees cannot be rostered on their own (contract minimum, rest, fixed shifts)."""
    conflicts: list[dict[str, Any]] = []
    zero = np.zeros_like(prep.demand)
    for k in part.emps:
        e = prep.employees[k]
        one = _Part([k], part.day_lo, part.day_hi, f"employee {e.emp.id}")
        b = _Builder(prep, one, zero, {}, np.ones_like(prep.demand, dtype=np.float64))
        b.build()
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = 2.0
        solver.parameters.num_workers = 1
        status = solver.solve(b.model)
        if status != cp_model.INFEASIBLE:
            continue
        # Most work each week can give, without the minimum.
        b2 = _Builder(
            prep, one, zero, {}, np.ones_like(prep.demand, dtype=np.float64), contract_min=False
        )
        b2.build()
        best = {}
        for w in b2._week_range():
            lo, hi = b.week_limits(k, w)
            if lo <= 0:
                continue
            expr = sum(
                m * b2.x[(k, j)]
                for j, p in enumerate(b2.pats[k])
                for ww, m in b2._week_work(p).items()
                if ww == w
            )
            b2.model.maximize(expr)
            s2 = cp_model.CpSolver()
            s2.parameters.max_time_in_seconds = 2.0
            s2.parameters.num_workers = 1
            st = s2.solve(b2.model)
            most = int(s2.objective_value) if st in (cp_model.OPTIMAL, cp_model.FEASIBLE) else 0
            if most < lo:
                best[w] = (lo, most)
        g = prep.grid
        if best:
            for w, (lo, most) in best.items():
                conflicts.append(
                    {
                        "kind": "contract_minimum_does_not_fit",
                        "employee": e.emp.id,
                        "rule": "CON-01",
                        "message": (
                            f"needs at least {lo} minutes in the week from "
                            f"{g.local(g.week_bounds[w]).date().isoformat()}, but availability, "
                            f"shift rules and working-time rules allow at most {most}"
                        ),
                        "week": g.local(g.week_bounds[w]).date().isoformat(),
                        "min_minutes": lo,
                        "possible_minutes": most,
                    }
                )
        else:
            conflicts.append(
                {
                    "kind": "employee_rules_conflict",
                    "employee": e.emp.id,
                    "rule": "ATW-05/ATW-07/CON",
                    "message": (
                        "no roster for this employee keeps the contract hours, the daily and "
                        "weekly rest and the fixed shifts at the same time"
                    ),
                }
            )
    if not conflicts:
        conflicts.append(
            {
                "kind": "combination",
                "employee": None,
                "rule": None,
                "message": "every employee can be rostered alone; the combination is infeasible",
            }
        )
    return conflicts


def _shortfall(prep: Prepared) -> dict[str, dict[str, int]]:
    """Per channel per day: demand minus what trained, available agents could give at most."""
    g = prep.grid
    out: dict[str, dict[str, int]] = {}
    for c, name in enumerate(prep.channels):
        cap = np.zeros(g.n, dtype=np.int64)
        for e in prep.employees:
            if c in e.skills and e.available is not None:
                cap += e.available
        short = np.maximum(prep.demand[c] - cap, 0)
        per_day = {}
        for d in range(g.days):
            a, b = g.idx(g.day_start[d]), g.idx(g.day_start[d + 1])
            val = int(short[a:b].sum())
            if val:
                per_day[g.local(g.day_start[d]).date().isoformat()] = val
        out[name] = per_day
    return out


def _infeasible(
    prep: Prepared, conflicts: list[dict[str, Any]], stats: SolveStats, t_start: float
) -> RosterSolution:
    stats.wall_s = time.monotonic() - t_start
    shifts = [
        RosterShift(employee=e.emp.id, fixed=True, **f.model_dump())
        for e in prep.employees
        for f in e.emp.fixed_shifts
    ]
    explanations = [
        Explanation(
            code=str(c["kind"]),
            message=str(c["message"]),
            employee=c.get("employee"),
            params={k: v for k, v in c.items() if k not in ("kind", "message", "employee")},
        )
        for c in conflicts
    ]
    return RosterSolution(
        status=SolutionStatus.INFEASIBLE,
        shifts=shifts,
        explanations=explanations,
        report={
            "summary": f"infeasible: {len(conflicts)} conflict(s): "
            + "; ".join(
                f"{c.get('employee') or '-'} {c.get('rule') or ''}: {c['message']}"
                for c in conflicts[:5]
            ),
            "conflicts": conflicts,  # type: ignore[dict-item]
            "shortfall": _shortfall(prep),  # type: ignore[dict-item]
            "solver": _stats_json(stats),
        },
    )


def _stats_json(stats: SolveStats) -> dict[str, Any]:
    return {
        "patterns": stats.patterns,
        "parts": stats.parts,
        "greedy_objective": stats.greedy_objective,
        "cp_status": stats.cp_status,
        "cp_bound": stats.cp_bound,
        "lp_bound_under_agent_intervals": stats.lp_bound_under,
        "wall_s": round(stats.wall_s, 3),
        "cancelled": stats.cancelled,
        "missing_contract_minimum": stats.missing_minimum,
        "weights": dict(WEIGHTS),
    }


# --------------------------------------------------------------------------------------------
# The solution, figures and explanations
# --------------------------------------------------------------------------------------------


def _runs(values: list[int]) -> list[tuple[int, int, int]]:
    """(start, end, value) runs of equal values, value != -1."""
    out: list[tuple[int, int, int]] = []
    for i, v in enumerate(values):
        if out and out[-1][2] == v and out[-1][1] == i:
            out[-1] = (out[-1][0], i + 1, v)
        else:
            out.append((i, i + 1, v))
    return [r for r in out if r[2] != -1]


def _build_solution(
    prep: Prepared,
    committed: dict[int, list[Pattern]],
    channel_of: dict[tuple[int, int], int],
    status: SolutionStatus,
    stats: SolveStats,
    importance: NDArray[np.float64],
) -> RosterSolution:
    g = prep.grid
    cov = _fixed_coverage(prep).copy()
    shifts: list[RosterShift] = []
    explanations: list[Explanation] = []
    pref_total = pref_ok = unpref = 0
    unpleasant: dict[str, int] = {}
    for e in prep.employees:
        for f in e.emp.fixed_shifts:
            shifts.append(RosterShift(employee=e.emp.id, fixed=True, **f.model_dump()))
        pats = sorted(committed.get(e.index, []), key=lambda p: p.start)
        unpleasant[e.emp.id] = sum(p.unpleasant for p in pats) * STEP
        for p in pats:
            seq = [-1] * (p.i1 - p.i0)
            for i in p.work_intervals():
                c = channel_of.get((e.index, i))
                if c is not None:
                    seq[i - p.i0] = c
                    cov[c, i] += 1
                    pref_total += 1
                    pref_ok += c in e.preferred
                    unpref += c in e.unpreferred
            assignments = [
                Assignment(
                    start=g.local(g.p0 + STEP * (p.i0 + a)),
                    end=g.local(g.p0 + STEP * (p.i0 + b)),
                    channel=prep.channels[c],
                )
                for a, b, c in _runs(seq)
            ]
            breaks = [Break(start=g.local(p.brk[0]), end=g.local(p.brk[1]))] if p.brk else []
            shifts.append(
                RosterShift(
                    employee=e.emp.id,
                    start=g.local(p.start),
                    end=g.local(p.end),
                    breaks=breaks,
                    assignments=assignments,
                )
            )
            explanations.append(_why(prep, e, p, seq))
    demand = prep.demand
    under = np.maximum(demand - cov, 0)
    over = np.maximum(cov - demand, 0)
    explanations.extend(_unmet_reasons(prep, committed, channel_of, under))
    objective = _objective(prep, committed, under, over, cov, importance)
    lp_under = stats.lp_bound_under or 0.0
    lower = WEIGHTS["under"] * float(importance.min()) * lp_under
    if stats.cp_bound is not None and _full_grid(prep):
        lower = max(lower, stats.cp_bound)
    values = list(unpleasant.values())
    total_demand = int(demand.sum())
    report: dict[str, Any] = {
        "kpi": {
            "demand_agent_intervals": total_demand,
            "under_agent_intervals": int(under.sum()),
            "under_pct": round(100.0 * under.sum() / total_demand, 3) if total_demand else 0.0,
            "over_agent_intervals": int(over.sum()),
            "preferred_channel_share": round(pref_ok / pref_total, 4) if pref_total else None,
            "unpreferred_channel_intervals": unpref,
        },
        "fairness": {
            "evening_weekend_minutes_per_employee": unpleasant,
            "max_minutes": max(values, default=0),
            "mean_minutes": round(float(np.mean(values)), 1) if values else 0.0,
            "std_minutes": round(float(np.std(values)), 1) if values else 0.0,
        },
        "wished_hours": _wished(prep, committed),
        "solver": _stats_json(stats),
    }
    return RosterSolution(
        status=status,
        objective=float(objective),
        lower_bound=float(min(lower, objective)),
        shifts=shifts,
        under_coverage={c: under[k].tolist() for k, c in enumerate(prep.channels)},
        over_coverage={c: over[k].tolist() for k, c in enumerate(prep.channels)},
        coverage={c: cov[k].tolist() for k, c in enumerate(prep.channels)},
        explanations=explanations,
        report=report,
    )


def _objective(
    prep: Prepared,
    committed: dict[int, list[Pattern]],
    under: NDArray[np.int64],
    over: NDArray[np.int64],
    cov: NDArray[np.int64],
    importance: NDArray[np.float64],
) -> float:
    """The objective of the final roster, recomputed (same weights as the model)."""
    total = float((WEIGHTS["under"] * importance * under).sum())
    total += WEIGHTS["over"] * float(over.sum())
    total += WEIGHTS["wish_per_15min"] * sum(
        abs(v["deviation_minutes"]) / STEP for v in _wished(prep, committed).values()
    )
    total += WEIGHTS["fairness"] * max(
        (sum(p.unpleasant for p in committed.get(e.index, [])) for e in prep.employees), default=0
    )
    return float(total)


def _wished(prep: Prepared, committed: dict[int, list[Pattern]]) -> dict[str, Any]:
    g = prep.grid
    out: dict[str, Any] = {}
    for e in prep.employees:
        wished = e.emp.wished_minutes_per_week
        if wished is None:
            continue
        weeks = len(g.week_bounds) - 1
        work = [e.fixed_work_week.get(w, 0) for w in range(weeks)]
        for p in committed.get(e.index, []):
            for i in p.work_intervals():
                work[g.week_of(g.p0 + STEP * i)] += STEP
        dev = 0
        for w in range(weeks):
            w0, w1 = g.week_bounds[w], g.week_bounds[w + 1]
            share = (min(w1, g.p1) - max(w0, g.p0)) / (w1 - w0)
            dev += work[w] - int(wished * share)
        out[e.emp.id] = {"wished_minutes_per_week": wished, "deviation_minutes": dev}
    return out


def _hhmm(prep: Prepared, i: int) -> str:
    return prep.grid.local(prep.grid.p0 + STEP * i).strftime("%H:%M")


def _why(prep: Prepared, e: EmployeeData, p: Pattern, seq: list[int]) -> Explanation:
    pieces = []
    covered: dict[str, int] = {}
    for a, b, c in _runs(seq):
        demand_here = int((prep.demand[c, p.i0 + a : p.i0 + b] > 0).sum())
        name = prep.channels[c]
        covered[name] = covered.get(name, 0) + demand_here * STEP
        if demand_here:
            pieces.append(f"{name} demand {_hhmm(prep, p.i0 + a)}-{_hhmm(prep, p.i0 + b)}")
    pref = [prep.channels[c] for c in sorted(e.preferred)]
    share = (
        sum(1 for c in seq if c in e.preferred) / max(sum(1 for c in seq if c >= 0), 1)
        if e.preferred
        else None
    )
    text = "covers " + (", ".join(pieces) if pieces else "no open demand (contract hours)")
    text += "; within availability"
    if pref:
        text += f"; preferred channel {'/'.join(pref)} {round(100 * (share or 0))}% of the time"
    if p.brk:
        text += f"; pause {(p.brk[1] - p.brk[0])} min in the middle"
    g = prep.grid
    return Explanation(
        code="shift_reason",
        message=text,
        employee=e.emp.id,
        start=g.local(p.start),
        end=g.local(p.end),
        params={
            "covered_minutes": covered,  # type: ignore[dict-item]
            "preferred_share": share,
            "within_availability": True,
        },
    )


_REASONS = {
    "nobody_available": "nobody is available then",
    "nobody_trained": "nobody available then is trained for this channel",
    "contract_hours_exhausted": "everyone trained and available has used up the week's hours",
    "busy_on_other_channels": "everyone trained and working is needed on another channel",
    "rest_or_shift_rules": "the trained, available agents cannot work then without breaking "
    "the daily/weekly rest, pause or shift-length rules, or their shift is used elsewhere",
}


def _unmet_reasons(
    prep: Prepared,
    committed: dict[int, list[Pattern]],
    channel_of: dict[tuple[int, int], int],
    under: NDArray[np.int64],
) -> list[Explanation]:
    g = prep.grid
    weeks = len(g.week_bounds) - 1
    used = np.zeros((len(prep.employees), max(weeks, 1)), dtype=np.int64)
    working = defaultdict(set)
    for e in prep.employees:
        for w, m in e.fixed_work_week.items():
            if 0 <= w < weeks:
                used[e.index, w] += m
        for p in committed.get(e.index, []):
            for i in p.work_intervals():
                used[e.index, g.week_of(g.p0 + STEP * i)] += STEP
                working[i].add(e.index)
    avail = (
        np.array([e.available for e in prep.employees])
        if prep.employees
        else np.zeros((0, g.n), bool)
    )
    out: list[Explanation] = []
    for c, name in enumerate(prep.channels):
        codes = [-1] * g.n
        keys = list(_REASONS)
        for i_np in np.nonzero(under[c])[0]:
            i = int(i_np)
            here: list[int] = [int(v) for v in np.nonzero(avail[:, i])[0]] if len(avail) else []
            if len(here) == 0:
                code = "nobody_available"
            else:
                trained = [k for k in here if c in prep.employees[k].skills]
                if not trained:
                    code = "nobody_trained"
                else:
                    w = g.week_of(g.p0 + STEP * i)
                    idle = [k for k in trained if k not in working[i]]
                    if not idle:
                        code = "busy_on_other_channels"
                    elif all(used[k, w] + STEP > prep.employees[k].max_week_min for k in idle):
                        code = "contract_hours_exhausted"
                    else:
                        code = "rest_or_shift_rules"
            codes[i] = keys.index(code)
        for a, b, code_i in _runs(codes):
            code = keys[code_i]
            missing = int(under[c, a:b].sum())
            out.append(
                Explanation(
                    code=code,
                    message=f"{name} {g.local(g.p0 + STEP * a):%a %d %b %H:%M}-"
                    f"{g.local(g.p0 + STEP * b):%H:%M}: {missing} agent-intervals unmet; "
                    f"{_REASONS[code]}",
                    channel=name,
                    start=g.local(g.p0 + STEP * a),
                    end=g.local(g.p0 + STEP * b),
                    params={"missing_agent_intervals": missing},
                )
            )
    return out
