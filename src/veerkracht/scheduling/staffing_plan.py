"""Staffing per channel per 15-minute interval: a thin adapter between stored forecasts and the
pure planning core (`veerkracht.planning.staffing.staff_channel`, which uses `erlang` and
`erlang_a`).

No Django here (plain data in, NumPy out), so the same functions serve the pages, the API, the
CSV export and the what-if. What the adapter adds:

- `TargetParams`: a ServiceTarget row as plain numbers, turned into the core's ServiceTarget;
- the grid: live channels (phone, chat) are staffed in the forecast's open intervals; deferred
  channels (e-mail, social) on the contiguous grid, open in their handling hours (the core counts
  the response time in those hours only, like the KPI "first responses within X business hours");
- `outcome_with_agents`: the service level with a *given* number of agents per interval, for the
  what-if. Live channels call the core's public Erlang C/A functions; for deferred channels the
  core has no public function yet, so `_deferred_outcome` repeats its FIFO model (same deadlines,
  same fluid queue; see planning/staffing.py `deferred_staffing`). A test checks that both agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from veerkracht.planning import erlang, erlang_a, staffing
from veerkracht.planning.calendar import INTERVAL_S, local_parts
from veerkracht.planning.erlang import StaffingInputError

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

DEFERRED = frozenset({"email", "social"})
HOURS_PER_INTERVAL = INTERVAL_S / 3600.0

__all__ = [
    "ChannelPlan",
    "StaffingInputError",
    "TargetParams",
    "outcome_with_agents",
    "plan_channel",
    "spread_agent_hours",
    "weighted_mean",
]


@dataclass(frozen=True)
class TargetParams:
    """The service target of one channel, as plain numbers."""

    channel: str
    sl_target: float = 0.8
    target_s: float = 20.0
    aht_s: float = 300.0
    patience_s: float | None = None
    max_occupancy: float | None = None
    shrinkage: float = 0.3
    concurrency: int = 1
    concurrency_slowdown: float = 0.0
    response_time_h: float | None = None
    response_share: float | None = None
    handling_from_min: int = 8 * 60
    handling_until_min: int = 20 * 60
    handling_days: tuple[int, ...] = (0, 1, 2, 3, 4, 5)

    @property
    def deferred(self) -> bool:
        return self.channel in DEFERRED

    @classmethod
    def from_target(cls, target: Any) -> TargetParams:
        """From a ServiceTarget row (or anything with the same attributes)."""

        def minutes(t: Any) -> int:
            return int(t.hour) * 60 + int(t.minute)

        until = minutes(target.handling_until)
        return cls(
            channel=target.channel,
            sl_target=float(target.sl_target),
            target_s=float(target.target_s),
            aht_s=float(target.aht_s),
            patience_s=float(target.patience_s) if target.patience_s else None,
            max_occupancy=float(target.max_occupancy) if target.max_occupancy else None,
            shrinkage=float(target.shrinkage),
            concurrency=int(target.concurrency or 1),
            concurrency_slowdown=float(target.concurrency_slowdown or 0.0),
            response_time_h=float(target.response_time_h) if target.response_time_h else None,
            response_share=float(target.response_share)
            if target.response_share is not None
            else None,
            handling_from_min=minutes(target.handling_from),
            handling_until_min=until if until > 0 else 24 * 60,  # 00:00 as "until" = midnight
            handling_days=tuple(int(d) for d in (target.handling_days or [])),
        )

    def core(self) -> staffing.ServiceTarget:
        """The core's ServiceTarget; raises StaffingInputError naming a refused parameter."""
        if self.deferred:
            return staffing.ServiceTarget(
                aht_s=self.aht_s,
                response_time_s=None
                if self.response_time_h is None
                else self.response_time_h * 3600.0,
                response_share=self.response_share if self.response_share is not None else 0.95,
                shrinkage=self.shrinkage,
            )
        return staffing.ServiceTarget(
            aht_s=self.aht_s,
            sl_target=self.sl_target,
            target_s=self.target_s,
            patience_s=self.patience_s,
            concurrency=self.concurrency if self.channel == "chat" else 1,
            slowdown=self.concurrency_slowdown if self.channel == "chat" else 0.0,
            shrinkage=self.shrinkage,
            max_occupancy=self.max_occupancy,
        )

    def check(self) -> None:
        """Let the core judge the figures on a small sample; StaffingInputError names the field."""
        if self.deferred:
            if not self.handling_days or self.handling_until_min <= self.handling_from_min:
                raise StaffingInputError("handling hours must contain at least one open period")
            staffing.staff_channel(self.channel, np.array([5.0, 5.0, 0.0, 5.0] * 24), self.core())  # type: ignore[arg-type]
            return
        staffing.staff_channel(self.channel, np.array([20.0, 200.0]), self.core())  # type: ignore[arg-type]


