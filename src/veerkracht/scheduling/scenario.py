"""The surge what-if: what if contacts per day go from X to Y, and N agents move between channels?

Assumptions (also in docs/planning-ui.md, and shown on the page):

1. The base plan is the forecast for one week; the surge multiplies the forecast contacts of the
   affected channels by Y / X (or the factor), in every interval alike.
2. Needed hours are the *scheduled* agent-hours (raw Erlang requirement grossed up for shrinkage).
3. Available hours of a channel: agents × contract hours per week, laid out over the week's days
   in proportion to the base plan's needs (the roster follows the base forecast, not the surge).
   One agent-day is (hours per week ÷ 5) hours.
4. Within a day, the productive part of those hours (× (1 − shrinkage)) is spread over the open
   intervals in proportion to demand (the required agents of that plan), as whole agents.
5. Service level is then Erlang C (A with patience; chat on concurrent slots) per interval,
   weighted by contacts over the day; for e-mail and social the share answered within the
   response time from the first-in-first-out backlog (empty at the start of the week, two more
   forecast days are simulated so the week's last arrivals have an outcome).
6. Moved agents leave the first channel's hours and join the second's, all week.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

from veerkracht.people.models import Channel
from veerkracht.planning.calendar import local_midnight_utc_s

from . import selectors
from .models import Forecast
from .staffing_plan import (
    HOURS_PER_INTERVAL,
    ChannelPlan,
    TargetParams,
    outcome_with_agents,
    plan_channel,
    spread_agent_hours,
    weighted_mean,
)

PAD_DAYS = 2


@dataclass(frozen=True)
class Capacity:
    """Agents per channel from people's contracts.

    Someone trained on several channels is divided over them in proportion to how much each
    channel needs per trained hour (`need`), so shared people go where the work is; without
    needs, evenly. Nobody is counted twice.
    """

    heads: dict[str, float]
    hours: dict[str, float]
    trained: dict[str, int]
    hours_per_week: float


def capacity_from_people(employees: Any, need: dict[str, float] | None = None) -> Capacity:
    people = [
        (float(hours), [c for c in (channels or []) if c in Channel.values])
        for hours, channels in employees.values_list("contract_hours", "channels")
    ]
    people = [(h, chans) for h, chans in people if chans]
    supply = {c: sum(h for h, chans in people if c in chans) for c in Channel.values}
    pressure = {
        c: ((need or {}).get(c, 0.0) / supply[c] if need and supply[c] > 0 else 1.0)
        for c in Channel.values
    }
    heads = {c: 0.0 for c in Channel.values}
    hours = {c: 0.0 for c in Channel.values}
    trained = {c: 0 for c in Channel.values}
    for contract_hours, chans in people:
        weights = {c: pressure[c] for c in chans}
        total = sum(weights.values())
        for c in chans:
            share = weights[c] / total if total > 0 else 1.0 / len(chans)
            heads[c] += share
            hours[c] += contract_hours * share
            trained[c] += 1
    total_hours = sum(h for h, _chans in people)
    return Capacity(heads, hours, trained, round(total_hours / len(people), 1) if people else 36.0)


def week_need(plans: dict[str, ChannelPlan], week: list[date]) -> dict[str, float]:
    """Scheduled agent-hours per channel in the week (the base plan)."""
    if not week:
        return {}
    out = {}
    for channel, plan in plans.items():
        idx = selectors.day_index(plan.start_utc_s, week[0])
        mask = (idx >= 0) & (idx < len(week))
        out[channel] = float(plan.scheduled_agents[mask].sum()) * HOURS_PER_INTERVAL
    return out


@dataclass
class DayRow:
    day: date
    contacts_base: float = 0.0
    contacts_surge: float = 0.0
    hours_base: float = 0.0
    hours_surge: float = 0.0
    agents_needed_base: float = 0.0
    agents_needed_surge: float = 0.0
    hours_available: float = 0.0
    hours_available_moved: float = 0.0
    agents_available_moved: float = 0.0
    gap_hours: float = 0.0  # after the move, in the surge
    gap_base_hours: float = 0.0
    gap_surge_hours: float = 0.0  # before the move
    sl_base: float | None = None
    sl_surge: float | None = None
    sl_moved: float | None = None


@dataclass
class ChannelScenario:
    channel: str
    label: str
    deferred: bool
    target_label: str
    agents: int
    agents_moved: int
    rows: list[DayRow] = field(default_factory=list)
    total: DayRow | None = None


@dataclass
class ScenarioResult:
    days: list[date]
    factor: float
    affected: list[str]
    hours_per_week: float
    move_agents: int
    move_from: str
    move_to: str
    channels: list[ChannelScenario]


def _window(
    result: selectors.ChannelResult, first: date, last: date
) -> tuple[np.ndarray, np.ndarray]:
    lo = local_midnight_utc_s(first)
    hi = local_midnight_utc_s(last + timedelta(days=1))
    keep = (result.start_utc_s >= lo) & (result.start_utc_s < hi)
    return result.start_utc_s[keep], result.contacts[keep]


def _day_masks(plan: ChannelPlan, days: list[date]) -> list[np.ndarray]:
    idx = selectors.day_index(plan.start_utc_s, days[0])
    return [idx == i for i in range(len(days))]


def _spread_week(
    params: TargetParams, plan: ChannelPlan, masks: list[np.ndarray], paid_hours: list[float]
) -> np.ndarray:
    """Agents per interval over the window: each day's productive hours spread by demand."""
    agents = np.zeros(plan.start_utc_s.size, dtype=np.int64)
    for mask, hours in zip(masks, paid_hours, strict=False):
        productive = hours * (1.0 - params.shrinkage)
        agents[mask] = spread_agent_hours(
            productive, plan.raw_agents[mask].astype(float), plan.open[mask]
        )
    return agents


