"""Erlang C (M/M/n): waiting probability, service level, ASA, occupancy and required agents.

The model
---------
Contacts arrive as a Poisson process, ``arrivals`` per interval of ``interval_s`` seconds;
handle times are exponential with mean ``aht_s``; ``agents`` identical agents serve one queue
in order of arrival; nobody abandons.  The offered load in Erlang is
``load = arrivals * aht_s / interval_s`` and the queue is stable only when ``agents > load``.

With ``B`` the Erlang B blocking probability (computed by the recursion
``B(0) = 1, B(n) = load * B(n-1) / (n + load * B(n-1))``, or, for larger ``n``, from the
Poisson distribution as ``pmf(n) / cdf(n)`` with :func:`scipy.special.gammaincc`, never with
factorials)

* probability of waiting  ``C = n * B / (n - load + load * B)``
* service level           ``SL(T) = 1 - C * exp(-(n - load) * T / aht_s)``  (share answered
  within ``T = target_s`` seconds; ``T = 0`` gives ``1 - C``)
* average speed of answer ``ASA = C * aht_s / (n - load)``
* occupancy               ``load / n``

:func:`required_agents` returns the smallest integer ``n > load`` with ``SL(T) >= sl_target``,
optionally raised to ``ceil(load / max_occupancy)``, and grossed up for shrinkage as
``ceil(n / (1 - shrinkage))``.  All functions take scalars or NumPy arrays (broadcast against
each other) and return a Python scalar for scalar input and an array otherwise.
"""

from __future__ import annotations

import math
from typing import Final, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

