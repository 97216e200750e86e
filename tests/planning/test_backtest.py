"""Backtests against seasonal-naive and 4-week baselines."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from veerkracht.planning.backtest import METHODS, format_report, run_backtest
from veerkracht.planning.history import ChannelSeries, History, load_history

BANK = Path(__file__).resolve().parents[3] / "shared" / "data" / "bank_calls_2003.csv"


def _one_quarter_per_weekday(values_per_week: list[float | None], first: date) -> History:
    """A phone line open 08:00-08:15 on weekdays, each week's weekdays at one value.

    ``None`` leaves that week's Monday closed (absent).
    """
    starts: list[datetime] = []
    contacts: list[float] = []
    for week, value in enumerate(values_per_week):
        for weekday in range(5):
            if value is None and weekday == 0:
                continue
            day = first + timedelta(days=7 * week + weekday)
            starts.append(datetime(day.year, day.month, day.day, 8, 0))
            contacts.append(60.0 if value is None else value)
    return History.of(ChannelSeries.from_local("phone", starts, contacts))


def test_it_computes_wape_and_mase_by_hand() -> None:
    # Weeks of 10, 20, 30, 40, 50 contacts per weekday, then a week of 60 to forecast.
    # Hand calculation: seasonal naive says 50 (error 10 a day), the 4-week mean and
    # median say (20+30+40+50)/4 = 35 (error 25 a day); actual 5 * 60 = 300, so WAPE is
    # 50/300 and 125/300.  MASE divides the mean error by the in-sample week-on-week
    # error before the origin, which is 10: 1.0 and 2.5.
    history = _one_quarter_per_weekday([10, 20, 30, 40, 50, 60], date(2025, 6, 2))
    report = run_backtest(history, origins=1, horizon_days=7)
    assert report.origins == (date(2025, 7, 5),)
    scores = report.channels["phone"].scores
    assert report.channels["phone"].mase_scale == pytest.approx(10.0)
    assert scores["seasonal_naive"].wape == pytest.approx(50 / 300)
    assert scores["seasonal_naive"].mase == pytest.approx(1.0)
    assert scores["mean_4w"].wape == pytest.approx(125 / 300)
    assert scores["median_4w"].wape == pytest.approx(125 / 300)
    assert scores["mean_4w"].mase == pytest.approx(2.5)
    assert scores["veerkracht"].n_intervals == 5


def test_it_leaves_out_intervals_without_a_value_a_week_earlier() -> None:
    history = _one_quarter_per_weekday([10, 20, 30, 40, None, 60], date(2025, 6, 2))
    report = run_backtest(history, origins=1, horizon_days=7)
    scores = report.channels["phone"].scores
    assert scores["seasonal_naive"].n_intervals == 4  # last week's Monday was closed
    assert scores["mean_4w"].n_intervals == 5
    # The mean of the last four Mondays ignores the closed one: (20+30+40)/3 = 30.
    assert scores["mean_4w"].actual_contacts == 300


def test_it_skips_origins_without_four_weeks_of_history() -> None:
    history = _one_quarter_per_weekday([10, 20, 30, 40, 50, 60], date(2025, 6, 2))
    report = run_backtest(history, origins=8, horizon_days=7)
    assert len(report.origins) == 8
    assert report.channels["phone"].origins_used == 1  # 33 days before 5 July, 26 before 28 June


def test_it_formats_a_text_table() -> None:
    history = _one_quarter_per_weekday([10, 20, 30, 40, 50, 60], date(2025, 6, 2))
    text = format_report(run_backtest(history, origins=1))
    assert text.splitlines()[0].startswith("Backtest: 1 weekly origins 2025-07-05")
    assert "seasonal naive (1 week back)" in text
    assert "0.1667" in text and "1.0000" in text
    assert len(text.splitlines()) == 2 + len(METHODS) + 1


@pytest.mark.skipif(not BANK.exists(), reason="bank_calls_2003.csv not available")
def test_it_beats_all_baselines_on_the_bank_data() -> None:
    # Published reference WAPE (data/README.md in the shared folder): seasonal naive
    # 0.103, mean of 4 weeks 0.081, median of 4 weeks 0.076; tolerance 0.001 (rounding).
    report = run_backtest(load_history(BANK.read_bytes()), origins=8, horizon_days=7)
    scores = report.channels["phone"].scores
    assert scores["seasonal_naive"].wape == pytest.approx(0.103, abs=0.001)
    assert scores["mean_4w"].wape == pytest.approx(0.081, abs=0.001)
    assert scores["median_4w"].wape == pytest.approx(0.076, abs=0.001)
    assert scores["veerkracht"].wape < 0.073
    assert report.channels["phone"].beats_baselines
    assert np.isfinite(scores["veerkracht"].mase) and scores["veerkracht"].mase < 1.0
