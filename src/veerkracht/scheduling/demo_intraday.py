"""Demo data for intraday: today's actual volumes up to now and five prepared quick tasks.

`load_intraday_demo(organisation, seed=..., now=...)` is called by the demo command after the
history, the forecast and (when present) the roster demo. Today's actuals are the forecast of the
latest finished forecast covering today times a surge on the phone (× 1.3) and Poisson noise, for
the intervals that have ended; other channels follow the forecast with noise. Published shifts are
not made here (the roster demo makes them); without them the page suggests extra hours.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import numpy as np
from django.utils import timezone

from veerkracht.planning.calendar import INTERVAL_S

from .models_roster import QuickTask

PHONE_SURGE = 1.3

QUICK_TASKS: list[dict[str, Any]] = [
    {
        "title": "E-learning nieuwe retourvoorwaarden",
        "kind": QuickTask.Kind.TRAINING,
        "minutes": 30,
        "channel": "",
    },
    {
        "title": "Kennisartikel: storing internet",
        "kind": QuickTask.Kind.KNOWLEDGE,
        "minutes": 15,
        "channel": "phone",
    },
    {
        "title": "Terugbelverzoeken van gisteren",
        "kind": QuickTask.Kind.FOLLOW_UP,
        "minutes": 45,
        "channel": "phone",
    },
    {
        "title": "Kennisartikel: nieuwe tarieven e-mail",
        "kind": QuickTask.Kind.KNOWLEDGE,
        "minutes": 15,
        "channel": "email",
    },
    {
        "title": "Training chatetiquette",
        "kind": QuickTask.Kind.TRAINING,
        "minutes": 30,
        "channel": "chat",
    },
]


def load_intraday_demo(
    organisation: Any, *, seed: int = 7, now: datetime | None = None
) -> dict[str, int]:
    """Store today's actuals up to `now` and the quick tasks; returns counts for the report."""
    from .intraday import _store, forecast_for_day
    from .selectors import channel_result, day_slice

    now = now or timezone.now()
    today = timezone.localdate(now)
    for task in QUICK_TASKS:
        QuickTask.objects.get_or_create(
            organisation=organisation, title=task["title"], defaults=task
        )
    forecast = forecast_for_day(organisation, today)
    stored = 0
    if forecast is not None:
        rng = np.random.default_rng(seed)
        rows: list[tuple[str, datetime, float, float | None]] = []
        for channel in forecast.channels:
            result = channel_result(forecast, channel)
            if result is None:
                continue
            factor = PHONE_SURGE if channel == "phone" else 1.0
            today_s = day_slice(result.start_utc_s, today)
            starts, contacts = result.start_utc_s[today_s], result.contacts[today_s]
            for t, f in zip(starts.tolist(), contacts.tolist(), strict=True):
                if t + INTERVAL_S > now.timestamp():
                    break  # the intervals that have ended, no further
                start = datetime.fromtimestamp(int(t), UTC)
                rows.append((channel, start, float(rng.poisson(max(f, 0.0) * factor)), None))
        _store(organisation, rows)
        stored = len(rows)
    return {"quick_tasks": len(QUICK_TASKS), "actual_intervals": stored}
