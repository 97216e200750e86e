"""Reads of planning data. Every function takes the organisation that `people.access` gave the
caller (or a forecast loaded through `access.get_forecast_for`), never a bare id from a request."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db.models import Count, Max, Min, Sum

from veerkracht.people.models import Channel, Organisation
from veerkracht.planning.calendar import (
    date_to_epoch_day,
    epoch_day_to_date,
    local_midnight_utc_s,
    local_parts,
)
from veerkracht.planning.history import ChannelSeries, History

from .models import ContactVolume, Forecast, ServiceTarget
from .staffing_plan import ChannelPlan, TargetParams, plan_channel


def _epoch_s(moment: datetime) -> int:
    return int(moment.timestamp())


def channels_with_history(organisation: Organisation) -> set[str]:
    return set(
        ContactVolume.objects.filter(organisation=organisation)
        .values_list("channel", flat=True)
        .distinct()
    )


@dataclass(frozen=True)
class ChannelHistorySummary:
    channel: str
    label: str
    first: datetime
    last: datetime
    intervals: int
    contacts: float


def history_summary(organisation: Organisation) -> list[ChannelHistorySummary]:
    """Per channel: first and last interval, number of intervals and contacts (one query)."""
    rows = (
        ContactVolume.objects.filter(organisation=organisation)
        .values("channel")
        .annotate(
            first=Min("start"), last=Max("start"), intervals=Count("pk"), contacts=Sum("contacts")
        )
    )
    labels = dict(Channel.choices)
    by_channel = {r["channel"]: r for r in rows}
    return [
        ChannelHistorySummary(
            channel=c,
            label=str(labels[c]),
            first=by_channel[c]["first"],
            last=by_channel[c]["last"],
            intervals=by_channel[c]["intervals"],
            contacts=float(by_channel[c]["contacts"] or 0.0),
        )
        for c in Channel.values
        if c in by_channel
    ]


def load_history(organisation: Organisation, channels: Iterable[str]) -> History | None:
    """The stored history of the channels as the planning core's History (None without data)."""
    series = []
    for channel in [c for c in Channel.values if c in set(channels)]:
        rows = list(
            ContactVolume.objects.filter(organisation=organisation, channel=channel)
            .order_by("start")
            .values_list("start", "contacts", "aht_s")
        )
        if not rows:
            continue
        starts = np.fromiter((_epoch_s(r[0]) for r in rows), dtype=np.int64, count=len(rows))
        contacts = np.fromiter((r[1] for r in rows), dtype=np.float64, count=len(rows))
        aht = np.fromiter(
            (np.nan if r[2] is None else r[2] for r in rows), dtype=np.float64, count=len(rows)
        )
        series.append(ChannelSeries(channel, starts, contacts, aht))
    return History.of(*series) if series else None


def daily_totals(
    organisation: Organisation, channels: Iterable[str], first_day: date, last_day: date
) -> dict[str, dict[str, Any]]:
    """Contacts per local day per channel between two days (inclusive). Days without any
    interval (closed) are None, so charts show a gap instead of a misleading zero."""
    lo = datetime.fromtimestamp(local_midnight_utc_s(first_day), UTC)
    hi = datetime.fromtimestamp(local_midnight_utc_s(last_day + timedelta(days=1)), UTC)
    n_days = (last_day - first_day).days + 1
    days = [first_day + timedelta(days=i) for i in range(n_days)]
    wanted = [c for c in Channel.values if c in set(channels)]
    out: dict[str, dict[str, Any]] = {c: {"days": days, "totals": [None] * n_days} for c in wanted}
    rows = list(
        ContactVolume.objects.filter(
            organisation=organisation, channel__in=wanted, start__gte=lo, start__lt=hi
        ).values_list("channel", "start", "contacts")
    )
    if not rows:
        return out
    starts = np.fromiter((_epoch_s(r[1]) for r in rows), dtype=np.int64, count=len(rows))
    epoch_day, _slot, _fold = local_parts(starts)
    index = epoch_day - date_to_epoch_day(first_day)
    channel_of = np.array([r[0] for r in rows])
    contacts = np.fromiter((r[2] for r in rows), dtype=np.float64, count=len(rows))
    for c in wanted:
        mask = channel_of == c
        if not mask.any():
            continue
        sums = np.bincount(index[mask], weights=contacts[mask], minlength=n_days)
        present = np.bincount(index[mask], minlength=n_days) > 0
        out[c]["totals"] = [
            round(float(s), 1) if p else None for s, p in zip(sums, present, strict=True)
        ]
    return out


def latest_finished_forecast(organisation: Organisation) -> Forecast | None:
    return (
        Forecast.objects.filter(organisation=organisation, status="succeeded")
        .order_by("-finished_at", "-pk")
        .first()
    )


# --- Forecast results as arrays -----------------------------------------------------------------


