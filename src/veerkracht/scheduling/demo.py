"""Demo contact history: two years of 15-minute intervals per channel, ending yesterday.

`load_history_demo(organisation, seed=..., today=...)` is called by the people demo loader. It
stores the history (bulk insert), the default service targets and one finished forecast
(computed synchronously), so every planning page shows something real right after `make demo`.

What the generated history looks like (deterministic by seed):

- phone about 3,000 contacts on a weekday, chat ~900, e-mail ~700, social ~250;
- weekly pattern: Monday busiest, Friday quieter, Saturday low, Sunday closed for phone and
  chat (e-mail and social arrive every day and night, so their history has all 96 intervals);
- opening hours phone and chat 08:00–20:00 on weekdays, 09:00–17:00 (chat 10:00–16:00) on
  Saturday, with the usual morning peak, lunch dip and afternoon peak;
- Dutch public holidays: phone and chat closed, e-mail and social lower; the day after a
  closure brings some catch-up volume;
- a slow upward trend, a mild yearly season, day-to-day noise and Poisson noise per interval;
- a sudden surge some months ago (like March 2020: 3,000 → 12,000 phone calls a day) that
  settles over a few weeks.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
from numpy.typing import NDArray

from veerkracht.planning.calendar import date_to_epoch_day, local_grid, public_holidays

DEMO_DAYS = 730  # two years
SURGE_WEEKS_AGO = 22  # the surge starts on the Monday this many weeks before today
SURGE_DECAY_DAYS = 12.0  # e-folding time of the surge

# Per channel: weekday volume, weekly shape (Mon..Sun), surge multiplier at its peak, AHT.
_CHANNELS: dict[str, dict[str, Any]] = {
    "phone": {
        "daily": 3000.0,
        "week": (1.22, 1.06, 1.0, 0.98, 0.9, 0.42, 0.0),
        "surge": 4.0,
        "aht_s": 300.0,
    },
    "chat": {
        "daily": 900.0,
        "week": (1.15, 1.05, 1.0, 1.0, 0.95, 0.5, 0.0),
        "surge": 3.0,
        "aht_s": 420.0,
    },
    "email": {
        "daily": 700.0,
        "week": (1.2, 1.05, 1.0, 1.0, 0.95, 0.45, 0.35),
        "surge": 2.5,
        "aht_s": 480.0,
    },
    "social": {
        "daily": 250.0,
        "week": (1.1, 1.0, 1.0, 1.0, 1.0, 0.75, 0.7),
        "surge": 4.0,
        "aht_s": 240.0,
    },
}


def _bump(
    slots: NDArray[np.float64], centre_h: float, width_h: float, height: float
) -> NDArray[np.float64]:
    centre = centre_h * 4
    width = width_h * 4
    return np.asarray(height * np.exp(-0.5 * ((slots - centre) / width) ** 2), dtype=np.float64)


def _profiles(channel: str) -> NDArray[np.float64]:
    """Relative arrivals per wall-clock slot (7 weekdays x 96 slots); 0 = closed."""
    slots = np.arange(96, dtype=np.float64)
    out = np.zeros((7, 96))
    if channel in {"phone", "chat"}:
        day_shape = (
            _bump(slots, 10.0, 1.4, 1.0)
            + _bump(slots, 14.0, 1.6, 0.8)
            + _bump(slots, 18.0, 1.5, 0.35)
            + 0.12
        )
        weekday_open = (slots >= 8 * 4) & (slots < 20 * 4)
        sat_open = (
            (slots >= 9 * 4) & (slots < 17 * 4)
            if channel == "phone"
            else (slots >= 10 * 4) & (slots < 16 * 4)
        )
        for wd in range(5):
            out[wd] = np.where(weekday_open, day_shape, 0.0)
        out[5] = np.where(sat_open, _bump(slots, 12.0, 2.5, 1.0) + 0.2, 0.0)
    else:
        # Messages arrive day and night: office-hours peaks on a small night-time floor.
        day_shape = (
            _bump(slots, 10.0, 2.0, 1.0)
            + _bump(slots, 15.0, 2.5, 0.8)
            + _bump(slots, 21.0, 1.5, 0.45)
        )
        night = 0.04 if channel == "email" else 0.08
        for wd in range(7):
            out[wd] = day_shape + night
    return out


@dataclass(frozen=True)
class DemoSeries:
    channel: str
    start_utc_s: NDArray[np.int64]
    contacts: NDArray[np.int64]
    aht_s: NDArray[np.float64]


# The volumes above fit a contact center of about this many agents; the demo scales them to the
# number of agents it creates, so the base plan roughly balances and the surge clearly does not.
AGENTS_FOR_VOLUMES = 160


def generate_history(
    *, seed: int, today: date, days: int = DEMO_DAYS, scale: float = 1.0
) -> list[DemoSeries]:
    """The demo history as arrays (no database): per channel, the open intervals only."""
    rng = np.random.default_rng(seed)
    first = today - timedelta(days=days)
    grid = local_grid(first, days)
    epoch = date_to_epoch_day(first) + np.arange(days)
    weekday = (epoch + 3) % 7  # Monday = 0
    holidays = public_holidays(first, today - timedelta(days=1))
    holiday = np.array([(first + timedelta(days=int(i))) in holidays for i in range(days)])
    day_index = np.arange(days, dtype=np.float64)
    trend = 1.0 + 0.05 * (day_index - days) / 365.0  # +5 % a year, 1.0 at today
    season = 1.0 + 0.06 * np.cos(
        2 * np.pi * (epoch - date_to_epoch_day(date(today.year, 1, 15))) / 365.25
    )
    surge_start = today - timedelta(days=today.weekday() + 7 * SURGE_WEEKS_AGO)
    since = (epoch - date_to_epoch_day(surge_start)).astype(np.float64)
    surge_shape = np.where(since >= 0, np.exp(-np.maximum(since, 0) / SURGE_DECAY_DAYS), 0.0)
    # After a closed holiday some customers call the next open day.
    closed_before = np.zeros(days, dtype=bool)
    closed_before[1:] = holiday[:-1]

    out: list[DemoSeries] = []
    for channel, spec in _CHANNELS.items():
        week = np.asarray(spec["week"])
        closes_on_holidays = channel in {"phone", "chat"}
        daily = spec["daily"] * scale * week[weekday] * trend * season
        daily *= 1.0 + (spec["surge"] - 1.0) * surge_shape
        daily *= rng.lognormal(0.0, 0.05, days)
        if closes_on_holidays:
            daily = np.where(holiday, 0.0, daily)
            daily = np.where(closed_before & ~holiday, daily * 1.15, daily)
        else:
            daily = np.where(holiday, daily * 0.6, daily)
        profiles = _profiles(channel)
        shares = profiles / np.maximum(profiles.sum(axis=1, keepdims=True), 1e-12)
        wd_i = weekday[grid.day]
        share = shares[wd_i, grid.slot]
        open_ = (share > 0) & (daily[grid.day] > 0)
        mu = daily[grid.day] * share
        contacts = rng.poisson(mu[open_])
        aht = (
            spec["aht_s"]
            * (1.0 + 0.1 * surge_shape[grid.day[open_]])
            * rng.normal(1.0, 0.04, contacts.size)
        )
        out.append(
            DemoSeries(
                channel=channel,
                start_utc_s=grid.start_utc_s[open_],
                contacts=contacts.astype(np.int64),
                aht_s=np.round(aht, 0),
            )
        )
    return out


def write_demo_csv(path: str, *, seed: int = 7, today: date | None = None) -> int:
    """Write the demo history as a history CSV (for the CLI, benchmarks and manual tests)."""
    from veerkracht.planning.calendar import to_local_datetimes

    today = today or date.today()
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("start,channel,contacts,aht_s\n")
        for s in generate_history(seed=seed, today=today):
            for start, c, a in zip(
                to_local_datetimes(s.start_utc_s), s.contacts, s.aht_s, strict=True
            ):
                fh.write(f"{start.isoformat(timespec='minutes')},{s.channel},{c},{a:g}\n")
                n += 1
    return n


def load_history_demo(
    organisation: Any,
    *,
    seed: int,
    today: date,
    days: int = DEMO_DAYS,
    agents: int = AGENTS_FOR_VOLUMES,
) -> dict[str, float]:
    """Store the demo history, the default service targets and one finished forecast.

    Returns timings in seconds (and the number of intervals) so the demo command can report them.
    """
    from .models import ContactVolume, HistoryUpload, HistoryUploadStatus, ServiceTarget
    from .services import ensure_service_targets, insert_volumes, run_forecast_now

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    series = generate_history(seed=seed, today=today, days=days, scale=agents / AGENTS_FOR_VOLUMES)
    timings["generate_s"] = time.perf_counter() - t0

    t1 = time.perf_counter()
    counts: dict[str, dict[str, Any]] = {}
    ContactVolume.objects.filter(organisation=organisation).delete()
    total = 0
    for s in series:
        total += insert_volumes(
            organisation_id=organisation.pk,
            channel=s.channel,
            start_utc_s=s.start_utc_s.tolist(),
            contacts=s.contacts.astype(float).tolist(),
            aht_s=s.aht_s.tolist(),
            replace=False,
        )
        counts[s.channel] = {
            "intervals": int(s.start_utc_s.size),
            "contacts": int(s.contacts.sum()),
            "first": datetime.fromtimestamp(int(s.start_utc_s[0]), UTC).isoformat(),
            "last": datetime.fromtimestamp(int(s.start_utc_s[-1]), UTC).isoformat(),
            "source_interval_min": 15,
        }
    timings["insert_s"] = time.perf_counter() - t1
    timings["intervals"] = float(total)

    HistoryUpload.objects.create(
        organisation=organisation,
        uploaded_by=None,
        filename="demo-history.csv",
        status=HistoryUploadStatus.IMPORTED,
        rows=total,
        channels=[s.channel for s in series],
        first_start=datetime.fromtimestamp(min(int(s.start_utc_s[0]) for s in series), UTC),
        last_start=datetime.fromtimestamp(max(int(s.start_utc_s[-1]) for s in series), UTC),
        counts=counts,
        imported_at=datetime.now(UTC),
    )
    targets = ensure_service_targets(organisation)
    # Show Erlang A in the demo: callers hang up after three minutes on average.
    ServiceTarget.objects.filter(pk=targets["phone"].pk).update(patience_s=180)

    t2 = time.perf_counter()
    run_forecast_now(
        # 42 days: the open roster period of the demo (from the week after next, 4 weeks).
        organisation=organisation,
        by=None,
        horizon_days=42,
        channels=[s.channel for s in series],
    )
    timings["forecast_s"] = time.perf_counter() - t2
    return timings
