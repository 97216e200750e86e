"""Contact forecasts per channel per 15-minute interval.

Method (see ``docs/forecasting.md`` for the reasoning and the measured figures)
--------------------------------------------------------------------------------
The forecast of an interval is *daily total x intraday share*:

1. **Opening pattern.** A weekday is open when it had data on at least half of its last
   8 non-holiday occurrences; a wall-clock slot of an open weekday is open when it had
   data on at least half of that weekday's last 8 open days.  Only open intervals get
   contacts.
2. **Learning days.** Days with data on open weekdays, excluding public holidays and the
   first open day after a closure ("rebound" days, which carry catch-up volume).
3. **Weekday factors** ``s[w]``: median, over the last 12 weeks, of each day's total
   divided by the mean deseasonalised total of its week (two passes).
4. **Level**: winsorised mean (median +/- 1.5 robust SD) of deseasonalised totals over
   the last 35 days.  **Trend**: Theil-Sen slope of the deseasonalised totals over the
   last 16 weeks, used only when its 90 % confidence interval excludes zero, and damped
   (factor 0.98 per day) when extrapolated.
5. **Holidays** (Dutch calendar from ``holidays``): each history holiday on an open
   weekday gets a factor actual / expected (0 when the center was closed); the horizon
   uses the factor of the same holiday, else the median over all holidays seen, else
   ``default_holiday_factor``.  The first open day after a closed holiday gets the median
   rebound factor learned from history.
6. **Intraday profile** per weekday: weighted mean of the daily shares of the last 16
   learning days of that weekday, weights 0.95 per week back, zero on closed slots.
7. **Prediction intervals**: the model is re-fitted at up to 8 weekly origins inside the
   history and forecasts up to 4 weeks ahead; from these errors come the relative
   variance of daily totals per week ahead (``sigma2``, extrapolated linearly) and the
   Pearson overdispersion of intervals given the day total (``dispersion``).  An interval
   with mean ``mu`` gets a negative-binomial distribution with variance
   ``dispersion * mu + mu**2 * (exp(sigma2) - 1)``; ``lower`` and ``upper`` are its
   central quantiles (80 % by default).
8. **Adjustments** (events) multiply the intervals they cover; the result keeps the
   unadjusted figures too.

Times: the result holds UTC epoch seconds (``start_utc_s``) and offers the interval starts
as timezone-aware ``Europe/Amsterdam`` datetimes (:attr:`Forecast.starts`); the CSV writes
local ISO 8601 with the UTC offset, which is unambiguous on the fall-back day.
"""

from __future__ import annotations

import csv
import functools
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import IO, Final, NamedTuple

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from veerkracht.planning.calendar import (
    SLOTS_PER_DAY,
    TZ,
    date_to_epoch_day,
    epoch_day_to_date,
    local_grid,
    local_midnight_utc_s,
    local_parts,
    public_holidays,
    to_local_datetimes,
)
from veerkracht.planning.history import CHANNELS, ChannelSeries, History

