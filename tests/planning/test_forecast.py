"""Forecasting contacts per channel per 15-minute interval."""

from __future__ import annotations

import ast
import io
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

import veerkracht.planning
from veerkracht.planning.backtest import run_backtest
from veerkracht.planning.calendar import TZ, local_grid, public_holidays
from veerkracht.planning.forecast import (
    Adjustment,
    Forecast,
    forecast_contacts,
    write_forecast_csv,
)
from veerkracht.planning.history import ChannelSeries, History, load_history

WEEKDAY_FACTOR = np.array([1.2, 1.0, 1.0, 0.9, 0.9, 0.6, 0.5])


def _series(
    first: date,
    n_days: int,
    *,
    channel: str = "phone",
    per_day: float = 1600.0,
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4),
    hours: tuple[float, float] = (8, 18),
    friday_close: float | None = None,
    holiday_factor: float | None = 1.0,
    growth_per_day: float = 0.0,
    day_noise_cv: float = 0.0,
    poisson: bool = True,
    seed: int = 7,
) -> ChannelSeries:
    """A synthetic channel: weekly and intraday pattern, optional holidays and noise.

    ``holiday_factor=None`` closes the channel on Dutch public holidays (absent rows).
    """
    rng = np.random.default_rng(seed)
    grid = local_grid(first, n_days)
    weekday = np.array([(first + timedelta(days=int(d))).weekday() for d in range(n_days)])
    wd = weekday[grid.day]
    hour = grid.slot / 4.0
    close = np.full(7, hours[1])
    if friday_close is not None:
        close[4] = friday_close
    is_open = np.isin(wd, weekdays) & (hour >= hours[0]) & (hour < close[wd])
    holiday = np.zeros(n_days, dtype=bool)
    for d in public_holidays(first, first + timedelta(days=n_days - 1)):
        holiday[(d - first).days] = True
    if holiday_factor is None:
        is_open &= ~holiday[grid.day]
    shape = np.where(is_open, 1.0 + 0.5 * np.sin(np.pi * (hour - hours[0]) / 10.0), 0.0)
    day_shape = np.bincount(grid.day, weights=shape, minlength=n_days)
    level = per_day * (1.0 + growth_per_day * np.arange(n_days))
    day_noise = rng.gamma(1 / day_noise_cv**2, day_noise_cv**2, n_days) if day_noise_cv else 1.0
    daily = level * WEEKDAY_FACTOR[weekday] * day_noise
    if holiday_factor is not None:
        daily = np.where(holiday, daily * holiday_factor, daily)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(is_open, daily[grid.day] * shape / day_shape[grid.day], 0.0)
    counts = rng.poisson(mean) if poisson else mean
    return ChannelSeries(
        channel,
        grid.start_utc_s[is_open],
        np.asarray(counts, dtype=np.float64)[is_open],
        np.full(int(is_open.sum()), np.nan),
    )


def _day_total(forecast: Forecast, channel: str, day: date) -> float:
    daily = forecast.channels[channel].daily
    return float(daily.contacts[daily.days.index(day)])


def test_it_reproduces_a_noise_free_weekly_pattern_exactly() -> None:
    # Reference by construction: a level of 1600 per day, weekday factors 1.2/1.0/1.0/
    # 0.9/0.9 (mean 1) and a fixed intraday shape must come back unchanged (rel. 1e-9).
    phone = _series(date(2025, 6, 16), 7 * 13, poisson=False)
    forecast = forecast_contacts(History.of(phone), horizon_days=14)
    assert forecast.days[0] == date(2025, 9, 12)  # the rest of the last Friday
    for offset, factor in enumerate([1.2, 1.0, 1.0, 0.9, 0.9, 0.0, 0.0]):
        day = date(2025, 9, 15) + timedelta(days=offset)
        assert _day_total(forecast, "phone", day) == pytest.approx(1600 * factor, rel=1e-9)
    truth = _series(date(2025, 9, 15), 7, poisson=False)
    ch = forecast.channels["phone"]
    index = np.searchsorted(forecast.start_utc_s, truth.start_utc_s)
    assert ch.contacts[index] == pytest.approx(truth.contacts, rel=1e-9)
    assert ch.model.slope_per_day == 0.0


