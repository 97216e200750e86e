"""Backtests: how well would the forecast have done on the history itself?

Rolling weekly origins: for ``origins=8`` and a history whose last day is ``L``, the
origins are the days ``L + 1 - 7k`` for ``k = 8 .. 1``.  At each origin every method sees
only the history before it and forecasts the next ``horizon_days`` days per 15-minute
interval; the forecasts are compared with the intervals present in the history (absent
intervals are closed and not scored).  Methods:

``veerkracht``
    The shipped method (:func:`veerkracht.planning.forecast.fit_daily_model`).
``seasonal_naive``
    The same interval one week earlier; intervals whose week-earlier value is absent are
    left out of this method's score (this reproduces the published reference figures).
``mean_4w`` / ``median_4w``
    Mean / median of the same weekday and interval over the last four weeks before the
    origin, ignoring absent days.

Scores per channel, pooled over all origins and intervals:

* WAPE = sum |forecast - actual| / sum actual.
* MASE = mean |forecast - actual| / mean |y[t] - y[t - 1 week]|, the denominator being the
  in-sample seasonal-naive error on the history before the first origin (Hyndman &
  Koehler 2006, with a weekly season).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

import numpy as np
from numpy.typing import NDArray

from veerkracht.planning.calendar import date_to_epoch_day, public_holidays
from veerkracht.planning.forecast import (
    ForecastSettings,
    channel_matrix,
    fit_daily_model,
)
from veerkracht.planning.history import History

__all__ = [
    "METHODS",
    "METHOD_LABELS",
    "BacktestReport",
    "ChannelBacktest",
    "Score",
    "format_report",
    "run_backtest",
]

METHODS: Final = ("veerkracht", "seasonal_naive", "mean_4w", "median_4w")
"""Methods compared, the shipped one first."""

METHOD_LABELS: Final = {
    "veerkracht": "Veerkracht forecast",
    "seasonal_naive": "seasonal naive (1 week back)",
    "mean_4w": "mean of last 4 weeks",
    "median_4w": "median of last 4 weeks",
}

_MIN_TRAIN_DAYS: Final = 28


@dataclass(frozen=True)
class Score:
    """Accuracy of one method on one channel.

    Attributes
    ----------
    wape : float
        Weighted absolute percentage error (0.07 = 7 %); NaN without scored intervals.
    mase : float
        Mean absolute scaled error; below 1 beats the in-sample seasonal-naive error.
    n_intervals : int
        Intervals scored.
    actual_contacts : float
        Sum of actual contacts over the scored intervals.
    """

    wape: float
    mase: float
    n_intervals: int
    actual_contacts: float


@dataclass(frozen=True)
class ChannelBacktest:
    """Scores of all methods on one channel.

    Attributes
    ----------
    channel : str
        Channel name.
    scores : mapping of str to Score
        Per method (see :data:`METHODS`).
    mase_scale : float
        In-sample seasonal-naive mean absolute error per interval (MASE denominator).
    origins_used : int
        Origins with enough history (at least four weeks) for this channel.
    """

    channel: str
    scores: Mapping[str, Score]
    mase_scale: float
    origins_used: int

    @property
    def beats_baselines(self) -> bool:
        """True when the shipped method has the lowest WAPE of all methods."""
        ours = self.scores["veerkracht"].wape
        return all(
            ours < self.scores[m].wape for m in METHODS[1:] if np.isfinite(self.scores[m].wape)
        )


@dataclass(frozen=True)
class BacktestReport:
    """Result of :func:`run_backtest`.

    Attributes
    ----------
    origins : tuple of date
        Forecast origins (first forecast day of each fold).
    horizon_days : int
        Days forecast from each origin.
    channels : mapping of str to ChannelBacktest
        Per channel.
    """

    origins: tuple[date, ...]
    horizon_days: int
    channels: Mapping[str, ChannelBacktest]


def run_backtest(
    history: History,
    origins: int = 8,
    horizon_days: int = 7,
    *,
    settings: ForecastSettings | None = None,
) -> BacktestReport:
    """Backtest the forecast against simple baselines on rolling weekly origins.

    Parameters
    ----------
    history : History
        Contact history.
    origins : int
        Number of weekly origins, counted back from the end of the history.
    horizon_days : int
        Days forecast from each origin.
    settings : ForecastSettings, optional
        Method parameters of the shipped method.

    Returns
    -------
    BacktestReport
    """
    if origins < 1 or horizon_days < 1:
        raise ValueError("origins and horizon_days must be >= 1")
    s = settings or ForecastSettings()
    end = history.last_day + timedelta(days=1)
    origin_days = tuple(end - timedelta(days=7 * k) for k in range(origins, 0, -1))
    holidays = {
        date_to_epoch_day(d): n
        for d, n in public_holidays(history.first_day, history.last_day, s.country).items()
    }
    channels: dict[str, ChannelBacktest] = {}
    for name in history.channels:
        matrix = channel_matrix(history.series[name])
        x = matrix.values
        n = matrix.n_days
        first = matrix.first_day
        abs_err = dict.fromkeys(METHODS, 0.0)
        actual_sum = dict.fromkeys(METHODS, 0.0)
        count = dict.fromkeys(METHODS, 0)
        used = 0
        first_origin: int | None = None
        for origin_day in origin_days:
            o = (origin_day - first).days
            if o < _MIN_TRAIN_DAYS or o >= n:
                continue
            used += 1
            first_origin = o if first_origin is None else first_origin
            stop = min(n, o + horizon_days)
            model = fit_daily_model(matrix.head(o), holidays, s)
            days = matrix.first_epoch_day + np.arange(o, stop, dtype=np.int64)
            totals, profiles = model.predict(days, holidays)
            forecasts = {
                "veerkracht": totals[:, None] * profiles,
                "seasonal_naive": x[np.arange(o, stop) - 7],
                "mean_4w": _same_weekday(x, o, stop, np.nanmean),
                "median_4w": _same_weekday(x, o, stop, np.nanmedian),
            }
            actual = x[o:stop]
            for method, f in forecasts.items():
                ok = ~np.isnan(actual) & ~np.isnan(f)
                abs_err[method] += float(np.abs(f - actual)[ok].sum())
                actual_sum[method] += float(actual[ok].sum())
                count[method] += int(ok.sum())
        scale = _seasonal_naive_scale(x[: first_origin if first_origin is not None else n])
        scores = {
            m: Score(
                wape=abs_err[m] / actual_sum[m] if actual_sum[m] > 0 else float("nan"),
                mase=(abs_err[m] / count[m]) / scale if count[m] and scale > 0 else float("nan"),
                n_intervals=count[m],
                actual_contacts=actual_sum[m],
            )
            for m in METHODS
        }
        channels[name] = ChannelBacktest(name, scores, scale, used)
    return BacktestReport(origin_days, horizon_days, channels)


def _same_weekday(
    x: NDArray[np.float64],
    origin: int,
    stop: int,
    reduce: Callable[..., NDArray[np.float64]],
    weeks: int = 4,
) -> NDArray[np.float64]:
    """Reduce the same weekday-interval over the ``weeks`` weeks before ``origin``."""
    out = np.full((stop - origin, x.shape[1]), np.nan)
    for i, d in enumerate(range(origin, stop)):
        back = d - 7
        while back >= origin:
            back -= 7
        idx = [back - 7 * j for j in range(weeks) if back - 7 * j >= 0]
        if idx:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN (closed) slots
                out[i] = reduce(x[idx], axis=0)
    return out


def _seasonal_naive_scale(x: NDArray[np.float64]) -> float:
    if x.shape[0] <= 7:
        return float("nan")
    diff = np.abs(x[7:] - x[:-7])
    ok = ~np.isnan(diff)
    return float(diff[ok].mean()) if ok.any() else float("nan")


def format_report(report: BacktestReport) -> str:
    """A plain-text table of a :class:`BacktestReport`.

    Examples
    --------
    The output looks like::

        Backtest: 8 weekly origins 2003-08-30 .. 2003-10-18, horizon 7 days, 15-min intervals
        channel  method                          WAPE    MASE  intervals
        phone    Veerkracht forecast           0.0705   0.xxx       2280
        ...
    """
    first, last = report.origins[0], report.origins[-1]
    lines = [
        f"Backtest: {len(report.origins)} weekly origins {first.isoformat()} .. "
        f"{last.isoformat()}, horizon {report.horizon_days} days, 15-min intervals",
        f"{'channel':<8} {'method':<30} {'WAPE':>7} {'MASE':>7} {'intervals':>10}",
    ]
    for name, ch in report.channels.items():
        for i, method in enumerate(METHODS):
            sc = ch.scores[method]
            lines.append(
                f"{name if i == 0 else '':<8} {METHOD_LABELS[method]:<30} "
                f"{_fmt(sc.wape):>7} {_fmt(sc.mase):>7} {sc.n_intervals:>10}"
            )
        verdict = "beats all baselines" if ch.beats_baselines else "does NOT beat all baselines"
        lines.append(f"{'':<8} -> {METHOD_LABELS['veerkracht']} {verdict}")
    return "\n".join(lines)


def _fmt(value: float) -> str:
    return f"{value:.4f}" if np.isfinite(value) else "n/a"