__all__ = [
    "Adjustment",
    "ChannelForecast",
    "DailyForecast",
    "DailyModel",
    "DayMatrix",
    "Forecast",
    "ForecastRow",
    "ForecastSettings",
    "channel_matrix",
    "fit_daily_model",
    "forecast_contacts",
    "write_forecast_csv",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

MAX_HORIZON_DAYS: Final = 84
"""Longest supported horizon (12 weeks)."""

METHOD: Final = "robust-decomposition-v1"


@dataclass(frozen=True)
class ForecastSettings:
    """Tuning of the forecasting method; the defaults are the documented method.

    Attributes
    ----------
    level_window_days : int
        Days of history for the level (winsorised mean of deseasonalised totals).
    winsor_k : float
        Winsorising half-width in robust standard deviations (1.4826 MAD).
    weekday_factor_weeks : int
        Weeks of history for the weekday factors.
    trend : bool
        Whether to estimate a (gated, damped) trend.
    trend_weeks : int
        Weeks of history for the Theil-Sen trend.
    trend_damping : float
        Damping per day of the extrapolated trend (0 < phi < 1).
    profile_weeks : int
        Same-weekday days used for the intraday profile.
    profile_decay : float
        Weight factor per week back for the intraday profile.
    pattern_weeks : int
        Recent occurrences per weekday that decide the opening pattern.
    open_share : float
        Share of those occurrences with data needed to call a day or slot open.
    default_holiday_factor : float
        Holiday factor when the history holds no holiday on an open weekday.
    interval_level : float
        Central coverage of the prediction interval (0.8 = 10 % and 90 % quantiles).
    calibration_origins : int
        Weekly origins inside the history used to measure forecast errors.
    calibration_horizon_days : int
        Horizon of those calibration forecasts.
    country : str or None
        Holiday calendar (``holidays`` country code); ``None`` disables holidays.
    """

    level_window_days: int = 35
    winsor_k: float = 1.5
    weekday_factor_weeks: int = 12
    trend: bool = True
    trend_weeks: int = 16
    trend_damping: float = 0.98
    profile_weeks: int = 16
    profile_decay: float = 0.95
    pattern_weeks: int = 8
    open_share: float = 0.5
    default_holiday_factor: float = 0.5
    interval_level: float = 0.8
    calibration_origins: int = 8
    calibration_horizon_days: int = 28
    country: str | None = "NL"

    def __post_init__(self) -> None:
        if not 0.0 < self.interval_level < 1.0:
            raise ValueError("interval_level must be between 0 and 1")
        if not 0.0 < self.trend_damping <= 1.0 or not 0.0 < self.profile_decay <= 1.0:
            raise ValueError("trend_damping and profile_decay must be in (0, 1]")
        if min(self.level_window_days, self.weekday_factor_weeks, self.profile_weeks) < 1:
            raise ValueError("windows must be at least 1")


@dataclass(frozen=True)
class Adjustment:
    """A manual event factor, e.g. a mailing that quadruples contacts from Monday.

    Attributes
    ----------
    factor : float
        Multiplier (>= 0) of the forecast contacts.
    start : date or datetime
        First day (a ``date``) or first interval (a ``datetime``; naive means local time).
    end : date or datetime or None
        Last day inclusive (a ``date``), end instant exclusive (a ``datetime``), or
        ``None`` for the rest of the horizon.
    channels : tuple of str or None
        Channels it applies to; ``None`` for all.
    label : str
        Free text shown to planners (e.g. "Mailing spring campaign").
    """

    factor: float
    start: date | datetime
    end: date | datetime | None = None
    channels: tuple[str, ...] | None = None
    label: str = ""

    def __post_init__(self) -> None:
        if not math.isfinite(self.factor) or self.factor < 0:
            raise ValueError("adjustment factor must be finite and >= 0")
        if self.channels is not None and any(c not in CHANNELS for c in self.channels):
            raise ValueError(f"unknown channel in {self.channels!r}")
        if self.end is not None and _boundary_utc_s(self.end, end=True) <= _boundary_utc_s(
            self.start, end=False
        ):
            raise ValueError("adjustment end must be after its start")

    def mask(self, start_utc_s: IntArray, channel: str) -> BoolArray:
        """Intervals (by UTC start) that this adjustment covers for ``channel``."""
        if self.channels is not None and channel not in self.channels:
            return np.zeros(start_utc_s.shape, dtype=bool)
        lo = _boundary_utc_s(self.start, end=False)
        hi = None if self.end is None else _boundary_utc_s(self.end, end=True)
        covered = start_utc_s >= lo
        if hi is not None:
            covered &= start_utc_s < hi
        return covered


def _boundary_utc_s(moment: date | datetime, *, end: bool) -> int:
    if isinstance(moment, datetime):
        aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=TZ)
        return int(aware.timestamp())
    return local_midnight_utc_s(moment + timedelta(days=1) if end else moment)


# --------------------------------------------------------------------------- day matrix


@dataclass(frozen=True)
class DayMatrix:
    """History of one channel as local days x 96 wall-clock slots.

    ``values[d, k]`` holds the contacts of slot ``k`` on day ``first_day + d``; NaN marks a
    closed (absent) interval.  The repeated fall-back hour is folded onto its wall-clock
    slots as the mean of both occurrences, so every row describes a standard 96-slot day;
    the non-existent spring-forward slots are NaN.
    """

    first_day: date
    values: FloatArray

    @property
    def n_days(self) -> int:
        """Number of days."""
        return int(self.values.shape[0])

    @property
    def first_epoch_day(self) -> int:
        """``first_day`` as days since 1970-01-01."""
        return date_to_epoch_day(self.first_day)

    def head(self, n_days: int) -> DayMatrix:
        """The first ``n_days`` days (the history as it was before day ``n_days``)."""
        return DayMatrix(self.first_day, self.values[:n_days])