def test_it_starts_at_the_first_interval_after_the_history() -> None:
    phone = _series(date(2025, 6, 16), 7 * 8 - 2)  # ends Friday 2025-08-08 17:45
    forecast = forecast_contacts(History.of(phone), horizon_days=7)
    assert forecast.starts[0] == datetime(2025, 8, 8, 18, 0, tzinfo=TZ)
    assert forecast.days == tuple(date(2025, 8, 8) + timedelta(days=i) for i in range(8))
    assert forecast.starts[-1] == datetime(2025, 8, 15, 23, 45, tzinfo=TZ)


def test_it_gives_no_weekend_or_night_contacts_for_a_weekday_only_center() -> None:
    phone = _series(date(2025, 6, 16), 7 * 12)
    forecast = forecast_contacts(History.of(phone), horizon_days=14)
    ch = forecast.channels["phone"]
    starts = forecast.starts
    weekend = np.array([s.weekday() >= 5 for s in starts])
    night = np.array([not 8 <= s.hour < 18 for s in starts])
    assert not ch.open[weekend | night].any()
    assert np.all(ch.contacts[weekend | night] == 0)
    assert np.all(ch.upper[weekend | night] == 0)
    assert np.all(ch.contacts[~weekend & ~night] > 0)
    buffer = io.StringIO()
    rows = write_forecast_csv(forecast, buffer)
    assert rows == 10 * 40  # ten weekdays of 40 open quarters


def test_it_learns_opening_hours_per_weekday() -> None:
    phone = _series(date(2025, 6, 16), 7 * 12, friday_close=16)
    forecast = forecast_contacts(History.of(phone), horizon_days=7)
    ch = forecast.channels["phone"]
    friday_late = np.array([s.weekday() == 4 and s.hour >= 16 for s in forecast.starts])
    thursday_late = np.array([s.weekday() == 3 and 16 <= s.hour < 18 for s in forecast.starts])
    assert np.all(ch.contacts[friday_late] == 0)
    assert np.all(ch.contacts[thursday_late] > 0)


def test_it_forecasts_kings_day_and_easter_monday_lower_than_normal_mondays() -> None:
    # No holiday in the history (5 Jan - 2 Apr 2026): the default holiday factor applies.
    phone = _series(date(2026, 1, 5), 88)
    forecast = forecast_contacts(History.of(phone), horizon_days=28)
    daily = forecast.channels["phone"].daily
    assert daily.holiday[daily.days.index(date(2026, 4, 27))] == "King's Day"
    kings_day = _day_total(forecast, "phone", date(2026, 4, 27))
    easter_monday = _day_total(forecast, "phone", date(2026, 4, 6))
    assert kings_day < 0.75 * _day_total(forecast, "phone", date(2026, 4, 20))
    assert easter_monday < 0.75 * _day_total(forecast, "phone", date(2026, 4, 13))


def test_it_closes_on_holidays_when_the_history_was_closed_on_holidays() -> None:
    phone = _series(date(2025, 1, 6), 7 * 64 - 2, holiday_factor=None)  # to Fri 2026-03-27
    forecast = forecast_contacts(History.of(phone), horizon_days=35)
    assert _day_total(forecast, "phone", date(2026, 4, 6)) == 0.0  # Easter Monday
    assert _day_total(forecast, "phone", date(2026, 4, 27)) == 0.0  # King's Day
    assert _day_total(forecast, "phone", date(2026, 4, 7)) > 0.9 * 1600


