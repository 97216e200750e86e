"""The independent checker: availability, skills, assignments, contract, fixed shifts, shift
rules, coverage and publication, on top of the working-time rules (test_rules.py)."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path
from typing import Any

from veerkracht.planning.roster.check import check_solution
from veerkracht.planning.roster.model import load_problem, load_solution

from .factories import check, daily, employee, errors, problem, shift, solution, warnings
from .month import month_json

DATA = Path(__file__).parent.parent.parent / "data" / "roster"


def _assign(s: dict[str, Any], *rows: tuple[str, str, str]) -> dict[str, Any]:
    day = s["start"][:10]
    s["assignments"] = [
        {"start": f"{day}T{a}", "end": f"{day}T{b}", "channel": c} for a, b, c in rows
    ]
    return s


def test_it_finds_no_violations_in_the_small_example() -> None:
    problem_ = load_problem((DATA / "small_problem.json").read_bytes())
    solution_ = load_solution((DATA / "small_solution.json").read_bytes())
    report = check_solution(problem_, solution_)
    assert report.ok
    assert report.violations == []
    # Hand count: phone misses one agent 12:30-13:00 and 16:30-17:00 (4 intervals); e-mail
    # one agent 09:00-12:30 and 16:30-17:00 (16 intervals).
    assert report.channels["phone"].under == 4
    assert report.channels["email"].under == 16
    assert report.under_coverage == solution_.under_coverage


def test_it_keeps_shifts_inside_availability() -> None:
    prob = problem(
        employees=[
            employee(availability=[{"start": "2026-03-02T09:00", "end": "2026-03-02T17:00"}])
        ]
    )
    report = check(prob, shift("2026-03-02T08:00", "2026-03-02T12:00"))
    assert errors(report) == ["AVL-01"]
    assert report.errors[0].params == {"minutes": 60}
    assert report.errors[0].end is not None and report.errors[0].end.hour == 9
    assert errors(check(prob, shift("2026-03-02T09:00", "2026-03-02T13:00"))) == []


def test_it_joins_adjacent_availability_windows() -> None:
    windows = [
        {"start": "2026-03-02T09:00", "end": "2026-03-02T12:00"},
        {"start": "2026-03-02T12:00", "end": "2026-03-02T17:00"},
    ]
    prob = problem(employees=[employee(availability=windows)])
    assert errors(check(prob, shift("2026-03-02T10:00", "2026-03-02T14:00"))) == []


def test_it_exempts_fixed_shifts_from_availability_but_not_from_the_law() -> None:
    fixed = {"start": "2026-03-02T06:00", "end": "2026-03-02T13:00"}
    prob = problem(
        employees=[
            employee(
                availability=[{"start": "2026-03-02T09:00", "end": "2026-03-02T17:00"}],
                fixed_shifts=[fixed],
            )
        ]
    )
    report = check(prob, shift("2026-03-02T06:00", "2026-03-02T13:00"))
    assert errors(report) == ["ATW-06"]  # 7 h without a pause
    assert errors(check(prob)) == ["FIX-01"]


def test_it_assigns_only_trained_channels() -> None:
    prob = problem(employees=[employee(skills=["phone"])])
    s = _assign(
        shift("2026-03-02T09:00", "2026-03-02T13:00"),
        ("09:00", "11:00", "phone"),
        ("11:00", "13:00", "email"),
    )
    report = check(prob, s)
    assert errors(report) == ["SKL-01"]
    assert report.errors[0].paths == ["shifts[0].assignments[1]"]


def test_it_assigns_one_channel_at_a_time() -> None:
    s = _assign(
        shift("2026-03-02T09:00", "2026-03-02T13:00"),
        ("09:00", "11:00", "phone"),
        ("10:30", "13:00", "email"),
    )
    report = check(problem(), s)
    assert errors(report) == ["ASG-03"]
    assert report.errors[0].paths == ["shifts[0].assignments[0]", "shifts[0].assignments[1]"]


def test_it_keeps_assignments_inside_the_shift_and_out_of_pauses() -> None:
    s = _assign(
        shift("2026-03-02T09:00", "2026-03-02T16:00", ("12:00", "12:30")),
        ("08:45", "12:00", "phone"),
        ("12:15", "16:00", "phone"),
    )
    report = check(problem(), s)
    assert errors(report) == ["ASG-01", "ASG-02"]


def test_it_flags_overlapping_shifts_and_pauses_outside_their_shift() -> None:
    report = check(
        problem(),
        shift("2026-03-02T09:00", "2026-03-02T13:00"),
        shift("2026-03-02T12:00", "2026-03-02T14:00", ("14:00", "14:30")),
    )
    assert sorted(errors(report)) == ["SHF-01", "SOL-03"]


def test_it_flags_unknown_employees_and_channels_and_shifts_outside_the_period() -> None:
    s = _assign(shift("2026-03-16T09:00", "2026-03-16T13:00"), ("09:00", "10:00", "fax"))
    report = check(problem(), shift("2026-03-02T09:00", "2026-03-02T13:00", employee="zed"), s)
    assert sorted(errors(report)) == ["AVL-01", "SOL-01", "SOL-02", "SOL-04"]


def test_it_checks_the_contract_hours_per_week() -> None:
    # 4 shifts of 7.5 h = 30 h in the first week; nothing in the second.
    shifts = daily(date(2026, 3, 2), 4, "09:00", "17:00", ("12:00", "12:30"))
    capped = problem(employees=[employee(max_minutes_per_week=28 * 60)])
    report = check(capped, *shifts)
    assert errors(report) == ["CON-02"]
    assert report.errors[0].params == {
        "work_minutes": 30 * 60,
        "max_minutes": 28 * 60,
        "week": "2026-W10",
    }
    floor = problem(
        employees=[employee(min_minutes_per_week=32 * 60, max_minutes_per_week=40 * 60)]
    )
    report = check(floor, *shifts)
    assert errors(report) == ["CON-01", "CON-01"]
    assert report.errors[1].params == {
        "work_minutes": 0,
        "min_minutes": 32 * 60,
        "week": "2026-W11",
    }


def test_it_prorates_the_contract_minimum_for_a_week_cut_by_the_period() -> None:
    # A period from Thursday: 4 of the 7 days of that week, so 4/7 of 35 h = 20 h.
    prob = problem(
        start=date(2026, 3, 5), days=4, employees=[employee(min_minutes_per_week=35 * 60)]
    )
    report = check(prob, *daily(date(2026, 3, 5), 2, "09:00", "17:00", ("12:00", "12:30")))
    assert errors(report) == ["CON-01"]
    assert report.errors[0].params["min_minutes"] == 20 * 60
    assert "pro rata" in report.errors[0].message


def test_it_applies_the_shift_rules_to_shifts_that_are_not_fixed() -> None:
    rules = {
        "min_minutes": 240,
        "max_minutes": 480,
        "start_step_minutes": 30,
        "earliest_start": "07:00",
        "latest_end": "22:00",
    }
    prob = problem(shift_rules=rules)
    assert errors(check(prob, shift("2026-03-02T07:00", "2026-03-02T11:00"))) == []
    assert errors(check(prob, shift("2026-03-02T07:00", "2026-03-02T10:00"))) == ["SR-01"]
    assert errors(check(prob, shift("2026-03-02T07:15", "2026-03-02T11:15"))) == ["SR-02"]
    assert errors(check(prob, shift("2026-03-02T06:00", "2026-03-02T10:00"))) == ["SR-03"]
    assert errors(check(prob, shift("2026-03-02T19:00", "2026-03-02T23:00"))) == ["SR-04"]
    fixed = problem(
        shift_rules=rules,
        employees=[
            employee(fixed_shifts=[{"start": "2026-03-02T06:00", "end": "2026-03-02T10:00"}])
        ],
    )
    assert errors(check(fixed, shift("2026-03-02T06:00", "2026-03-02T10:00"))) == []


def test_it_allows_night_windows_across_midnight_in_the_shift_rules() -> None:
    rules = {
        "min_minutes": 240,
        "max_minutes": 540,
        "earliest_start": "22:00",
        "latest_end": "07:00",
    }
    prob = problem(shift_rules=rules)
    night = shift("2026-03-02T22:00", "2026-03-03T06:30", ("2026-03-03T02:00", "2026-03-03T02:30"))
    assert errors(check(prob, night)) == []
    late = shift("2026-03-03T01:00", "2026-03-03T07:30", ("03:00", "03:30"))
    assert errors(check(prob, late)) == ["SR-04"]


def _demand(n: int, **ranges: tuple[int, int, int]) -> dict[str, list[int]]:
    out = {"phone": [0] * n, "email": [0] * n}
    for channel, (lo, hi, agents) in ranges.items():
        for i in range(lo, hi):
            out[channel][i] = agents
    return out


def test_it_recomputes_coverage_and_compares_the_solutions_figures() -> None:
    demand = _demand(96, phone=(36, 40, 2))  # 2 agents 09:00-10:00
    prob = problem(days=1, demand=demand)
    s = _assign(shift("2026-03-02T09:00", "2026-03-02T13:00"), ("09:00", "13:00", "phone"))
    report = check(prob, s)
    assert report.under_coverage["phone"][36:40] == [1, 1, 1, 1]
    assert report.over_coverage["phone"][40:52] == [1] * 12
    assert report.coverage["phone"][35:53] == [0] + [1] * 16 + [0]
    assert report.channels["phone"].under_pct == 50.0
    right = solution(s, under_coverage=report.under_coverage)
    assert check_solution(prob, right).violations == []
    wrong = dict(report.under_coverage)
    wrong["phone"] = [0] * 96
    report = check_solution(prob, solution(s, under_coverage=wrong))
    assert errors(report) == ["COV-01"]
    assert report.errors[0].params["intervals"] == 4
    assert report.errors[0].paths == ["under_coverage.phone[36]"]
    short = check_solution(prob, solution(s, over_coverage={"phone": [0] * 95}))
    assert errors(short) == ["COV-02"]


def test_it_puts_assignments_on_the_right_intervals_on_dst_days() -> None:
    # 2026-03-29 has 92 intervals: 03:00 is interval 8. 2026-10-25 has 100: the second 02:00
    # (+01:00) is interval 12.
    spring = problem(start=date(2026, 3, 29), days=1, demand=_demand(92))
    s = _assign(shift("2026-03-29T03:00", "2026-03-29T05:00"), ("03:00", "04:00", "phone"))
    assert check(spring, s).coverage["phone"][6:14] == [0, 0, 1, 1, 1, 1, 0, 0]
    autumn = problem(start=date(2026, 10, 25), days=1, demand=_demand(100))
    s = shift("2026-10-25T02:00+01:00", "2026-10-25T05:00")
    s["assignments"] = [
        {"start": "2026-10-25T02:00+01:00", "end": "2026-10-25T03:00", "channel": "phone"}
    ]
    report = check(autumn, s)
    assert report.coverage["phone"][8:18] == [0, 0, 0, 0, 1, 1, 1, 1, 0, 0]
    assert report.violations == []


def test_it_warns_when_the_roster_is_published_late() -> None:
    # Art. 4:2 ATW: rosters are published at least 28 days ahead.
    late = problem(published_at="2026-02-15T12:00")
    report = check(late, shift("2026-03-02T09:00", "2026-03-02T13:00"))
    assert errors(report) == []
    assert warnings(report) == ["PUB-01"]
    assert report.warnings[0].params == {"days_ahead": 14, "required_days": 28}
    assert check(problem(published_at="2026-02-01T12:00")).violations == []


def test_it_notes_settings_that_differ_from_the_law() -> None:
    report = check(problem(settings={"max_4_weeks_work_minutes": 12000}))
    assert any("max_4_weeks_work_minutes=12000" in note for note in report.notes)


def test_it_formats_a_readable_report() -> None:
    report = check(problem(), shift("2026-03-02T09:00", "2026-03-02T15:31"))
    text = report.format_text()
    assert text.splitlines()[0].startswith("1 violation (1 employee, 1 shift checked)")
    assert "ATW-06" in text and "Mon 2026-03-02 09:00-15:31" in text and "[shifts[0]]" in text


def test_it_checks_a_generated_month_of_100_agents_clean_and_fast() -> None:
    # The benchmark (benchmarks/bench_roster_check.py) does 500 agents; this keeps the test
    # short while guarding against a checker that is wrong or slow on realistic rosters.
    problem_text, solution_text = month_json(agents=100)
    started = time.perf_counter()
    report = check_solution(load_problem(problem_text), load_solution(solution_text))
    elapsed = time.perf_counter() - started
    assert report.violations == [], report.format_text(limit=5)
    assert report.shifts_checked == 2000
    assert elapsed < 4.0  # about 0.25 s on a quiet machine; generous for shared CI
    under = json.loads(solution_text)["under_coverage"]
    assert report.under_coverage == under