@dataclass(frozen=True)
class ChannelResult:
    channel: str
    start_utc_s: np.ndarray
    contacts: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    unadjusted: np.ndarray
    daily: dict[str, list[float]]


def channel_result(forecast: Forecast, channel: str) -> ChannelResult | None:
    data = forecast.result_for(channel)
    if data is None:
        return None
    return ChannelResult(
        channel=channel,
        start_utc_s=np.asarray(data["start"], dtype=np.int64),
        contacts=np.asarray(data["contacts"], dtype=np.float64),
        lower=np.asarray(data["lower"], dtype=np.float64),
        upper=np.asarray(data["upper"], dtype=np.float64),
        unadjusted=np.asarray(data["unadjusted"], dtype=np.float64),
        daily=data["daily"],
    )


def forecast_days(forecast: Forecast) -> list[date]:
    if not forecast.result:
        return []
    return [date.fromisoformat(d) for d in forecast.result.get("days", [])]


def day_slice(start_utc_s: np.ndarray, day: date) -> slice:
    """Index range of the intervals of one local day in a sorted array of UTC starts."""
    lo = local_midnight_utc_s(day)
    hi = local_midnight_utc_s(day + timedelta(days=1))
    return slice(int(np.searchsorted(start_utc_s, lo)), int(np.searchsorted(start_utc_s, hi)))


def day_index(start_utc_s: np.ndarray, first_day: date) -> np.ndarray:
    epoch_day, _slot, _fold = local_parts(np.asarray(start_utc_s, dtype=np.int64))
    return np.asarray(epoch_day - date_to_epoch_day(first_day), dtype=np.int64)


def local_day(utc_s: int) -> date:
    epoch_day, _slot, _fold = local_parts(np.array([utc_s], dtype=np.int64))
    return epoch_day_to_date(int(epoch_day[0]))


# --- Staffing ------------------------------------------------------------------------------------


def target_params(organisation: Organisation) -> dict[str, TargetParams]:
    from .services import ensure_service_targets

    return {c: TargetParams.from_target(t) for c, t in ensure_service_targets(organisation).items()}


def _targets_version(organisation: Organisation) -> str:
    latest = ServiceTarget.objects.filter(organisation=organisation).aggregate(m=Max("updated_at"))[
        "m"
    ]
    return latest.isoformat() if latest else "none"


def staffing_plans(
    forecast: Forecast, channels: Iterable[str] | None = None
) -> dict[str, ChannelPlan]:
    """Staffing per channel for a finished forecast with the organisation's current targets.

    Cached per forecast and targets version (a change of targets gives new figures at once).
    """
    wanted = [c for c in forecast.channels if channels is None or c in set(channels)]
    key = f"scheduling:staffing:{forecast.pk}:{_targets_version(forecast.organisation)}:{','.join(wanted)}"
    cached = cache.get(key)
    if cached is not None:
        return dict(cached)
    params = target_params(forecast.organisation)
    plans: dict[str, ChannelPlan] = {}
    for channel in wanted:
        result = channel_result(forecast, channel)
        if result is None:
            continue
        plans[channel] = plan_channel(params[channel], result.start_utc_s, result.contacts)
    cache.set(key, plans, 600)
    return plans


@dataclass(frozen=True)
class DayStaffing:
    day: date
    contacts: float
    required_hours: float
    scheduled_hours: float
    fte: float
    peak_raw: int
    peak_scheduled: int
    service_level: float | None
    backlog_end: float | None


FULL_TIME_WEEK_H = 36.0  # documented in docs/planning-ui.md: FTE = hours ÷ (36 h ÷ 5 days) per day


def per_day(plan: ChannelPlan, days: list[date]) -> list[DayStaffing]:
    """Per local day: contacts, required (raw) and scheduled agent-hours, FTE, peaks, SL, backlog."""
    from .staffing_plan import HOURS_PER_INTERVAL, weighted_mean

    if not days:
        return []
    idx = day_index(plan.start_utc_s, days[0])
    out = []
    for i, d in enumerate(days):
        mask = idx == i
        if not mask.any():
            out.append(DayStaffing(d, 0.0, 0.0, 0.0, 0.0, 0, 0, None, None))
            continue
        scheduled_hours = float(plan.scheduled_agents[mask].sum()) * HOURS_PER_INTERVAL
        out.append(
            DayStaffing(
                day=d,
                contacts=float(plan.contacts[mask].sum()),
                required_hours=float(plan.raw_agents[mask].sum()) * HOURS_PER_INTERVAL,
                scheduled_hours=scheduled_hours,
                fte=scheduled_hours / (FULL_TIME_WEEK_H / 5.0),
                peak_raw=int(plan.raw_agents[mask].max()),
                peak_scheduled=int(plan.scheduled_agents[mask].max()),
                service_level=weighted_mean(plan.service_level[mask], plan.contacts[mask]),
                backlog_end=float(plan.backlog[mask][-1]) if plan.backlog is not None else None,
            )
        )
    return out