def test_it_learns_a_holiday_factor_and_keeps_holidays_out_of_the_level() -> None:
    phone = _series(date(2025, 1, 6), 7 * 64 - 2, holiday_factor=0.3, per_day=4000)
    forecast = forecast_contacts(History.of(phone), horizon_days=35)
    model = forecast.channels["phone"].model
    assert model.holiday_factor["Easter Monday"] == pytest.approx(0.3, abs=0.03)
    easter = _day_total(forecast, "phone", date(2026, 4, 6))
    normal = _day_total(forecast, "phone", date(2026, 4, 13))
    assert normal == pytest.approx(4000 * 1.2, rel=0.05)
    assert easter / normal == pytest.approx(0.3, abs=0.03)


def test_it_applies_an_event_factor_from_a_date() -> None:
    history = History.of(_series(date(2025, 6, 16), 7 * 12))  # ends Sunday 2025-09-07
    plain = forecast_contacts(history, horizon_days=21)
    monday = date(2025, 9, 15)
    adjusted = forecast_contacts(
        history, horizon_days=21, adjustments=[Adjustment(4.0, monday, label="mailing")]
    )
    ch, base = adjusted.channels["phone"], plain.channels["phone"]
    after = np.array([s.date() >= monday for s in adjusted.starts])
    assert ch.contacts_unadjusted == pytest.approx(base.contacts)
    assert ch.contacts[after] == pytest.approx(4.0 * base.contacts[after])
    assert ch.contacts[~after] == pytest.approx(base.contacts[~after])
    assert np.all(ch.upper[after & ch.open] > base.upper[after & ch.open])
    i = ch.daily.days.index(monday)
    assert ch.daily.contacts[i] == pytest.approx(4 * ch.daily.contacts_unadjusted[i])


def test_it_applies_an_event_factor_to_a_date_range_and_a_channel() -> None:
    first = date(2025, 6, 16)
    history = History.of(_series(first, 84), _series(first, 84, channel="chat", seed=8))
    event = Adjustment(2.0, date(2025, 9, 10), date(2025, 9, 11), channels=("chat",))
    forecast = forecast_contacts(history, horizon_days=14, adjustments=[event])
    chat, phone = forecast.channels["chat"], forecast.channels["phone"]
    inside = np.array([date(2025, 9, 10) <= s.date() <= date(2025, 9, 11) for s in forecast.starts])
    assert chat.contacts[inside] == pytest.approx(2 * chat.contacts_unadjusted[inside])
    assert chat.contacts[~inside] == pytest.approx(chat.contacts_unadjusted[~inside])
    assert phone.contacts == pytest.approx(phone.contacts_unadjusted)


def test_it_rejects_an_adjustment_that_ends_before_it_starts() -> None:
    with pytest.raises(ValueError, match="end"):
        Adjustment(2.0, date(2025, 9, 11), date(2025, 9, 10))
    with pytest.raises(ValueError, match="factor"):
        Adjustment(-1.0, date(2025, 9, 11))


def test_it_beats_seasonal_naive_on_a_noisy_weekly_series() -> None:
    phone = _series(date(2025, 1, 6), 7 * 30, day_noise_cv=0.06, seed=11)
    report = run_backtest(History.of(phone), origins=8, horizon_days=7)
    scores = report.channels["phone"].scores
    assert scores["veerkracht"].wape < 0.9 * scores["seasonal_naive"].wape
    assert scores["veerkracht"].wape < scores["mean_4w"].wape
    assert scores["veerkracht"].wape < scores["median_4w"].wape


def test_it_covers_about_80_percent_of_poisson_outcomes() -> None:
    # Stationary Poisson process (about 30 contacts per open quarter): the history is the
    # first 20 weeks, the outcome the next 4 weeks drawn from the same process.
    everything = _series(date(2025, 1, 6), 7 * 24, per_day=1200, seed=3)
    cut = int(np.searchsorted(everything.start_utc_s, _series(date(2025, 5, 26), 1).start_utc_s[0]))
    past = ChannelSeries(
        "phone",
        everything.start_utc_s[:cut],
        everything.contacts[:cut],
        everything.aht_s[:cut],
    )
    forecast = forecast_contacts(History.of(past), horizon_days=28)
    ch = forecast.channels["phone"]
    index = np.searchsorted(forecast.start_utc_s, everything.start_utc_s[cut:])
    actual = everything.contacts[cut:]
    inside = (actual >= ch.lower[index]) & (actual <= ch.upper[index])
    assert forecast.interval_level == 0.8
    assert 0.72 <= inside.mean() <= 0.92


