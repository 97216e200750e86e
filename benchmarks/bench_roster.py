"""Benchmark of the roster solver (issue 4, "Performance").

One command::

    .venv/bin/python benchmarks/bench_roster.py          # full run (> 20 minutes)
    .venv/bin/python benchmarks/bench_roster.py --quick  # small sizes, under a minute

It prints, for a normal week and a surge week (150 agents, 7 days, 4 channels, demand from a
forecast-shaped intraday curve): the under-coverage of :func:`veerkracht.planning.roster.solver.solve`
in 60 s on 2 workers, the under-coverage of a *plain* CP-SAT model in 300 s on the same instance
(every allowed start and length per employee-day as a boolean, the pause in the middle, a
boolean per employee, interval and channel, minimising under-coverage only), and the gap of
both to an LP lower bound (:func:`coverage_lp_bound`: an aggregate capacity LP solved with
HiGHS through ``scipy.optimize.linprog``).  Every roster is verified with
:func:`veerkracht.planning.roster.check.check_solution`.  Then it solves 500 agents x 28 days
and prints the wall time and the peak RSS (``resource.getrusage``).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from datetime import time as dtime
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from veerkracht.planning.calendar import TZ, intervals_in_day, local_midnight_utc_s
from veerkracht.planning.roster.check import check_solution
from veerkracht.planning.roster.model import (
    Assignment,
    Break,
    RosterProblem,
    RosterShift,
    RosterSolution,
    SolutionStatus,
    expected_demand_length,
)
from veerkracht.planning.roster.patterns import STEP, prepare
from veerkracht.planning.roster.solver import _Builder, _Part, coverage_lp_bound, solve

CHANNELS = ["phone", "chat", "email", "social"]
START = date(2026, 3, 9)  # a Monday


def _iso(day: date, minutes: int) -> str:
    extra, minutes = divmod(minutes, 1440)
    moment = datetime.combine(day + timedelta(days=extra), dtime(minutes // 60, minutes % 60), TZ)
    return moment.isoformat(timespec="minutes")


def _curve(kind: str) -> np.ndarray:
    """Relative agents per wall-clock quarter (96) of a weekday."""
    q = np.arange(96) / 4.0  # hour of day
    if kind == "phone":
        shape = np.exp(-((q - 10.5) ** 2) / 3.0) + 0.8 * np.exp(-((q - 14.5) ** 2) / 4.0)
        shape += 0.25
        open_, close = 8, 20
    elif kind == "chat":
        shape = 0.7 * np.exp(-((q - 11) ** 2) / 6.0) + 0.9 * np.exp(-((q - 19) ** 2) / 5.0) + 0.3
        open_, close = 8, 22
    elif kind == "email":
        shape = np.full(96, 0.8)
        open_, close = 8, 18
    else:
        shape = np.full(96, 0.5)
        open_, close = 9, 21
    shape = shape / shape.max()
    shape[(q < open_) | (q >= close)] = 0
    return shape


def instance(
    agents: int, days: int, *, surge: float = 1.0, seed: int = 11, start: date = START
) -> RosterProblem:
    """A realistic roster problem: forecast-shaped demand, mixed contracts and availability."""
    rng = np.random.default_rng(seed)
    n = expected_demand_length(start, days)
    peak = {"phone": 0.30, "chat": 0.16, "email": 0.12, "social": 0.05}
    day_factor = [1.0, 0.95, 0.9, 0.95, 0.85, 0.45, 0.3]
    demand = {c: np.zeros(n, dtype=np.int64) for c in CHANNELS}
    pos = 0
    for d in range(days):
        day = start + timedelta(days=d)
        f = day_factor[day.weekday()]
        midnight = local_midnight_utc_s(day)
        # Wall-clock quarter of each interval (92 or 100 on DST days).
        slots = [
            (lambda t: t.hour * 4 + t.minute // 15)(datetime.fromtimestamp(midnight + 900 * i, TZ))
            for i in range(intervals_in_day(day))
        ]
        for c in CHANNELS:
            values = np.round(agents * peak[c] * f * surge * _curve(c) + rng.normal(0, 0.4, 96))
            demand[c][pos : pos + len(slots)] = np.maximum(values, 0).astype(np.int64)[slots]
        pos += len(slots)
    windows = [(7 * 60, 22 * 60), (7 * 60, 16 * 60), (9 * 60, 18 * 60), (13 * 60, 22 * 60)]
    employees: list[dict[str, Any]] = []
    for k in range(agents):
        contract = int(rng.choice([24, 32, 36, 40], p=[0.2, 0.3, 0.2, 0.3])) * 60
        skills = ["phone"] if rng.random() < 0.85 else []
        for c, share in (("chat", 0.55), ("email", 0.6), ("social", 0.3)):
            if rng.random() < share:
                skills.append(c)
        if not skills:
            skills = ["email"]
        lo, hi = windows[int(rng.choice(4, p=[0.2, 0.3, 0.25, 0.25]))]
        weekend = rng.random() < 0.5
        availability = []
        for d in range(days):
            day = start + timedelta(days=d)
            if day.weekday() >= 5 and not weekend:
                continue
            if rng.random() < 0.08:
                continue  # a day off asked for
            availability.append({"start": _iso(day, lo), "end": _iso(day, hi)})
        per_week = [0] * (-(-days // 7))
        for window in availability:
            per_week[(date.fromisoformat(window["start"][:10]) - start).days // 7] += 1
        employees.append(
            {
                "id": f"agent-{k:04d}",
                "skills": skills,
                "availability": availability,
                # Half the contract, but never more than the availability of the leanest
                # week allows (4 hours a day).
                "min_minutes_per_week": min(contract // 2, 240 * min(per_week)),
                "max_minutes_per_week": contract,
                "wished_minutes_per_week": contract,
                "preferred_channels": [skills[-1]] if len(skills) > 1 else [],
                **({"age": 17} if k % 50 == 7 else {}),
            }
        )
    data = {
        "start": start.isoformat(),
        "days": days,
        "channels": CHANNELS,
        "demand": {c: v.tolist() for c, v in demand.items()},
        "shift_rules": {
            "min_minutes": 240,
            "max_minutes": 540,
            "start_step_minutes": 15,
            "earliest_start": "07:00",
            "latest_end": "22:00",
        },
        "employees": employees,
    }
    return RosterProblem.model_validate(data)


# --------------------------------------------------------------------------------------------
# The plain peer model
# --------------------------------------------------------------------------------------------


def plain_cp_sat(problem: RosterProblem, time_limit_s: float, workers: int = 2) -> dict[str, Any]:
    """The plain model: all starts and lengths, a boolean per employee-interval-channel.

    The working-time rules are the same as the solver's (daily rest as pairwise-free cliques,
    weekly hours, weekly rest windows), so both rosters pass the same checker.
    """
    t0 = time.monotonic()
    prep = prepare(problem, start_stride_min=15, length_stride_min=15)
    part = _Part(list(range(len(prep.employees))), 0, prep.grid.days, "plain")
    b = _Builder(prep, part, prep.demand.copy(), {}, np.ones(prep.demand.shape))
    m = cp_model.CpModel()
    x: dict[tuple[int, int], Any] = {}
    y: dict[tuple[int, int, int], Any] = {}
    cover: dict[tuple[int, int], list[Any]] = defaultdict(list)
    g = prep.grid
    for k in part.emps:
        e = prep.employees[k]
        pats = b.pats[k]
        by_day: dict[int, list[int]] = defaultdict(list)
        work_at: dict[int, list[Any]] = defaultdict(list)
        for j, p in enumerate(pats):
            v = x[(k, j)] = m.NewBoolVar("")
            by_day[p.day].append(j)
            for i in p.work_intervals():
                work_at[i].append(v)
        for js in by_day.values():
            m.AddAtMostOne(x[(k, j)] for j in js)
        # Daily rest: no two shifts closer than the rest (as cliques per end time; pairwise
        # clauses would be billions on this instance).
        for d, js in by_day.items():
            later = [jj for dd in (d + 1, d + 2) for jj in by_day.get(dd, [])]
            for end in sorted({pats[j].end for j in js}):
                right = [x[(k, jj)] for jj in later if pats[jj].start < end + e.rest_min]
                if right:
                    left = [x[(k, j)] for j in js if pats[j].end >= end]
                    m.Add(sum(left) + sum(right) <= 1)
        for w in b._week_range():
            lo, hi = b.week_limits(k, w)
            expr = sum(
                mins * x[(k, j)]
                for j, p in enumerate(pats)
                for ww, mins in b._week_work(p).items()
                if ww == w
            )
            m.Add(expr <= hi)
            if lo:
                m.Add(expr >= lo)
            windows = b.rest_windows(k, w)
            if windows is None:
                continue
            rs = []
            for a, bb in windows:
                r = m.NewBoolVar("")
                hit = [x[(k, j)] for j, p in enumerate(pats) if p.start < bb and a < p.end]
                if hit:
                    m.Add(sum(hit) == 0).OnlyEnforceIf(r)
                rs.append(r)
            m.AddBoolOr(rs)
        for i, vs in work_at.items():
            chans = [c for c in e.skills if prep.demand[c, i] > 0]
            if not chans:
                continue
            ys = []
            for c in chans:
                yv = y[(k, i, c)] = m.NewBoolVar("")
                ys.append(yv)
                cover[(c, i)].append(yv)
            m.Add(sum(ys) <= sum(vs))
    under = []
    for c in range(len(prep.channels)):
        for i in range(g.n):
            dem = int(prep.demand[c, i])
            if dem <= 0:
                continue
            u = m.NewIntVar(0, dem, "")
            m.Add(sum(cover.get((c, i), [])) + u >= dem)
            under.append(u)
    m.Minimize(sum(under))
    build_s = time.monotonic() - t0
    solver = cp_model.CpSolver()
    # The peer gets the whole time limit for the search; building the model is extra.
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = workers
    status = solver.Solve(m)
    out: dict[str, Any] = {
        "status": solver.StatusName(status),
        "build_s": build_s,
        "wall_s": time.monotonic() - t0,
        "patterns": len(x),
        "channel_vars": len(y),
        "under": None,
        "bound": solver.BestObjectiveBound()
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        else None,
        "check_errors": None,
    }
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return out
    shifts = []
    for k in part.emps:
        e = prep.employees[k]
        for j, p in enumerate(b.pats[k]):
            if not solver.Value(x[(k, j)]):
                continue
            seq: list[tuple[int, int]] = []
            for i in p.work_intervals():
                for c in e.skills:
                    v = y.get((k, i, c))
                    if v is not None and solver.Value(v):
                        seq.append((i, c))
            assignments = [
                Assignment(
                    start=g.local(g.p0 + STEP * i),
                    end=g.local(g.p0 + STEP * (i + 1)),
                    channel=prep.channels[c],
                )
                for i, c in seq
            ]
            shifts.append(
                RosterShift(
                    employee=e.emp.id,
                    start=g.local(p.start),
                    end=g.local(p.end),
                    breaks=[Break(start=g.local(p.brk[0]), end=g.local(p.brk[1]))] if p.brk else [],
                    assignments=assignments,
                )
            )
    report = check_solution(problem, RosterSolution(status=SolutionStatus.FEASIBLE, shifts=shifts))
    out["under"] = sum(v.under for v in report.channels.values())
    out["check_errors"] = len(report.errors)
    return out


# --------------------------------------------------------------------------------------------


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _ours(problem: RosterProblem, limit_s: float) -> dict[str, Any]:
    t0 = time.monotonic()
    sol = solve(problem, time_limit_s=limit_s, workers=2)
    wall = time.monotonic() - t0
    report = check_solution(problem, sol)
    kpi = (sol.report or {}).get("kpi", {})
    return {
        "status": sol.status.value,
        "wall_s": wall,
        "under": sum(v.under for v in report.channels.values()),
        "demand": sum(v.demand for v in report.channels.values()),
        "check_errors": len(report.errors),
        "shifts": len(sol.shifts),
        "lower_bound": sol.lower_bound,
        "kpi": kpi,
        "solver": (sol.report or {}).get("solver"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, under a minute")
    parser.add_argument("--skip-plain", action="store_true", help="do not run the 300 s peer")
    parser.add_argument("--skip-month", action="store_true", help="do not run 500 x 28")
    parser.add_argument("--skip-weeks", action="store_true", help="only the month")
    parser.add_argument("--month-child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.month_child:
        agents_s, days_s, limit_s = args.month_child
        return _month(int(agents_s), int(days_s), float(limit_s))
    if args.quick:
        agents, ours_s, plain_s, month_agents, month_days, month_s = 20, 6.0, 8.0, 30, 14, 10.0
    else:
        agents, ours_s, plain_s, month_agents, month_days, month_s = (
            150,
            60.0,
            300.0,
            500,
            28,
            600.0,
        )
    print(f"# bench_roster  quick={args.quick}  cores={os.cpu_count()}  load={os.getloadavg()}")
    for label, surge in () if args.skip_weeks else (("normal", 0.8), ("surge", 1.4)):
        problem = instance(agents, 7, surge=surge)
        prep = prepare(problem, start_stride_min=15, length_stride_min=15)
        t0 = time.monotonic()
        lp_under = coverage_lp_bound(prep)
        lp_s = time.monotonic() - t0
        demand = int(prep.demand.sum())
        print(
            f"\n## {label} week: {agents} agents, 7 days, 4 channels, demand {demand} agent-intervals"
        )
        print(f"LP bound on under-coverage: {lp_under:.1f} agent-intervals ({lp_s:.1f} s)")
        ours = _ours(problem, ours_s)
        print(
            f"ours   {ours_s:>5.0f} s: status {ours['status']}, under {ours['under']} "
            f"({100 * ours['under'] / max(demand, 1):.2f}% of demand), wall {ours['wall_s']:.1f} s, "
            f"check errors {ours['check_errors']}, shifts {ours['shifts']}, "
            f"patterns {ours['solver']['patterns']}, greedy objective {ours['solver']['greedy_objective']}"
        )
        print(f"       kpi {ours['kpi']}")
        if not args.skip_plain:
            plain = plain_cp_sat(problem, plain_s)
            print(
                f"plain  {plain_s:>5.0f} s: status {plain['status']}, under {plain['under']}, "
                f"wall {plain['wall_s']:.1f} s (build {plain['build_s']:.1f} s), patterns "
                f"{plain['patterns']}, channel booleans {plain['channel_vars']}, check errors "
                f"{plain['check_errors']}, CP-SAT bound {plain['bound']}"
            )
            if plain["under"] is not None:
                ratio = (ours["under"] - plain["under"]) / max(plain["under"], 1)
                print(
                    f"ours vs plain: {ours['under']} vs {plain['under']} "
                    f"({100 * ratio:+.2f}%; target <= +2%)"
                )
            else:
                print("ours vs plain: the plain model found no roster")
        print(
            f"gap to LP bound: ours {ours['under'] - lp_under:.1f} agent-intervals "
            f"({100 * (ours['under'] - lp_under) / max(demand, 1):.2f}% of demand)"
        )
        print(f"peak RSS so far {_rss_mib():.0f} MiB", flush=True)
    if not args.skip_month:
        # In a fresh process, so that its peak RSS is its own (the plain model above is big).
        child = [sys.executable, __file__, "--month-child", str(month_agents), str(month_days)]
        child.append(str(month_s))
        sys.stdout.flush()
        subprocess.run(child, check=True)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
        print(f"peak RSS of the month run {peak:.0f} MiB (limit 4096)")
    return 0


def _month(agents: int, days: int, limit_s: float) -> int:
    problem = instance(agents, days, seed=5)
    print(f"\n## month: {agents} agents, {days} days")
    ours = _ours(problem, limit_s)
    print(
        f"ours {limit_s:.0f} s: status {ours['status']}, wall {ours['wall_s']:.1f} s, under "
        f"{ours['under']} of {ours['demand']} ({100 * ours['under'] / max(ours['demand'], 1):.2f}%), "
        f"LP bound {ours['solver']['lp_bound_under_agent_intervals']:.0f}, "
        f"check errors {ours['check_errors']}, shifts {ours['shifts']}, parts "
        f"{ours['solver']['parts']}, patterns {ours['solver']['patterns']}, "
        f"missing minimums {len(ours['solver']['missing_contract_minimum'])}"
    )
    print(
        f"(wall time is the solve alone; the independent check ran after it; load {os.getloadavg()})"
    )
    return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
