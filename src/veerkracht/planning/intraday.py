"""Intraday re-forecast: the rest of today from how the day has gone so far.

The standard intraday ratio method of workforce management: compare what arrived in the elapsed
intervals with what the forecast said for them, and scale the forecast of the remaining intervals
by that ratio (B. Cleveland, *Call Center Management on Fast Forward*, 3rd ed., ICMI 2012, on
real-time management: when the morning runs above forecast, expect the rest of the day to do the
same and adjust; N. Gans, G. Koole & A. Mandelbaum, "Telephone call centers: tutorial, review,
and research prospects", *Manufacturing & Service Operations Management* 5(2), 2003, on updating
a day's forecast with its early arrivals). Our choices on top, documented in docs/intraday.md:

* recent intervals weigh more: weights halve every `half_life_s` (1 hour) going back in time
  (an exponentially weighted ratio), so a surge that started an hour ago counts more than a
  calm early morning;
* the ratio is used only with enough evidence: at least `min_elapsed_s` (2 hours) of elapsed
  intervals and `min_contacts` (30) actual contacts, otherwise 1.0 (the forecast as it is);
* it is clamped to [0.5, 3.0], so one odd interval (an outage, a mass mailing) cannot scale the
  rest of the day to zero or to absurd heights.

Pure Python and NumPy; no Django.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .calendar import INTERVAL_S

__all__ = [
    "HALF_LIFE_S",
    "MAX_RATIO",
    "MIN_CONTACTS",
    "MIN_ELAPSED_S",
    "MIN_RATIO",
    "Ratio",
    "ratio",
]

HALF_LIFE_S = 3600.0
MIN_ELAPSED_S = 2 * 3600.0
MIN_CONTACTS = 30.0
MIN_RATIO = 0.5
MAX_RATIO = 3.0


@dataclass(frozen=True)
class Ratio:
    """The outcome of `ratio`.

    Attributes
    ----------
    value : float
        The factor for the rest of the day (1.0 when not `applied`).
    weighted : float or None
        The exponentially weighted actual ÷ forecast before clamping (None without forecast).
    applied : bool
        Whether there was enough evidence (elapsed time and contacts) to use it.
    elapsed_s : float
        Length of the elapsed intervals that were compared.
    actual_contacts, forecast_contacts : float
        Unweighted sums over those intervals.
    """

    value: float
    weighted: float | None
    applied: bool
    elapsed_s: float
    actual_contacts: float
    forecast_contacts: float


def ratio(
    forecast: ArrayLike,
    actual: ArrayLike,
    *,
    interval_s: float = INTERVAL_S,
    half_life_s: float = HALF_LIFE_S,
    min_elapsed_s: float = MIN_ELAPSED_S,
    min_contacts: float = MIN_CONTACTS,
    bounds: tuple[float, float] = (MIN_RATIO, MAX_RATIO),
) -> Ratio:
    """The intraday ratio over the elapsed intervals of a day.

    Parameters
    ----------
    forecast, actual : array_like of float
        Contacts per elapsed interval, oldest first; the last one is the most recent. Pairs where
        either value is NaN (closed, or not imported yet) are left out.
    interval_s : float
        Interval length in seconds.
    half_life_s : float
        An interval `half_life_s` older than the most recent one weighs half as much.
    min_elapsed_s, min_contacts : float
        Below either, the ratio is not applied (value 1.0).
    bounds : (float, float)
        The ratio is clamped to this range.

    Returns
    -------
    Ratio
    """
    f = np.asarray(forecast, dtype=np.float64)
    a = np.asarray(actual, dtype=np.float64)
    if f.shape != a.shape:
        raise ValueError("forecast and actual must have the same length")
    n = f.size
    # Age of each interval's end relative to the most recent interval's end, in seconds.
    age_s = (n - 1 - np.arange(n)) * interval_s
    ok = ~(np.isnan(f) | np.isnan(a))
    f, a, age_s = f[ok], a[ok], age_s[ok]
    elapsed_s = float(f.size * interval_s)
    actual_total = float(a.sum())
    forecast_total = float(f.sum())
    weights = np.power(0.5, age_s / half_life_s)
    denominator = float((weights * f).sum())
    weighted = float((weights * a).sum()) / denominator if denominator > 0 else None
    enough = elapsed_s >= min_elapsed_s and actual_total >= min_contacts
    if not enough or weighted is None:
        return Ratio(1.0, weighted, False, elapsed_s, actual_total, forecast_total)
    lo, hi = bounds
    return Ratio(
        float(min(max(weighted, lo), hi)), weighted, True, elapsed_s, actual_total, forecast_total
    )
