"""A realistic large roster to measure the checker: 500 agents, 28 days, 4 channels.

Every agent works five 8.5-hour shifts a week (30-minute pause after 4 hours) at one start time
(07:00-14:00) with two consecutive days off that move through the week, on up to four channel
blocks per shift.
The roster keeps every rule; demand is the coverage it gives plus some noise, so that
``under_coverage`` is non-trivial.  Used by ``benchmarks/bench_roster_check.py`` and the tests.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np

from veerkracht.planning.calendar import INTERVAL_S, TZ, local_midnight_utc_s
from veerkracht.planning.roster.model import expected_demand_length

CHANNELS = ["phone", "chat", "email", "social"]
START = date(2026, 3, 2)  # four weeks with the spring-forward Sunday in the last one


def _iso(day: date, minutes: int) -> str:
    moment = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=TZ)
    return moment.isoformat(timespec="minutes")


def _utc_s(day: date, minutes: int) -> int:
    return int(datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=TZ).timestamp())


def month(
    agents: int = 500, days: int = 28, *, seed: int = 7, start: date = START
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Problem and solution as JSON-ready dicts."""
    rng = np.random.default_rng(seed)
    n = expected_demand_length(start, days)
    p0 = local_midnight_utc_s(start)
    coverage = np.zeros((len(CHANNELS), n), dtype=np.int64)
    employees: list[dict[str, Any]] = []
    shifts: list[dict[str, Any]] = []
    for k in range(agents):
        emp_id = f"agent-{k:04d}"
        skills = sorted(rng.choice(CHANNELS, size=int(rng.integers(2, 5)), replace=False).tolist())
        # Two consecutive days off a week, moving one day a week, with at least one free Sunday.
        firsts = [5 if k % 3 == 0 else (k + w) % 6 for w in range(0, days, 7)]
        if 5 not in firsts:
            firsts[0] = 5
        availability = []
        for d in range(days):
            day = start + timedelta(days=d)
            availability.append({"start": _iso(day, 6 * 60), "end": _iso(day, 23 * 60)})
        employees.append(
            {
                "id": emp_id,
                "skills": skills,
                "availability": availability,
                "min_minutes_per_week": 0,
                "max_minutes_per_week": 40 * 60,
                "preferred_channels": skills[:1],
            }
        )
        begin = int(rng.integers(7 * 4, 14 * 4 + 1)) * 15  # 07:00 .. 14:00, the whole month
        for d in range(days):
            day = start + timedelta(days=d)
            first_off = firsts[d // 7]
            if day.weekday() in (first_off, first_off + 1):
                continue
            end = begin + 510
            pause = begin + 240
            cuts = sorted({begin, begin + 120, pause, pause + 30, pause + 150, end})
            pieces = [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if a != pause]
            assignments = []
            for a, b in pieces:
                channel = skills[int(rng.integers(len(skills)))]
                assignments.append({"start": _iso(day, a), "end": _iso(day, b), "channel": channel})
                i0 = (_utc_s(day, a) - p0) // INTERVAL_S
                i1 = (_utc_s(day, b) - p0) // INTERVAL_S
                coverage[CHANNELS.index(channel), i0:i1] += 1
            shifts.append(
                {
                    "employee": emp_id,
                    "start": _iso(day, begin),
                    "end": _iso(day, end),
                    "breaks": [{"start": _iso(day, pause), "end": _iso(day, pause + 30)}],
                    "assignments": assignments,
                }
            )
    noise = rng.integers(-3, 6, size=coverage.shape)
    demand = np.maximum(coverage + noise * (coverage > 0), 0)
    under = np.maximum(demand - coverage, 0)
    problem = {
        "start": start.isoformat(),
        "days": days,
        "channels": CHANNELS,
        "demand": {c: demand[i].tolist() for i, c in enumerate(CHANNELS)},
        "shift_rules": {
            "min_minutes": 240,
            "max_minutes": 600,
            "start_step_minutes": 15,
            "earliest_start": "07:00",
            "latest_end": "23:00",
        },
        "employees": employees,
    }
    solution = {
        "status": "feasible",
        "objective": float(under.sum()),
        "lower_bound": 0.0,
        "shifts": shifts,
        "under_coverage": {c: under[i].tolist() for i, c in enumerate(CHANNELS)},
    }
    return problem, solution


def month_json(agents: int = 500, days: int = 28, *, seed: int = 7) -> tuple[str, str]:
    """Problem and solution as JSON text."""
    problem, solution = month(agents, days, seed=seed)
    return json.dumps(problem), json.dumps(solution)
