"""Required staff per interval and channel: phone, chat, e-mail and social.

Three models (``docs/staffing.md`` has the formulas, assumptions and measured figures):

* **Phone** -- Erlang C (:mod:`veerkracht.planning.erlang`), or Erlang A
  (:mod:`veerkracht.planning.erlang_a`) when the target gives ``patience_s``.
* **Chat** -- an agent handles up to ``concurrency`` chats at once and each chat then takes
  longer: ``aht_eff_s = aht_s * (1 + slowdown * (concurrency - 1))``.  The agent is modelled as
  ``concurrency`` independent *slots*, each a server of an Erlang C (or A) queue with handle
  time ``aht_eff_s``; the required agents are ``ceil(slots / concurrency)``, and the reported
  service level is that of all slots of the rounded-up agents.
* **E-mail and social** (deferred work) -- a first-in-first-out fluid queue on the interval
  grid.  A contact arriving in interval ``t`` must be answered by the end of the ``D``-th open
  interval counted from ``t`` (``D = floor(response_time_s / interval_s)``): response time counts
  opening hours only, as the KPI "first responses within X business hours" does; arrivals are
  taken at the start of their interval, which is conservative by up to one interval.  Staff
  starts from the workload of each contact spread evenly over its response window (a plan that
  answers every contact in time) and is scaled down as far as ``response_share`` allows; the
  queue simulation gives the backlog carried over per interval and the share answered in time.

:func:`staff_channel` is the one entry point for the web pages, the API and the CLI.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, Literal, overload

import numpy as np
from numpy.typing import ArrayLike, NDArray

from veerkracht.planning import erlang, erlang_a
from veerkracht.planning.erlang import (
    DEFAULT_INTERVAL_S,
    FloatArray,
    IntArray,
    StaffingInputError,
    scheduled_agents,
)

__all__ = [
    "ChannelKind",
    "DeferredPlan",
    "ServiceTarget",
    "StaffingInputError",
    "StaffingResult",
    "chat_required_agents",
    "deferred_staffing",
    "effective_chat_aht_s",
    "staff_channel",
]

ChannelKind = Literal["phone", "chat", "email", "social"]
CHANNEL_KINDS: Final[tuple[ChannelKind, ...]] = ("phone", "chat", "email", "social")
_LIVE: Final = ("phone", "chat")
# Precision of the scale factor of the deferred plan (share of the fully-in-time plan).
_SCALE_TOL: Final = 1e-4
_ROUND_RTOL: Final = 1e-12


def _fail(message: str) -> StaffingInputError:
    return StaffingInputError(message)


# --------------------------------------------------------------------------------------------
# Service targets and results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceTarget:
    """What a channel must achieve, and the facts about its work.

    Parameters
    ----------
    aht_s : float
        Average handle time in seconds; for chat, of one chat handled alone.
    sl_target : float
        Phone and chat: share of contacts to answer within ``target_s`` (below 1).
    target_s : float
        Phone and chat: service-level threshold in seconds (0 allowed).
    patience_s : float, optional
        Phone and chat: mean patience in seconds; given, the Erlang A model is used.
    max_abandon : float, optional
        Phone and chat with ``patience_s``: ceiling on the abandonment share.
    concurrency : int
        Chat: chats an agent handles at once (>= 1).
    slowdown : float
        Chat: relative handle-time increase per extra concurrent chat (>= 0).
    response_time_s : float, optional
        E-mail and social: response-time target in seconds of opening hours (required).
    response_share : float
        E-mail and social: share of contacts to answer within ``response_time_s``, in (0, 1].
    shrinkage : float
        Share of paid time not available for contacts, in [0, 1).
    max_occupancy : float, optional
        Phone and chat: ceiling on occupancy, in (0, 1].
    """

    aht_s: float
    sl_target: float = 0.8
    target_s: float = 20.0
    patience_s: float | None = None
    max_abandon: float | None = None
    concurrency: int = 1
    slowdown: float = 0.0
    response_time_s: float | None = None
    response_share: float = 0.95
    shrinkage: float = 0.0
    max_occupancy: float | None = None

    def __post_init__(self) -> None:
        def finite(name: str, value: float) -> float:
            try:
                number = float(value)
            except (TypeError, ValueError) as exc:
                raise _fail(f"{name} must be a number") from exc
            if not math.isfinite(number):
                raise _fail(f"{name} must be a finite number, got {value}")
            return number

        if finite("aht_s", self.aht_s) <= 0:
            raise _fail(f"aht_s must be greater than 0, got {self.aht_s}")
        if finite("sl_target", self.sl_target) >= 1:
            raise _fail(
                f"sl_target={self.sl_target} cannot be reached: with a finite number of agents "
                "some contacts always wait longer than target_s; use a target below 1"
            )
        if finite("target_s", self.target_s) < 0:
            raise _fail(f"target_s must not be negative, got {self.target_s}")
        if self.patience_s is not None and not float(self.patience_s) > 0:
            raise _fail(f"patience_s must be greater than 0, got {self.patience_s}")
        if self.max_abandon is not None and not 0 < finite("max_abandon", self.max_abandon) <= 1:
            raise _fail(f"max_abandon must be in (0, 1], got {self.max_abandon}")
        if self.max_abandon is not None and self.patience_s is None:
            raise _fail("max_abandon needs patience_s: without abandonment there is nothing to cap")
        if int(self.concurrency) != self.concurrency or self.concurrency < 1:
            raise _fail(f"concurrency must be a whole number >= 1, got {self.concurrency}")
        if finite("slowdown", self.slowdown) < 0:
            raise _fail(f"slowdown must not be negative, got {self.slowdown}")
        if (
            self.response_time_s is not None
            and finite("response_time_s", self.response_time_s) <= 0
        ):
            raise _fail(f"response_time_s must be greater than 0, got {self.response_time_s}")
        if not 0 < finite("response_share", self.response_share) <= 1:
            raise _fail(f"response_share must be in (0, 1], got {self.response_share}")
        if not 0 <= finite("shrinkage", self.shrinkage) < 1:
            raise _fail(f"shrinkage must be in [0, 1), got {self.shrinkage}")
        if (
            self.max_occupancy is not None
            and not 0 < finite("max_occupancy", self.max_occupancy) <= 1
        ):
            raise _fail(f"max_occupancy must be in (0, 1], got {self.max_occupancy}")


@dataclass(frozen=True)
class StaffingResult:
    """Required staff per interval for one channel.

    Attributes
    ----------
    kind : {"phone", "chat", "email", "social"}
    model : str
        ``"erlang_c"``, ``"erlang_a"`` or ``"deferred_fifo"``.
    interval_s : float
    arrivals : numpy.ndarray
        The forecast the staff is for, contacts per interval.
    raw_agents : numpy.ndarray of int64
        Agents needed on the channel per interval (no shrinkage).
    scheduled_agents : numpy.ndarray of int64
        Agents to schedule: ``ceil(raw_agents / (1 - shrinkage))``.
    service_level : numpy.ndarray
        Expected service level with ``raw_agents``: phone and chat, the share answered within
        ``target_s``; e-mail and social, the share of the interval's arrivals answered within
        ``response_time_s`` (NaN when their deadline lies beyond the last interval).  NaN for
        closed intervals of phone and chat.
    occupancy : numpy.ndarray
        Expected occupancy (of chat slots for chat; handled work over staffed time for deferred
        work).
    abandon_rate : numpy.ndarray
        Expected abandonment share (0 without ``patience_s``).
    asa_s : numpy.ndarray
        Expected average speed of answer in seconds (NaN for e-mail and social).
    backlog : numpy.ndarray
        E-mail and social: contacts still waiting at the end of each interval (0 otherwise).
    response_share : float or None
        E-mail and social: share of contacts due within the horizon answered in time.
    """

    kind: ChannelKind
    model: str
    interval_s: float
    arrivals: FloatArray
    raw_agents: IntArray
    scheduled_agents: IntArray
    service_level: FloatArray
    occupancy: FloatArray
    abandon_rate: FloatArray
    asa_s: FloatArray
    backlog: FloatArray
    response_share: float | None = None

    def fte_hours_per_day(
        self, intervals_per_day: int | Sequence[int] = 96, *, scheduled: bool = True
    ) -> FloatArray:
        """Agent hours per day: ``sum(agents) * interval_s / 3600`` over each day's intervals.

        Parameters
        ----------
        intervals_per_day : int or sequence of int, default 96
            Intervals per day; a sequence gives each day's count, so that DST days with 92 or
            100 quarter hours add up.
        scheduled : bool, default True
            Count scheduled agents (with shrinkage); False counts raw agents.

        Returns
        -------
        numpy.ndarray
            Hours per day; divide by the contract hours of one FTE per day for FTE.
        """
        agents = (self.scheduled_agents if scheduled else self.raw_agents).astype(np.float64)
        if isinstance(intervals_per_day, int):
            if intervals_per_day <= 0:
                raise _fail(f"intervals_per_day must be positive, got {intervals_per_day}")
            days = -(-agents.size // intervals_per_day)
            lengths = [intervals_per_day] * days
            lengths[-1] = agents.size - intervals_per_day * (days - 1) if days else 0
        else:
            lengths = [int(n) for n in intervals_per_day]
            if any(n <= 0 for n in lengths) or sum(lengths) != agents.size:
                raise _fail(
                    f"intervals_per_day must be positive and add up to {agents.size} intervals"
                )
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.intp)
        if agents.size == 0:
            return np.zeros(0)
        hours: FloatArray = np.add.reduceat(agents, starts) * self.interval_s / 3600.0
        return hours


@dataclass(frozen=True)
class DeferredPlan:
    """Staff for deferred work (e-mail, social) and what it achieves.

    Attributes
    ----------
    agents : numpy.ndarray of int64
        Agents per interval (0 when closed).
    backlog : numpy.ndarray
        Contacts waiting at the end of each interval.
    on_time_share : numpy.ndarray
        Share of each interval's arrivals answered within the response time (1 without
        arrivals; NaN when the deadline lies beyond the last interval).
    response_share : float
        Share of all contacts due within the horizon that are answered in time.
    occupancy : numpy.ndarray
        Handled work over staffed time per interval (0 without staff).
    deadline : numpy.ndarray of int64
        Index of the interval by whose end each interval's arrivals are due (-1: beyond).
    """

    agents: IntArray
    backlog: FloatArray
    on_time_share: FloatArray
    response_share: float
    occupancy: FloatArray
    deadline: IntArray = field(repr=False)


# --------------------------------------------------------------------------------------------
# Chat
# --------------------------------------------------------------------------------------------


def effective_chat_aht_s(aht_s: float, concurrency: int, slowdown: float) -> float:
    """Handle time of one chat when an agent runs ``concurrency`` chats at once.

    ``aht_s * (1 + slowdown * (concurrency - 1))``: with ``slowdown = 0.25`` three concurrent
    chats each take 1.5 times as long as a chat handled alone.

    Parameters
    ----------
    aht_s : float
        Handle time of a chat handled alone, in seconds.
    concurrency : int
        Chats handled at once (>= 1).
    slowdown : float
        Relative increase of the handle time per extra concurrent chat (>= 0).

    Returns
    -------
    float
    """
    return float(aht_s) * (1.0 + float(slowdown) * (int(concurrency) - 1))


@overload
def chat_required_agents(
    arrivals: float,
    aht_s: float,
    target_s: float,
    sl_target: float,
    concurrency: int,
    slowdown: float = ...,
    interval_s: float = ...,
    patience_s: float | None = ...,
    max_occupancy: float | None = ...,
    shrinkage: float = ...,
) -> int: ...
@overload
def chat_required_agents(
    arrivals: ArrayLike,
    aht_s: float,
    target_s: float,
    sl_target: float,
    concurrency: int,
    slowdown: float = ...,
    interval_s: float = ...,
    patience_s: float | None = ...,
    max_occupancy: float | None = ...,
    shrinkage: float = ...,
) -> IntArray: ...
def chat_required_agents(
    arrivals: ArrayLike,
    aht_s: float,
    target_s: float,
    sl_target: float,
    concurrency: int,
    slowdown: float = 0.0,
    interval_s: float = DEFAULT_INTERVAL_S,
    patience_s: float | None = None,
    max_occupancy: float | None = None,
    shrinkage: float = 0.0,
) -> int | IntArray:
    """Chat agents needed for a service level, each handling ``concurrency`` chats at once.

    Each agent is ``concurrency`` slots; each slot serves one chat at a time with handle time
    :func:`effective_chat_aht_s`.  The smallest number of slots meeting the target (Erlang C,
    or Erlang A with ``patience_s``) is rounded up to whole agents, then grossed up for
    shrinkage as ``ceil(agents / (1 - shrinkage))``.

    Parameters
    ----------
    arrivals : array_like
        Chats arriving per interval.
    aht_s : float
        Handle time of one chat handled alone, in seconds.
    target_s : float
        Service-level threshold in seconds.
    sl_target : float
        Share of chats to answer within ``target_s`` (below 1).
    concurrency : int
        Chats per agent at once (>= 1).
    slowdown : float, default 0
        Relative handle-time increase per extra concurrent chat.
    interval_s : float, default 900
    patience_s : float, optional
        Mean patience of chatters; given, Erlang A is used.
    max_occupancy : float, optional
        Ceiling on slot occupancy.
    shrinkage : float, default 0

    Returns
    -------
    int or numpy.ndarray of int64
        A scalar for scalar ``arrivals``.
    """
    target = ServiceTarget(
        aht_s=aht_s,
        sl_target=sl_target,
        target_s=target_s,
        patience_s=patience_s,
        concurrency=concurrency,
        slowdown=slowdown,
        shrinkage=shrinkage,
        max_occupancy=max_occupancy,
    )
    lam = erlang._arrivals(arrivals)
    result = staff_channel("chat", np.atleast_1d(lam).ravel(), target, interval_s=interval_s)
    agents = (result.scheduled_agents if shrinkage > 0 else result.raw_agents).reshape(lam.shape)
    return int(agents) if lam.ndim == 0 else agents


# --------------------------------------------------------------------------------------------
# Deferred work: e-mail and social
# --------------------------------------------------------------------------------------------


def _deadlines(open_mask: NDArray[np.bool_], window: int) -> tuple[IntArray, IntArray, IntArray]:
    """Per interval: index of its first open interval (in open-interval numbering), the last
    open index of its response window (clipped to the horizon), and the interval index of its
    deadline (-1 when the window runs past the last interval).
    """
    open_idx = np.flatnonzero(open_mask)
    count = open_idx.size
    # first open interval at or after each interval, numbered among open intervals
    first = np.searchsorted(open_idx, np.arange(open_mask.size), side="left").astype(np.int64)
    last = first + window - 1
    deadline = np.where(last < count, open_idx[np.minimum(last, count - 1)] if count else -1, -1)
    return first, np.minimum(last, count - 1), deadline.astype(np.int64)


def _simulate(
    arrivals: FloatArray, capacity: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """FIFO fluid queue on the interval grid.

    Arrivals of an interval join at its start; ``capacity`` contacts can be finished per
    interval.  Completions by the end of interval ``t`` are
    ``D[t] = min(A[t], D[t-1] + cap[t]) = C[t] + min(0, min_{s<=t} (A[s] - C[s]))`` with ``A``
    and ``C`` the running totals of arrivals and capacity; returns ``A``, ``D`` and
    ``A[t-1]`` (arrivals before interval ``t``).
    """
    cum_arrivals = np.cumsum(arrivals)
    cum_capacity = np.cumsum(capacity)
    slack = np.minimum.accumulate(cum_arrivals - cum_capacity)
    done = cum_capacity + np.minimum(slack, 0.0)
    before = np.concatenate([[0.0], cum_arrivals[:-1]])
    return cum_arrivals, done, before


def deferred_staffing(
    arrivals: ArrayLike,
    aht_s: float,
    response_time_s: float,
    response_share: float = 0.95,
    interval_s: float = DEFAULT_INTERVAL_S,
    open_mask: ArrayLike | None = None,
) -> DeferredPlan:
    """Staff per interval so that ``response_share`` of e-mails (or posts) is answered in time.

    See the module docstring for the model.  The plan starts from each contact's work spread
    evenly over the open intervals of its response window (everything in time) and multiplies
    it by the smallest factor in (0, 1] (to 1e-4) for which the simulated share answered in time
    still reaches ``response_share``; agents are rounded up per interval.

    Parameters
    ----------
    arrivals : array_like
        Contacts arriving per interval (1-D).
    aht_s : float
        Handle time per contact in seconds.
    response_time_s : float
        Response-time target in seconds of opening hours, at least one interval.
    response_share : float, default 0.95
        Share of contacts to answer within ``response_time_s``, in (0, 1].
    interval_s : float, default 900
    open_mask : array_like of bool, optional
        Intervals in which the channel is staffed (default: all).

    Returns
    -------
    DeferredPlan

    Raises
    ------
    StaffingInputError
        For invalid inputs, a response time shorter than an interval, or arrivals that can
        never be answered because no interval is open.
    """
    lam = np.asarray(erlang._arrivals(arrivals), dtype=np.float64)
    if lam.ndim != 1:
        raise _fail("arrivals must be a 1-D array of contacts per interval")
    aht = float(erlang._positive("aht_s", aht_s))
    interval = float(erlang._positive("interval_s", interval_s))
    response = float(erlang._positive("response_time_s", response_time_s))
    share = float(response_share)
    if not 0 < share <= 1:
        raise _fail(f"response_share must be in (0, 1], got {response_share}")
    if response < interval:
        raise _fail(
            f"response_time_s={response_time_s} is shorter than one interval ({interval} s): "
            "use the phone or chat model for targets in seconds or minutes"
        )
    mask = np.ones(lam.size, dtype=bool) if open_mask is None else np.asarray(open_mask, bool)
    if mask.shape != lam.shape:
        raise _fail(f"open_mask must have one entry per interval ({lam.size})")
    if lam.sum() > 0 and not mask.any():
        raise _fail("open_mask has no open interval: the contacts can never be answered")

    window = int(response // interval)
    first, last, deadline = _deadlines(mask, window)
    open_idx = np.flatnonzero(mask)
    # Work (agent-seconds) of each interval's arrivals spread evenly over its window.
    work = lam * aht
    reachable = first < open_idx.size
    spread = np.zeros(open_idx.size + 1)
    length = (last - first + 1).astype(np.float64)
    np.add.at(spread, first[reachable], work[reachable] / length[reachable])
    np.add.at(spread, last[reachable] + 1, -work[reachable] / length[reachable])
    full_plan = np.zeros(lam.size)
    full_plan[open_idx] = np.cumsum(spread)[:-1] / interval  # agents, fractional
    full_plan = np.maximum(full_plan, 0.0)

    due = deadline >= 0
    due_total = float(lam[due].sum())
    # Volumes below a billionth of a contact are rounding noise, not work to measure a share on.
    if due_total < 1e-9:
        due_total = 0.0

    def evaluate(scale: float) -> tuple[IntArray, FloatArray, FloatArray, FloatArray, float]:
        agents = np.ceil(full_plan * scale * (1.0 - _ROUND_RTOL)).astype(np.int64)
        capacity: FloatArray = agents.astype(np.float64) * (interval / aht)
        cum_arrivals, done, before = _simulate(lam, capacity)
        on_time = np.zeros(lam.size)
        on_time[due] = np.clip(done[deadline[due]] - before[due], 0.0, lam[due])
        achieved = float(on_time[due].sum()) / due_total if due_total > 0 else 1.0
        return agents, cum_arrivals - done, on_time, capacity, achieved

    # Smallest scale in (0, 1] that still answers `share` in time (monotone: more staff never
    # answers fewer contacts in time).  Without any contact due within the horizon there is
    # nothing to measure, and the fully-in-time plan is kept.
    low, high = 0.0, 1.0
    if due_total == 0:
        pass
    elif evaluate(0.0)[4] < share:
        while high - low > _SCALE_TOL:
            mid = 0.5 * (low + high)
            if evaluate(mid)[4] >= share:
                high = mid
            else:
                low = mid
    else:
        high = 0.0
    agents, backlog, on_time, capacity, achieved = evaluate(high)

    with np.errstate(divide="ignore", invalid="ignore"):
        on_time_share = np.where(lam > 0, on_time / lam, 1.0)
        handled = np.diff(np.concatenate([[0.0], np.cumsum(lam) - backlog]))
        occupancy = np.where(capacity > 0, np.minimum(handled / capacity, 1.0), 0.0)
    on_time_share[~due & (lam > 0)] = np.nan
    return DeferredPlan(
        agents=agents,
        backlog=np.maximum(backlog, 0.0),
        on_time_share=on_time_share,
        response_share=achieved,
        occupancy=occupancy,
        deadline=deadline,
    )


# --------------------------------------------------------------------------------------------
# The channel-level entry point
# --------------------------------------------------------------------------------------------


def staff_channel(
    kind: ChannelKind,
    arrivals: ArrayLike,
    target: ServiceTarget,
    *,
    interval_s: float = DEFAULT_INTERVAL_S,
    open_mask: ArrayLike | None = None,
) -> StaffingResult:
    """Required and scheduled agents per interval for one channel.

    Parameters
    ----------
    kind : {"phone", "chat", "email", "social"}
        Phone and chat are queues answered live (Erlang C, or Erlang A with
        ``target.patience_s``; chat with concurrency); e-mail and social are deferred work.
    arrivals : array_like
        Forecast contacts per interval (1-D, usually 15-minute intervals).
    target : ServiceTarget
        Service target and handle time; see :class:`ServiceTarget` for the fields each
        channel uses.
    interval_s : float, default 900
    open_mask : array_like of bool, optional
        Intervals in which the channel is open (default: all).  Closed intervals get no
        staff; for e-mail and social they also do not count towards the response time.

    Returns
    -------
    StaffingResult

    Raises
    ------
    StaffingInputError
        With a message naming the offending parameter: unknown ``kind``, negative or NaN
        arrivals, ``aht_s <= 0``, ``target_s < 0``, ``sl_target >= 1``, ``shrinkage >= 1``, a
        deferred channel without ``response_time_s``, concurrency on a phone queue, ...
    """
    if kind not in CHANNEL_KINDS:
        raise _fail(f"kind must be one of {', '.join(CHANNEL_KINDS)}, got {kind!r}")
    lam = erlang._arrivals(arrivals)
    if lam.ndim != 1:
        raise _fail("arrivals must be a 1-D array of contacts per interval")
    interval = float(erlang._positive("interval_s", interval_s))
    mask = np.ones(lam.size, dtype=bool) if open_mask is None else np.asarray(open_mask, bool)
    if mask.shape != lam.shape:
        raise _fail(f"open_mask must have one entry per interval ({lam.size})")

    if kind in _LIVE:
        return _staff_live(kind, lam, target, interval, mask)
    return _staff_deferred(kind, lam, target, interval, mask)


def _staff_live(
    kind: ChannelKind,
    lam: FloatArray,
    target: ServiceTarget,
    interval: float,
    mask: NDArray[np.bool_],
) -> StaffingResult:
    if kind == "phone" and target.concurrency != 1:
        raise _fail("concurrency applies to chat only; a phone agent handles one call at a time")
    k = int(target.concurrency) if kind == "chat" else 1
    aht = effective_chat_aht_s(target.aht_s, k, target.slowdown) if kind == "chat" else target.aht_s
    open_lam = np.where(mask, lam, 0.0)
    if target.patience_s is None:
        model = "erlang_c"
        slots = erlang.required_agents(
            open_lam, aht, target.target_s, target.sl_target, interval, target.max_occupancy
        )
    else:
        model = "erlang_a"
        slots = erlang_a.required_agents(
            open_lam,
            aht,
            target.target_s,
            target.sl_target,
            target.patience_s,
            interval,
            max_abandon=target.max_abandon,
            max_occupancy=target.max_occupancy,
        )
    raw = -(-slots // k)  # whole agents
    capacity = raw * k  # slots of the rounded-up agents
    if target.patience_s is None:
        sl = erlang.service_level(open_lam, aht, capacity, target.target_s, interval)
        occ = erlang.occupancy(open_lam, aht, capacity, interval)
        asa = erlang.asa_s(open_lam, aht, capacity, interval)
        abandon = np.zeros(lam.size)
    else:
        patience = target.patience_s
        sl = erlang_a.service_level(open_lam, aht, capacity, target.target_s, patience, interval)
        occ = erlang_a.occupancy(open_lam, aht, capacity, patience, interval)
        asa = erlang_a.asa_s(open_lam, aht, capacity, patience, interval)
        abandon = erlang_a.abandon_rate(open_lam, aht, capacity, patience, interval)
    closed = ~mask
    sl = np.where(closed, np.nan, sl)
    asa = np.where(closed, np.nan, asa)
    return StaffingResult(
        kind=kind,
        model=model,
        interval_s=interval,
        arrivals=lam,
        raw_agents=raw.astype(np.int64),
        scheduled_agents=scheduled_agents(raw, target.shrinkage),
        service_level=sl,
        occupancy=occ,
        abandon_rate=abandon,
        asa_s=asa,
        backlog=np.zeros(lam.size),
    )


def _staff_deferred(
    kind: ChannelKind,
    lam: FloatArray,
    target: ServiceTarget,
    interval: float,
    mask: NDArray[np.bool_],
) -> StaffingResult:
    if target.response_time_s is None:
        raise _fail(f"response_time_s is required for {kind} (e.g. 86400 for 24 hours)")
    if target.concurrency != 1:
        raise _fail("concurrency applies to chat only")
    plan = deferred_staffing(
        lam,
        target.aht_s,
        target.response_time_s,
        target.response_share,
        interval,
        mask,
    )
    nan = np.full(lam.size, np.nan)
    return StaffingResult(
        kind=kind,
        model="deferred_fifo",
        interval_s=interval,
        arrivals=lam,
        raw_agents=plan.agents,
        scheduled_agents=scheduled_agents(plan.agents, target.shrinkage),
        service_level=plan.on_time_share,
        occupancy=plan.occupancy,
        abandon_rate=np.zeros(lam.size),
        asa_s=nan,
        backlog=plan.backlog,
        response_share=plan.response_share,
    )