def channel_matrix(series: ChannelSeries) -> DayMatrix:
    """Arrange a channel's intervals as a :class:`DayMatrix`."""
    epoch_day, slot, _fold = local_parts(series.start_utc_s)
    first = int(epoch_day.min())
    n_days = int(epoch_day.max()) - first + 1
    flat = (epoch_day - first) * SLOTS_PER_DAY + slot
    size = n_days * SLOTS_PER_DAY
    total = np.bincount(flat, weights=series.contacts, minlength=size)
    count = np.bincount(flat, minlength=size)
    with np.errstate(invalid="ignore", divide="ignore"):
        values = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    return DayMatrix(epoch_day_to_date(first), values.reshape(n_days, SLOTS_PER_DAY))


def _weekday(epoch_days: IntArray) -> IntArray:
    """Monday = 0 (1970-01-01 was a Thursday)."""
    return (epoch_days + 3) % 7


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True)
class DailyModel:
    """Fitted daily-total and intraday-profile model of one channel.

    Attributes
    ----------
    last_epoch_day : int
        Last history day (days since 1970-01-01).
    open_weekday : ndarray of bool, shape (7,)
        Open weekdays, Monday first.
    profile : ndarray, shape (7, 96)
        Intraday shares per weekday (rows of open weekdays sum to 1; 0 on closed slots).
    weekday_factor : ndarray, shape (7,)
        Multiplicative weekday factors (mean 1 over open weekdays).
    level : float
        Deseasonalised contacts per day at ``level_day``.
    level_day : float
        Epoch day the level refers to (mean day of the level window).
    slope_per_day : float
        Trend of the deseasonalised level in contacts per day per day (0 if not significant).
    trend_damping : float
        Damping per day of the trend.
    holiday_factor : mapping of str to float
        Learned factor per holiday name.
    pooled_holiday_factor : float
        Factor for holidays not seen in the history.
    rebound_factor : float
        Factor for the first open day after a closed holiday.
    """

    last_epoch_day: int
    open_weekday: BoolArray
    profile: FloatArray
    weekday_factor: FloatArray
    level: float
    level_day: float
    slope_per_day: float
    trend_damping: float
    holiday_factor: Mapping[str, float]
    pooled_holiday_factor: float
    rebound_factor: float

    def predict(
        self, epoch_days: IntArray, holidays: Mapping[int, str]
    ) -> tuple[FloatArray, FloatArray]:
        """Daily totals and intraday profiles for the given days.

        Parameters
        ----------
        epoch_days : ndarray of int64
            Consecutive days after the history (days since 1970-01-01).
        holidays : mapping of int to str
            Holiday names by epoch day.

        Returns
        -------
        totals : ndarray, shape (n,)
            Expected contacts per standard (96-slot) day.
        profiles : ndarray, shape (n, 96)
            Intraday shares per day.
        """
        wd = _weekday(epoch_days)
        h = epoch_days.astype(np.float64) - self.level_day
        phi = self.trend_damping
        steps = h if phi >= 1.0 else phi * (1.0 - phi**h) / (1.0 - phi)
        level = np.maximum(self.level + self.slope_per_day * steps, 0.0)
        totals = level * self.weekday_factor[wd] * self.open_weekday[wd]
        closed_holiday = np.zeros(epoch_days.size, dtype=bool)
        for i, day in enumerate(epoch_days.tolist()):
            name = holidays.get(day)
            if name is not None and self.open_weekday[wd[i]]:
                f = self.holiday_factor.get(name, self.pooled_holiday_factor)
                totals[i] *= f
                closed_holiday[i] = f <= 0.05
        if self.rebound_factor != 1.0:
            previous_closed = False
            for i in range(epoch_days.size):
                if not self.open_weekday[wd[i]]:
                    continue
                if previous_closed and not closed_holiday[i]:
                    totals[i] *= self.rebound_factor
                previous_closed = bool(closed_holiday[i])
        return totals, self.profile[wd]


class _Prepared(NamedTuple):
    days: IntArray
    wd: IntArray
    present: BoolArray
    total: FloatArray
    holiday: BoolArray
    open_weekday: BoolArray
    rebound: BoolArray
    learn: BoolArray


