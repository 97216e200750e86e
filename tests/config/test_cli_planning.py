"""`veerkracht forecast` and `veerkracht backtest`: file in, file out, clear errors by row."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

DATA = Path(__file__).parent.parent / "data"


def _weekday_history(path: Path, weeks: int = 10) -> Path:
    """Weekdays 08:00-18:00, 40 contacts per quarter on Mondays falling to 20 on Fridays."""
    lines = ["start,channel,contacts"]
    day = datetime(2025, 1, 6)  # a Monday
    for _ in range(weeks * 7):
        if day.weekday() < 5:
            for q in range(40):
                start = day + timedelta(hours=8, minutes=15 * q)
                lines.append(f"{start:%Y-%m-%dT%H:%M},phone,{40 - 5 * day.weekday()}")
        day += timedelta(days=1)
    path.write_text("\n".join(lines) + "\n")
    return path


def test_it_writes_a_forecast_in_the_documented_format(tmp_path: Path) -> None:
    history = _weekday_history(tmp_path / "history.csv")
    out = tmp_path / "forecast.csv"
    call_command("forecast", str(history), "--horizon", "7", "--out", str(out))
    rows = list(csv.DictReader(out.open()))
    assert list(rows[0]) == ["start", "channel", "contacts", "lower", "upper"]
    # The history ends on a Sunday; the forecast starts the Monday after, weekdays only, 08:00-18:00.
    assert rows[0]["start"].startswith("2025-03-17T08:00")
    assert len(rows) == 5 * 40
    monday = [float(r["contacts"]) for r in rows if r["start"].startswith("2025-03-17")]
    assert sum(monday) == pytest.approx(40 * 40, rel=0.05)
    assert all(float(r["lower"]) <= float(r["contacts"]) <= float(r["upper"]) for r in rows)


def test_it_applies_an_event_factor(tmp_path: Path) -> None:
    history = _weekday_history(tmp_path / "history.csv")
    base, surge = tmp_path / "base.csv", tmp_path / "surge.csv"
    call_command("forecast", str(history), "--horizon", "7", "--out", str(base))
    call_command(
        "forecast", str(history), "--horizon", "7", "--out", str(surge), "--adjust", "4@2025-03-19"
    )
    b = {r["start"]: float(r["contacts"]) for r in csv.DictReader(base.open())}
    s = {r["start"]: float(r["contacts"]) for r in csv.DictReader(surge.open())}
    assert s["2025-03-18T09:00+01:00"] == pytest.approx(b["2025-03-18T09:00+01:00"])
    assert s["2025-03-19T09:00+01:00"] == pytest.approx(4 * b["2025-03-19T09:00+01:00"])


def test_it_lists_row_errors_and_fails(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as exc:
        call_command("forecast", str(DATA / "history_errors.csv"), "--out", str(tmp_path / "x.csv"))
    message = str(exc.value)
    assert "row 5, field contacts" in message
    assert "row 6, field channel" in message
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--horizon", "0"], "--horizon"),
        (["--horizon", "85"], "--horizon"),
        (["--adjust", "four@2025-03-19"], "--adjust"),
        (["--adjust", "2@next-monday"], "--adjust"),
    ],
)
def test_it_rejects_bad_options(tmp_path: Path, args: list[str], message: str) -> None:
    history = _weekday_history(tmp_path / "history.csv", weeks=3)
    with pytest.raises(CommandError, match=message):
        call_command("forecast", str(history), *args)


def test_it_says_when_the_file_is_missing() -> None:
    with pytest.raises(CommandError, match="no such file"):
        call_command("backtest", "does-not-exist.csv")


def test_it_backtests_against_the_baselines(tmp_path: Path) -> None:
    history = _weekday_history(tmp_path / "history.csv", weeks=16)
    out = io.StringIO()
    call_command("backtest", str(history), "--origins", "4", stdout=out)
    text = out.getvalue()
    assert "seasonal naive" in text and "WAPE" in text and "phone" in text


def _forecast_csv(path: Path, rows: list[tuple[str, str, float]]) -> Path:
    path.write_text(
        "start,channel,contacts,lower,upper\n"
        + "".join(f"{s},{c},{n},{n},{n}\n" for s, c, n in rows)
    )
    return path


def test_it_computes_staff_per_interval_from_a_forecast(tmp_path: Path) -> None:
    # Source: the callcentrehelper.com worked example ("Erlang C formula - made simple"), also in
    # pyworkforce 0.5.1's tests: 100 calls per 30 min (= 50 per 15 min), AHT 180 s, 80 % in 20 s,
    # max occupancy 85 %, shrinkage 30 % -> 14 raw agents, 20 scheduled, service level 0.888.
    forecast = _forecast_csv(
        tmp_path / "f.csv",
        [
            ("2026-12-07T09:00+01:00", "phone", 50),
            ("2026-12-07T09:15+01:00", "phone", 0),
            ("2026-12-07T09:00+01:00", "chat", 9),
        ],
    )
    out = tmp_path / "staffing.csv"
    call_command(
        "staffing",
        str(forecast),
        "--channel",
        "phone",
        "--sl",
        "0.8",
        "--target",
        "20",
        "--aht",
        "180",
        "--max-occupancy",
        "0.85",
        "--shrinkage",
        "0.3",
        "--out",
        str(out),
    )
    rows = list(csv.DictReader(out.open()))
    assert [r["start"] for r in rows] == ["2026-12-07T09:00+01:00", "2026-12-07T09:15+01:00"]
    assert (rows[0]["required_agents"], rows[0]["scheduled_agents"]) == ("14", "20")
    assert float(rows[0]["service_level"]) == pytest.approx(0.888, abs=5e-4)
    assert (rows[1]["required_agents"], rows[1]["scheduled_agents"]) == ("0", "0")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--channel", "phone", "--aht", "0"], "aht_s"),
        (["--channel", "phone", "--aht", "300", "--sl", "1.2"], "sl_target"),
        (["--aht", "300"], "several channels"),
        (["--channel", "fax", "--aht", "300"], "no rows for channel"),
        (["--channel", "chat", "--aht", "300", "--kind", "email"], "response"),
    ],
)
def test_it_rejects_impossible_staffing_input_with_a_message(
    tmp_path: Path, args: list[str], message: str
) -> None:
    forecast = _forecast_csv(
        tmp_path / "f.csv",
        [("2026-12-07T09:00+01:00", "phone", 50), ("2026-12-07T09:00+01:00", "chat", 9)],
    )
    with pytest.raises(CommandError, match=message):
        call_command("staffing", str(forecast), *args)


def test_it_names_the_row_of_a_bad_forecast_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "start,channel,contacts\n2026-12-07T09:00+01:00,phone,12\n2026-12-07 nine,phone,3\n2026-12-07T09:30+01:00,phone,-1\n"
    )
    with pytest.raises(CommandError) as exc:
        call_command("staffing", str(bad), "--aht", "300")
    assert "row 3, field start" in str(exc.value)
    assert "row 4, field contacts" in str(exc.value)
