"""Local time, the 15-minute planning grid and public holidays.

Planning works on a 15-minute grid in local time (``Europe/Amsterdam``).  Internally an
interval is identified by the UTC instant at which it starts, as integer seconds since the
Unix epoch (``*_utc_s``); this makes the grid unambiguous on daylight-saving days.  A local
day has 96 intervals, except the spring-forward day (92: 02:00-02:59 does not exist) and the
autumn fall-back day (100: 02:00-02:59 happens twice).  The *wall-clock slot* of an interval
is its local start time in quarters of an hour since local midnight (0..95); on the
fall-back day the two occurrences of 02:00-02:59 share slots 8..11 and are told apart by
``fold`` (0 for the first, summer-time occurrence, 1 for the second), as in :pep:`495`.

Europe/Amsterdam offsets are whole hours, so local and UTC quarter-hour boundaries
coincide: an interval starts at a multiple of :data:`INTERVAL_S` in UTC seconds.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays as holidays_lib
import numpy as np
from numpy.typing import NDArray

__all__ = [
    "INTERVAL_S",
    "SLOTS_PER_DAY",
    "TZ",
    "LocalGrid",
    "day_intervals",
    "epoch_day_to_date",
    "date_to_epoch_day",
    "intervals_in_day",
    "local_grid",
    "local_midnight_utc_s",
    "local_parts",
    "public_holidays",
    "to_local_datetimes",
    "utc_offsets_s",
    "wall_to_utc_s",
]

TZ = ZoneInfo("Europe/Amsterdam")
"""The planning time zone."""

INTERVAL_S = 900
"""Length of a planning interval in seconds (15 minutes)."""

SLOTS_PER_DAY = 96
"""Wall-clock 15-minute slots of a standard (non-DST) local day."""

_DAY_S = 86_400
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()

# Status codes returned by :func:`wall_to_utc_s`.
WALL_OK = 0
WALL_AMBIGUOUS = 1
WALL_NONEXISTENT = 2


def date_to_epoch_day(day: date) -> int:
    """Return the number of days between 1970-01-01 and ``day``."""
    return day.toordinal() - _EPOCH_ORDINAL


def epoch_day_to_date(epoch_day: int) -> date:
    """Inverse of :func:`date_to_epoch_day`."""
    return date.fromordinal(int(epoch_day) + _EPOCH_ORDINAL)


@functools.lru_cache(maxsize=256)
def _year_transitions(year: int) -> tuple[tuple[int, int, int], ...]:
    """Offset changes of :data:`TZ` during ``year``.

    Returns
    -------
    tuple of (instant_utc_s, offset_before_s, offset_after_s)
        One entry per transition, found by scanning the year day by day and then the
        transition day in 15-minute steps (offsets change on quarter-hour boundaries).
    """
    found: list[tuple[int, int, int]] = []
    start = int(datetime(year, 1, 1, tzinfo=UTC).timestamp())
    end = int(datetime(year + 1, 1, 1, tzinfo=UTC).timestamp())
    prev = _offset_at(start)
    t = start
    while t < end:
        nxt = _offset_at(t + _DAY_S)
        if nxt != prev:
            u = t
            cur = prev
            while u < t + _DAY_S:
                u += INTERVAL_S
                off = _offset_at(u)
                if off != cur:
                    found.append((u, cur, off))
                    cur = off
            prev = nxt
        t += _DAY_S
    return tuple(found)


def _offset_at(utc_s: int) -> int:
    offset = datetime.fromtimestamp(utc_s, TZ).utcoffset()
    assert offset is not None
    return int(offset.total_seconds())


def _transitions(lo_utc_s: int, hi_utc_s: int) -> tuple[NDArray[np.int64], NDArray[np.int64], int]:
    """Transition instants and the offsets after them covering ``[lo, hi]``.

    Returns the transition instants, the offset in force from each instant on, and the
    offset in force before the first instant.
    """
    lo_year = datetime.fromtimestamp(lo_utc_s, UTC).year - 1
    hi_year = datetime.fromtimestamp(hi_utc_s, UTC).year + 1
    rows = [tr for y in range(lo_year, hi_year + 1) for tr in _year_transitions(y)]
    instants = np.array([r[0] for r in rows], dtype=np.int64)
    after = np.array([r[2] for r in rows], dtype=np.int64)
    initial = rows[0][1] if rows else _offset_at(lo_utc_s)
    return instants, after, initial


def utc_offsets_s(utc_s: NDArray[np.int64]) -> NDArray[np.int64]:
    """UTC offset of :data:`TZ` in seconds at each instant (vectorised)."""
    utc_s = np.asarray(utc_s, dtype=np.int64)
    if utc_s.size == 0:
        return np.zeros(0, dtype=np.int64)
    instants, after, initial = _transitions(int(utc_s.min()), int(utc_s.max()))
    idx = np.searchsorted(instants, utc_s, side="right") - 1
    table = np.concatenate([np.array([initial], dtype=np.int64), after])
    return table[idx + 1]


def local_parts(
    utc_s: NDArray[np.int64],
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int8]]:
    """Split UTC interval starts into local day, wall-clock slot and fold.

    Parameters
    ----------
    utc_s : ndarray of int64
        UTC epoch seconds of interval starts (multiples of :data:`INTERVAL_S`).

    Returns
    -------
    epoch_day : ndarray of int64
        Local calendar day as days since 1970-01-01 (see :func:`epoch_day_to_date`).
    slot : ndarray of int64
        Wall-clock slot 0..95 (local minutes since midnight // 15).
    fold : ndarray of int8
        1 for the second occurrence of a repeated wall-clock time (fall-back hour), else 0.
    """
    utc_s = np.asarray(utc_s, dtype=np.int64)
    if utc_s.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy(), np.zeros(0, dtype=np.int8)
    instants, after, initial = _transitions(int(utc_s.min()), int(utc_s.max()))
    idx = np.searchsorted(instants, utc_s, side="right") - 1
    table = np.concatenate([np.array([initial], dtype=np.int64), after])
    offset = table[idx + 1]
    before = table[np.maximum(idx, 0)]
    since = utc_s - instants[np.maximum(idx, 0)] if instants.size else np.zeros_like(utc_s)
    fold = ((idx >= 0) & (before > offset) & (since < before - offset)).astype(np.int8)
    wall = utc_s + offset
    return wall // _DAY_S, (wall % _DAY_S) // INTERVAL_S, fold


def wall_to_utc_s(
    wall_s: NDArray[np.int64], fold: NDArray[np.int8] | None = None
) -> tuple[NDArray[np.int64], NDArray[np.int8]]:
    """Convert naive local wall-clock times to UTC instants (vectorised).

    Parameters
    ----------
    wall_s : ndarray of int64
        Naive local times as seconds since 1970-01-01T00:00 *wall clock*.
    fold : ndarray of int8, optional
        For ambiguous times, 0 selects the first occurrence, 1 the second (:pep:`495`).

    Returns
    -------
    utc_s : ndarray of int64
        UTC epoch seconds; for non-existent times the value assuming the offset before
        the gap (meaningless, flagged in ``status``).
    status : ndarray of int8
        ``WALL_OK`` (0), ``WALL_AMBIGUOUS`` (1, resolved by ``fold``) or
        ``WALL_NONEXISTENT`` (2, a time skipped by the spring-forward change).
    """
    wall_s = np.asarray(wall_s, dtype=np.int64)
    if fold is None:
        fold = np.zeros(wall_s.shape, dtype=np.int8)
    if wall_s.size == 0:
        return wall_s.copy(), np.zeros(0, dtype=np.int8)
    instants, after, initial = _transitions(
        int(wall_s.min()) - 2 * _DAY_S, int(wall_s.max()) + 2 * _DAY_S
    )
    candidates = np.unique(np.concatenate([after, np.array([initial], dtype=np.int64)]))
    n_valid = np.zeros(wall_s.shape, dtype=np.int64)
    first = np.zeros(wall_s.shape, dtype=np.int64)
    second = np.zeros(wall_s.shape, dtype=np.int64)
    fallback = wall_s - initial
    # Larger offsets give earlier instants: walk offsets from large to small so that the
    # first valid candidate is the earlier occurrence.
    for off in candidates[::-1]:
        u = wall_s - off
        valid = utc_offsets_s(u) == off
        second = np.where(valid & (n_valid == 1), u, second)
        first = np.where(valid & (n_valid == 0), u, first)
        n_valid = n_valid + valid
    utc = np.where(n_valid >= 2, np.where(fold == 1, second, first), first)
    utc = np.where(n_valid == 0, fallback, utc)
    status = np.where(
        n_valid == 0, WALL_NONEXISTENT, np.where(n_valid >= 2, WALL_AMBIGUOUS, WALL_OK)
    ).astype(np.int8)
    return utc, status


def local_midnight_utc_s(day: date) -> int:
    """UTC epoch seconds of local midnight starting ``day`` (midnight always exists here)."""
    return int(datetime(day.year, day.month, day.day, tzinfo=TZ).timestamp())


@dataclass(frozen=True)
class LocalGrid:
    """The 15-minute intervals of consecutive local days.

    Attributes
    ----------
    start_utc_s : ndarray of int64
        UTC epoch seconds of each interval start, increasing by :data:`INTERVAL_S`.
    day : ndarray of int64
        Index of the local day of each interval, 0 for ``first_day``.
    slot : ndarray of int64
        Wall-clock slot 0..95 of each interval.
    fold : ndarray of int8
        1 for the second occurrence of the repeated fall-back hour.
    first_day : date
        The first local day.
    n_days : int
        Number of local days.
    """

    start_utc_s: NDArray[np.int64]
    day: NDArray[np.int64]
    slot: NDArray[np.int64]
    fold: NDArray[np.int8]
    first_day: date
    n_days: int

    @property
    def days(self) -> tuple[date, ...]:
        """The local days covered, in order."""
        return tuple(self.first_day + timedelta(days=i) for i in range(self.n_days))

    def starts_local(self) -> list[datetime]:
        """Interval starts as timezone-aware :data:`TZ` datetimes."""
        return to_local_datetimes(self.start_utc_s)


def local_grid(first_day: date, n_days: int) -> LocalGrid:
    """All 15-minute intervals of ``n_days`` local days starting at ``first_day``.

    Parameters
    ----------
    first_day : date
        First local day.
    n_days : int
        Number of consecutive days (>= 0).

    Returns
    -------
    LocalGrid
        92, 96 or 100 intervals per day depending on daylight saving time.
    """
    if n_days < 0:
        raise ValueError("n_days must be >= 0")
    lo = local_midnight_utc_s(first_day)
    hi = local_midnight_utc_s(first_day + timedelta(days=n_days))
    starts = np.arange(lo, hi, INTERVAL_S, dtype=np.int64)
    epoch_day, slot, fold = local_parts(starts)
    return LocalGrid(
        start_utc_s=starts,
        day=epoch_day - date_to_epoch_day(first_day),
        slot=slot,
        fold=fold,
        first_day=first_day,
        n_days=n_days,
    )


def day_intervals(day: date) -> list[datetime]:
    """The local 15-minute interval starts of one day as aware datetimes."""
    return local_grid(day, 1).starts_local()


def intervals_in_day(day: date) -> int:
    """Number of 15-minute intervals in a local day: 92, 96 or 100."""
    return (local_midnight_utc_s(day + timedelta(days=1)) - local_midnight_utc_s(day)) // INTERVAL_S


def to_local_datetimes(utc_s: NDArray[np.int64] | Iterable[int]) -> list[datetime]:
    """Aware :data:`TZ` datetimes for UTC epoch seconds."""
    return [datetime.fromtimestamp(int(t), TZ) for t in utc_s]


def public_holidays(first: date, last: date, country: str | None = "NL") -> dict[date, str]:
    """Public holidays between ``first`` and ``last`` inclusive.

    Parameters
    ----------
    first, last : date
        Inclusive range.
    country : str or None
        ISO 3166 country code for the ``holidays`` package; ``None`` for no holidays.
        The default ``"NL"`` gives the Dutch calendar of ``holidays`` 0.109, which lists
        New Year's Day, Good Friday, Easter Sunday and Monday, King's Day (27 April, or
        26 April when the 27th is a Sunday), Liberation Day (5 May, in lustrum years),
        Ascension Day, Whit Sunday and Monday, and both Christmas days.

    Returns
    -------
    dict
        Date to English holiday name.
    """
    if country is None or last < first:
        return {}
    years = range(first.year, last.year + 1)
    try:
        cal = holidays_lib.country_holidays(country, years=years, language="en_US")
    except NotImplementedError:
        cal = holidays_lib.country_holidays(country, years=years)
    return {d: str(name) for d, name in sorted(cal.items()) if first <= d <= last}