def _prepare(matrix: DayMatrix, holidays: Mapping[int, str], s: ForecastSettings) -> _Prepared:
    x = matrix.values
    n = matrix.n_days
    days = matrix.first_epoch_day + np.arange(n, dtype=np.int64)
    wd = _weekday(days)
    present = ~np.all(np.isnan(x), axis=1)
    total = np.where(present, np.nansum(x, axis=1), np.nan)
    holiday = np.array([int(d) in holidays for d in days], dtype=bool)
    open_weekday = np.zeros(7, dtype=bool)
    for w in range(7):
        idx = np.flatnonzero((wd == w) & ~holiday)[-s.pattern_weeks :]
        open_weekday[w] = idx.size > 0 and float(present[idx].mean()) >= s.open_share
    # A rebound day follows a closed day of an open weekday (holiday or unplanned closure).
    rebound = np.zeros(n, dtype=bool)
    previous_open_present: bool | None = None
    for i in range(n):
        if not open_weekday[wd[i]]:
            continue
        if previous_open_present is False and present[i]:
            rebound[i] = True
        previous_open_present = bool(present[i])
    learn = present & ~holiday & ~rebound & open_weekday[wd]
    return _Prepared(days, wd, present, total, holiday, open_weekday, rebound, learn)


def _robust_mean(values: FloatArray, k: float) -> float:
    med = float(np.median(values))
    spread = 1.4826 * float(np.median(np.abs(values - med)))
    if spread > 0:
        values = np.clip(values, med - k * spread, med + k * spread)
    return float(values.mean())


def _weekday_factors(p: _Prepared, s: ForecastSettings) -> FloatArray:
    n = p.days.size
    window = np.arange(max(0, n - 7 * s.weekday_factor_weeks), n)
    window = window[p.learn[window]]
    factor = np.ones(7)
    if window.size == 0:
        return factor
    block = (n - 1 - window) // 7
    totals = p.total[window]
    wds = p.wd[window]
    for _ in range(2):
        des = totals / factor[wds]
        sums = np.bincount(block, weights=des)
        counts = np.bincount(block)
        with np.errstate(invalid="ignore", divide="ignore"):
            block_level = sums / counts
            ratio = totals / block_level[block]
        new = np.ones(7)
        for w in range(7):
            r = ratio[(wds == w) & np.isfinite(ratio)]
            if r.size:
                new[w] = float(np.median(r))
        opened = p.open_weekday & (new > 0)
        if opened.any():
            new = new / float(new[opened].mean())
        factor = np.where(new > 0, new, 1.0)
    return factor


def _profiles(x: FloatArray, p: _Prepared, s: ForecastSettings) -> FloatArray:
    profile = np.zeros((7, SLOTS_PER_DAY))
    observed = ~np.isnan(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = x / p.total[:, None]
    usable = p.learn & (p.total > 0)
    if not usable.any():
        usable = p.present & (p.total > 0)
    pooled = _weighted_share(shares, np.flatnonzero(usable)[-7 * s.profile_weeks :], s, 5)
    for w in range(7):
        if not p.open_weekday[w]:
            continue
        recent_present = np.flatnonzero((p.wd == w) & p.present & ~p.holiday)
        recent_present = recent_present[-s.pattern_weeks :]
        if recent_present.size:
            open_slot = observed[recent_present].mean(axis=0) >= s.open_share
        else:
            open_slot = np.ones(SLOTS_PER_DAY, dtype=bool)
        idx = np.flatnonzero((p.wd == w) & usable)[-s.profile_weeks :]
        share = _weighted_share(shares, idx, s, 1) if idx.size else pooled
        share = np.where(open_slot, share, 0.0)
        if share.sum() <= 0:
            share = np.where(open_slot, 1.0, 0.0)
        if share.sum() > 0:
            profile[w] = share / share.sum()
    return profile


def _weighted_share(
    shares: FloatArray, idx: IntArray, s: ForecastSettings, days_per_week: int
) -> FloatArray:
    if idx.size == 0:
        return np.zeros(SLOTS_PER_DAY)
    weeks_back = np.arange(idx.size)[::-1] // days_per_week
    weight = s.profile_decay ** weeks_back.astype(np.float64)
    block = shares[idx]
    known = ~np.isnan(block)
    w = np.where(known, weight[:, None], 0.0)
    num = np.where(known, block, 0.0) * w
    den = w.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num.sum(axis=0) / den, 0.0)


