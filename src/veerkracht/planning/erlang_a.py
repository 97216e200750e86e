"""Erlang A (M/M/n+M): the Erlang C queue with customers who abandon.

The model
---------
As :mod:`veerkracht.planning.erlang`, but every waiting contact hangs up after an exponential
patience time with mean ``patience_s`` (Palm 1943; Garnett, Mandelbaum & Reiman 2002).  The
queue is stable for any number of agents.  Write ``lam = arrivals / interval_s``,
``mu = 1 / aht_s``, ``theta = 1 / patience_s``, ``load = lam / mu``, ``a = n * mu / theta`` and
``y = lam / theta``, and let ``A(a, x) = a * exp(x) * x**-a * gamma_lower(a, x)``
(``= 1F1(1; a + 1; x)``) as in Mandelbaum & Zeltyn (2007).  With ``B`` the Erlang B
probability for ``n`` agents and ``load``:

* ``pi_n = B / (1 + (A(a, y) - 1) * B)`` (probability that all agents are busy and nobody waits)
* probability of waiting ``P(W > 0) = A(a, y) * pi_n``
* abandonment share ``P(Ab) = pi_n * (1 + (1 - a / y) * (A(a, y) - 1))``
* service level, the share of *all* offered contacts answered within ``T = target_s``
  (abandoned contacts count as missed, the default of ``docs/domain/kpis.md`` without short
  abandons)::

      SL(T) = 1 - P(Ab) - (a / y) * pi_n * E * (A(a, y * w) - 1),
      w = exp(-theta * T),  E = exp(-n * mu * T + y * (1 - w))

* ASA, the mean wait of *answered* contacts::

      ASA = (P(W > 0) - P(Ab)) / (1 - P(Ab)) * M(a + 1, y) / theta,
      M(b, y) = E[log(y / G) | G <= y],  G ~ Gamma(b)

These follow from the stationary distribution and the offered wait of a contact that finds
``j`` others waiting, a sum of exponentials with rates ``n * mu + k * theta``
(``k = 0..j``); the derivation is in ``docs/staffing.md``.  ``A`` is evaluated in log space with
:func:`scipy.special.gammainc` and :func:`scipy.special.gammaln`, by its power series for small
``x``, and by Gauss-Laguerre quadrature of ``A(a, x) = a * int_0^inf exp(-a u + x (1 - e^-u)) du``
where ``gammainc`` would underflow (lightly loaded queues with very patient customers), so the
formulas hold for thousands of agents and for ``patience_s`` in the millions of seconds.
``patience_s = inf`` gives Erlang C exactly.
"""

from __future__ import annotations

import math
from typing import Final, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

from veerkracht.planning import erlang
from veerkracht.planning.erlang import (
    DEFAULT_INTERVAL_S,
    FloatArray,
    IntArray,
    StaffingInputError,
    _agents,
    _arrivals,
    _broadcast,
    _ceil_ratio,
    _check,
    _is_scalar,
    _log_erlang_b,
    _max_occupancy,
    _non_negative,
    _positive,
    _shrinkage,
    _sl_target,
    _wrap,
)

__all__ = [
    "StaffingInputError",
    "abandon_rate",
    "asa_s",
    "occupancy",
    "prob_wait",
    "required_agents",
    "service_level",
]

_GL_NODES, _GL_WEIGHTS = np.polynomial.laguerre.laggauss(40)
_SERIES_TERMS: Final = 64
_TARGET_RTOL: Final = 1e-12


# --------------------------------------------------------------------------------------------
# A(b, x) = 1F1(1; b + 1; x) and the mean log ratio M(b, x), in log space
# --------------------------------------------------------------------------------------------


