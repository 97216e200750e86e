"""Forecast benchmark: accuracy on real bank call data and speed on a large synthetic history.

Usage (from the repository root)::

    python benchmarks/bench_forecast.py [--data ../shared/data/bank_calls_2003.csv]

1. Backtest on ``bank_calls_2003.csv`` (5-minute weekday calls of a bank, 2003; see
   ``docs/forecasting.md``): rolling weekly origins over the last 8 weeks, horizon 7 days,
   15-minute intervals, WAPE of the Veerkracht forecast versus seasonal naive and the
   4-week mean and median.  The data file is read in place, never copied into the repo.
2. Timing: forecast 12 weeks for a synthetic history of 2 years x 4 channels on the
   15-minute grid (weekly and intraday pattern, Dutch holidays, daylight saving time,
   Poisson noise).  Target: under 3 s.

Prints PASS/FAIL lines and exits 0 (the figures are for people, not a gate).
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from veerkracht.planning.backtest import format_report, run_backtest
from veerkracht.planning.calendar import local_grid, public_holidays
from veerkracht.planning.forecast import forecast_contacts, write_forecast_csv
from veerkracht.planning.history import ChannelSeries, History, load_history, write_history_csv

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO / ".." / "shared" / "data" / "bank_calls_2003.csv"
REFERENCE_WAPE = {"seasonal_naive": 0.103, "mean_4w": 0.081, "median_4w": 0.076}
TIME_TARGET_S = 3.0

# Synthetic centre: channel -> (contacts per day, open weekdays, open hours per weekday)
_CHANNELS = {
    "phone": (4000.0, (0, 1, 2, 3, 4, 5), ((8, 20),) * 5 + ((9, 17),)),
    "chat": (1500.0, (0, 1, 2, 3, 4, 5, 6), ((8, 22),) * 7),
    "email": (900.0, (0, 1, 2, 3, 4, 5, 6), ((0, 24),) * 7),
    "social": (300.0, (0, 1, 2, 3, 4, 5, 6), ((7, 23),) * 7),
}
_WEEKDAY = np.array([1.25, 1.05, 1.0, 0.97, 0.95, 0.7, 0.6])


def synthetic_history(first_day: date, n_days: int, seed: int = 20250101) -> History:
    """A contact history with weekly, intraday and holiday patterns plus Poisson noise.

    Parameters
    ----------
    first_day : date
        First local day.
    n_days : int
        Number of days.
    seed : int
        Random seed (the result is deterministic).
    """
    rng = np.random.default_rng(seed)
    grid = local_grid(first_day, n_days)
    epoch0 = (first_day - date(1970, 1, 1)).days
    weekday = (epoch0 + grid.day + 3) % 7
    hour = grid.slot / 4.0
    holidays = public_holidays(first_day, first_day + timedelta(days=n_days - 1))
    hol_day = np.zeros(n_days, dtype=bool)
    for d in holidays:
        hol_day[(d - first_day).days] = True
    series = []
    for name, (per_day, open_days, hours) in _CHANNELS.items():
        trend = 1.0 + 0.15 * grid.day / 365.0
        day_noise = rng.gamma(200.0, 1.0 / 200.0, n_days)[grid.day]
        lo = np.array([hours[open_days.index(w)][0] if w in open_days else 0 for w in range(7)])
        hi = np.array([hours[open_days.index(w)][1] if w in open_days else 0 for w in range(7)])
        is_open = (hour >= lo[weekday]) & (hour < hi[weekday])
        if name == "phone":
            is_open &= ~hol_day[grid.day]  # the phone line closes on public holidays
        shape = (
            0.6 + np.exp(-(((hour - 10.5) / 1.8) ** 2)) + 0.8 * np.exp(-(((hour - 15) / 2.2) ** 2))
        )
        span = np.maximum(hi - lo, 1)[weekday]
        mean = per_day * _WEEKDAY[weekday] * trend * day_noise * shape / (span * 4 * 1.25)
        mean = np.where(hol_day[grid.day], mean * 0.4, mean)
        counts = rng.poisson(mean[is_open]).astype(np.float64)
        series.append(
            ChannelSeries(name, grid.start_utc_s[is_open], counts, np.full(counts.size, np.nan))
        )
    return History.of(*series)


def bench_bank(path: Path) -> bool:
    print(f"== Backtest on {path}")
    if not path.exists():
        print(f"FAIL bank data not found at {path} (pass --data)")
        return False
    history = load_history(path.read_bytes())
    report = run_backtest(history, origins=8, horizon_days=7)
    print(format_report(report))
    scores = report.channels["phone"].scores
    ours = scores["veerkracht"].wape
    ok = True
    for method, reference in REFERENCE_WAPE.items():
        measured = scores[method].wape
        beats = ours < measured
        ok &= beats
        print(
            f"{'PASS' if beats else 'FAIL'} WAPE {ours:.4f} < {method} {measured:.4f} "
            f"(published reference {reference:.3f})"
        )
    return ok


def bench_speed() -> bool:
    print("== Speed: 2 years x 4 channels of 15-minute history, 12-week horizon")
    t0 = time.perf_counter()
    history = synthetic_history(date(2023, 9, 4), 730)
    t1 = time.perf_counter()
    n_intervals = sum(len(s) for s in history.series.values())
    forecast = forecast_contacts(history, horizon_days=84)
    t2 = time.perf_counter()
    buffer = io.StringIO()
    rows = write_forecast_csv(forecast, buffer)
    t3 = time.perf_counter()
    print(f"history: {n_intervals} open intervals (synthesised in {t1 - t0:.2f} s)")
    print(f"forecast: {forecast.start_utc_s.size} intervals x {len(forecast.channels)} channels")
    print(f"forecast_contacts: {t2 - t1:.2f} s; CSV of {rows} rows: {t3 - t2:.2f} s")
    total = t3 - t1
    ok = total < TIME_TARGET_S
    print(f"{'PASS' if ok else 'FAIL'} forecast + CSV {total:.2f} s < {TIME_TARGET_S:.0f} s")
    history_csv = io.StringIO()
    write_history_csv(history, history_csv)
    content = history_csv.getvalue().encode()
    t4 = time.perf_counter()
    parsed = load_history(content)
    t5 = time.perf_counter()
    assert parsed.channels == history.channels
    print(
        f"(for information) reading the same history as a {len(content) / 1e6:.1f} MB CSV: "
        f"{t5 - t4:.2f} s"
    )
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="bank_calls_2003.csv")
    args = parser.parse_args(argv)
    results = [bench_bank(args.data.resolve()), bench_speed()]
    print(f"== {'PASS' if all(results) else 'FAIL'} overall")
    return 0


if __name__ == "__main__":
    sys.exit(main())
