"""Demo history: realistic shape (weekly, intraday, holidays, DST, the surge) and the loader."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from tests.conftest import World
from veerkracht.config.jobs import JobStatus
from veerkracht.planning.calendar import date_to_epoch_day, local_parts
from veerkracht.scheduling.demo import SURGE_WEEKS_AGO, generate_history, load_history_demo
from veerkracht.scheduling.models import ContactVolume, Forecast, HistoryUpload, ServiceTarget

TODAY = date(2025, 11, 20)  # a Thursday


@pytest.fixture(scope="module")
def series() -> dict[str, object]:
    return {s.channel: s for s in generate_history(seed=7, today=TODAY)}


def daily(s, day: date) -> tuple[int, float]:  # type: ignore[no-untyped-def]
    epoch_day, _slot, _fold = local_parts(s.start_utc_s)
    mask = epoch_day == date_to_epoch_day(day)
    return int(mask.sum()), float(s.contacts[mask].sum())


def test_it_covers_two_years_up_to_yesterday(series) -> None:  # type: ignore[no-untyped-def]
    phone = series["phone"]
    epoch_day, slot, _fold = local_parts(phone.start_utc_s)
    assert epoch_day.min() == date_to_epoch_day(TODAY - timedelta(days=730))
    assert epoch_day.max() == date_to_epoch_day(TODAY - timedelta(days=1))
    assert slot.min() == 8 * 4 and slot.max() == 20 * 4 - 1  # open 08:00–20:00


def test_it_has_a_weekly_pattern_with_closed_sundays(series) -> None:  # type: ignore[no-untyped-def]
    monday = date(2025, 10, 13)
    week = [daily(series["phone"], monday + timedelta(days=i)) for i in range(7)]
    assert 2500 < week[0][1] < 4500  # ~3,000 a weekday
    assert week[5][1] < 0.6 * week[2][1]  # Saturday low
    assert week[6] == (0, 0.0)  # Sunday closed
    assert daily(series["chat"], monday + timedelta(days=6)) == (0, 0.0)
    assert daily(series["email"], monday + timedelta(days=6))[0] == 96  # e-mail arrives on Sundays


def test_it_closes_the_phone_on_public_holidays(series) -> None:  # type: ignore[no-untyped-def]
    assert daily(series["phone"], date(2024, 12, 25)) == (0, 0.0)
    assert daily(series["email"], date(2024, 12, 25))[1] > 0


def test_it_handles_daylight_saving_days(series) -> None:  # type: ignore[no-untyped-def]
    assert daily(series["email"], date(2025, 3, 30))[0] == 92
    assert daily(series["email"], date(2025, 10, 26))[0] == 100


def test_it_has_a_surge_that_settles(series) -> None:  # type: ignore[no-untyped-def]
    start = TODAY - timedelta(days=TODAY.weekday() + 7 * SURGE_WEEKS_AGO)
    # Mondays before the surge (9 June 2025 was Whit Monday, closed: left out).
    before = np.mean(
        [
            v
            for k in (1, 2, 3, 4)
            if (v := daily(series["phone"], start - timedelta(days=7 * k))[1]) > 0
        ]
    )
    peak = daily(series["phone"], start)[1]
    later = np.mean([daily(series["phone"], start + timedelta(days=7 * k))[1] for k in (6, 7, 8)])
    assert 3.3 < peak / before < 4.7  # 3,000 → 12,000
    assert later / before < 1.2


def test_it_loads_history_targets_and_a_finished_forecast(world: World) -> None:
    timings = load_history_demo(world.org, seed=7, today=TODAY, days=42)
    stored = ContactVolume.objects.filter(organisation=world.org)
    expected = sum(s.start_utc_s.size for s in generate_history(seed=7, today=TODAY, days=42))
    assert stored.count() == expected == timings["intervals"]
    assert ServiceTarget.objects.filter(organisation=world.org).count() == 4
    assert ServiceTarget.objects.get(organisation=world.org, channel="phone").patience_s == 180
    forecast = Forecast.objects.get(organisation=world.org)
    assert forecast.status == JobStatus.SUCCEEDED and forecast.first_day == TODAY
    assert set(forecast.result["channels"]) == {"phone", "chat", "email", "social"}
    assert HistoryUpload.objects.get(organisation=world.org).rows == expected
