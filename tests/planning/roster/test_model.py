"""The roster problem and solution formats: loading, validation errors with paths, schemas."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from veerkracht.planning.roster.model import (
    RosterInputError,
    RosterProblem,
    expected_demand_length,
    format_loc,
    load_problem,
    load_solution,
    problem_json_schema,
    solution_json_schema,
)

DATA = Path(__file__).parent.parent.parent / "data" / "roster"


def _small() -> dict[str, Any]:
    return json.loads((DATA / "small_problem.json").read_text())


def _errors(data: dict[str, Any] | str) -> list[tuple[str, str]]:
    with pytest.raises(RosterInputError) as exc:
        load_problem(data if isinstance(data, str) else json.dumps(data))
    return exc.value.errors


def _one_day(day: str, length: int) -> dict[str, Any]:
    data = _small()
    data["start"] = day
    data["demand"] = {"phone": [1] * length}
    data["employees"] = []
    data.pop("published_at")
    return data


def test_it_loads_the_small_example() -> None:
    problem = load_problem((DATA / "small_problem.json").read_bytes())
    assert problem.channels == ["phone", "email"]
    assert [e.id for e in problem.employees] == ["anna", "bram", "chris"]
    assert problem.employees[1].is_youth(problem.settings)
    assert problem.n_intervals == 96
    assert problem.employees[0].availability[0].start.isoformat() == "2026-06-01T08:00:00+02:00"
    solution = load_solution((DATA / "small_solution.json").read_text())
    assert solution.status == "feasible"
    assert len(solution.shifts) == 3


def test_it_accepts_92_intervals_on_the_spring_forward_day() -> None:
    # 2026-03-29: clocks go from 02:00 to 03:00 (EU Directive 2000/84/EC, last Sunday of March).
    problem = load_problem(json.dumps(_one_day("2026-03-29", 92)))
    assert problem.n_intervals == 92


def test_it_accepts_100_intervals_on_the_fall_back_day() -> None:
    # 2026-10-25: clocks go from 03:00 back to 02:00 (last Sunday of October).
    problem = load_problem(json.dumps(_one_day("2026-10-25", 100)))
    assert problem.n_intervals == 100


@pytest.mark.parametrize(
    "day, expected, why",
    [("2026-03-29", 92, "clocks go forward"), ("2026-10-25", 100, "clocks go back")],
)
def test_it_rejects_96_intervals_on_a_dst_day_naming_the_expected_length(
    day: str, expected: int, why: str
) -> None:
    [(path, message)] = _errors(_one_day(day, 96))
    assert path == "demand.phone"
    assert message.startswith(f"expected {expected} values")
    assert f"{day} has {expected} ({why})" in message
    assert message.endswith("got 96")


def test_it_names_the_expected_length_of_a_period_with_a_dst_day() -> None:
    data = _one_day("2026-03-23", 7 * 96)
    data["days"] = 7
    [(path, message)] = _errors(data)
    assert expected_demand_length(date(2026, 3, 23), 7) == 7 * 96 - 4
    assert path == "demand.phone"
    assert "expected 668 values (one per 15-minute interval of 2026-03-23 to 2026-03-29" in message


def test_it_names_the_path_of_a_window_ending_before_it_starts() -> None:
    data = _small()
    extra = [dict(data["employees"][0], id=f"e{i}") for i in range(2)]
    data["employees"] += extra  # employees[3] and [4]
    data["employees"][3]["availability"] = [
        {"start": "2026-06-01T12:00", "end": "2026-06-01T09:00"}
    ]
    [(path, message)] = _errors(data)
    assert path == "employees[3].availability[0].end"
    assert "must be after start" in message


@pytest.mark.parametrize(
    "window, where, text",
    [
        ({"start": "2026-05-31T22:00", "end": "2026-06-01T02:00"}, "start", "outside the period"),
        ({"start": "2026-06-01T22:00", "end": "2026-06-02T02:00"}, "end", "outside the period"),
        ({"start": "2026-06-01T08:10", "end": "2026-06-01T12:00"}, "start", "15-minute grid"),
        ({"start": "2026-06-01T08:00", "end": "2026-06-01T12:00:30"}, "end", "15-minute grid"),
        ({"start": "2026-06-01 eight", "end": "2026-06-01T12:00"}, "start", "not a date-time"),
    ],
)
def test_it_rejects_impossible_availability_windows(
    window: dict[str, str], where: str, text: str
) -> None:
    data = _small()
    data["employees"][1]["availability"] = [window]
    [(path, message)] = _errors(data)
    assert path == f"employees[1].availability[0].{where}"
    assert text in message


def test_it_rejects_unknown_channels_in_demand_and_skills() -> None:
    data = _small()
    data["demand"]["chat"] = [0] * 96
    data["employees"][2]["skills"] = ["phone", "telefax"]
    errors = dict(_errors(data))
    assert "unknown channel 'chat'" in errors["demand.chat"]
    assert "unknown channel 'telefax'" in errors["employees[2].skills[1]"]


def test_it_rejects_duplicate_employee_ids() -> None:
    data = _small()
    data["employees"][2]["id"] = "anna"
    [(path, message)] = _errors(data)
    assert path == "employees[2].id"
    assert message == "duplicate employee id 'anna' (also employees[0])"


def test_it_rejects_employees_under_16() -> None:
    data = _small()
    data["employees"][1]["age"] = 15
    [(path, message)] = _errors(data)
    assert path == "employees[1].age"
    assert "under 16" in message


def test_it_reports_invalid_json_with_line_and_column() -> None:
    text = '{\n  "start": "2026-06-01",\n  "days": 1,,\n}'
    [(path, message)] = _errors(text)
    assert path == ""
    assert message.startswith("invalid JSON at line 3, column 13")


def test_it_lists_every_schema_error_with_its_path() -> None:
    data = _small()
    data["days"] = 29
    del data["employees"][0]["max_minutes_per_week"]
    data["employees"][1]["skils"] = ["phone"]
    data["shift_rules"]["earliest_start"] = "8 am"
    errors = dict(_errors(data))
    assert set(errors) == {
        "days",
        "employees[0].max_minutes_per_week",
        "employees[1].skils",
        "shift_rules.earliest_start",
    }
    assert errors["employees[0].max_minutes_per_week"] == "required field is missing"
    assert "unknown field" in errors["employees[1].skils"]


def test_it_rejects_local_times_that_do_not_exist_or_are_ambiguous() -> None:
    data = _one_day("2026-03-29", 92)
    data["employees"] = [
        {
            "id": "a",
            "skills": ["phone"],
            "max_minutes_per_week": 600,
            "availability": [{"start": "2026-03-29T02:15", "end": "2026-03-29T06:00"}],
        }
    ]
    [(path, message)] = _errors(data)
    assert path == "employees[0].availability[0].start"
    assert "does not exist" in message
    autumn = _one_day("2026-10-25", 100)
    autumn["employees"] = [dict(data["employees"][0])]
    autumn["employees"][0]["availability"] = [
        {"start": "2026-10-25T02:30", "end": "2026-10-25T06:00"}
    ]
    [(path, message)] = _errors(autumn)
    assert "happens twice" in message and "+01:00" in message
    # With its offset the second 02:30 is clear.
    autumn["employees"][0]["availability"] = [
        {"start": "2026-10-25T02:30+01:00", "end": "2026-10-25T06:00"}
    ]
    problem = load_problem(json.dumps(autumn))
    assert problem.employees[0].availability[0].start.utcoffset().total_seconds() == 3600  # type: ignore[union-attr]


def test_it_reads_offsets_and_utc_as_the_same_instants() -> None:
    data = _small()
    data["employees"][0]["availability"] = [
        {"start": "2026-06-01T06:00Z", "end": "2026-06-01T17:00+02:00"}
    ]
    problem = load_problem(json.dumps(data))
    assert problem.employees[0].availability[0].start.isoformat() == "2026-06-01T08:00:00+02:00"


def test_it_round_trips_a_solution_through_json() -> None:
    solution = load_solution((DATA / "small_solution.json").read_bytes())
    again = load_solution(solution.model_dump_json())
    assert again == solution
    assert '"start":"2026-06-01T08:00:00+02:00"' in solution.model_dump_json()


def test_it_names_paths_in_solutions() -> None:
    data = json.loads((DATA / "small_solution.json").read_text())
    data["status"] = "great"
    data["shifts"][1]["assignments"][0]["end"] = "2026-06-01T07:00"
    with pytest.raises(RosterInputError) as exc:
        load_solution(json.dumps(data))
    errors = dict(exc.value.errors)
    assert set(errors) == {"status", "shifts[1].assignments[0].end"}


def test_it_formats_locations_as_paths() -> None:
    assert (
        format_loc(("employees", 3, "availability", 0, "end")) == "employees[3].availability[0].end"
    )
    assert format_loc(("demand", "after hours", 5)) == 'demand["after hours"][5]'


def test_it_exports_json_schemas_with_the_contract_names() -> None:
    problem = problem_json_schema()
    solution = solution_json_schema()
    assert problem["$schema"].endswith("2020-12/schema")
    assert {
        "start",
        "days",
        "interval_minutes",
        "channels",
        "demand",
        "shift_rules",
        "employees",
    } <= set(problem["properties"])
    assert set(problem["required"]) == {"start", "days", "channels", "shift_rules"}
    employee = problem["$defs"]["Employee"]["properties"]
    assert {"id", "skills", "availability", "min_minutes_per_week", "max_minutes_per_week"} <= set(
        employee
    )
    rules = problem["$defs"]["ShiftRules"]["properties"]
    assert {
        "min_minutes",
        "max_minutes",
        "start_step_minutes",
        "earliest_start",
        "latest_end",
    } <= set(rules)
    assert {"status", "lower_bound", "shifts", "under_coverage"} <= set(solution["properties"])
    shift = solution["$defs"]["RosterShift"]["properties"]
    assert {"employee", "start", "end", "breaks", "assignments"} <= set(shift)
    json.dumps(problem)  # serialisable


def test_it_keeps_every_statutory_default_in_the_settings() -> None:
    settings = RosterProblem.model_validate(_small()).settings
    assert settings.max_shift_work_minutes == 12 * 60
    assert settings.max_week_work_minutes == 60 * 60
    assert settings.max_4_weeks_work_minutes == 220 * 60
    assert settings.max_16_weeks_work_minutes == 768 * 60
    assert settings.daily_rest_minutes == 11 * 60
    assert settings.daily_rest_shortened_minutes == 8 * 60
    assert (settings.pause_1_minutes, settings.pause_2_minutes) == (30, 45)
    assert settings.weekly_rest_minutes == 36 * 60
    assert settings.two_week_rest_minutes == 72 * 60
    assert settings.min_free_sundays_per_52_weeks == 13
    assert settings.publish_days_ahead == 28
    assert settings.overrides() == {}


def test_it_documents_the_stored_example() -> None:
    doc = (DATA.parent.parent.parent / "docs" / "roster-format.md").read_text()
    blocks = [b.split("```", 1)[0] for b in doc.split("```json\n")[1:]]
    assert json.loads(blocks[0]) == _small()
    assert json.loads(blocks[1]) == json.loads((DATA / "small_solution.json").read_text())
