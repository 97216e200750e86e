"""`veerkracht roster check|schema`: exit 0 clean, 1 with violations, 2 on bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError

from veerkracht.scheduling.management.commands.roster import SUBCOMMANDS

DATA = Path(__file__).parent.parent.parent / "data" / "roster"
PROBLEM = str(DATA / "small_problem.json")
SOLUTION = str(DATA / "small_solution.json")


def _exit_code(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run `veerkracht roster ...` as from the shell: exit code, stdout, stderr."""
    with pytest.raises(SystemExit) as exc:
        execute_from_command_line(["veerkracht", "roster", *args])
        raise SystemExit(0)
    out, err = capsys.readouterr()
    return int(exc.value.code or 0), out, err


def _broken_solution(tmp_path: Path) -> Path:
    """Chris works 12:00-18:00 without a pause and moves to e-mail at 16:30, but the
    under_coverage in the file is still that of the original roster."""
    data = json.loads(Path(SOLUTION).read_text())
    data["shifts"][2]["end"] = "2026-06-01T18:00"
    data["shifts"][2]["assignments"] = [
        {"start": "2026-06-01T12:00", "end": "2026-06-01T16:30", "channel": "phone"},
        {"start": "2026-06-01T16:30", "end": "2026-06-01T18:00", "channel": "email"},
    ]
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data))
    return path


def test_it_says_no_violations_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _exit_code(capsys, "check", PROBLEM, SOLUTION)
    assert code == 0
    assert out.startswith("no violations (3 employees, 3 shifts checked)")
    assert "coverage email: demand 32, assigned 16, under 16 (50.0%)" in out


def test_it_lists_violations_and_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = _exit_code(capsys, "check", PROBLEM, str(_broken_solution(tmp_path)))
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "3 violations (3 employees, 3 shifts checked)"
    assert any("ATW-06" in line and "chris" in line and "[shifts[2]]" in line for line in lines)
    assert any("COV-01" in line and "under_coverage.phone[66]" in line for line in lines)
    assert any("COV-01" in line and "under_coverage.email[66]" in line for line in lines)
    assert "3 violations" in err


def test_it_raises_command_error_with_return_code_1_from_call_command(tmp_path: Path) -> None:
    out = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("roster", "check", PROBLEM, str(_broken_solution(tmp_path)), stdout=out)
    assert exc.value.returncode == 1
    assert "ATW-06" in out.getvalue()


def test_it_writes_the_full_report_as_json(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("roster", "check", PROBLEM, SOLUTION, "--format", "json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["violations"] == []
    assert len(report["under_coverage"]["phone"]) == 96


def test_it_exits_2_with_line_and_column_for_invalid_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"start": "2026-06-01",\n "days": }')
    code, _, err = _exit_code(capsys, "check", str(bad), SOLUTION)
    assert code == 2
    assert "invalid JSON at line 2, column 10" in err


def test_it_exits_2_with_the_paths_of_schema_errors(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = json.loads(Path(PROBLEM).read_text())
    data["employees"].append(dict(data["employees"][0], id="dirk"))
    data["employees"][3]["availability"] = [
        {"start": "2026-06-01T12:00", "end": "2026-06-01T08:00"}
    ]
    data["employees"][1]["age"] = 15
    path = tmp_path / "problem.json"
    path.write_text(json.dumps(data))
    code, _, err = _exit_code(capsys, "check", str(path), SOLUTION)
    assert code == 2
    assert "has 2 errors" in err
    assert "employees[1].age: employees under 16" in err
    assert "employees[3].availability[0].end: end 2026-06-01T08:00+02:00 must be after start" in err


def test_it_exits_2_for_a_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _exit_code(capsys, "check", PROBLEM, "/nonexistent/solution.json")
    assert code == 2
    assert "no such file" in err


def test_it_prints_the_json_schemas(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("roster", "schema", stdout=out)
    assert json.loads(out.getvalue())["title"] == "RosterProblem"
    target = tmp_path / "solution.schema.json"
    call_command("roster", "schema", "--solution", "--out", str(target), stderr=io.StringIO())
    assert json.loads(target.read_text())["title"] == "RosterSolution"


def test_it_has_a_table_of_subcommands_for_solve_to_join() -> None:
    assert set(SUBCOMMANDS) >= {"check", "schema"}
    assert all(callable(s.handle) and callable(s.add_arguments) for s in SUBCOMMANDS.values())
