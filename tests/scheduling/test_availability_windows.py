"""`availability_windows`: the weekly pattern minus "cannot" plus "can" exceptions, as aware
Europe/Amsterdam datetimes, correct on DST days (hand-worked: on 29 March 2026 clocks go from
02:00 to 03:00, on 25 October 2026 from 03:00 back to 02:00; timeanddate.com)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from tests.conftest import World
from veerkracht.scheduling.availability import (
    AMSTERDAM,
    Window,
    availability_windows,
    check_window,
    overlapping,
    windows_from,
)
from veerkracht.scheduling.models_availability import AvailabilityException, AvailabilityPattern

MONDAY = date(2026, 3, 23)


def _hours(start: datetime, end: datetime) -> float:
    return (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() / 3600


def test_it_repeats_the_weekly_pattern(world: World) -> None:
    AvailabilityPattern.objects.create(employee=world.agent, weekday=0, start=time(9), end=time(17))
    AvailabilityPattern.objects.create(
        employee=world.agent, weekday=0, start=time(18), end=time(21), kind="prefer_not"
    )
    windows = availability_windows(world.agent, MONDAY, 14)
    assert windows == [
        (datetime(2026, 3, 23, 9, tzinfo=AMSTERDAM), datetime(2026, 3, 23, 17, tzinfo=AMSTERDAM)),
        (datetime(2026, 3, 23, 18, tzinfo=AMSTERDAM), datetime(2026, 3, 23, 21, tzinfo=AMSTERDAM)),
        (datetime(2026, 3, 30, 9, tzinfo=AMSTERDAM), datetime(2026, 3, 30, 17, tzinfo=AMSTERDAM)),
        (datetime(2026, 3, 30, 18, tzinfo=AMSTERDAM), datetime(2026, 3, 30, 21, tzinfo=AMSTERDAM)),
    ]
    assert all(s.utcoffset() == timedelta(hours=1) for s, _e in windows[:2])
    assert all(s.utcoffset() == timedelta(hours=2) for s, _e in windows[2:])  # summer time


def test_it_removes_cannot_and_adds_can_exceptions(world: World) -> None:
    AvailabilityPattern.objects.create(employee=world.agent, weekday=0, start=time(9), end=time(17))
    AvailabilityException.objects.create(
        employee=world.agent, date=MONDAY, start=time(12), end=time(13), kind="cannot"
    )
    AvailabilityException.objects.create(
        employee=world.agent, date=MONDAY + timedelta(7), kind="cannot"
    )
    AvailabilityException.objects.create(
        employee=world.agent, date=MONDAY + timedelta(2), start=time(19), end=time(22), kind="can"
    )
    windows = [
        (s.strftime("%a %d %H:%M"), e.strftime("%H:%M"))
        for s, e in availability_windows(world.agent, MONDAY, 14)
    ]
    assert windows == [
        ("Mon 23 09:00", "12:00"),
        ("Mon 23 13:00", "17:00"),
        ("Wed 25 19:00", "22:00"),
    ]


def test_it_gives_a_window_its_true_length_when_clocks_go_forward() -> None:
    pattern = [(6, Window(time(1), time(4), "can"))]  # Sundays 01:00–04:00
    [(start, end)] = windows_from(pattern, [], date(2026, 3, 29), 1)
    assert (start.hour, end.hour) == (1, 4)
    assert _hours(start, end) == 2  # 02:00–03:00 does not exist that night
    assert start.utcoffset() == timedelta(hours=1) and end.utcoffset() == timedelta(hours=2)


def test_it_moves_a_start_that_does_not_exist_to_summer_time() -> None:
    pattern = [(6, Window(time(2, 30), time(5), "can"))]
    [(start, end)] = windows_from(pattern, [], date(2026, 3, 29), 1)
    assert start == datetime(2026, 3, 29, 3, 30, tzinfo=AMSTERDAM)
    assert _hours(start, end) == 1.5


def test_it_gives_a_window_its_true_length_when_clocks_go_back() -> None:
    pattern = [(6, Window(time(1), time(4), "can"))]
    [(start, end)] = windows_from(pattern, [], date(2026, 10, 25), 1)
    assert _hours(start, end) == 4


def test_it_checks_grid_order_and_overlap() -> None:
    assert check_window(time(9), time(17)) == {}
    assert "end" in check_window(time(17), time(9))
    assert "end" in check_window(time(9), time(9))
    assert "start" in check_window(time(9, 5), time(17))
    assert overlapping([(0, time(9), time(12)), (0, time(12), time(14))]) is None
    assert overlapping([(0, time(9), time(12)), (1, time(10), time(11))]) is None
    assert overlapping([(0, time(9), time(12)), (0, time(11), time(14))]) == (0, time(11), time(14))