def _expected_near(p: _Prepared, factor: FloatArray, i: int, radius_days: int = 28) -> float | None:
    lo, hi = max(0, i - radius_days), min(p.days.size, i + radius_days + 1)
    near = np.arange(lo, hi)
    near = near[p.learn[near]]
    if near.size < 3:
        return None
    des = p.total[near] / factor[p.wd[near]]
    return float(np.median(des)) * float(factor[p.wd[i]])


def fit_daily_model(
    matrix: DayMatrix, holidays: Mapping[int, str], settings: ForecastSettings | None = None
) -> DailyModel:
    """Fit the daily-total and profile model to one channel's history.

    Parameters
    ----------
    matrix : DayMatrix
        The channel's history (see :func:`channel_matrix`); must contain an open day.
    holidays : mapping of int to str
        Holiday names by epoch day, covering the history.
    settings : ForecastSettings, optional
        Method parameters.

    Returns
    -------
    DailyModel
    """
    s = settings or ForecastSettings()
    p = _prepare(matrix, holidays, s)
    if not p.present.any():
        raise ValueError("the history has no open interval")
    if not p.learn.any():
        # Too little regular history (e.g. only holidays): learn from whatever is there.
        p = p._replace(learn=p.present.copy(), open_weekday=p.open_weekday | _seen(p))
    factor = _weekday_factors(p, s)
    n = p.days.size
    idx = np.flatnonzero(p.learn)
    in_window = idx[idx >= n - s.level_window_days]
    if in_window.size < 5:
        in_window = idx[-10:]
    des = p.total[in_window] / factor[p.wd[in_window]]
    level = _robust_mean(des, s.winsor_k)
    level_day = float(p.days[in_window].mean())
    slope = 0.0
    if s.trend:
        t_idx = idx[idx >= n - 7 * s.trend_weeks]
        if t_idx.size >= 10 and p.days[t_idx[-1]] - p.days[t_idx[0]] >= 28:
            y = p.total[t_idx] / factor[p.wd[t_idx]]
            res = stats.theilslopes(y, p.days[t_idx].astype(np.float64), alpha=0.90)
            if res.low_slope > 0 or res.high_slope < 0:
                slope = float(res.slope)
    # Holiday and rebound factors from the history.
    by_name: dict[str, list[float]] = {}
    for i in np.flatnonzero(p.holiday & p.open_weekday[p.wd]):
        expected = _expected_near(p, factor, int(i))
        if expected is None or expected <= 0:
            continue
        actual = float(p.total[i]) if p.present[i] else 0.0
        by_name.setdefault(holidays[int(p.days[i])], []).append(actual / expected)
    holiday_factor = {name: float(np.mean(r)) for name, r in by_name.items()}
    all_ratios = [r for rs in by_name.values() for r in rs]
    pooled = float(np.median(all_ratios)) if all_ratios else s.default_holiday_factor
    rebound_ratios = []
    for i in np.flatnonzero(p.rebound & ~p.holiday):
        expected = _expected_near(p, factor, int(i))
        if expected is not None and expected > 0:
            rebound_ratios.append(float(p.total[i]) / expected)
    rebound = float(np.median(rebound_ratios)) if len(rebound_ratios) >= 2 else 1.0
    return DailyModel(
        last_epoch_day=int(p.days[-1]),
        open_weekday=p.open_weekday,
        profile=_profiles(matrix.values, p, s),
        weekday_factor=factor,
        level=level,
        level_day=level_day,
        slope_per_day=slope,
        trend_damping=s.trend_damping,
        holiday_factor=holiday_factor,
        pooled_holiday_factor=pooled,
        rebound_factor=rebound,
    )


def _seen(p: _Prepared) -> BoolArray:
    seen = np.zeros(7, dtype=bool)
    seen[np.unique(p.wd[p.present])] = True
    return seen


def _holiday_days(first: date, last: date, country: str | None) -> dict[int, str]:
    return {date_to_epoch_day(d): n for d, n in public_holidays(first, last, country).items()}


# --------------------------------------------------------------------- uncertainty


