"""`veerkracht roster solve`: exit 0 with a rule-clean roster, 1 with a conflict report, 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import execute_from_command_line

from veerkracht.planning.roster.check import check_solution
from veerkracht.planning.roster.model import load_problem, load_solution

DATA = Path(__file__).parent.parent.parent / "data" / "roster"
PROBLEM = DATA / "small_problem.json"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        execute_from_command_line(["veerkracht", "roster", *args])
        raise SystemExit(0)
    out, err = capsys.readouterr()
    return int(exc.value.code or 0), out, err


def test_it_solves_writes_the_roster_and_exits_0(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_path = tmp_path / "solution.json"
    code, _, err = _run(capsys, "solve", str(PROBLEM), "--out", str(out_path), "--time-limit", "5")
    assert code == 0, err
    solution = load_solution(out_path.read_bytes())
    assert solution.status.value in ("optimal", "feasible")
    assert check_solution(load_problem(PROBLEM.read_bytes()), solution).ok
    assert "objective" in err  # progress lines and the summary go to standard error
    assert "shifts" in err.splitlines()[-1]
    # The checker agrees on the command line as well.
    code, out, _ = _run(capsys, "check", str(PROBLEM), str(out_path))
    assert code == 0, out


def test_it_exits_2_with_the_error_paths_on_bad_input(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = json.loads(PROBLEM.read_text())
    data["employees"][1]["availability"][0]["end"] = "2026-06-01T07:00"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    code, _, err = _run(capsys, "solve", str(bad), "--out", str(tmp_path / "s.json"))
    assert code == 2
    assert "employees[1].availability[0]" in err
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    code, _, err = _run(capsys, "solve", str(broken))
    assert code == 2
    assert "invalid JSON" in err


def test_it_writes_the_report_and_exits_1_when_infeasible(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = json.loads(PROBLEM.read_text())
    # Anna must work 40 hours a week; the period is one day of that week, so pro rata
    # 5 h 42 min, but she is available for 4 hours only.
    data["employees"][0]["min_minutes_per_week"] = 2400
    data["employees"][0]["max_minutes_per_week"] = 2400
    data["employees"][0]["wished_minutes_per_week"] = 2400
    data["employees"][0]["availability"] = [
        {"start": "2026-06-01T08:00", "end": "2026-06-01T12:00"}
    ]
    problem = tmp_path / "problem.json"
    problem.write_text(json.dumps(data))
    out_path = tmp_path / "solution.json"
    code, _, err = _run(capsys, "solve", str(problem), "--out", str(out_path), "--time-limit", "5")
    assert code == 1
    assert "infeasible" in err and "anna" in err
    report = json.loads(out_path.read_text())
    assert report["status"] == "infeasible"
    assert report["report"]["conflicts"][0]["employee"] == "anna"