__all__ = [
    "StaffingInputError",
    "asa_s",
    "erlang_b",
    "occupancy",
    "offered_load",
    "prob_wait",
    "required_agents",
    "scheduled_agents",
    "service_level",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

DEFAULT_INTERVAL_S: Final = 900.0

# Erlang B by recursion up to this many agents, from the Poisson distribution above it.
_RECURSION_MAX_N: Final = 50
# Relative slack on the waiting-time tail when testing a target, so that floating-point noise
# in the last digit does not cost (or save) an agent.  Documented in docs/staffing.md.
_TARGET_RTOL: Final = 1e-12
# Relative slack when rounding a quotient up to whole agents (load / max_occupancy,
# agents / (1 - shrinkage)): 21 / (1 - 0.3) is 30.000000000000004 and must give 30 agents.
_ROUND_RTOL: Final = 1e-12
_SQRT_2PI: Final = math.sqrt(2.0 * math.pi)
# Halfin-Whitt at beta = 1: phi(1), Phi(1), phi + Phi and log(phi / (phi + Phi)).
_HW_PHI_DENSITY1: Final = math.exp(-0.5) / _SQRT_2PI
_HW_PHI1: Final = 0.5 * math.erfc(-1.0 / math.sqrt(2.0))
_HW_DEN1: Final = _HW_PHI_DENSITY1 + _HW_PHI1
_HW_LOG_C1: Final = math.log(_HW_PHI_DENSITY1 / _HW_DEN1)


class StaffingInputError(ValueError):
    """An input to a staffing calculation is invalid or its target cannot be reached.

    The message names the parameter, so that the web form, the API and the CLI can show it
    next to the field.
    """


# --------------------------------------------------------------------------------------------
# Input handling shared by erlang, erlang_a and staffing
# --------------------------------------------------------------------------------------------


def _floats(name: str, value: ArrayLike) -> FloatArray:
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise StaffingInputError(f"{name} must be a number or an array of numbers") from exc
    return array


def _check(ok: bool | np.bool_, message: str) -> None:
    if not ok:
        raise StaffingInputError(message)


def _validated(
    name: str, value: ArrayLike, *, low: float, strict: bool, allow_inf: bool
) -> FloatArray:
    """``value`` as floats, all ``> low`` (``strict``) or ``>= low``, finite unless allowed.

    One combined test on the happy path (NaN fails every comparison); the precise complaint
    is worked out only when it fails.
    """
    if isinstance(value, int | float):  # plain scalars: no array machinery
        x = float(value)
        if (x > low if strict else x >= low) and (allow_inf or x < math.inf):
            return np.asarray(x)
    array = _floats(name, value)
    above = array > low if strict else array >= low
    if allow_inf:
        fine = bool(np.all(above))
    else:
        fine = bool(np.all(above & (array < np.inf)))
    if not fine:
        if np.isnan(array).any():
            raise StaffingInputError(f"{name} must not contain NaN")
        if not allow_inf and np.isinf(array).any():
            raise StaffingInputError(f"{name} must be finite")
        relation = "greater than" if strict else "at least"
        raise StaffingInputError(f"{name} must be {relation} {low:g} (got {array.min():g})")
    return array


def _arrivals(value: ArrayLike) -> FloatArray:
    return _validated("arrivals", value, low=0.0, strict=False, allow_inf=False)


def _positive(name: str, value: ArrayLike, *, allow_inf: bool = False) -> FloatArray:
    return _validated(name, value, low=0.0, strict=True, allow_inf=allow_inf)


def _non_negative(name: str, value: ArrayLike) -> FloatArray:
    return _validated(name, value, low=0.0, strict=False, allow_inf=False)


def _agents(value: ArrayLike) -> FloatArray:
    agents = _non_negative("agents", value)
    _check(bool(np.all(agents == np.floor(agents))), "agents must be whole numbers")
    return agents


def _sl_target(value: float) -> float:
    sl = float(value)
    _check(not math.isnan(sl), "sl_target must be a number")
    _check(
        sl < 1.0,
        f"sl_target={sl} cannot be reached: with a finite number of agents some contacts "
        "always wait longer than target_s; use a target below 1 (e.g. 0.8)",
    )
    return sl


def _max_occupancy(value: float | None) -> float | None:
    if value is None:
        return None
    occ = float(value)
    _check(0.0 < occ <= 1.0, f"max_occupancy must be in (0, 1], got {value}")
    return occ


def _shrinkage(value: float) -> float:
    s = float(value)
    _check(
        0.0 <= s < 1.0,
        f"shrinkage must be in [0, 1) (share of paid time not available), got {value}",
    )
    return s


def _is_scalar(*values: ArrayLike) -> bool:
    return all(np.ndim(v) == 0 for v in values)


def _ceil_ratio(numerator: FloatArray, denominator: float) -> FloatArray:
    """``ceil(numerator / denominator)`` forgiving a relative rounding error of 1e-12."""
    quotient = numerator / denominator
    return np.ceil(quotient * (1.0 - _ROUND_RTOL))


def scheduled_agents(raw_agents: ArrayLike, shrinkage: float) -> IntArray:
    """Agents to schedule so that ``raw_agents`` are available: ``ceil(raw / (1 - shrinkage))``.

    Parameters
    ----------
    raw_agents : array_like
        Agents needed on the queue (whole numbers).
    shrinkage : float
        Share of paid time not available for contacts, in [0, 1).

    Returns
    -------
    numpy.ndarray of int64
    """
    raw = _agents(raw_agents)
    s = _shrinkage(shrinkage)
    if s == 0.0:
        return raw.astype(np.int64)
    return _ceil_ratio(raw, 1.0 - s).astype(np.int64)


# --------------------------------------------------------------------------------------------
# Erlang B
# --------------------------------------------------------------------------------------------


def _erlang_b_recursion(n: FloatArray, load: FloatArray) -> FloatArray:
    """Erlang B for whole ``n`` (small) by the stable forward recursion, all at once.

    Elements are sorted by ``n`` (descending) so that step ``k`` updates a prefix view of the
    arrays: the elements that still need step ``k``.
    """
    if n.size == 0:
        return np.empty(0)
    n_int = n.astype(np.intp)
    top = int(n_int.max())
    # Radix sort on small integers: much cheaper than sorting floats.
    order = np.argsort((top - n_int).astype(np.int16), kind="stable")
    load_sorted = load[order]
    b = np.ones_like(load_sorted)
    work = np.empty_like(load_sorted)
    # ends[k - 1] = number of elements with n >= k; plain ints keep the loop cheap
    at_least = np.cumsum(np.bincount(n_int, minlength=top + 1)[::-1])[::-1]
    ends: list[int] = at_least[1:].tolist()
    k = 0.0
    for m in ends:
        k += 1.0
        t = work[:m]
        bv = b[:m]
        np.multiply(load_sorted[:m], bv, out=t)
        np.add(t, k, out=bv)
        np.divide(t, bv, out=bv)
    result = np.empty_like(b)
    result[order] = b
    return result


def _log_erlang_b_series(n: FloatArray, load: FloatArray) -> FloatArray:
    """``log B`` from ``1/B = sum_k n! / ((n-k)! load^k)`` for ``n`` well below ``load``.

    Used where the Poisson cdf underflows (``n`` many standard deviations below ``load``);
    there the terms shrink at least geometrically with ratio ``n / load``.
    """
    total = np.ones_like(load)
    term = np.ones_like(load)
    k = 0
    while True:
        term = term * np.maximum(n - k, 0.0) / load
        total += term
        k += 1
        if not np.any(term > 1e-17 * total):
            break
    return -np.log(total)


def _log_erlang_b(n: FloatArray, load: FloatArray) -> FloatArray:
    """``log B(n, load)`` for whole ``n >= 0`` and ``load >= 0`` (1-D arrays, same shape)."""
    out = np.empty_like(load)
    zero_load = load <= 0
    out[zero_load & (n == 0)] = 0.0
    out[zero_load & (n > 0)] = -np.inf
    small = ~zero_load & (n <= _RECURSION_MAX_N)
    if small.any():
        with np.errstate(divide="ignore"):
            out[small] = np.log(_erlang_b_recursion(n[small], load[small]))
    large = np.flatnonzero(~zero_load & (n > _RECURSION_MAX_N))
    if large.size:
        nl = n[large]
        al = load[large]
        cdf = special.gammaincc(nl + 1.0, al)  # P(Poisson(load) <= n)
        log_pmf = nl * np.log(al) - al - special.gammaln(nl + 1.0)
        fine = cdf > 1e-280
        with np.errstate(divide="ignore"):
            out[large] = np.where(fine, log_pmf - np.log(np.where(fine, cdf, 1.0)), 0.0)
        if not fine.all():
            under = large[~fine]
            out[under] = _log_erlang_b_series(n[under], load[under])
    return out


def _erlang_b_at(n: FloatArray, load: FloatArray) -> FloatArray:
    """Erlang B for whole ``n > load > 0`` (the stable region the staffing search uses)."""
    b = np.empty_like(load)
    small = n <= _RECURSION_MAX_N
    if small.any():
        b[small] = _erlang_b_recursion(n[small], load[small])
    large = ~small
    if large.any():
        nl = n[large]
        al = load[large]
        log_pmf = nl * np.log(al) - al - special.gammaln(nl + 1.0)
        b[large] = np.exp(log_pmf) / special.gammaincc(nl + 1.0, al)
    return b


# --------------------------------------------------------------------------------------------
# Erlang C performance measures
# --------------------------------------------------------------------------------------------


def _broadcast(*arrays: FloatArray) -> tuple[tuple[int, ...], list[FloatArray]]:
    """Broadcast arrays against each other and flatten them (copies, safe to write)."""
    shape = np.broadcast_shapes(*(a.shape for a in arrays))
    return shape, [np.array(np.broadcast_to(a, shape)).ravel() for a in arrays]


def _wrap(result: FloatArray, shape: tuple[int, ...], scalar: bool) -> float | FloatArray:
    out = result.reshape(shape)
    return float(out) if scalar else out


def _measures_input(
    arrivals: ArrayLike,
    aht_s: ArrayLike,
    agents: ArrayLike,
    interval_s: ArrayLike,
    *extra: FloatArray,
) -> tuple[tuple[int, ...], list[FloatArray]]:
    """Validate and broadcast; returns ``shape, [load, agents, aht_s, *extra]`` (flat)."""
    lam = _arrivals(arrivals)
    aht = _positive("aht_s", aht_s)
    n = _agents(agents)
    interval = _positive("interval_s", interval_s)
    shape, (lam_f, aht_f, n_f, interval_f, *extra_f) = _broadcast(lam, aht, n, interval, *extra)
    return shape, [lam_f * aht_f / interval_f, n_f, aht_f, *extra_f]


def _prob_wait_flat(load: FloatArray, n: FloatArray) -> FloatArray:
    """Erlang C ``P(wait > 0)``: 0 without load, 1 when ``n <= load`` (unstable queue)."""
    c = np.where(load > 0, 1.0, 0.0)
    stable = (load > 0) & (n > load)
    if stable.any():
        ns = n[stable]
        ls = load[stable]
        b = np.exp(_log_erlang_b(ns, ls))
        c[stable] = ns * b / (ns - ls + ls * b)
    return c


@overload
def erlang_b(load: float, agents: float) -> float: ...
@overload
def erlang_b(load: ArrayLike, agents: ArrayLike) -> FloatArray: ...
def erlang_b(load: ArrayLike, agents: ArrayLike) -> float | FloatArray:
    """Erlang B blocking probability for ``agents`` servers and ``load`` Erlang.

    Parameters
    ----------
    load : array_like
        Offered load in Erlang (``arrivals * aht_s / interval_s``), >= 0.
    agents : array_like
        Number of servers (whole numbers >= 0).

    Returns
    -------
    float or numpy.ndarray
        ``B(agents, load)``; 1 for zero agents, 0 for zero load and at least one agent.
    """
    shape, (a, n) = _broadcast(_non_negative("load", load), _agents(agents))
    return _wrap(np.exp(_log_erlang_b(n, a)), shape, _is_scalar(load, agents))


@overload
def offered_load(arrivals: float, aht_s: float, interval_s: float = ...) -> float: ...
@overload
def offered_load(
    arrivals: ArrayLike, aht_s: ArrayLike, interval_s: ArrayLike = ...
) -> FloatArray: ...
def offered_load(
    arrivals: ArrayLike, aht_s: ArrayLike, interval_s: ArrayLike = DEFAULT_INTERVAL_S
) -> float | FloatArray:
    """Offered load in Erlang: ``arrivals * aht_s / interval_s``.

    Parameters
    ----------
    arrivals : array_like
        Contacts arriving per interval (>= 0).
    aht_s : array_like
        Average handle time in seconds (> 0).
    interval_s : array_like, default 900
        Interval length in seconds.

    Returns
    -------
    float or numpy.ndarray
    """
    shape, (load, _, _) = _measures_input(arrivals, aht_s, 0, interval_s)
    return _wrap(load, shape, _is_scalar(arrivals, aht_s, interval_s))


@overload
def prob_wait(arrivals: float, aht_s: float, agents: float, interval_s: float = ...) -> float: ...
@overload
def prob_wait(
    arrivals: ArrayLike, aht_s: ArrayLike, agents: ArrayLike, interval_s: ArrayLike = ...
) -> FloatArray: ...
def prob_wait(
    arrivals: ArrayLike,
    aht_s: ArrayLike,
    agents: ArrayLike,
    interval_s: ArrayLike = DEFAULT_INTERVAL_S,
) -> float | FloatArray:
    """Erlang C probability that a contact has to wait, ``C(agents, load)``.

    Parameters
    ----------
    arrivals : array_like
        Contacts arriving per interval (>= 0).
    aht_s : array_like
        Average handle time in seconds (> 0).
    agents : array_like
        Agents on the queue (whole numbers >= 0).
    interval_s : array_like, default 900
        Interval length in seconds.

    Returns
    -------
    float or numpy.ndarray
        Probability of waiting; 1 when ``agents <= load`` (the queue grows without bound),
        0 without arrivals.
    """
    shape, (load, n, _) = _measures_input(arrivals, aht_s, agents, interval_s)
    scalar = _is_scalar(arrivals, aht_s, agents, interval_s)
    return _wrap(_prob_wait_flat(load, n), shape, scalar)


@overload
def service_level(
    arrivals: float, aht_s: float, agents: float, target_s: float, interval_s: float = ...
) -> float: ...
@overload
def service_level(
    arrivals: ArrayLike,
    aht_s: ArrayLike,
    agents: ArrayLike,
    target_s: ArrayLike,
    interval_s: ArrayLike = ...,
) -> FloatArray: ...
def service_level(
    arrivals: ArrayLike,
    aht_s: ArrayLike,
    agents: ArrayLike,
    target_s: ArrayLike,
    interval_s: ArrayLike = DEFAULT_INTERVAL_S,
) -> float | FloatArray:
    """Erlang C service level: share of contacts answered within ``target_s`` seconds.

    ``SL = 1 - C * exp(-(agents - load) * target_s / aht_s)``.

    Parameters
    ----------
    arrivals : array_like
        Contacts arriving per interval (>= 0).
    aht_s : array_like
        Average handle time in seconds (> 0).
    agents : array_like
        Agents on the queue (whole numbers >= 0).
    target_s : array_like
        Service-level threshold T in seconds (>= 0; 0 gives ``1 - C``).
    interval_s : array_like, default 900
        Interval length in seconds.

    Returns
    -------
    float or numpy.ndarray
        Service level in [0, 1]; 0 when ``agents <= load``, 1 without arrivals.
    """
    target = _non_negative("target_s", target_s)
    shape, (load, n, aht, t) = _measures_input(arrivals, aht_s, agents, interval_s, target)
    c = _prob_wait_flat(load, n)
    with np.errstate(over="ignore", invalid="ignore"):
        decay = np.where(n > load, np.exp(-(n - load) * t / aht), 1.0)
    sl = np.clip(1.0 - c * decay, 0.0, 1.0)
    return _wrap(sl, shape, _is_scalar(arrivals, aht_s, agents, target_s, interval_s))


@overload
def asa_s(arrivals: float, aht_s: float, agents: float, interval_s: float = ...) -> float: ...
@overload
def asa_s(
    arrivals: ArrayLike, aht_s: ArrayLike, agents: ArrayLike, interval_s: ArrayLike = ...
) -> FloatArray: ...
def asa_s(
    arrivals: ArrayLike,
    aht_s: ArrayLike,
    agents: ArrayLike,
    interval_s: ArrayLike = DEFAULT_INTERVAL_S,
) -> float | FloatArray:
    """Erlang C average speed of answer in seconds: ``C * aht_s / (agents - load)``.

    Parameters
    ----------
    arrivals : array_like
        Contacts arriving per interval (>= 0).
    aht_s : array_like
        Average handle time in seconds (> 0).
    agents : array_like
        Agents on the queue (whole numbers >= 0).
    interval_s : array_like, default 900
        Interval length in seconds.

    Returns
    -------
    float or numpy.ndarray
        Mean wait in seconds over all contacts (all are answered in Erlang C); ``inf`` when
        ``agents <= load``, 0 without arrivals.
    """
    shape, (load, n, aht) = _measures_input(arrivals, aht_s, agents, interval_s)
    c = _prob_wait_flat(load, n)
    asa = np.where(load > 0, np.inf, 0.0)
    stable = (load > 0) & (n > load)
    asa[stable] = c[stable] * aht[stable] / (n[stable] - load[stable])
    return _wrap(asa, shape, _is_scalar(arrivals, aht_s, agents, interval_s))


@overload
def occupancy(arrivals: float, aht_s: float, agents: float, interval_s: float = ...) -> float: ...
@overload
def occupancy(
    arrivals: ArrayLike, aht_s: ArrayLike, agents: ArrayLike, interval_s: ArrayLike = ...
) -> FloatArray: ...
def occupancy(
    arrivals: ArrayLike,
    aht_s: ArrayLike,
    agents: ArrayLike,
    interval_s: ArrayLike = DEFAULT_INTERVAL_S,
) -> float | FloatArray:
    """Erlang C occupancy: share of the agents' time spent handling contacts, ``load / agents``.

    Parameters
    ----------
    arrivals : array_like
        Contacts arriving per interval (>= 0).
    aht_s : array_like
        Average handle time in seconds (> 0).
    agents : array_like
        Agents on the queue (whole numbers >= 0).
    interval_s : array_like, default 900
        Interval length in seconds.

    Returns
    -------
    float or numpy.ndarray
        Occupancy in [0, 1]; 1 when ``agents <= load`` (every agent is always busy), 0 without
        arrivals.
    """
    shape, (load, n, _) = _measures_input(arrivals, aht_s, agents, interval_s)
    with np.errstate(divide="ignore", invalid="ignore"):
        occ = np.where(load > 0, np.minimum(load / n, 1.0), 0.0)
    return _wrap(occ, shape, _is_scalar(arrivals, aht_s, agents, interval_s))


# --------------------------------------------------------------------------------------------
# Required agents
# --------------------------------------------------------------------------------------------


def _halfin_whitt_agents(load: FloatArray, ratio: FloatArray, tail: FloatArray) -> FloatArray:
    """Square-root-staffing estimate ``load + beta * sqrt(load)`` of the required agents.

    ``beta`` approximately solves the Halfin-Whitt approximation
    ``P(wait) ~ phi(beta) / (phi(beta) + beta * Phi(beta))`` of
    ``C * exp(-beta * sqrt(load) * ratio) = tail``: one Newton step from ``beta = 1`` (so
    ``phi`` and ``Phi`` are constants).  Only a starting point for the exact search: for
    common targets it is the answer or one agent short.
    """
    root = np.sqrt(load)
    k = root * ratio
    g = _HW_LOG_C1 - k - np.log(tail)
    dg = -1.0 - _HW_PHI1 / _HW_DEN1 - k
    beta: FloatArray = np.maximum(1.0 - g / dg, 0.0)
    result: FloatArray = load + beta * root
    return result


def _meets(
    n: FloatArray,
    b: FloatArray,
    load: FloatArray,
    ratio: FloatArray,
    tail: FloatArray,
    decay: FloatArray | None = None,
) -> NDArray[np.bool_]:
    """``P(wait > T) = C * exp(-(n - load) * ratio) <= tail`` for ``n > load``, without dividing.

    With ``C = n * B / (n - load + load * B)`` the test is
    ``n * B * exp(-(n - load) * ratio) <= tail * (n - load + load * B)``; ``decay`` may pass
    the exponential factor when the caller has it.
    """
    excess = n - load
    if decay is None:
        decay = np.exp(-excess * ratio)
    result: NDArray[np.bool_] = n * b * decay <= tail * (excess + load * b)
    return result


def _walk_up(
    n: FloatArray, b: FloatArray, load: FloatArray, ratio: FloatArray, tail: FloatArray
) -> FloatArray:
    """From ``n`` (with ``b = B(n)``) add agents until the target is met (forward recursion)."""
    n = n.copy()
    b = b.copy()
    todo = np.flatnonzero(~_meets(n, b, load, ratio, tail))
    while todo.size:
        nu = n[todo] + 1.0
        t = load[todo] * b[todo]
        bu = t / (nu + t)  # B(n + 1) from B(n)
        n[todo] = nu
        b[todo] = bu
        todo = todo[~_meets(nu, bu, load[todo], ratio[todo], tail[todo])]
    return n


def _required_erlang_c(load: FloatArray, ratio: FloatArray, tail: FloatArray) -> FloatArray:
    """Smallest whole ``n > load`` with ``P(wait > T) <= tail`` (1-D arrays, ``load > 0``).

    Erlang B is evaluated exactly once per interval, at the square-root-staffing estimate
    ``n0``; one step of the recursion either way gives ``B(n0 - 1)``, ``B(n0 + 1)`` and
    ``B(n0 + 2)``, which settles nearly every interval.  The rest walk agent by agent, all at
    once: down by the backward recursion while ``n - 1`` still meets the target (and is
    stable), or up by the forward recursion until the target is met.
    """
    tail = tail * (1.0 + _TARGET_RTOL)
    n_min = np.floor(load) + 1.0
    n0 = np.maximum(n_min, np.ceil(_halfin_whitt_agents(load, ratio, tail)))
    b0 = _erlang_b_at(n0, load)
    # exp(-(n - load) * ratio) at n0 - 1 .. n0 + 2 from one exp and a common factor
    step = np.exp(-ratio)
    decay0 = np.exp(-(n0 - load) * ratio)
    decay1 = decay0 * step
    ok0 = _meets(n0, b0, load, ratio, tail, decay0)
    t = load * b0
    b1 = t / (n0 + 1.0 + t)  # B(n0 + 1) from B(n0)
    ok1 = _meets(n0 + 1.0, b1, load, ratio, tail, decay1)
    t = load * b1
    b2 = t / (n0 + 2.0 + t)
    ok2 = _meets(n0 + 2.0, b2, load, ratio, tail, decay1 * step)
    n: FloatArray = np.where(ok0, n0, np.where(ok1, n0 + 1.0, n0 + 2.0))
    above_min = n0 > n_min
    b_prev = np.where(above_min, n0 * b0 / (load * (1.0 - b0)), 1.0)  # B(n0 - 1) from B(n0)
    ok_prev = above_min & _meets(n0 - 1.0, b_prev, load, ratio, tail, decay0 / step)

    down = np.flatnonzero(ok_prev)
    if down.size:
        n[down] = _walk_down(n0[down] - 1.0, b_prev[down], load[down], ratio[down], tail[down])
    too_low = np.flatnonzero(~(ok0 | ok1 | ok2))
    if too_low.size:
        n[too_low] = _walk_up(
            n0[too_low] + 2.0, b2[too_low], load[too_low], ratio[too_low], tail[too_low]
        )
    return n


def _walk_down(
    n: FloatArray, b: FloatArray, load: FloatArray, ratio: FloatArray, tail: FloatArray
) -> FloatArray:
    """From ``n`` that meets the target (``b = B(n)``), remove agents while ``n - 1`` still does.

    Rare: only where the estimate was at least two agents too high.

    The backward recursion ``B(n - 1) = n * B(n) / (load * (1 - B(n)))`` loses a factor of at
    most ``1 / (1 - B)`` in relative accuracy per step; the estimate is rarely more than an
    agent or two too high, so that stays at rounding level.
    """
    n = n.copy()
    b = b.copy()
    todo = np.arange(n.size)
    while todo.size:
        nt = n[todo]
        bt = b[todo]
        lt = load[todo]
        b_prev = nt * bt / (lt * (1.0 - bt))
        stable = nt - 1.0 > lt
        better = stable & _meets(nt - 1.0, b_prev, lt, ratio[todo], tail[todo])
        step = todo[better]
        n[step] -= 1.0
        b[step] = b_prev[better]
        todo = step
    return n


def _raw_required_flat(
    load: FloatArray, ratio: FloatArray, sl_target: float, max_occupancy: float | None
) -> FloatArray:
    busy = load > 0
    if busy.all():
        raw = _required_erlang_c(load, ratio, np.full(load.size, 1.0 - sl_target))
    else:
        raw = np.zeros_like(load)
        if busy.any():
            tail = np.full(int(busy.sum()), 1.0 - sl_target)
            raw[busy] = _required_erlang_c(load[busy], ratio[busy], tail)
    if max_occupancy is not None:
        raw = np.maximum(raw, _ceil_ratio(load, max_occupancy))
    return raw


@overload
def required_agents(
    arrivals: float,
    aht_s: float,
    target_s: float,
    sl_target: float,
    interval_s: float = ...,
    max_occupancy: float | None = ...,
    shrinkage: float = ...,
) -> int: ...
@overload
def required_agents(
    arrivals: ArrayLike,
    aht_s: ArrayLike,
    target_s: ArrayLike,
    sl_target: float,
    interval_s: ArrayLike = ...,
    max_occupancy: float | None = ...,
    shrinkage: float = ...,
) -> IntArray: ...
def required_agents(
    arrivals: ArrayLike,
    aht_s: ArrayLike,
    target_s: ArrayLike,
    sl_target: float,
    interval_s: ArrayLike = DEFAULT_INTERVAL_S,
    max_occupancy: float | None = None,
    shrinkage: float = 0.0,
) -> int | IntArray:
    """Agents needed to answer ``sl_target`` of the contacts within ``target_s`` seconds.

    The raw requirement is the smallest whole ``n > load`` with
    ``service_level(n) >= sl_target`` (exact, not an approximation), raised to
    ``ceil(load / max_occupancy)`` when ``max_occupancy`` is given.  With ``shrinkage > 0`` the
    result is the number to *schedule*, ``ceil(n / (1 - shrinkage))``; with the default
    ``shrinkage=0`` it is the raw ``n``.  Intervals without arrivals need 0 agents.

    Parameters
    ----------
    arrivals : array_like
        Contacts arriving per interval (>= 0).
    aht_s : array_like
        Average handle time in seconds (> 0).
    target_s : array_like
        Service-level threshold T in seconds (>= 0).
    sl_target : float
        Required share answered within ``target_s``, below 1 (e.g. 0.8 for 80/20).
    interval_s : array_like, default 900
        Interval length in seconds.
    max_occupancy : float, optional
        Upper limit on occupancy ``load / n``, in (0, 1].
    shrinkage : float, default 0
        Share of paid time not available for contacts, in [0, 1).

    Returns
    -------
    int or numpy.ndarray of int64

    Raises
    ------
    StaffingInputError
        For negative arrivals, ``aht_s <= 0``, ``target_s < 0``, ``sl_target >= 1``,
        ``shrinkage`` outside [0, 1) or ``max_occupancy`` outside (0, 1].
    """
    lam = _arrivals(arrivals)
    aht = _positive("aht_s", aht_s)
    target = _non_negative("target_s", target_s)
    interval = _positive("interval_s", interval_s)
    sl = _sl_target(sl_target)
    occ = _max_occupancy(max_occupancy)
    s = _shrinkage(shrinkage)
    shape = np.broadcast_shapes(lam.shape, aht.shape, target.shape, interval.shape)
    load = np.broadcast_to(lam * aht / interval, shape).ravel()
    ratio = np.broadcast_to(target / aht, shape).ravel()
    raw = _raw_required_flat(load, ratio, sl, occ)
    agents = (_ceil_ratio(raw, 1.0 - s) if s > 0 else raw).astype(np.int64).reshape(shape)
    if _is_scalar(arrivals, aht_s, target_s, interval_s):
        return int(agents)
    return agents