def _regimes(
    b: FloatArray, x: FloatArray
) -> tuple[NDArray[np.bool_], NDArray[np.bool_], NDArray[np.bool_]]:
    """Masks for the quadrature, series and ``gammainc`` evaluations (``x == 0`` in none).

    Quadrature where ``x < b`` and ``(b - x)**2 >= 900 * max(x, 1)``: there ``gammainc(b, x)``
    may underflow, but the integrand ``exp(-x (u - 1 + e^-u))`` after ``v = (b - x) u`` varies
    on a scale of at least 30 in ``v`` and 40 Gauss-Laguerre nodes integrate it to rounding.
    The power series where ``x <= (b + 1) / 2`` (terms shrink at least by half); ``gammainc``
    elsewhere, where ``b * (x/b - 1 - log(x/b)) < 450`` keeps it far from underflow.
    """
    positive = x > 0
    quad = positive & (x < b) & ((b - x) ** 2 >= 900.0 * np.maximum(x, 1.0))
    series = positive & ~quad & (x <= 0.5 * (b + 1.0))
    incomplete = positive & ~quad & ~series
    return quad, series, incomplete


def _log_prefactor(b: FloatArray, x: FloatArray) -> FloatArray:
    """``x - b * log(x) + gammaln(b + 1)``, with Stirling's series for large ``b``.

    For large ``b`` the three terms are huge and nearly cancel; written as
    ``(x - b) - b * log1p((x - b) / b) + log(2 pi b) / 2 + 1/(12 b) - ...`` it keeps its
    relative accuracy.
    """
    out = np.empty_like(b)
    big = b >= 100.0
    bb = b[big]
    xb = x[big]
    d = xb - bb
    inv = 1.0 / bb
    inv2 = inv * inv
    stirling = inv * (1.0 / 12.0 - inv2 * (1.0 / 360.0 - inv2 * (1.0 / 1260.0)))
    out[big] = d - bb * np.log1p(d / bb) + 0.5 * np.log(2.0 * math.pi * bb) + stirling
    small = ~big
    out[small] = x[small] - b[small] * np.log(x[small]) + special.gammaln(b[small] + 1.0)
    return out


def _series_terms(b: FloatArray, x: FloatArray) -> FloatArray:
    """Terms ``prod_{i<=k} x / (b + i)``, ``k = 0, 1, ...`` (2-D, one row per element).

    The ratio of successive terms is at most ``x / (b + 1) <= 1/2`` here, so enough terms to
    shrink the last below 1e-17 of the first are taken (at most 64).
    """
    worst = float(np.max(x / (b + 1.0)))
    count = _SERIES_TERMS if worst >= 0.5 else min(_SERIES_TERMS, 2 + int(-39.2 / math.log(worst)))
    k = np.arange(1, count, dtype=np.float64)
    ratios = x[:, None] / (b[:, None] + k[None, :])
    return np.concatenate([np.ones((b.size, 1)), np.cumprod(ratios, axis=1)], axis=1)


