"""Files out: the forecast CSV (the issue's file contract) and the staffing CSV."""

from __future__ import annotations

import csv
from datetime import date
from typing import IO, Any

import numpy as np

from veerkracht.people.models import Channel
from veerkracht.planning.calendar import to_local_datetimes

from . import selectors
from .models import Forecast
from .staffing_plan import ChannelPlan


def write_forecast_csv(forecast: Forecast, out: IO[str] | Any) -> int:
    """`start`, `channel`, `contacts`, `lower`, `upper` per open 15-minute interval, time first
    (as `veerkracht.planning.forecast.write_forecast_csv`): local ISO 8601 with UTC offset, so the
    file reads back as a history and is unambiguous on the autumn DST day."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["start", "channel", "contacts", "lower", "upper"])
    rows: list[tuple[int, int, str, float, float, float]] = []
    for channel in forecast.channels:
        data = forecast.result_for(channel)
        if data is None:
            continue
        order = Channel.values.index(channel)
        rows.extend(
            (t, order, channel, c, lo, hi)
            for t, c, lo, hi in zip(
                data["start"], data["contacts"], data["lower"], data["upper"], strict=True
            )
        )
    rows.sort()
    starts = to_local_datetimes(np.array([r[0] for r in rows], dtype=np.int64))
    for start, (_t, _o, channel, c, lo, hi) in zip(starts, rows, strict=True):
        writer.writerow(
            [start.isoformat(timespec="minutes"), channel, f"{c:.2f}", f"{lo:.0f}", f"{hi:.0f}"]
        )
    return len(rows)


def staffing_rows(plan: ChannelPlan, day: date | None = None) -> list[dict[str, Any]]:
    """The plan's intervals (of one local day, or all) as dicts for tables, CSV and the API."""
    if day is not None:
        sl = selectors.day_slice(plan.start_utc_s, day)
        idx = range(sl.start, sl.stop)
    else:
        idx = range(plan.start_utc_s.size)
    starts = to_local_datetimes(plan.start_utc_s[list(idx)]) if len(idx) else []
    rows = []
    for start, i in zip(starts, idx, strict=True):
        sl_value = float(plan.service_level[i])
        rows.append(
            {
                "start": start,
                "time": start.strftime("%H:%M"),
                "contacts": float(plan.contacts[i]),
                "raw": int(plan.raw_agents[i]),
                "scheduled": int(plan.scheduled_agents[i]),
                "service_level": None if np.isnan(sl_value) else sl_value,
                "backlog": None if plan.backlog is None else float(plan.backlog[i]),
                "open": bool(plan.open[i]),
            }
        )
    return rows


def write_staffing_csv(plans: dict[str, ChannelPlan], out: IO[str] | Any) -> int:
    """`start`, `channel`, `contacts`, `required_agents`, `scheduled_agents`, `service_level`,
    `backlog` per 15-minute interval (deferred channels: every interval, live: the open ones)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "start",
            "channel",
            "contacts",
            "required_agents",
            "scheduled_agents",
            "service_level",
            "backlog",
        ]
    )
    n = 0
    for channel, plan in plans.items():
        for row in staffing_rows(plan):
            writer.writerow(
                [
                    row["start"].isoformat(timespec="minutes"),
                    channel,
                    f"{row['contacts']:.2f}",
                    row["raw"],
                    row["scheduled"],
                    "" if row["service_level"] is None else f"{row['service_level']:.4f}",
                    "" if row["backlog"] is None else f"{row['backlog']:.2f}",
                ]
            )
            n += 1
    return n