@dataclass(frozen=True)
class ChannelPlan:
    """Staffing of one channel on its grid (see the module docstring)."""

    channel: str
    start_utc_s: IntArray
    contacts: FloatArray
    open: NDArray[np.bool_]  # agents work in this interval
    raw_agents: IntArray
    scheduled_agents: IntArray
    service_level: (
        FloatArray  # live: SL in the interval; deferred: share of its arrivals answered in time
    )
    backlog: FloatArray | None  # deferred: contacts waiting at the end of the interval
    deferred: bool
    model: str = ""
    response_share: float | None = None  # deferred: share due within the horizon answered in time


def handling_mask(params: TargetParams, start_utc_s: IntArray) -> NDArray[np.bool_]:
    """Intervals within the handling days and hours (local time) of a deferred channel."""
    epoch_day, slot, _fold = local_parts(start_utc_s)
    weekday = (epoch_day + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    minute = slot * 15
    in_days = np.isin(weekday, np.array(params.handling_days, dtype=np.int64))
    return np.asarray(
        in_days & (minute >= params.handling_from_min) & (minute < params.handling_until_min)
    )


def contiguous(start_utc_s: IntArray, contacts: FloatArray) -> tuple[IntArray, FloatArray]:
    """Put open intervals on a contiguous grid (closed intervals get 0 contacts)."""
    starts = np.asarray(start_utc_s, dtype=np.int64)
    values = np.asarray(contacts, dtype=np.float64)
    if starts.size == 0:
        return starts, values
    grid = np.arange(int(starts[0]), int(starts[-1]) + INTERVAL_S, INTERVAL_S, dtype=np.int64)
    out = np.zeros(grid.size)
    out[(starts - starts[0]) // INTERVAL_S] = values
    return grid, out


def plan_channel(params: TargetParams, start_utc_s: IntArray, contacts: FloatArray) -> ChannelPlan:
    """Required and scheduled agents, service level and backlog for one channel.

    `start_utc_s`/`contacts` are the forecast's open intervals of the channel.
    """
    starts = np.asarray(start_utc_s, dtype=np.int64)
    values = np.maximum(np.asarray(contacts, dtype=np.float64), 0.0)
    target = params.core()
    if params.deferred:
        starts, values = contiguous(starts, values)
        mask = handling_mask(params, starts)
    else:
        mask = np.ones(starts.size, dtype=bool)
    result = staffing.staff_channel(
        params.channel, values, target, interval_s=float(INTERVAL_S), open_mask=mask
    )  # type: ignore[arg-type]
    return ChannelPlan(
        channel=params.channel,
        start_utc_s=starts,
        contacts=values,
        open=mask,
        raw_agents=np.asarray(result.raw_agents, dtype=np.int64),
        scheduled_agents=np.asarray(result.scheduled_agents, dtype=np.int64),
        service_level=np.asarray(result.service_level, dtype=np.float64),
        backlog=np.asarray(result.backlog, dtype=np.float64) if params.deferred else None,
        deferred=params.deferred,
        model=result.model,
        response_share=result.response_share,
    )


# --- outcome with a given staffing (the what-if) --------------------------------------------------


def _live_service_level(params: TargetParams, contacts: FloatArray, agents: IntArray) -> FloatArray:
    k = params.concurrency if params.channel == "chat" else 1
    aht = (
        staffing.effective_chat_aht_s(params.aht_s, k, params.concurrency_slowdown)
        if k > 1
        else params.aht_s
    )
    slots = np.asarray(agents, dtype=np.float64) * k
    if params.patience_s:
        sl = erlang_a.service_level(
            contacts, aht, slots, params.target_s, params.patience_s, float(INTERVAL_S)
        )
    else:
        sl = erlang.service_level(contacts, aht, slots, params.target_s, float(INTERVAL_S))
    return np.asarray(sl, dtype=np.float64)


def _deferred_outcome(
    params: TargetParams, contacts: FloatArray, agents: IntArray, open_mask: NDArray[np.bool_]
) -> tuple[FloatArray, FloatArray]:
    """Share of each interval's arrivals answered within the response time, and the backlog at
    the end of each interval, when `agents` work the open intervals first-in-first-out.

    The model of planning/staffing.py `deferred_staffing`: arrivals join at the start of their
    interval and are due by the end of the W-th open interval counted from there
    (W = response time ÷ 15 min); NaN when that lies beyond the grid.
    """
    lam = np.asarray(contacts, dtype=np.float64)
    window = max(1, int((params.response_time_h or 24.0) * 3600.0 // INTERVAL_S))
    open_idx = np.flatnonzero(open_mask)
    first = np.searchsorted(open_idx, np.arange(lam.size), side="left")
    last = first + window - 1
    deadline = np.where(
        last < open_idx.size,
        open_idx[np.minimum(last, max(open_idx.size - 1, 0))] if open_idx.size else -1,
        -1,
    )
    capacity = np.where(open_mask, np.asarray(agents, dtype=np.float64), 0.0) * (
        INTERVAL_S / params.aht_s
    )
    cum_arrivals = np.cumsum(lam)
    cum_capacity = np.cumsum(capacity)
    done = cum_capacity + np.minimum(np.minimum.accumulate(cum_arrivals - cum_capacity), 0.0)
    before = np.concatenate([[0.0], cum_arrivals[:-1]])
    due = deadline >= 0
    on_time = np.zeros(lam.size)
    on_time[due] = np.clip(done[deadline[due]] - before[due], 0.0, lam[due])
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(lam > 0, on_time / lam, 1.0)
    share[~due & (lam > 0)] = np.nan
    return share, np.maximum(cum_arrivals - done, 0.0)


def outcome_with_agents(
    params: TargetParams, plan: ChannelPlan, agents: IntArray
) -> tuple[FloatArray, FloatArray | None]:
    """Service level per interval (and backlog, deferred) when `agents` work the plan's intervals."""
    agents = np.asarray(agents, dtype=np.int64)
    if params.deferred:
        return _deferred_outcome(params, plan.contacts, agents, plan.open)
    return _live_service_level(params, plan.contacts, agents), None


def spread_agent_hours(hours: float, weights: FloatArray, open_: NDArray[np.bool_]) -> IntArray:
    """Whole agents per interval whose total is `hours` of work, spread over the open intervals in
    proportion to `weights` (largest remainders get the leftover agents)."""
    w = np.where(open_, np.maximum(np.asarray(weights, dtype=np.float64), 0.0), 0.0)
    slots = int(round(max(hours, 0.0) / HOURS_PER_INTERVAL))
    out = np.zeros(w.size, dtype=np.int64)
    if slots <= 0 or w.size == 0:
        return out
    if w.sum() <= 0:
        w = open_.astype(np.float64)
        if w.sum() <= 0:
            return out
    exact = w / w.sum() * slots
    out = np.floor(exact).astype(np.int64)
    left = slots - int(out.sum())
    if left > 0:
        order = np.argsort(-(exact - out), kind="stable")
        out[order[:left]] += 1
    return out


def weighted_mean(values: FloatArray, weights: FloatArray) -> float | None:
    """Mean of `values` weighted by `weights`, ignoring NaN; None without weight."""
    values = np.asarray(values, dtype=np.float64)
    weights = np.asarray(weights, dtype=np.float64)
    ok = ~np.isnan(values)
    total = float(weights[ok].sum())
    if total <= 0:
        return None
    return float((values[ok] * weights[ok]).sum() / total)