def _quadrature(b: FloatArray, x: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Gauss-Laguerre sums ``S0 = sum w g(v)`` and ``S1 = sum w v g(v)`` (see _regimes)."""
    gap = b - x
    u = _GL_NODES[None, :] / gap[:, None]
    g = np.exp(-x[:, None] * (u + np.expm1(-u)))
    s0 = g @ _GL_WEIGHTS
    s1 = g @ (_GL_WEIGHTS * _GL_NODES)
    return s0, s1


def _log_a(b: FloatArray, x: FloatArray) -> FloatArray:
    """``log A(b, x)`` for ``b > 0`` and ``x >= 0`` (1-D arrays of the same shape)."""
    out = np.zeros_like(b)
    quad, series, incomplete = _regimes(b, x)
    if quad.any():
        bq = b[quad]
        xq = x[quad]
        s0, _ = _quadrature(bq, xq)
        out[quad] = np.log(bq / (bq - xq)) + np.log(s0)
    if series.any():
        out[series] = np.log(_series_terms(b[series], x[series]).sum(axis=1))
    if incomplete.any():
        bi = b[incomplete]
        xi = x[incomplete]
        out[incomplete] = _log_prefactor(bi, xi) + np.log(special.gammainc(bi, xi))
    return out


def _mean_log_ratio(b: FloatArray, x: FloatArray) -> FloatArray:
    """``M(b, x) = E[log(x / G) | G <= x]`` for ``G ~ Gamma(b)``, ``b >= 1``, ``x >= 0``.

    Equals ``I1 / I0`` with ``Im = int_0^inf u^m exp(-b u + x (1 - e^-u)) du``.  By quadrature
    or series as :func:`_log_a`; in the ``gammainc`` regime as
    ``log(x) - digamma(b) - d/db log P(b, x)`` with a five-point difference in ``b``.
    """
    out = 1.0 / b  # x == 0: G <= 0 never happens; the limit is 1 / b
    quad, series, incomplete = _regimes(b, x)
    if quad.any():
        bq = b[quad]
        s0, s1 = _quadrature(bq, x[quad])
        out[quad] = s1 / (s0 * (bq - x[quad]))
    if series.any():
        bs = b[series]
        terms = _series_terms(bs, x[series])
        k = np.arange(terms.shape[1], dtype=np.float64)
        harmonic = np.cumsum(1.0 / (bs[:, None] + k[None, :]), axis=1)
        out[series] = (terms * harmonic).sum(axis=1) / terms.sum(axis=1)
    if incomplete.any():
        bi = b[incomplete]
        xi = x[incomplete]
        h = 1e-3 * np.sqrt(bi)

        def log_p(shift: float) -> FloatArray:
            result: FloatArray = np.log(special.gammainc(bi + shift * h, xi))
            return result

        derivative = (log_p(-2.0) - 8.0 * log_p(-1.0) + 8.0 * log_p(1.0) - log_p(2.0)) / (12.0 * h)
        out[incomplete] = np.log(xi) - special.digamma(bi) - derivative
    return out


# --------------------------------------------------------------------------------------------
# Performance measures for n >= 1 agents, arrivals > 0, finite patience (flat arrays)
# --------------------------------------------------------------------------------------------


class _Queue:
    """The Erlang A quantities shared by all measures, for flat arrays of intervals."""

    def __init__(
        self,
        load: FloatArray,
        n: FloatArray,
        aht: FloatArray,
        patience: FloatArray,
        lam: FloatArray,
    ) -> None:
        self.load = load
        self.n = n
        self.aht = aht
        self.patience = patience
        self.a = n * patience / aht
        self.y = lam * patience
        log_b = _log_erlang_b(n, load)
        self.log_a_y = _log_a(self.a, self.y)
        # log pi_n = -log(1/B - 1 + A), with 1/B - 1 = (1 - B) / B
        with np.errstate(divide="ignore"):
            log_odds = np.log(-np.expm1(log_b)) - log_b
        self.log_pi = -np.logaddexp(log_odds, self.log_a_y)
        self.pi = np.exp(self.log_pi)
        self.p_wait = np.minimum(np.exp(self.log_a_y + self.log_pi), 1.0)
        self.p_abandon = np.clip(
            self.pi + (1.0 - self.a / self.y) * (self.p_wait - self.pi), 0.0, 1.0
        )

    def miss(self, target: FloatArray) -> FloatArray:
        """``1 - SL(target)``: abandoned, or answered after more than ``target`` seconds."""
        theta_t = target / self.patience
        w = np.exp(-theta_t)
        log_e = -self.n * target / self.aht - self.y * np.expm1(-theta_t)
        log_a_w = _log_a(self.a, self.y * w)
        # log(A - 1) = log(expm1(log A)), rewritten for large log A to avoid overflow
        low = np.minimum(log_a_w, 1.0)
        high = np.maximum(log_a_w, 1.0)
        with np.errstate(divide="ignore"):
            log_excess = np.where(
                log_a_w > 1.0, high + np.log1p(-np.exp(-high)), np.log(np.expm1(low))
            )
        late = (self.a / self.y) * np.exp(self.log_pi + log_e + log_excess)
        result: FloatArray = np.clip(self.p_abandon + late, 0.0, 1.0)
        return result

    def asa(self) -> FloatArray:
        """Mean wait in seconds of the answered contacts."""
        served_after_wait = np.maximum(self.p_wait - self.p_abandon, 0.0)
        m = _mean_log_ratio(self.a + 1.0, self.y)
        result: FloatArray = served_after_wait / (1.0 - self.p_abandon) * m * self.patience
        return result

    def occupancy(self) -> FloatArray:
        result: FloatArray = np.minimum(self.load * (1.0 - self.p_abandon) / self.n, 1.0)
        return result


# --------------------------------------------------------------------------------------------
# Public measures
# --------------------------------------------------------------------------------------------


def _patience(value: ArrayLike) -> FloatArray:
    return _positive("patience_s", value, allow_inf=True)


def _inputs(
    arrivals: ArrayLike,
    aht_s: ArrayLike,
    agents: ArrayLike,
    patience_s: ArrayLike,
    interval_s: ArrayLike,
    target_s: ArrayLike = 0.0,
) -> tuple[tuple[int, ...], list[FloatArray]]:
    """Validate and broadcast: ``shape, [lam_per_s, aht, n, patience, target]`` (flat)."""
    lam = _arrivals(arrivals)
    aht = _positive("aht_s", aht_s)
    n = _agents(agents)
    patience = _patience(patience_s)
    interval = _positive("interval_s", interval_s)
    target = _non_negative("target_s", target_s)
    shape, (lam_f, aht_f, n_f, patience_f, interval_f, target_f) = _broadcast(
        lam, aht, n, patience, interval, target
    )
    return shape, [lam_f / interval_f, aht_f, n_f, patience_f, target_f]


def _measure(
    arrivals: ArrayLike,
    aht_s: ArrayLike,
    agents: ArrayLike,
    patience_s: ArrayLike,
    interval_s: ArrayLike,
    target_s: ArrayLike,
    kind: str,
) -> float | FloatArray:
    shape, (lam, aht, n, patience, target) = _inputs(
        arrivals, aht_s, agents, patience_s, interval_s, target_s
    )
    load = lam * aht
    idle = {"sl": 1.0, "abandon": 0.0, "asa": 0.0, "wait": 0.0, "occupancy": 0.0}[kind]
    # no agents: everybody waits and abandons (occupancy reported as saturated)
    empty = {"sl": 0.0, "abandon": 1.0, "asa": math.inf, "wait": 1.0, "occupancy": 1.0}[kind]
    out = np.where(load > 0, empty, idle)

    finite = (load > 0) & (n > 0) & np.isfinite(patience)
    if finite.any():
        q = _Queue(load[finite], n[finite], aht[finite], patience[finite], lam[finite])
        if kind == "sl":
            out[finite] = 1.0 - q.miss(target[finite])
        elif kind == "abandon":
            out[finite] = q.p_abandon
        elif kind == "asa":
            out[finite] = q.asa()
        elif kind == "wait":
            out[finite] = q.p_wait
        else:
            out[finite] = q.occupancy()

    patient = (load > 0) & (n > 0) & np.isinf(patience)
    if patient.any():  # Erlang C
        ia, aa, na, ta = lam[patient], aht[patient], n[patient], target[patient]
        if kind == "sl":
            out[patient] = erlang.service_level(ia, aa, na, ta, 1.0)
        elif kind == "abandon":
            out[patient] = 0.0
        elif kind == "asa":
            out[patient] = erlang.asa_s(ia, aa, na, 1.0)
        elif kind == "wait":
            out[patient] = erlang.prob_wait(ia, aa, na, 1.0)
        else:
            out[patient] = erlang.occupancy(ia, aa, na, 1.0)
    scalar = _is_scalar(arrivals, aht_s, agents, patience_s, interval_s, target_s)
    return _wrap(out, shape, scalar)


@overload
def service_level(
    arrivals: float,
    aht_s: float,
    agents: float,
    target_s: float,
    patience_s: float,
    interval_s: float = ...,
) -> float: ...
@overload
def service_level(
    arrivals: ArrayLike,
    aht_s: ArrayLike,
    agents: ArrayLike,
    target_s: ArrayLike,
    patience_s: ArrayLike,
    interval_s: ArrayLike = ...,
) -> FloatArray: ...
def service_level(
    arrivals: ArrayLike,
    aht_s: ArrayLike,
    agents: ArrayLike,
    target_s: ArrayLike,
    patience_s: ArrayLike,
    interval_s: ArrayLike = DEFAULT_INTERVAL_S,
) -> float | FloatArray:
    """Erlang A service level: share of offered contacts answered within ``target_s`` seconds.

    Abandoned contacts count as missed (they are in the denominator, not the numerator).

    Parameters
    ----------
    arrivals : array_like
        Contacts arriving per interval (>= 0).
    aht_s : array_like
        Average handle time in seconds (> 0).
    agents : array_like
        Agents on the queue (whole numbers >= 0).
    target_s : array_like
        Service-level threshold T in seconds (>= 0; 0 gives ``1 - P(wait)``).
    patience_s : array_like
        Mean patience in seconds (> 0; ``inf`` gives Erlang C).
    interval_s : array_like, default 900
        Interval length in seconds.

    Returns
    -------
    float or numpy.ndarray
        Service level in [0, 1]; 1 without arrivals, 0 without agents.
    """
    return _measure(arrivals, aht_s, agents, patience_s, interval_s, target_s, "sl")


@overload
def abandon_rate(
    arrivals: float, aht_s: float, agents: float, patience_s: float, interval_s: float = ...
) -> float: ...
@overload
def abandon_rate(
    arrivals: ArrayLike,
    aht_s: ArrayLike,
    agents: ArrayLike,
    patience_s: ArrayLike,
    interval_s: ArrayLike = ...,
) -> FloatArray: ...
def abandon_rate(
    arrivals: ArrayLike,
    aht_s: ArrayLike,
    agents: ArrayLike,
    patience_s: ArrayLike,
    interval_s: ArrayLike = DEFAULT_INTERVAL_S,
) -> float | FloatArray:
    """Erlang A abandonment: share of offered contacts that hang up before being answered.

    Parameters
    ----------
    arrivals : array_like
        Contacts arriving per interval (>= 0).
    aht_s : array_like
        Average handle time in seconds (> 0).
    agents : array_like
        Agents on the queue (whole numbers >= 0).
    patience_s : array_like
        Mean patience in seconds (> 0; ``inf`` gives 0).
    interval_s : array_like, default 900
        Interval length in seconds.

    Returns
    -------
    float or numpy.ndarray
        Abandonment share in [0, 1]; 0 without arrivals, 1 without agents.
    """
    return _measure(arrivals, aht_s, agents, patience_s, interval_s, 0.0, "abandon")


@overload
def asa_s(
    arrivals: float, aht_s: float, agents: float, patience_s: float, interval_s: float = ...
) -> float: ...
@overload
def asa_s(
    arrivals: ArrayLike,
    aht_s: ArrayLike,
    agents: ArrayLike,
    patience_s: ArrayLike,
    interval_s: ArrayLike = ...,
) -> FloatArray: ...
def asa_s(
    arrivals: ArrayLike,
    aht_s: ArrayLike,
    agents: ArrayLike,
    patience_s: ArrayLike,
    interval_s: ArrayLike = DEFAULT_INTERVAL_S,
) -> float | FloatArray:
    """Erlang A average speed of answer: mean wait in seconds of the *answered* contacts.

    The mean wait of abandoned contacts is not included (``docs/domain/kpis.md`` reports it
    apart); the mean wait over all offered contacts is ``abandon_rate * patience_s``.

    Parameters
    ----------
    arrivals : array_like
        Contacts arriving per interval (>= 0).
    aht_s : array_like
        Average handle time in seconds (> 0).
    agents : array_like
        Agents on the queue (whole numbers >= 0).
    patience_s : array_like
        Mean patience in seconds (> 0; ``inf`` gives Erlang C).
    interval_s : array_like, default 900
        Interval length in seconds.

    Returns
    -------
    float or numpy.ndarray
        ASA in seconds; 0 without arrivals, ``inf`` without agents.
    """
    return _measure(arrivals, aht_s, agents, patience_s, interval_s, 0.0, "asa")


@overload
def prob_wait(
    arrivals: float, aht_s: float, agents: float, patience_s: float, interval_s: float = ...
) -> float: ...
@overload
def prob_wait(
    arrivals: ArrayLike,
    aht_s: ArrayLike,
    agents: ArrayLike,
    patience_s: ArrayLike,
    interval_s: ArrayLike = ...,
) -> FloatArray: ...
def prob_wait(
    arrivals: ArrayLike,
    aht_s: ArrayLike,
    agents: ArrayLike,
    patience_s: ArrayLike,
    interval_s: ArrayLike = DEFAULT_INTERVAL_S,
) -> float | FloatArray:
    """Erlang A probability that an arriving contact finds all agents busy and waits.

    Parameters
    ----------
    arrivals : array_like
        Contacts arriving per interval (>= 0).
    aht_s : array_like
        Average handle time in seconds (> 0).
    agents : array_like
        Agents on the queue (whole numbers >= 0).
    patience_s : array_like
        Mean patience in seconds (> 0; ``inf`` gives Erlang C).
    interval_s : array_like, default 900
        Interval length in seconds.

    Returns
    -------
    float or numpy.ndarray
    """
    return _measure(arrivals, aht_s, agents, patience_s, interval_s, 0.0, "wait")


@overload
def occupancy(
    arrivals: float, aht_s: float, agents: float, patience_s: float, interval_s: float = ...
) -> float: ...
@overload
def occupancy(
    arrivals: ArrayLike,
    aht_s: ArrayLike,
    agents: ArrayLike,
    patience_s: ArrayLike,
    interval_s: ArrayLike = ...,
) -> FloatArray: ...
def occupancy(
    arrivals: ArrayLike,
    aht_s: ArrayLike,
    agents: ArrayLike,
    patience_s: ArrayLike,
    interval_s: ArrayLike = DEFAULT_INTERVAL_S,
) -> float | FloatArray:
    """Erlang A occupancy: ``load * (1 - abandon_rate) / agents`` (answered work only).

    Parameters
    ----------
    arrivals : array_like
        Contacts arriving per interval (>= 0).
    aht_s : array_like
        Average handle time in seconds (> 0).
    agents : array_like
        Agents on the queue (whole numbers >= 0).
    patience_s : array_like
        Mean patience in seconds (> 0; ``inf`` gives Erlang C).
    interval_s : array_like, default 900
        Interval length in seconds.

    Returns
    -------
    float or numpy.ndarray
    """
    return _measure(arrivals, aht_s, agents, patience_s, interval_s, 0.0, "occupancy")


# --------------------------------------------------------------------------------------------
# Required agents
# --------------------------------------------------------------------------------------------


def _max_abandon(value: float | None) -> float | None:
    if value is None:
        return None
    share = float(value)
    _check(
        0.0 < share <= 1.0,
        f"max_abandon must be in (0, 1] (a share of offered contacts), got {value}",
    )
    return share


class _Targets:
    """The constraints of a staffing question, tested for given agents on a subset."""

    def __init__(
        self,
        lam: FloatArray,
        aht: FloatArray,
        patience: FloatArray,
        target: FloatArray,
        sl_target: float | None,
        max_abandon: float | None,
        max_occupancy: float | None,
    ) -> None:
        self.lam = lam
        self.aht = aht
        self.patience = patience
        self.target = target
        self.load = lam * aht
        self.miss_allowed = None if sl_target is None else (1.0 - sl_target) * (1 + _TARGET_RTOL)
        self.max_abandon = None if max_abandon is None else max_abandon * (1 + _TARGET_RTOL)
        self.max_occupancy = max_occupancy
        self.evaluations = 0

    def violation(self, idx: IntArray, n: FloatArray) -> FloatArray:
        """Largest ``log(measure / limit)`` over the targets for ``n >= 1`` agents.

        ``<= 0`` means every target is met.  It falls with ``n`` and is close to linear
        near the answer, which the secant step of :func:`_smallest` uses.
        """
        self.evaluations += 1
        q = _Queue(self.load[idx], n, self.aht[idx], self.patience[idx], self.lam[idx])
        worst = np.full(idx.size, -np.inf)
        with np.errstate(divide="ignore"):
            if self.miss_allowed is not None:
                worst = np.maximum(worst, np.log(q.miss(self.target[idx]) / self.miss_allowed))
            if self.max_abandon is not None:
                worst = np.maximum(worst, np.log(q.p_abandon / self.max_abandon))
            if self.max_occupancy is not None:
                limit = self.max_occupancy * (1 + _TARGET_RTOL)
                worst = np.maximum(worst, np.log(q.occupancy() / limit))
        return worst


def _smallest(targets: _Targets, guess: FloatArray, load: FloatArray) -> FloatArray:
    """Smallest whole ``n >= 1`` meeting ``targets`` for every interval, all at once.

    The targets are monotone in ``n`` (more agents never lower the service level nor raise
    abandonment or occupancy).  Two probes around ``guess`` give a secant estimate of where
    the violation crosses zero; probing that estimate and the agent below it usually settles
    the answer.  Whatever is left is bracketed by galloping (steps 1, 2, 4, ...) and pinned by
    bisection, so the result is exact whatever the quality of the guesses.
    """
    size = guess.size
    lo = np.zeros(size)  # largest n known to fail (n = 0 never counts as meeting a target)
    hi = np.full(size, np.inf)  # smallest n known to pass

    def probe(idx: IntArray, n: FloatArray) -> FloatArray:
        n = np.maximum(n, 1.0)
        v = targets.violation(idx, n)
        passed = v <= 0
        hi[idx[passed]] = np.minimum(hi[idx[passed]], n[passed])
        lo[idx[~passed]] = np.maximum(lo[idx[~passed]], n[~passed])
        return v

    everything = np.arange(size)
    g0 = np.maximum(guess, 1.0)
    v0 = probe(everything, g0)
    delta = np.maximum(1.0, np.round(0.25 * np.sqrt(load)))
    g1 = np.maximum(np.where(v0 <= 0, g0 - delta, g0 + delta), 1.0)
    moved = np.flatnonzero(g1 != g0)
    if moved.size:
        v1 = probe(moved, g1[moved])
        slope = (v1 - v0[moved]) / (g1[moved] - g0[moved])
        with np.errstate(divide="ignore", invalid="ignore"):
            estimate = g1[moved] - v1 / slope
        usable = np.isfinite(estimate) & (slope < 0)
        candidate = np.clip(np.ceil(estimate[usable]), lo[moved[usable]] + 1.0, hi[moved[usable]])
        idx = moved[usable]
        fresh = candidate < hi[idx]
        probe(idx[fresh], candidate[fresh])
        below = candidate - 1.0
        fresh = (below > lo[idx]) & (below < hi[idx])
        probe(idx[fresh], below[fresh])

    # Gallop up where nothing passed yet, down where the passing n may not be the smallest.
    up = np.flatnonzero(np.isinf(hi))
    step = np.ones(size)
    while up.size:
        probe(up, lo[up] + step[up])
        step[up] *= 2.0
        up = up[np.isinf(hi[up])]
    step[:] = 1.0
    down = np.flatnonzero((hi - lo > 1.0) & (hi - lo > 2.0 * step))
    while down.size:
        probe(down, np.maximum(hi[down] - step[down], lo[down] + 1.0))
        step[down] *= 2.0
        down = down[(hi[down] - lo[down] > 1.0) & (hi[down] - lo[down] > 2.0 * step[down])]

    todo = np.flatnonzero(hi - lo > 1.0)
    while todo.size:
        probe(todo, np.floor((lo[todo] + hi[todo]) / 2.0))
        todo = todo[hi[todo] - lo[todo] > 1.0]
    return hi


@overload
def required_agents(
    arrivals: float,
    aht_s: float,
    target_s: float,
    sl_target: float | None,
    patience_s: float,
    interval_s: float = ...,
    max_abandon: float | None = ...,
    max_occupancy: float | None = ...,
    shrinkage: float = ...,
) -> int: ...
@overload
def required_agents(
    arrivals: ArrayLike,
    aht_s: ArrayLike,
    target_s: ArrayLike,
    sl_target: float | None,
    patience_s: ArrayLike,
    interval_s: ArrayLike = ...,
    max_abandon: float | None = ...,
    max_occupancy: float | None = ...,
    shrinkage: float = ...,
) -> IntArray: ...
def required_agents(
    arrivals: ArrayLike,
    aht_s: ArrayLike,
    target_s: ArrayLike,
    sl_target: float | None,
    patience_s: ArrayLike,
    interval_s: ArrayLike = DEFAULT_INTERVAL_S,
    max_abandon: float | None = None,
    max_occupancy: float | None = None,
    shrinkage: float = 0.0,
) -> int | IntArray:
    """Agents needed under Erlang A for a service-level target and/or an abandonment ceiling.

    The raw requirement is the smallest whole ``n >= 1`` with ``service_level >= sl_target``
    (if given), ``abandon_rate <= max_abandon`` (if given) and ``occupancy <= max_occupancy``
    (if given).  With ``shrinkage > 0`` the result is the number to *schedule*,
    ``ceil(n / (1 - shrinkage))``; with the default ``shrinkage=0`` it is the raw ``n``.
    Intervals without arrivals need 0 agents; ``patience_s = inf`` gives Erlang C.

    Parameters
    ----------
    arrivals : array_like
        Contacts arriving per interval (>= 0).
    aht_s : array_like
        Average handle time in seconds (> 0).
    target_s : array_like
        Service-level threshold T in seconds (>= 0).
    sl_target : float or None
        Required share of offered contacts answered within ``target_s`` (below 1), or None
        to staff for ``max_abandon`` (or ``max_occupancy``) only.
    patience_s : array_like
        Mean patience in seconds (> 0).
    interval_s : array_like, default 900
        Interval length in seconds.
    max_abandon : float, optional
        Ceiling on the abandonment share, in (0, 1].
    max_occupancy : float, optional
        Ceiling on occupancy, in (0, 1].
    shrinkage : float, default 0
        Share of paid time not available for contacts, in [0, 1).

    Returns
    -------
    int or numpy.ndarray of int64

    Raises
    ------
    StaffingInputError
        For invalid inputs, ``sl_target >= 1``, or no target at all.
    """
    lam = _arrivals(arrivals)
    aht = _positive("aht_s", aht_s)
    target = _non_negative("target_s", target_s)
    patience = _patience(patience_s)
    interval = _positive("interval_s", interval_s)
    sl = None if sl_target is None else _sl_target(sl_target)
    abandon = _max_abandon(max_abandon)
    occ = _max_occupancy(max_occupancy)
    s = _shrinkage(shrinkage)
    _check(
        sl is not None or abandon is not None or occ is not None,
        "sl_target is None: give sl_target, max_abandon or max_occupancy",
    )
    shape, (lam_f, aht_f, target_f, patience_f, interval_f) = _broadcast(
        lam, aht, target, patience, interval
    )
    raw = _raw_required_flat(lam_f / interval_f, aht_f, target_f, patience_f, sl, abandon, occ)
    agents = (_ceil_ratio(raw, 1.0 - s) if s > 0 else raw).astype(np.int64).reshape(shape)
    if _is_scalar(arrivals, aht_s, target_s, patience_s, interval_s):
        return int(agents)
    return agents


def _raw_required_flat(
    lam: FloatArray,
    aht: FloatArray,
    target: FloatArray,
    patience: FloatArray,
    sl: float | None,
    max_abandon: float | None,
    max_occupancy: float | None,
) -> FloatArray:
    """Raw Erlang A requirement for flat arrays (``lam`` per second)."""
    raw = np.zeros_like(lam)
    load = lam * aht
    patient = (load > 0) & np.isinf(patience)
    if patient.any():  # Erlang C: no abandonment, so only the service level and occupancy
        raw[patient] = erlang._raw_required_flat(
            load[patient], target[patient] / aht[patient], 0.0 if sl is None else sl, max_occupancy
        )
    finite = np.flatnonzero((load > 0) & np.isfinite(patience))
    if finite.size:
        targets = _Targets(
            lam[finite],
            aht[finite],
            patience[finite],
            target[finite],
            sl,
            max_abandon,
            max_occupancy,
        )
        lf = load[finite]
        if sl is not None:
            # Erlang C's answer for the same target: usually within a few agents.
            guess = erlang._raw_required_flat(lf, target[finite] / aht[finite], sl, None)
        else:
            guess = np.ceil(lf)
        raw[finite] = _smallest(targets, guess, lf)
    return raw