@dataclass(frozen=True)
class _Calibration:
    sigma2_base: float  # relative variance (log scale) of daily totals, one week ahead
    sigma2_per_week: float  # growth per further week ahead
    dispersion: float  # Pearson overdispersion of intervals given the day total
    n_days: int

    def sigma2(self, weeks_ahead: FloatArray) -> FloatArray:
        return self.sigma2_base + self.sigma2_per_week * np.maximum(weeks_ahead - 1.0, 0.0)


_DEFAULT_CALIBRATION: Final = _Calibration(0.01, 0.001, 1.5, 0)


def _calibrate(matrix: DayMatrix, holidays: Mapping[int, str], s: ForecastSettings) -> _Calibration:
    n = matrix.n_days
    x = matrix.values
    log_err: list[FloatArray] = []
    week: list[FloatArray] = []
    pearson_num = 0.0
    pearson_den = 0
    min_train = 21
    for k in range(1, s.calibration_origins + 1):
        origin = n - 7 * k
        if origin < min_train:
            break
        model = fit_daily_model(matrix.head(origin), holidays, s)
        stop = min(n, origin + s.calibration_horizon_days)
        days = matrix.first_epoch_day + np.arange(origin, stop, dtype=np.int64)
        totals, profiles = model.predict(days, holidays)
        actual = x[origin:stop]
        present = ~np.all(np.isnan(actual), axis=1)
        actual_total = np.nansum(actual, axis=1)
        not_holiday = np.array([int(d) not in holidays for d in days], dtype=bool)
        ok = present & not_holiday & (totals > 0) & (actual_total > 0)
        if ok.any():
            log_err.append(np.log(actual_total[ok] / totals[ok]))
            week.append((np.arange(origin, stop)[ok] - origin) // 7 + 1.0)
            mu = actual_total[ok, None] * profiles[ok]
            y = actual[ok]
            use = ~np.isnan(y) & (mu > 0.5)
            pearson_num += float((((y - mu) ** 2) / np.where(use, mu, 1.0))[use].sum())
            pearson_den += int(use.sum())
    if not log_err:
        return _DEFAULT_CALIBRATION
    e = np.concatenate(log_err)
    w = np.concatenate(week)
    dispersion = pearson_num / pearson_den if pearson_den else 1.5
    dispersion = max(dispersion, 1.0)
    if e.size < 5:
        return _Calibration(max(float(np.mean(e**2)), 1e-4), 0.001, dispersion, int(e.size))
    # Mean squared log error per week ahead, fitted as base + growth * (week - 1).
    weeks = np.unique(w)
    msq = np.array([np.mean(e[w == k] ** 2) for k in weeks])
    cnt = np.array([np.sum(w == k) for k in weeks], dtype=np.float64)
    if weeks.size >= 2:
        design = np.column_stack([np.ones(weeks.size), weeks - 1.0]) * np.sqrt(cnt)[:, None]
        coef, *_ = np.linalg.lstsq(design, msq * np.sqrt(cnt), rcond=None)
        base, growth = float(coef[0]), max(float(coef[1]), 0.0)
        if growth == 0.0 or base <= 0:
            base = float(np.sum(msq * cnt) / cnt.sum()) if growth == 0.0 else base
    else:
        base, growth = float(msq[0]), 0.0
    base = max(base, 1e-4)
    return _Calibration(base, growth, dispersion, int(e.size))


def _quantiles(mu: FloatArray, var: FloatArray, q: float) -> FloatArray:
    """Quantile ``q`` of a negative binomial (or Poisson) with mean ``mu``, variance ``var``."""
    out = np.zeros(mu.shape)
    pos = mu > 0
    if not pos.any():
        return out
    m = mu[pos]
    v = np.maximum(var[pos], m * (1.0 + 1e-9))
    extra = v - m
    poisson = extra <= m * 1e-6
    r = np.where(poisson, 1.0, m * m / np.where(poisson, 1.0, extra))
    prob = r / (r + m)
    res = np.where(
        poisson,
        stats.poisson.ppf(q, m),
        stats.nbinom.ppf(q, r, prob),
    )
    out[pos] = np.nan_to_num(res, nan=0.0)
    return out


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class DailyForecast:
    """Daily totals of one channel (sums over the day's forecast intervals).

    Attributes
    ----------
    days : tuple of date
        Local days of the horizon (the first may be partial).
    contacts : ndarray
        Adjusted contacts per day.
    contacts_unadjusted : ndarray
        Contacts per day before adjustments.
    lower, upper : ndarray
        Prediction interval of the adjusted daily total.
    holiday : tuple of (str or None)
        Holiday name per day.
    """

    days: tuple[date, ...]
    contacts: FloatArray
    contacts_unadjusted: FloatArray
    lower: FloatArray
    upper: FloatArray
    holiday: tuple[str | None, ...]


@dataclass(frozen=True)
class ChannelForecast:
    """Forecast of one channel on the grid of its :class:`Forecast`.

    Attributes
    ----------
    channel : str
        Channel name.
    contacts : ndarray
        Expected contacts per interval, adjustments applied.
    contacts_unadjusted : ndarray
        Expected contacts per interval without adjustments.
    lower, upper : ndarray
        Prediction interval per interval (of the adjusted figure).
    open : ndarray of bool
        Whether the interval is open according to the history pattern.
    daily : DailyForecast
        Daily totals.
    model : DailyModel
        The fitted model (level, factors, profile) for inspection.
    sigma2 : float
        Relative variance of a daily total one week ahead (log scale).
    dispersion : float
        Interval overdispersion given the daily total.
    """

    channel: str
    contacts: FloatArray
    contacts_unadjusted: FloatArray
    lower: FloatArray
    upper: FloatArray
    open: BoolArray
    daily: DailyForecast
    model: DailyModel
    sigma2: float
    dispersion: float


class ForecastRow(NamedTuple):
    """One interval of one channel, as written to CSV."""

    start: datetime
    channel: str
    contacts: float
    contacts_unadjusted: float
    lower: float
    upper: float
    open: bool


@dataclass(frozen=True)
class Forecast:
    """A forecast for all channels of a history.

    Attributes
    ----------
    start_utc_s : ndarray of int64
        UTC epoch seconds of every 15-minute interval of the horizon (closed ones too).
    day_index : ndarray of int64
        Index into ``days`` of each interval.
    days : tuple of date
        Local days of the horizon.
    channels : mapping of str to ChannelForecast
        Per channel.
    interval_level : float
        Coverage of ``lower``..``upper``.
    adjustments : tuple of Adjustment
        Adjustments applied.
    method : str
        Method identifier.
    """

    start_utc_s: IntArray
    day_index: IntArray
    days: tuple[date, ...]
    channels: Mapping[str, ChannelForecast]
    interval_level: float
    adjustments: tuple[Adjustment, ...] = ()
    method: str = METHOD

    @functools.cached_property
    def starts(self) -> list[datetime]:
        """Interval starts as timezone-aware ``Europe/Amsterdam`` datetimes."""
        return to_local_datetimes(self.start_utc_s)

    def rows(self, *, include_closed: bool = False) -> Iterator[ForecastRow]:
        """Iterate over (interval, channel) rows, time first."""
        starts = self.starts
        for i, start in enumerate(starts):
            for name, ch in self.channels.items():
                if not include_closed and not ch.open[i]:
                    continue
                yield ForecastRow(
                    start,
                    name,
                    float(ch.contacts[i]),
                    float(ch.contacts_unadjusted[i]),
                    float(ch.lower[i]),
                    float(ch.upper[i]),
                    bool(ch.open[i]),
                )


def forecast_contacts(
    history: History,
    *,
    horizon_days: int = MAX_HORIZON_DAYS,
    adjustments: Sequence[Adjustment] = (),
    settings: ForecastSettings | None = None,
) -> Forecast:
    """Forecast contacts per channel per 15-minute interval.

    Parameters
    ----------
    history : History
        Contact history; absent intervals are closed.
    horizon_days : int
        Whole local days to forecast (1..84) after the day in which the history ends.  The
        forecast starts at the first interval after the history ends; when that is not
        local midnight the rest of that day comes first (as an extra, partial day).
    adjustments : sequence of Adjustment
        Event factors, applied multiplicatively.
    settings : ForecastSettings, optional
        Method parameters.

    Returns
    -------
    Forecast
    """
    if not 1 <= horizon_days <= MAX_HORIZON_DAYS:
        raise ValueError(f"horizon_days must be between 1 and {MAX_HORIZON_DAYS}")
    s = settings or ForecastSettings()
    start_utc = history.end_utc_s
    start_day_epoch = int(local_parts(np.array([start_utc], dtype=np.int64))[0][0])
    start_day = epoch_day_to_date(start_day_epoch)
    partial = local_midnight_utc_s(start_day) != start_utc
    n_days = horizon_days + (1 if partial else 0)
    grid = local_grid(start_day, n_days)
    keep = grid.start_utc_s >= start_utc
    starts = grid.start_utc_s[keep]
    day_idx = grid.day[keep]
    slot = grid.slot[keep]
    days = grid.days
    epoch_days = start_day_epoch + np.arange(n_days, dtype=np.int64)
    holidays = _holiday_days(history.first_day, days[-1], s.country)
    day_holiday = tuple(holidays.get(int(d)) for d in epoch_days)
    q_lo = (1.0 - s.interval_level) / 2.0
    q_hi = 1.0 - q_lo

    channels: dict[str, ChannelForecast] = {}
    for name in history.channels:
        matrix = channel_matrix(history.series[name])
        model = fit_daily_model(matrix, holidays, s)
        calibration = _calibrate(matrix, holidays, s)
        totals, profiles = model.predict(epoch_days, holidays)
        mu_plain = totals[day_idx] * profiles[day_idx, slot]
        factor = np.ones(starts.size)
        for adj in adjustments:
            factor = np.where(adj.mask(starts, name), factor * adj.factor, factor)
        mu = mu_plain * factor
        weeks_ahead = np.floor((epoch_days - model.last_epoch_day - 1) / 7.0) + 1.0
        rel_var = np.asarray(np.expm1(calibration.sigma2(weeks_ahead)), dtype=np.float64)
        var = calibration.dispersion * mu + mu**2 * rel_var[day_idx]
        lower = _quantiles(mu, var, q_lo)
        upper = _quantiles(mu, var, q_hi)
        is_open = profiles[day_idx, slot] > 0
        is_open &= model.open_weekday[_weekday(epoch_days)][day_idx]
        daily_mu = np.bincount(day_idx, weights=mu, minlength=n_days).astype(np.float64)
        daily_plain = np.bincount(day_idx, weights=mu_plain, minlength=n_days).astype(np.float64)
        daily_var = calibration.dispersion * daily_mu + daily_mu**2 * rel_var
        daily = DailyForecast(
            days=days,
            contacts=daily_mu,
            contacts_unadjusted=daily_plain,
            lower=_quantiles(daily_mu, daily_var, q_lo),
            upper=_quantiles(daily_mu, daily_var, q_hi),
            holiday=day_holiday,
        )
        channels[name] = ChannelForecast(
            channel=name,
            contacts=mu,
            contacts_unadjusted=mu_plain,
            lower=lower,
            upper=upper,
            open=is_open,
            daily=daily,
            model=model,
            sigma2=calibration.sigma2_base,
            dispersion=calibration.dispersion,
        )
    return Forecast(
        start_utc_s=starts,
        day_index=day_idx,
        days=days,
        channels=channels,
        interval_level=s.interval_level,
        adjustments=tuple(adjustments),
    )


def write_forecast_csv(
    forecast: Forecast,
    out: IO[str],
    *,
    include_closed: bool = False,
    include_unadjusted: bool = False,
) -> int:
    """Write the forecast as CSV: ``start``, ``channel``, ``contacts``, ``lower``, ``upper``.

    ``start`` is local ISO 8601 with UTC offset (``2025-10-26T02:15+01:00``), so the file
    can be read back as a history.  Closed intervals are left out (absent = closed, as in
    history files) unless ``include_closed``; ``include_unadjusted`` adds a
    ``contacts_unadjusted`` column.

    Returns
    -------
    int
        Number of data rows written.
    """
    writer = csv.writer(out, lineterminator="\n")
    header = ["start", "channel", "contacts", "lower", "upper"]
    if include_unadjusted:
        header.append("contacts_unadjusted")
    writer.writerow(header)
    n = 0
    for row in forecast.rows(include_closed=include_closed):
        line = [
            row.start.isoformat(timespec="minutes"),
            row.channel,
            f"{row.contacts:.2f}",
            f"{row.lower:.0f}",
            f"{row.upper:.0f}",
        ]
        if include_unadjusted:
            line.append(f"{row.contacts_unadjusted:.2f}")
        writer.writerow(line)
        n += 1
    return n
