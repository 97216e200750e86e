"""The CP-SAT roster solver: rule-clean rosters, honest coverage, reports when it cannot.

Every roster is verified with the independent checker (check.check_solution); the reference
for "rule-clean" is that checker, which is tested against the law text in test_edge_cases.py.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from typing import Any

from veerkracht.planning.roster.check import CheckReport, check_solution
from veerkracht.planning.roster.model import RosterProblem, RosterSolution, expected_demand_length
from veerkracht.planning.roster.solver import ProgressEvent, solve

from .factories import employee, problem

RULES = {
    "min_minutes": 240,
    "max_minutes": 540,
    "start_step_minutes": 15,
    "earliest_start": "07:00",
    "latest_end": "23:00",
}


def _demand(
    start: date,
    days: int,
    windows: dict[str, tuple[int, int, int]],
    *,
    channels: tuple[str, ...] = ("phone", "email"),
) -> dict[str, list[int]]:
    """Demand per channel: ``(from_hour, to_hour, agents)`` on every day (wall clock)."""
    from datetime import datetime

    from veerkracht.planning.calendar import TZ, local_midnight_utc_s

    n = expected_demand_length(start, days)
    p0 = local_midnight_utc_s(start)
    out = {c: [0] * n for c in channels}
    for i in range(n):
        local = datetime.fromtimestamp(p0 + 900 * i, TZ)
        for c, (a, b, agents) in windows.items():
            if a * 60 <= local.hour * 60 + local.minute < b * 60:
                out[c][i] = agents
    return out


def _clean(prob: RosterProblem, sol: RosterSolution) -> CheckReport:
    report = check_solution(prob, sol)
    assert [v.format() for v in report.errors] == []
    return report


def _solve(prob: RosterProblem, **kw: Any) -> RosterSolution:
    kw.setdefault("time_limit_s", 5)
    return solve(prob, **kw)


def test_it_makes_a_rule_clean_day_and_reports_coverage() -> None:
    start = date(2026, 3, 2)
    prob = problem(
        days=1,
        employees=[employee("a"), employee("b"), employee("c")],
        shift_rules=RULES,
        demand=_demand(start, 1, {"phone": (9, 17, 1), "email": (9, 13, 1)}),
    )
    sol = _solve(prob)
    report = _clean(prob, sol)
    assert sol.status.value == "optimal"
    assert sum(v.under for v in report.channels.values()) == 0
    assert sol.under_coverage == report.under_coverage
    assert sol.lower_bound is not None and sol.objective is not None
    assert sol.lower_bound <= sol.objective
    assert all(s.breaks for s in sol.shifts if (s.end - s.start).seconds > 330 * 60)
    why = [e for e in sol.explanations if e.code == "shift_reason"]
    assert len(why) == len(sol.shifts)
    assert "phone demand" in why[0].message or "email demand" in why[0].message


def test_it_keeps_the_rules_over_a_week_with_the_spring_forward_day() -> None:
    # 2026-03-29 is the spring-forward Sunday: 92 intervals.
    start = date(2026, 3, 23)
    assert expected_demand_length(date(2026, 3, 29), 1) == 92
    prob = problem(
        start=start,
        days=7,
        employees=[employee(x, max_minutes_per_week=40 * 60) for x in "abc"],
        shift_rules={**RULES, "earliest_start": "00:00", "latest_end": "00:00"},
        demand=_demand(start, 7, {"phone": (1, 22, 1), "email": (8, 17, 1)}),
    )
    sol = _solve(prob, time_limit_s=8)
    report = _clean(prob, sol)
    assert len(sol.under_coverage["phone"]) == expected_demand_length(start, 7)
    assert sol.under_coverage == report.under_coverage


def test_it_solves_the_fall_back_day_with_100_intervals() -> None:
    start = date(2026, 10, 25)
    assert expected_demand_length(start, 1) == 100
    prob = problem(
        start=start,
        days=1,
        employees=[employee(x) for x in "abcd"],
        shift_rules={
            **RULES,
            "earliest_start": "00:00",
            "latest_end": "00:00",
            "min_minutes": 60,
            "max_minutes": 60,
        },
        demand=_demand(start, 1, {"phone": (1, 4, 1)}),
    )
    sol = _solve(prob)
    report = _clean(prob, sol)
    assert sol.coverage is not None and len(sol.coverage["phone"]) == 100
    # 01:00-04:00 on this day is four hours of real time (16 intervals); night shifts are not
    # rostered, so each agent works at most 60 minutes before 06:00 and four agents cover it.
    assert report.channels["phone"].demand == 16
    assert report.channels["phone"].under == 0


def test_it_keeps_the_youth_rules() -> None:
    start = date(2026, 3, 2)
    whole = [{"start": "2026-03-02T06:00", "end": "2026-03-03T00:00"}]
    prob = problem(
        days=1,
        employees=[employee("kid", age=17, availability=whole, max_minutes_per_week=45 * 60)],
        shift_rules={**RULES, "max_minutes": 720},
        demand=_demand(start, 1, {"phone": (12, 24, 1)}),
    )
    sol = _solve(prob)
    _clean(prob, sol)
    assert sol.shifts
    for s in sol.shifts:
        assert s.end.hour <= 23 and not (s.end.hour == 23 and s.end.minute > 0)
        work = (s.end - s.start).seconds / 60 - sum(
            (b.end - b.start).seconds / 60 for b in s.breaks
        )
        assert work <= 9 * 60
        if work > 270:
            assert sum((b.end - b.start).seconds for b in s.breaks) >= 30 * 60
    reasons = {e.code for e in sol.explanations if e.channel == "phone"}
    assert reasons <= {"rest_or_shift_rules", "contract_hours_exhausted", "busy_on_other_channels"}
    assert reasons  # 23:00-24:00 stays open: nobody else is there


def test_it_keeps_fixed_shifts() -> None:
    start = date(2026, 3, 2)
    fixed = {
        "start": "2026-03-03T10:00",
        "end": "2026-03-03T14:00",
        "assignments": [
            {"start": "2026-03-03T10:00", "end": "2026-03-03T14:00", "channel": "email"}
        ],
    }
    prob = problem(
        days=3,
        employees=[employee("a", fixed_shifts=[fixed]), employee("b")],
        shift_rules=RULES,
        demand=_demand(
            start,
            3,
            {"phone": (9, 17, 1), "email": (10, 14, 1)},
        ),
    )
    sol = _solve(prob)
    _clean(prob, sol)
    kept = [s for s in sol.shifts if s.fixed]
    assert len(kept) == 1 and kept[0].employee == "a"
    assert kept[0].start.isoformat().startswith("2026-03-03T10:00")


def test_it_respects_channel_preferences_when_coverage_allows() -> None:
    start = date(2026, 3, 2)
    prob = problem(
        days=1,
        employees=[
            employee("a", preferred_channels=["email"]),
            employee("b", preferred_channels=["phone"]),
        ],
        shift_rules=RULES,
        demand=_demand(start, 1, {"phone": (9, 13, 1), "email": (9, 13, 1)}),
    )
    sol = _solve(prob)
    _clean(prob, sol)
    for s in sol.shifts:
        channels = {a.channel for a in s.assignments}
        assert channels == ({"email"} if s.employee == "a" else {"phone"})
    assert sol.report is not None
    assert sol.report["kpi"]["preferred_channel_share"] == 1.0  # type: ignore[index]


def test_it_reports_unmet_demand_with_reasons() -> None:
    start = date(2026, 3, 2)
    day = [{"start": "2026-03-02T08:00", "end": "2026-03-02T20:00"}]
    prob = problem(
        days=1,
        employees=[
            employee("a", availability=day, skills=["phone"], max_minutes_per_week=4 * 60),
            employee("b", availability=day, skills=["phone"], max_minutes_per_week=4 * 60),
        ],
        shift_rules={**RULES, "earliest_start": "00:00", "latest_end": "00:00"},
        demand=_demand(start, 1, {"phone": (2, 19, 1), "email": (10, 12, 1)}),
    )
    sol = _solve(prob)
    report = _clean(prob, sol)
    codes = {e.code for e in sol.explanations if e.code != "shift_reason"}
    assert "nobody_available" in codes  # 02:00-08:00
    assert "nobody_trained" in codes  # e-mail
    assert "contract_hours_exhausted" in codes  # 8 h of work in total for 11 h of phone
    assert report.channels["phone"].under == (17 - 8) * 4
    assert sol.lower_bound is not None and sol.lower_bound >= 1000 * (6 * 4 + 8)


def test_it_reports_fixed_shifts_that_break_the_law() -> None:
    # 07:00-20:30 with a 45-minute pause is 12 h 45 min of work: ATW-01 allows 12 h.
    fixed = [
        {
            "start": "2026-03-02T07:00",
            "end": "2026-03-02T20:30",
            "breaks": [{"start": "2026-03-02T13:00", "end": "2026-03-02T13:45"}],
        },
        {"start": "2026-03-03T10:00", "end": "2026-03-03T14:00"},
    ]
    prob = problem(days=2, employees=[employee("a", fixed_shifts=fixed)], shift_rules=RULES)
    sol = _solve(prob)
    assert sol.status.value == "infeasible"
    conflicts = sol.report["conflicts"]  # type: ignore[index]
    assert any(c["employee"] == "a" and c["rule"] == "ATW-01" for c in conflicts)  # type: ignore[index]
    assert "shortfall" in sol.report  # type: ignore[operator]
    assert all(s.fixed for s in sol.shifts) and len(sol.shifts) == 2


def test_it_reports_contract_minimums_that_cannot_fit() -> None:
    start = date(2026, 3, 2)
    one_day = [{"start": "2026-03-02T08:00", "end": "2026-03-02T18:00"}]
    prob = problem(
        days=7,
        employees=[
            employee("a", availability=one_day, min_minutes_per_week=30 * 60),
            employee("b"),
        ],
        shift_rules=RULES,
        demand=_demand(start, 7, {"phone": (9, 17, 1)}),
    )
    sol = _solve(prob)
    assert sol.status.value == "infeasible"
    conflicts = sol.report["conflicts"]  # type: ignore[index]
    mine = [c for c in conflicts if c["employee"] == "a"]  # type: ignore[index]
    assert mine and mine[0]["rule"] == "CON-01"  # type: ignore[index]
    assert mine[0]["min_minutes"] == 1800 and mine[0]["possible_minutes"] <= 600  # type: ignore[index]
    assert "a" in sol.report["summary"]  # type: ignore[index,operator]


def test_it_reports_progress_and_stops_when_asked() -> None:
    start = date(2026, 3, 2)
    prob = problem(
        days=7,
        employees=[
            employee(x, max_minutes_per_week=36 * 60, min_minutes_per_week=8 * 60) for x in "abcd"
        ],
        shift_rules=RULES,
        demand=_demand(start, 7, {"phone": (8, 20, 2), "email": (9, 17, 1)}),
    )
    events: list[ProgressEvent] = []

    def stop(event: ProgressEvent) -> bool:
        events.append(event)
        return False

    sol = _solve(prob, time_limit_s=10, progress=stop)
    assert events and events[0].elapsed_s >= 0
    assert sol.report is not None and sol.report["solver"]["cancelled"] is True  # type: ignore[index]
    assert sol.report["solver"]["wall_s"] < 9  # type: ignore[index]
    _clean(prob, sol)


def test_it_decomposes_by_week_and_team_and_stays_rule_clean() -> None:
    start = date(2026, 3, 2)
    prob = problem(
        days=14,
        employees=[
            employee(f"e{k}", max_minutes_per_week=32 * 60, min_minutes_per_week=12 * 60)
            for k in range(6)
        ],
        shift_rules=RULES,
        demand=_demand(start, 14, {"phone": (8, 20, 3), "email": (9, 17, 1)}),
    )
    sol = _solve(prob, time_limit_s=8, max_patterns_per_model=1500)
    assert sol.report is not None and sol.report["solver"]["parts"] > 2  # type: ignore[index]
    _clean(prob, sol)


def test_it_imports_no_django() -> None:
    code = (
        "import sys, veerkracht.planning.roster.solver; "
        "assert not any(m.split('.')[0] == 'django' for m in sys.modules), 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