def test_it_handles_both_dst_days_in_the_horizon() -> None:
    email = _series(
        date(2025, 1, 6), 7 * 11, channel="email", weekdays=tuple(range(7)), hours=(0, 24)
    )
    forecast = forecast_contacts(History.of(email), horizon_days=14)  # 24 Mar - 6 Apr 2025
    spring = [s for s in forecast.starts if s.date() == date(2025, 3, 30)]
    assert len(spring) == 92
    email = _series(
        date(2025, 7, 28), 7 * 12, channel="email", weekdays=tuple(range(7)), hours=(0, 24)
    )
    forecast = forecast_contacts(History.of(email), horizon_days=14)  # 20 Oct - 2 Nov 2025
    ch = forecast.channels["email"]
    day = np.array([s.date() == date(2025, 10, 26) for s in forecast.starts])
    assert day.sum() == 100
    assert ch.open[day].all()
    values = ch.contacts[day]
    assert values[8:12] == pytest.approx(values[12:16])  # 02:00-02:45 twice, same forecast
    assert _day_total(forecast, "email", date(2025, 10, 26)) == pytest.approx(values.sum())


def test_it_sums_daily_totals_from_the_intervals() -> None:
    forecast = forecast_contacts(History.of(_series(date(2025, 6, 16), 84)), horizon_days=7)
    ch = forecast.channels["phone"]
    sums = np.bincount(forecast.day_index, weights=ch.contacts, minlength=len(forecast.days))
    assert ch.daily.contacts == pytest.approx(sums)
    assert np.all(ch.daily.lower <= ch.daily.contacts + 1)
    assert np.all(ch.daily.upper >= ch.daily.contacts - 1)


def test_it_writes_a_forecast_csv_that_reads_back_as_history() -> None:
    forecast = forecast_contacts(History.of(_series(date(2025, 6, 16), 84)), horizon_days=3)
    buffer = io.StringIO()
    write_forecast_csv(forecast, buffer, include_unadjusted=True)
    lines = buffer.getvalue().splitlines()
    assert lines[0] == "start,channel,contacts,lower,upper,contacts_unadjusted"
    assert lines[1].startswith("2025-09-08T08:00+02:00,phone,")
    again = load_history(buffer.getvalue().encode()).series["phone"]
    assert (
        again.start_utc_s.tolist() == forecast.start_utc_s[forecast.channels["phone"].open].tolist()
    )


def test_it_rejects_a_horizon_beyond_12_weeks() -> None:
    history = History.of(_series(date(2025, 6, 16), 28))
    with pytest.raises(ValueError, match="horizon_days"):
        forecast_contacts(history, horizon_days=85)


def test_it_follows_a_clear_trend() -> None:
    phone = _series(date(2025, 1, 6), 7 * 20, per_day=2000, growth_per_day=0.002, poisson=False)
    forecast = forecast_contacts(History.of(phone), horizon_days=14)
    model = forecast.channels["phone"].model
    assert model.slope_per_day == pytest.approx(2000 * 0.002, rel=0.05)
    # The last Monday in the history had 2000 * (1 + 0.002 * 133) * 1.2 contacts, the next
    # one will have 2000 * (1 + 0.002 * 140) * 1.2; the damped trend lands in between.
    next_monday = _day_total(forecast, "phone", date(2025, 5, 26))
    assert next_monday > 2000 * 1.266 * 1.2
    assert next_monday == pytest.approx(2000 * 1.28 * 1.2, rel=0.02)


def test_it_imports_no_django() -> None:
    package = Path(veerkracht.planning.__file__).parent
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n.split(".")[0] == "django" for n in names), path
    code = (
        "import sys, veerkracht.planning.forecast, veerkracht.planning.backtest; "
        "assert not any(m.split('.')[0] == 'django' for m in sys.modules), 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
