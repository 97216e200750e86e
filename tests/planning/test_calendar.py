"""Local 15-minute grid, daylight saving time and Dutch public holidays.

Reference values: EU summer time (Directive 2000/84/EC) starts on the last Sunday of March
and ends on the last Sunday of October, at 01:00 UTC; Dutch public holidays as listed by
the government (rijksoverheid.nl, "Officiële feestdagen"), King's Day moving to 26 April
when 27 April is a Sunday.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np

from veerkracht.planning.calendar import (
    INTERVAL_S,
    TZ,
    WALL_AMBIGUOUS,
    WALL_NONEXISTENT,
    WALL_OK,
    day_intervals,
    intervals_in_day,
    local_grid,
    local_parts,
    public_holidays,
    wall_to_utc_s,
)


def _wall(text: str) -> int:
    return int(np.datetime64(text, "s").astype(np.int64))


def test_it_has_92_intervals_on_the_spring_forward_day() -> None:
    assert intervals_in_day(date(2025, 3, 30)) == 92
    starts = day_intervals(date(2025, 3, 30))
    assert len(starts) == 92
    assert [s.strftime("%H:%M") for s in starts[7:9]] == ["01:45", "03:00"]


def test_it_has_100_intervals_on_the_fall_back_day() -> None:
    assert intervals_in_day(date(2025, 10, 26)) == 100
    grid = local_grid(date(2025, 10, 26), 1)
    assert grid.start_utc_s.size == 100
    # 02:00-02:45 appears twice: first in summer time (fold 0), then in winter time (fold 1).
    assert grid.slot[8:16].tolist() == [8, 9, 10, 11, 8, 9, 10, 11]
    assert grid.fold[8:16].tolist() == [0, 0, 0, 0, 1, 1, 1, 1]
    offsets = [s.isoformat()[-6:] for s in grid.starts_local()[8:16]]
    assert offsets == ["+02:00"] * 4 + ["+01:00"] * 4


def test_it_has_96_intervals_on_a_normal_day() -> None:
    assert intervals_in_day(date(2025, 6, 2)) == 96
    grid = local_grid(date(2025, 6, 2), 2)
    assert grid.slot.tolist() == list(range(96)) * 2
    assert grid.day.tolist() == [0] * 96 + [1] * 96


def test_it_agrees_with_zoneinfo_for_every_interval_of_a_year() -> None:
    grid = local_grid(date(2025, 1, 1), 365)
    day, slot, fold = local_parts(grid.start_utc_s)
    sample = np.arange(0, grid.start_utc_s.size, 7)  # every 7th interval keeps this quick
    for i in sample:
        local = datetime.fromtimestamp(int(grid.start_utc_s[i]), TZ)
        assert slot[i] == (local.hour * 60 + local.minute) // 15
        assert fold[i] == local.fold
    assert np.all(np.diff(grid.start_utc_s) == INTERVAL_S)


def test_it_converts_the_repeated_hour_by_fold() -> None:
    # 2025-10-26 02:15 local is 00:15 UTC (CEST, +02:00) or 01:15 UTC (CET, +01:00).
    wall = np.array([_wall("2025-10-26T02:15")], dtype=np.int64)
    first, status = wall_to_utc_s(wall)
    second, _ = wall_to_utc_s(wall, np.array([1], dtype=np.int8))
    assert status.tolist() == [WALL_AMBIGUOUS]
    assert datetime.fromtimestamp(int(first[0]), UTC).strftime("%H:%M") == "00:15"
    assert datetime.fromtimestamp(int(second[0]), UTC).strftime("%H:%M") == "01:15"


def test_it_flags_a_time_that_does_not_exist_in_spring() -> None:
    wall = np.array([_wall("2025-03-30T02:30"), _wall("2025-03-30T03:00")], dtype=np.int64)
    utc, status = wall_to_utc_s(wall)
    assert status.tolist() == [WALL_NONEXISTENT, WALL_OK]
    assert datetime.fromtimestamp(int(utc[1]), UTC).strftime("%H:%M") == "01:00"


def test_it_lists_dutch_public_holidays() -> None:
    days = public_holidays(date(2025, 1, 1), date(2026, 12, 31))
    assert days[date(2026, 4, 27)] == "King's Day"
    assert days[date(2025, 4, 26)] == "King's Day"  # 27 April 2025 is a Sunday
    assert days[date(2026, 4, 6)] == "Easter Monday"
    assert days[date(2026, 5, 14)] == "Ascension Day"
    assert days[date(2025, 12, 26)] == "Second Day of Christmas"
    assert date(2026, 4, 28) not in days


def test_it_lists_no_holidays_without_a_country() -> None:
    assert public_holidays(date(2026, 1, 1), date(2026, 12, 31), country=None) == {}