def _day_sl(plan: ChannelPlan, sl: np.ndarray, mask: np.ndarray) -> float | None:
    return weighted_mean(sl[mask], plan.contacts[mask])


def _target_label(params: TargetParams) -> str:
    if params.deferred:
        return f"{round((params.response_share or 0) * 100)}% ≤ {params.response_time_h:g} h"
    return f"{round(params.sl_target * 100)}% ≤ {params.target_s:g} s"


def run_scenario(
    *,
    forecast: Forecast,
    params: dict[str, TargetParams],
    week: list[date],
    factor: float,
    affected: set[str],
    agents: dict[str, int],
    hours_per_week: float,
    move_agents: int,
    move_from: str,
    move_to: str,
) -> ScenarioResult:
    all_days = selectors.forecast_days(forecast)
    pad = [d for d in all_days if week and week[-1] < d <= week[-1] + timedelta(days=PAD_DAYS)]
    window = week + pad
    labels = dict(Channel.choices)
    agent_day_h = hours_per_week / 5.0
    out: list[ChannelScenario] = []
    for channel in [c for c in Channel.values if c in forecast.channels]:
        result = selectors.channel_result(forecast, channel)
        if result is None or not week:
            continue
        p = params[channel]
        starts, contacts = _window(result, window[0], window[-1])
        if starts.size == 0:
            continue
        base = plan_channel(p, starts, contacts)
        surge = plan_channel(p, starts, contacts * factor) if channel in affected else base
        masks = _day_masks(base, window)
        surge_masks = _day_masks(surge, window)
        moved = agents.get(channel, 0)
        if move_agents and channel == move_from:
            moved = max(0, moved - move_agents)
        elif move_agents and channel == move_to:
            moved = moved + move_agents
        # The roster follows the base plan: weekly hours laid out over the days by base needs.
        base_need = [float(base.scheduled_agents[m].sum()) * HOURS_PER_INTERVAL for m in masks]
        week_need = sum(base_need[: len(week)])
        share = [
            (n / week_need if week_need > 0 else 1.0 / len(week))
            if i < len(week)
            else (base_need[i] / week_need if week_need > 0 else 0.0)
            for i, n in enumerate(base_need)
        ]
        # A short week (the forecast ends) gets its part of the weekly hours.
        week_hours = agents.get(channel, 0) * hours_per_week * len(week) / 7.0
        week_hours_moved = moved * hours_per_week * len(week) / 7.0
        paid = [week_hours * s for s in share]
        paid_moved = [week_hours_moved * s for s in share]
        sl_base, _b = outcome_with_agents(p, base, _spread_week(p, base, masks, paid))
        sl_surge, _s = outcome_with_agents(p, surge, _spread_week(p, surge, surge_masks, paid))
        sl_moved, _m = outcome_with_agents(
            p, surge, _spread_week(p, surge, surge_masks, paid_moved)
        )
        rows = []
        for i, day in enumerate(week):
            m, sm = masks[i], surge_masks[i]
            hours_base = base_need[i]
            hours_surge = float(surge.scheduled_agents[sm].sum()) * HOURS_PER_INTERVAL
            rows.append(
                DayRow(
                    day=day,
                    contacts_base=float(base.contacts[m].sum()),
                    contacts_surge=float(surge.contacts[sm].sum()),
                    hours_base=hours_base,
                    hours_surge=hours_surge,
                    agents_needed_base=hours_base / agent_day_h,
                    agents_needed_surge=hours_surge / agent_day_h,
                    hours_available=paid[i],
                    hours_available_moved=paid_moved[i],
                    agents_available_moved=paid_moved[i] / agent_day_h,
                    gap_hours=paid_moved[i] - hours_surge,
                    gap_base_hours=paid[i] - hours_base,
                    gap_surge_hours=paid[i] - hours_surge,
                    sl_base=_day_sl(base, sl_base, m),
                    sl_surge=_day_sl(surge, sl_surge, sm),
                    sl_moved=_day_sl(surge, sl_moved, sm),
                )
            )
        week_mask = np.zeros(base.start_utc_s.size, dtype=bool)
        week_surge_mask = np.zeros(surge.start_utc_s.size, dtype=bool)
        for i in range(len(week)):
            week_mask |= masks[i]
            week_surge_mask |= surge_masks[i]
        total = DayRow(
            day=week[0],
            contacts_base=sum(r.contacts_base for r in rows),
            contacts_surge=sum(r.contacts_surge for r in rows),
            hours_base=sum(r.hours_base for r in rows),
            hours_surge=sum(r.hours_surge for r in rows),
            agents_needed_base=sum(r.hours_base for r in rows) / hours_per_week,
            agents_needed_surge=sum(r.hours_surge for r in rows) / hours_per_week,
            hours_available=sum(r.hours_available for r in rows),
            hours_available_moved=sum(r.hours_available_moved for r in rows),
            agents_available_moved=float(moved),
            gap_hours=sum(r.gap_hours for r in rows),
            gap_base_hours=sum(r.gap_base_hours for r in rows),
            gap_surge_hours=sum(r.gap_surge_hours for r in rows),
            sl_base=_day_sl(base, sl_base, week_mask),
            sl_surge=_day_sl(surge, sl_surge, week_surge_mask),
            sl_moved=_day_sl(surge, sl_moved, week_surge_mask),
        )
        out.append(
            ChannelScenario(
                channel=channel,
                label=str(labels[channel]),
                deferred=p.deferred,
                target_label=_target_label(p),
                agents=agents.get(channel, 0),
                agents_moved=moved,
                rows=rows,
                total=total,
            )
        )
    return ScenarioResult(
        days=week,
        factor=factor,
        affected=sorted(affected, key=Channel.values.index),
        hours_per_week=hours_per_week,
        move_agents=move_agents,
        move_from=move_from,
        move_to=move_to,
        channels=out,
    )
