"""Dutch Working Hours Act (Arbeidstijdenwet, ATW) checks on one employee's shifts.

Independent of any solver: data in (shift times in UTC epoch minutes, the settings), a list of
:class:`RuleViolation` out.  Law text: wetten.overheid.nl BWBR0007671; the rules and their
ids are those of ``working-time.md`` (ATW-01..09, NA-01..07, JW-01..04).

How the law's terms are computed
--------------------------------
*Work blocks*: each rostered shift minus its pauses.  An interruption shorter than
``pause_min_block_minutes`` (15) is working time (art. 1:7e), so blocks separated by less
than that are one block and the gap counts as work.

*Duty* (dienst, a shift in the sense of the law, art. 1:7c): work blocks separated by less
than ``shift_separation_rest_minutes`` (8 h) of rest.  Two rostered shifts 08:00-12:00 and
16:00-21:00 are one duty of 9 h work with a pause of 4 h.  The *work* of a duty is its span
minus its pauses (the gaps between its blocks); every rule below is about duties, not about
the rostered shift objects.

*Night shift* (1:7d): a duty with more than ``night_work_min_minutes`` (60) of work between
local 00:00 and 06:00; exactly 60 is not a night shift.  It *ends late* (NA-04, NA-07) when it
ends after local 02:00 of the last night in which it works.

*Rest*: the time between two duties.  Time outside the roster period counts as rest unless
``previous_shifts`` say otherwise, so a check never blames a roster for what it cannot see.

*Week*: local Monday 00:00 to Sunday 24:00 (``week_start_day``).  Multi-week limits
(ATW-03/04, NA-03, NA-07, JW-01) are checked over every run of 4 or 16 consecutive weeks that
contains a week of the period; weeks without known shifts count as 0.

*Shortened rests* (ATW-05 daily rest 11 h -> 8 h, NA-04 rest after a late night shift
14 h -> 8 h) are allowed once in every 7 x 24 h, each rule with its own allowance: going
through the rests in order, a shortened rest is accepted when no accepted shortening of the
same rule started less than 168 h before it; otherwise it is a violation.  An accepted
shortening gives a warning asking for the reason, unless the shift after it states one
(``rest_shortening_reason``); with ``shortening_requires_reason`` a shortening without a
reason is a violation.

*Series*: consecutive night shifts (NA-05) are night duties with less than
``night_series_gap_minutes`` (24 h) of rest between them, i.e. on successive nights.  A series
of consecutive shifts (NA-06) ends at a rest of at least ``night_series_break_rest_minutes``
(36 h, our reading: a weekly-rest-length rest).

*Weekly rest* (ATW-07): per calendar week the longest rest inside the week must reach 36 h
(7-day form), or the rests of at least 32 h inside a two-week window must add up to 72 h
(14-day form); with ``either`` a week passes when it meets the 7-day form or one of the two
two-week windows it belongs to meets the 14-day form.

*Sundays* (ATW-09): with at least 52 Sundays known (period plus previous shifts) every run of
52 Sundays that includes one of the period must have ``min_free_sundays_per_52_weeks`` free
Sundays; with fewer Sundays the check is pro rata (``floor(13 * n / 52)`` free of ``n``) and
gives a warning, not a violation, since later Sundays can still make up for it.

Youth (16-17, ``adult_age``): JW-01..04 replace ATW-01/02/03/05/06/07 and the night rules
(no work between 23:00 and 06:00 leaves no night shifts); ATW-04, ATW-08 and ATW-09 still
apply.  Sick and vacation hours that count as work (art. 5:2) are not modelled.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Final, Literal

from veerkracht.planning.calendar import TZ
from veerkracht.planning.roster.model import WeeklyRestRule, WorkingTimeSettings, clock_minutes

__all__ = [
    "Duty",
    "LocalClock",
    "RuleViolation",
    "ShiftTimes",
    "check_working_time",
    "format_minutes",
    "segment_duties",
    "work_minutes_per_week",
]

Severity = Literal["error", "warning"]

_DAY_MIN: Final = 1440
_WEEK_MIN: Final = 7 * _DAY_MIN
_52_WEEKS_MIN: Final = 52 * _WEEK_MIN
_INF: Final = 1 << 62


def format_minutes(minutes: int) -> str:
    """``545`` -> ``"9 h 5 min"``, ``660`` -> ``"11 h"``, ``20`` -> ``"20 min"``."""
    sign = "-" if minutes < 0 else ""
    h, m = divmod(abs(int(minutes)), 60)
    if h and m:
        return f"{sign}{h} h {m} min"
    return f"{sign}{h} h" if h else f"{sign}{m} min"


@dataclass(frozen=True, slots=True)
class ShiftTimes:
    """One rostered shift of an employee, in UTC epoch minutes.

    Attributes
    ----------
    start_min, end_min : int
        Start and end, ``end_min > start_min``.
    breaks : tuple of (int, int)
        Pauses ``[start, end)``; parts outside the shift are ignored.
    ref : str
        Where the shift comes from, e.g. ``"shifts[12]"``, for messages.
    shortening_reason : str or None
        The stated reason when the rest before this shift is shortened.
    """

    start_min: int
    end_min: int
    breaks: tuple[tuple[int, int], ...] = ()
    ref: str = ""
    shortening_reason: str | None = None


@dataclass(frozen=True, slots=True)
class Duty:
    """A shift in the sense of art. 1:7c: work blocks separated by less than 8 h of rest.

    Attributes
    ----------
    start_min, end_min : int
        First and last minute of work (UTC epoch minutes, end exclusive).
    blocks : tuple of (int, int)
        Work blocks; the gaps between them are pauses (each at least 15 minutes).
    work_minutes : int
        Working time: span minus pauses.
    pause_minutes : int
        Sum of the pauses.
    night_minutes : int
        Work between local 00:00 and 06:00.
    is_night : bool
        More than ``night_work_min_minutes`` of night work.
    ends_late : bool
        A night shift ending after ``late_night_end`` (02:00) of its last night.
    refs : tuple of str
        The rostered shifts it is made of.
    shortening_reason : str or None
        Reason stated on its first rostered shift for a shortened rest before it.
    """

    start_min: int
    end_min: int
    blocks: tuple[tuple[int, int], ...]
    work_minutes: int
    pause_minutes: int
    night_minutes: int
    is_night: bool
    ends_late: bool
    refs: tuple[str, ...]
    shortening_reason: str | None = None


@dataclass(frozen=True, slots=True)
class RuleViolation:
    """A breach of a working-time rule (or a warning about one).

    Attributes
    ----------
    rule : str
        Rule id, e.g. ``"ATW-05"``.
    employee : str
        Employee id.
    start_min, end_min : int
        The time window concerned (UTC epoch minutes): the duty, the rest or the weeks.
    message : str
        English text.
    params : dict
        The numbers in the message, for translation (durations in minutes).
    severity : {"error", "warning"}
        Warnings do not make a roster invalid.
    refs : tuple of str
        Rostered shifts involved.
    """

    rule: str
    employee: str
    start_min: int
    end_min: int
    message: str
    params: dict[str, int | str]
    severity: Severity = "error"
    refs: tuple[str, ...] = ()


class LocalClock:
    """Local wall-clock landmarks of consecutive days as UTC epoch minutes.

    Parameters
    ----------
    first_day : date
        First local day covered.
    n_days : int
        Number of days covered; instants outside are clamped to the first or last day.
    """

    def __init__(self, first_day: date, n_days: int) -> None:
        self.first_day = first_day
        self.n_days = n_days
        self.midnight: list[int] = self._wall(0)
        self._cache: dict[int, list[int]] = {0: self.midnight}
        self.weekday: list[int] = [(first_day.weekday() + i) % 7 for i in range(n_days + 1)]
        """ISO weekday - 1 (0 = Monday) of each day."""

    @classmethod
    def covering(cls, lo_min: int, hi_min: int, *, margin_days: int = 8) -> LocalClock:
        """A clock covering ``[lo_min, hi_min]`` with ``margin_days`` to spare on both sides."""
        lo = datetime.fromtimestamp(lo_min * 60, TZ).date() - timedelta(days=margin_days)
        hi = datetime.fromtimestamp(hi_min * 60, TZ).date() + timedelta(days=margin_days)
        return cls(lo, (hi - lo).days + 1)

    def _wall(self, minute_of_day: int) -> list[int]:
        out = []
        for i in range(self.n_days + 1):
            day = self.first_day + timedelta(days=i)
            extra_days, minute = divmod(minute_of_day, _DAY_MIN)
            day += timedelta(days=extra_days)
            # fold=0: a skipped time (spring forward) maps to the instant the clock jumps, an
            # ambiguous one (fall back) to its first occurrence.
            moment = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=TZ)
            out.append(int(moment.timestamp()) // 60)
        return out

    def at(self, minute_of_day: int) -> list[int]:
        """UTC minutes of the wall-clock time ``minute_of_day`` on each day (and one more)."""
        cached = self._cache.get(minute_of_day)
        if cached is None:
            cached = self._cache[minute_of_day] = self._wall(minute_of_day)
        return cached

    def day_index(self, t_min: int) -> int:
        """Index of the local day containing the instant ``t_min``."""
        i = bisect.bisect_right(self.midnight, t_min) - 1
        return min(max(i, 0), self.n_days - 1)

    def day(self, index: int) -> date:
        """The local date of day ``index``."""
        return self.first_day + timedelta(days=index)

    def week_starts(self, week_start_day: int) -> list[int]:
        """UTC minutes of every local week start (weekday ``week_start_day``) covered."""
        offset = (week_start_day - self.first_day.weekday()) % 7
        return self.midnight[offset::7]


# --------------------------------------------------------------------------------------------
# Segmentation
# --------------------------------------------------------------------------------------------


def _subtract(start: int, end: int, breaks: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    pieces = []
    cursor = start
    for b0, b1 in sorted(breaks):
        b0, b1 = max(b0, start), min(b1, end)
        if b1 <= b0 or b1 <= cursor:
            continue
        if b0 > cursor:
            pieces.append((cursor, b0))
        cursor = max(cursor, b1)
    if cursor < end:
        pieces.append((cursor, end))
    return pieces


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def segment_duties(
    shifts: Sequence[ShiftTimes], settings: WorkingTimeSettings, clock: LocalClock
) -> list[Duty]:
    """Turn rostered shifts into duties (art. 1:7c) with their work, pauses and night work.

    Parameters
    ----------
    shifts : sequence of ShiftTimes
        One employee's shifts, in any order; overlaps are merged.
    settings : WorkingTimeSettings
        ``pause_min_block_minutes``, ``shift_separation_rest_minutes``,
        ``night_work_min_minutes`` and ``late_night_end`` are used.
    clock : LocalClock
        Covers the shifts.

    Returns
    -------
    list of Duty
        In time order.
    """
    pieces: list[tuple[int, int, int]] = []  # (start, end, shift index)
    for i, shift in enumerate(shifts):
        for a, b in _subtract(shift.start_min, shift.end_min, shift.breaks):
            pieces.append((a, b, i))
    pieces.sort()
    min_pause = settings.pause_min_block_minutes
    separation = settings.shift_separation_rest_minutes
    late = clock.at(clock_minutes(settings.late_night_end))
    # Blocks: pieces merged across interruptions shorter than a pause.
    blocks: list[tuple[int, int, list[int]]] = []
    for a, b, i in pieces:
        if blocks and a - blocks[-1][1] < min_pause:
            last = blocks[-1]
            blocks[-1] = (last[0], max(last[1], b), [*last[2], i])
        else:
            blocks.append((a, b, [i]))
    duties: list[Duty] = []
    group: list[tuple[int, int, list[int]]] = []
    for block in blocks:
        if group and block[0] - group[-1][1] >= separation:
            duties.append(_make_duty(group, shifts, settings, clock, late))
            group = []
        group.append(block)
    if group:
        duties.append(_make_duty(group, shifts, settings, clock, late))
    return duties


def _make_duty(
    group: list[tuple[int, int, list[int]]],
    shifts: Sequence[ShiftTimes],
    settings: WorkingTimeSettings,
    clock: LocalClock,
    late: list[int],
) -> Duty:
    start, end = group[0][0], group[-1][1]
    work = 0
    midnight, six = clock.midnight, clock.at(6 * 60)
    night = 0
    last_night_day = -1
    last_day = clock.n_days
    for a, b, _ in group:
        work += b - a
        d = bisect.bisect_right(midnight, a) - 1
        if d < 0:
            d = 0
        while d < last_day and midnight[d] < b:
            # Work in [midnight, 06:00) of day d.
            part = (b if b < six[d] else six[d]) - (a if a > midnight[d] else midnight[d])
            if part > 0:
                night += part
                last_night_day = d
            d += 1
    is_night = night > settings.night_work_min_minutes
    ends_late = is_night and end > late[last_night_day]
    if len(group) == 1 and len(group[0][2]) == 1:
        indices = group[0][2]
    else:
        indices = sorted({i for _, _, idx in group for i in idx}, key=lambda i: shifts[i].start_min)
    return Duty(
        start_min=start,
        end_min=end,
        blocks=tuple((a, b) for a, b, _ in group),
        work_minutes=work,
        pause_minutes=(end - start) - work,
        night_minutes=night,
        is_night=is_night,
        ends_late=ends_late,
        refs=tuple(shifts[i].ref for i in indices if shifts[i].ref),
        shortening_reason=shifts[indices[0]].shortening_reason,
    )


# --------------------------------------------------------------------------------------------
# The checks
# --------------------------------------------------------------------------------------------


@dataclass
class _Checker:
    employee: str
    settings: WorkingTimeSettings
    clock: LocalClock
    period: tuple[int, int]
    found: list[RuleViolation] = field(default_factory=list)

    def in_period(self, start: int, end: int) -> bool:
        return end > self.period[0] and start < self.period[1]

    def add(
        self,
        rule: str,
        start: int,
        end: int,
        message: str,
        *,
        severity: Severity = "error",
        refs: tuple[str, ...] = (),
        **params: int | str,
    ) -> None:
        self.found.append(
            RuleViolation(rule, self.employee, start, end, message, dict(params), severity, refs)
        )


def check_working_time(
    shifts: Sequence[ShiftTimes],
    *,
    employee: str,
    settings: WorkingTimeSettings,
    period: tuple[int, int],
    clock: LocalClock | None = None,
    duties: Sequence[Duty] | None = None,
    youth: bool = False,
    weekly_rest_rule: WeeklyRestRule | None = None,
    school_minutes_per_week: int = 0,
    sunday_work_allowed: bool = True,
) -> list[RuleViolation]:
    """All working-time violations of one employee's shifts that touch the period.

    Parameters
    ----------
    shifts : sequence of ShiftTimes
        The employee's shifts in the period and, for context, before it (previous shifts).
    employee : str
        Employee id for the violations.
    settings : WorkingTimeSettings
        The numbers.
    period : (int, int)
        The roster period ``[start, end)`` in UTC epoch minutes; violations wholly outside
        it are not reported.
    clock : LocalClock, optional
        Built from the shifts and the period when not given (pass one to share it).
    duties : sequence of Duty, optional
        ``segment_duties(shifts, settings, clock)`` when already computed.
    youth : bool
        Apply the rules for employees aged 16-17.
    weekly_rest_rule : WeeklyRestRule, optional
        Overrides ``settings.weekly_rest_rule``.
    school_minutes_per_week : int
        School hours of a 16-17-year-old, counted as work per week (JW-01).
    sunday_work_allowed : bool
        Whether the employee consented to Sunday work (ATW-08).

    Returns
    -------
    list of RuleViolation
        In rule order, then time order.
    """
    if clock is None:
        lo = min([period[0], *(s.start_min for s in shifts)])
        hi = max([period[1], *(s.end_min for s in shifts)])
        clock = LocalClock.covering(lo - 16 * _WEEK_MIN, hi)
    c = _Checker(employee, settings, clock, period)
    if duties is None:
        duties = segment_duties(shifts, settings, clock)
    if youth:
        _youth_duties(c, duties)
    else:
        _adult_duties(c, duties)
        _adult_rests(c, duties)
        _night_series(c, duties)
    _weeks(c, duties, youth=youth, school_minutes=school_minutes_per_week)
    _weekly_rest(c, duties, youth=youth, rule=weekly_rest_rule or settings.weekly_rest_rule)
    _sundays(c, duties, shifts, sunday_work_allowed=sunday_work_allowed)
    return sorted(c.found, key=lambda v: (v.rule, v.start_min, v.end_min))


def _adult_duties(c: _Checker, duties: Sequence[Duty]) -> None:
    s = c.settings
    long_nights: list[int] = []
    for duty in duties:
        here = c.in_period(duty.start_min, duty.end_min)
        window = (duty.start_min, duty.end_min)
        work = duty.work_minutes
        if duty.is_night:
            if work > s.max_night_shift_work_minutes:
                long_nights.append(duty.start_min)
            if here and work > s.max_long_night_shift_work_minutes:
                c.add(
                    "NA-01",
                    *window,
                    f"Night shift with {format_minutes(work)} of work; at most "
                    f"{format_minutes(s.max_night_shift_work_minutes)}, or "
                    f"{format_minutes(s.max_long_night_shift_work_minutes)} a few times",
                    refs=duty.refs,
                    work_minutes=work,
                    limit_minutes=s.max_long_night_shift_work_minutes,
                )
            elif here and work > s.max_night_shift_work_minutes:
                _long_night_counts(c, duty, long_nights)
        elif here and work > s.max_shift_work_minutes:
            c.add(
                "ATW-01",
                *window,
                f"Shift with {format_minutes(work)} of work; at most "
                f"{format_minutes(s.max_shift_work_minutes)}",
                refs=duty.refs,
                work_minutes=work,
                limit_minutes=s.max_shift_work_minutes,
            )
        if here:
            if work > s.pause_threshold_2_work_minutes:
                need = s.pause_2_minutes
                threshold = s.pause_threshold_2_work_minutes
            elif work > s.pause_threshold_1_work_minutes:
                need = s.pause_1_minutes
                threshold = s.pause_threshold_1_work_minutes
            else:
                need = threshold = 0
            if duty.pause_minutes < need:
                c.add(
                    "ATW-06",
                    *window,
                    f"Shift with {format_minutes(work)} of work has "
                    f"{format_minutes(duty.pause_minutes)} of pauses; more than "
                    f"{format_minutes(threshold)} of work needs at least {format_minutes(need)} "
                    f"(only pauses of {s.pause_min_block_minutes} min or more count)",
                    refs=duty.refs,
                    work_minutes=work,
                    pause_minutes=duty.pause_minutes,
                    threshold_minutes=threshold,
                    required_minutes=need,
                    min_block_minutes=s.pause_min_block_minutes,
                )


def _long_night_counts(c: _Checker, duty: Duty, long_nights: list[int]) -> None:
    s = c.settings
    for days, limit in (
        (14, s.max_long_night_shifts_per_14_days),
        (364, s.max_long_night_shifts_per_52_weeks),
    ):
        since = duty.start_min - days * _DAY_MIN
        count = len(long_nights) - bisect.bisect_right(long_nights, since)
        if count > limit:
            c.add(
                "NA-01",
                duty.start_min,
                duty.end_min,
                f"Night shift with {format_minutes(duty.work_minutes)} of work is extended "
                f"night shift number {count} in {days} days; at most {limit}",
                refs=duty.refs,
                work_minutes=duty.work_minutes,
                count=count,
                days=days,
                limit=limit,
            )


class _Allowance:
    """The once-per-7-days shortening of a rest (ATW-05, NA-04)."""

    def __init__(self) -> None:
        self.accepted: list[int] = []

    def take(self, rest_start: int) -> int | None:
        """Accept a shortening starting at ``rest_start``; return the earlier one blocking it."""
        if self.accepted and rest_start - self.accepted[-1] < _WEEK_MIN:
            return self.accepted[-1]
        self.accepted.append(rest_start)
        return None


def _shortened(
    c: _Checker,
    rule: str,
    allowance: _Allowance,
    prev: Duty,
    nxt: Duty,
    rest: int,
    full: int,
    shortened: int,
    what: str,
) -> None:
    window = (prev.end_min, nxt.start_min)
    refs = prev.refs + nxt.refs
    here = c.in_period(nxt.start_min, nxt.end_min)
    if rest < shortened:
        if here:
            c.add(
                rule,
                *window,
                f"Rest of {format_minutes(rest)} {what}; at least {format_minutes(full)}, "
                f"once per 7 days {format_minutes(shortened)}",
                refs=refs,
                rest_minutes=rest,
                required_minutes=full,
                shortened_minutes=shortened,
            )
        return
    reason = nxt.shortening_reason
    if c.settings.shortening_requires_reason and not reason:
        if here:
            c.add(
                rule,
                *window,
                f"Rest of {format_minutes(rest)} {what} is shortened (at least "
                f"{format_minutes(full)}) without a stated reason",
                refs=refs,
                rest_minutes=rest,
                required_minutes=full,
                shortened_minutes=shortened,
            )
        return
    earlier = allowance.take(prev.end_min)
    if not here:
        return
    if earlier is not None:
        c.add(
            rule,
            *window,
            f"Rest of {format_minutes(rest)} {what}; at least {format_minutes(full)}: the one "
            f"shortening in 7 days was already used at "
            f"{datetime.fromtimestamp(earlier * 60, TZ):%Y-%m-%d %H:%M}",
            refs=refs,
            rest_minutes=rest,
            required_minutes=full,
            shortened_minutes=shortened,
            earlier_shortening=datetime.fromtimestamp(earlier * 60, TZ).isoformat(),
        )
    elif not reason:
        c.add(
            rule,
            *window,
            f"Rest of {format_minutes(rest)} {what} uses the one shortening allowed in 7 days "
            f"(normally {format_minutes(full)}); record the reason",
            severity="warning",
            refs=refs,
            rest_minutes=rest,
            required_minutes=full,
            shortened_minutes=shortened,
        )


def _adult_rests(c: _Checker, duties: Sequence[Duty]) -> None:
    s = c.settings
    daily, late = _Allowance(), _Allowance()
    for prev, nxt in zip(duties, duties[1:], strict=False):
        rest = nxt.start_min - prev.end_min
        here = c.in_period(nxt.start_min, nxt.end_min)
        if rest < s.daily_rest_minutes:
            _shortened(
                c,
                "ATW-05",
                daily,
                prev,
                nxt,
                rest,
                s.daily_rest_minutes,
                s.daily_rest_shortened_minutes,
                "between shifts",
            )
        if prev.ends_late and rest < s.rest_after_late_night_minutes:
            _shortened(
                c,
                "NA-04",
                late,
                prev,
                nxt,
                rest,
                s.rest_after_late_night_minutes,
                s.rest_after_late_night_shortened_minutes,
                f"after a night shift ending after {s.late_night_end}",
            )
        if (
            here
            and prev.is_night
            and prev.work_minutes > s.max_night_shift_work_minutes
            and rest < s.rest_after_long_night_shift_minutes
        ):
            c.add(
                "NA-01",
                prev.end_min,
                nxt.start_min,
                f"Rest of {format_minutes(rest)} after an extended night shift of "
                f"{format_minutes(prev.work_minutes)}; at least "
                f"{format_minutes(s.rest_after_long_night_shift_minutes)}",
                refs=prev.refs + nxt.refs,
                rest_minutes=rest,
                required_minutes=s.rest_after_long_night_shift_minutes,
            )


def _night_series(c: _Checker, duties: Sequence[Duty]) -> None:
    s = c.settings
    # NA-05: after 3+ consecutive night shifts, 46 h of rest.
    run = 0
    for i, duty in enumerate(duties):
        if duty.is_night:
            prev_rest = duty.start_min - duties[i - 1].end_min if i else _INF
            continues = i > 0 and duties[i - 1].is_night and prev_rest < s.night_series_gap_minutes
            run = run + 1 if continues else 1
        else:
            run = 0
        if run < s.night_series_min_shifts or i + 1 == len(duties):
            continue
        nxt = duties[i + 1]
        rest = nxt.start_min - duty.end_min
        if nxt.is_night and rest < s.night_series_gap_minutes:
            continue  # the series goes on
        if rest < s.rest_after_night_series_minutes and c.in_period(nxt.start_min, nxt.end_min):
            c.add(
                "NA-05",
                duty.end_min,
                nxt.start_min,
                f"Rest of {format_minutes(rest)} after {run} consecutive night shifts; at least "
                f"{format_minutes(s.rest_after_night_series_minutes)}",
                refs=duty.refs + nxt.refs,
                rest_minutes=rest,
                night_shifts=run,
                required_minutes=s.rest_after_night_series_minutes,
            )
    # NA-06: a series of consecutive shifts with a night shift has at most 7 shifts.
    start = 0
    for i in range(1, len(duties) + 1):
        if i < len(duties) and (
            duties[i].start_min - duties[i - 1].end_min < s.night_series_break_rest_minutes
        ):
            continue
        series = duties[start:i]
        start = i
        if len(series) <= s.max_shifts_in_night_series or not any(d.is_night for d in series):
            continue
        first, last = series[0], series[-1]
        extra = series[s.max_shifts_in_night_series]
        if c.in_period(extra.start_min, last.end_min):
            c.add(
                "NA-06",
                first.start_min,
                last.end_min,
                f"Series of {len(series)} consecutive shifts with a night shift; at most "
                f"{s.max_shifts_in_night_series}",
                refs=tuple(r for d in series for r in d.refs),
                shifts=len(series),
                limit=s.max_shifts_in_night_series,
            )


def _youth_duties(c: _Checker, duties: Sequence[Duty]) -> None:
    s = c.settings
    no_from, no_until = clock_minutes(s.youth_no_work_from), clock_minutes(s.youth_no_work_until)
    if no_until <= no_from:
        no_until += _DAY_MIN  # the window runs into the next day
    evening, morning = c.clock.at(no_from), c.clock.at(no_until)
    for i, duty in enumerate(duties):
        if not c.in_period(duty.start_min, duty.end_min):
            continue
        window = (duty.start_min, duty.end_min)
        work = duty.work_minutes
        if work > s.youth_max_shift_work_minutes:
            c.add(
                "JW-01",
                *window,
                f"Shift with {format_minutes(work)} of work; at most "
                f"{format_minutes(s.youth_max_shift_work_minutes)} under 18",
                refs=duty.refs,
                work_minutes=work,
                limit_minutes=s.youth_max_shift_work_minutes,
            )
        if (
            work > s.youth_pause_threshold_work_minutes
            and duty.pause_minutes < s.youth_pause_minutes
        ):
            c.add(
                "JW-04",
                *window,
                f"Shift with {format_minutes(work)} of work has {format_minutes(duty.pause_minutes)} "
                f"of pauses; under 18 more than {format_minutes(s.youth_pause_threshold_work_minutes)} "
                f"needs at least {format_minutes(s.youth_pause_minutes)}",
                refs=duty.refs,
                work_minutes=work,
                pause_minutes=duty.pause_minutes,
                threshold_minutes=s.youth_pause_threshold_work_minutes,
                required_minutes=s.youth_pause_minutes,
            )
        night = 0
        for a, b in duty.blocks:
            for d in range(c.clock.day_index(a) - 1, c.clock.day_index(b - 1) + 1):
                if d >= 0:
                    night += _overlap(a, b, evening[d], morning[d])
        if night:
            c.add(
                "JW-02",
                *window,
                f"{format_minutes(night)} of work between {s.youth_no_work_from} and "
                f"{s.youth_no_work_until}; no work then under 18",
                refs=duty.refs,
                night_minutes=night,
                no_work_from=s.youth_no_work_from,
                no_work_until=s.youth_no_work_until,
            )
        if i:
            prev = duties[i - 1]
            rest = duty.start_min - prev.end_min
            if rest < s.youth_daily_rest_minutes:
                c.add(
                    "JW-02",
                    prev.end_min,
                    duty.start_min,
                    f"Rest of {format_minutes(rest)} between shifts; at least "
                    f"{format_minutes(s.youth_daily_rest_minutes)} under 18",
                    refs=prev.refs + duty.refs,
                    rest_minutes=rest,
                    required_minutes=s.youth_daily_rest_minutes,
                )


def work_minutes_per_week(duties: Iterable[Duty], week_starts: Sequence[int]) -> list[int]:
    """Work per week: ``result[w]`` is the work in ``[week_starts[w], week_starts[w + 1])``.

    Work before the first or after the last boundary is left out.
    """
    n = len(week_starts) - 1
    work = [0] * max(n, 0)
    if n <= 0:
        return work
    for duty in duties:
        for a, b in duty.blocks:
            w = bisect.bisect_right(week_starts, a) - 1
            if w < 0:
                a, w = week_starts[0], 0
            while w < n and a < b:
                end = week_starts[w + 1]
                if b <= end:
                    work[w] += b - a
                    break
                work[w] += end - a
                a, w = end, w + 1
    return work


def _weeks(c: _Checker, duties: Sequence[Duty], *, youth: bool, school_minutes: int) -> None:
    s = c.settings
    bounds = c.clock.week_starts(s.week_start_day)
    n = len(bounds) - 1
    work = work_minutes_per_week(duties, bounds)
    nights = [0] * n
    late_nights = [0] * n
    for duty in duties:
        w = bisect.bisect_right(bounds, duty.start_min) - 1
        if 0 <= w < n:
            nights[w] += duty.is_night
            late_nights[w] += duty.ends_late
    p0, p1 = c.period
    first = max(bisect.bisect_right(bounds, p0) - 1, 0)
    last = min(bisect.bisect_left(bounds, p1) - 1, n - 1)
    if youth:
        work = [m + school_minutes for m in work]
    prefix = [0]
    for m in work:
        prefix.append(prefix[-1] + m)
    night_prefix, late_prefix = [0], [0]
    for a, b in zip(nights, late_nights, strict=True):
        night_prefix.append(night_prefix[-1] + a)
        late_prefix.append(late_prefix[-1] + b)

    def span(k0: int, k1: int) -> tuple[int, int]:  # weeks [k0, k1) -> minutes window
        return bounds[max(k0, 0)], bounds[min(k1, n)]

    def total(values: list[int], k0: int, size: int) -> int:
        return values[min(k0 + size, n)] - values[max(k0, 0)]

    def runs(size: int, breaks: Callable[[int], int | None]) -> Iterable[tuple[int, int]]:
        """The worst window ``(k0, value)`` of each run of consecutive breaking windows.

        Windows of ``size`` weeks containing a week of the period, in order; one excess seen
        through several sliding windows is one violation, not one per window.
        """
        best: tuple[int, int] | None = None
        for k0 in range(first - size + 1, last + 1):
            value = breaks(k0)
            if value is None:
                if best is not None:
                    yield best
                best = None
            elif best is None or value > best[1]:
                best = (k0, value)
        if best is not None:
            yield best

    week_limit = s.youth_max_week_work_minutes if youth else s.max_week_work_minutes
    week_rule = "JW-01" if youth else "ATW-02"
    for w in range(first, last + 1):
        if work[w] > week_limit:
            c.add(
                week_rule,
                *span(w, w + 1),
                f"{format_minutes(work[w])} of work in the week of "
                f"{_week_label(bounds[w])}; at most {format_minutes(week_limit)}"
                + (" (school included)" if youth and school_minutes else ""),
                work_minutes=work[w],
                limit_minutes=week_limit,
                week=_week_label(bounds[w]),
            )
    multi = [
        (
            "JW-01" if youth else "ATW-03",
            4,
            s.youth_max_4_weeks_work_minutes if youth else s.max_4_weeks_work_minutes,
        ),
        ("ATW-04", 16, s.max_16_weeks_work_minutes),
    ]
    for rule, size, limit in multi:

        def over(k0: int, size: int = size, limit: int = limit) -> int | None:
            value = total(prefix, k0, size)
            return value if value > limit else None

        for k0, value in runs(size, over):
            label = _week_label(bounds[max(k0, 0)])
            c.add(
                rule,
                *span(k0, k0 + size),
                f"{format_minutes(value)} of work in the {size} weeks from {label}; at most "
                f"{format_minutes(limit)}",
                work_minutes=value,
                limit_minutes=limit,
                weeks=size,
                week=label,
            )
    if youth:
        return

    def heavy(k0: int) -> int | None:
        value = total(prefix, k0, 16)
        count = total(night_prefix, k0, 16)
        enough = count >= s.night_heavy_min_night_shifts_per_16_weeks
        return value if enough and value > s.night_heavy_max_16_weeks_work_minutes else None

    for k0, value in runs(16, heavy):
        label = _week_label(bounds[max(k0, 0)])
        count = total(night_prefix, k0, 16)
        c.add(
            "NA-03",
            *span(k0, k0 + 16),
            f"{count} night shifts and {format_minutes(value)} of work in the 16 weeks from "
            f"{label}; with {s.night_heavy_min_night_shifts_per_16_weeks} or more night shifts "
            f"at most {format_minutes(s.night_heavy_max_16_weeks_work_minutes)}",
            night_shifts=count,
            work_minutes=value,
            limit_minutes=s.night_heavy_max_16_weeks_work_minutes,
            week=label,
        )

    def late(k0: int) -> int | None:
        count = total(late_prefix, k0, 16)
        return count if count > s.max_late_night_shifts_per_16_weeks else None

    for k0, count in runs(16, late):
        label = _week_label(bounds[max(k0, 0)])
        c.add(
            "NA-07",
            *span(k0, k0 + 16),
            f"{count} night shifts ending after {s.late_night_end} in the 16 weeks from {label}; "
            f"at most {s.max_late_night_shifts_per_16_weeks}",
            night_shifts=count,
            limit=s.max_late_night_shifts_per_16_weeks,
            week=label,
        )


def _week_label(start_min: int) -> str:
    day = datetime.fromtimestamp(start_min * 60, TZ).date()
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d} ({day.isoformat()})"


def _rests(duties: Sequence[Duty]) -> list[tuple[int, int]]:
    if not duties:
        return [(-_INF, _INF)]
    out = [(-_INF, duties[0].start_min)]
    out += [(a.end_min, b.start_min) for a, b in zip(duties, duties[1:], strict=False)]
    out.append((duties[-1].end_min, _INF))
    return out


def _weekly_rest(c: _Checker, duties: Sequence[Duty], *, youth: bool, rule: WeeklyRestRule) -> None:
    s = c.settings
    bounds = c.clock.week_starts(s.week_start_day)
    n = len(bounds) - 1
    p0, p1 = c.period
    first = max(bisect.bisect_right(bounds, p0) - 1, 0)
    last = min(bisect.bisect_left(bounds, p1) - 1, n - 1)
    rests = _rests(duties)
    starts = [r[1] for r in rests]

    def clipped(lo: int, hi: int) -> list[int]:
        i = bisect.bisect_right(starts, lo)  # first rest ending after lo
        out = []
        while i < len(rests) and rests[i][0] < hi:
            part = _overlap(rests[i][0], rests[i][1], lo, hi)
            if part:
                out.append(part)
            i += 1
        return out

    def longest(w: int) -> int:
        return max(clipped(bounds[w], bounds[w + 1]), default=0)

    def two_weeks(w: int) -> int:  # rest in blocks >= 32 h in weeks w, w+1
        if w < 0 or w + 2 > n:
            return _INF  # beyond what the clock covers: unknown, assume fine
        return sum(
            m for m in clipped(bounds[w], bounds[w + 2]) if m >= s.two_week_rest_block_minutes
        )

    need7 = s.youth_weekly_rest_minutes if youth else s.weekly_rest_minutes
    if not youth and rule is WeeklyRestRule.FOURTEEN_DAYS:
        # Every two consecutive weeks that touch the period.
        for w in range(max(first - 1, 0), last + 1):
            total = two_weeks(w)
            if total < s.two_week_rest_minutes:
                label = _week_label(bounds[w])
                c.add(
                    "ATW-07",
                    bounds[w],
                    bounds[w + 2],
                    f"Rest in blocks of {format_minutes(s.two_week_rest_block_minutes)} or more "
                    f"in the two weeks from {label} adds up to {format_minutes(total)}; at least "
                    f"{format_minutes(s.two_week_rest_minutes)}",
                    rest_minutes=total,
                    required_minutes=s.two_week_rest_minutes,
                    week=label,
                    block_minutes=s.two_week_rest_block_minutes,
                )
        return
    for w in range(first, last + 1):
        best = longest(w)
        label = _week_label(bounds[w])
        if youth:
            if best < need7:
                c.add(
                    "JW-03",
                    bounds[w],
                    bounds[w + 1],
                    f"Longest rest in the week of {label} is {format_minutes(best)}; at least "
                    f"{format_minutes(need7)} uninterrupted under 18",
                    rest_minutes=best,
                    required_minutes=need7,
                    week=label,
                )
            continue
        if rule is WeeklyRestRule.FOURTEEN_DAYS:
            continue
        if best >= need7:
            continue
        if rule is WeeklyRestRule.EITHER:
            alt = max(two_weeks(w - 1), two_weeks(w))
            if alt >= s.two_week_rest_minutes:
                continue
            c.add(
                "ATW-07",
                bounds[w],
                bounds[w + 1],
                f"Longest rest in the week of {label} is {format_minutes(best)} (at least "
                f"{format_minutes(need7)}), and no two-week window with it has "
                f"{format_minutes(s.two_week_rest_minutes)} of rest in blocks of "
                f"{format_minutes(s.two_week_rest_block_minutes)} or more "
                f"(best {format_minutes(alt)})",
                rest_minutes=best,
                required_minutes=need7,
                two_week_rest_minutes=alt,
                two_week_required_minutes=s.two_week_rest_minutes,
                week=label,
            )
        else:
            c.add(
                "ATW-07",
                bounds[w],
                bounds[w + 1],
                f"Longest rest in the week of {label} is {format_minutes(best)}; at least "
                f"{format_minutes(need7)} uninterrupted",
                rest_minutes=best,
                required_minutes=need7,
                week=label,
            )


def _sundays(
    c: _Checker, duties: Sequence[Duty], shifts: Sequence[ShiftTimes], *, sunday_work_allowed: bool
) -> None:
    s = c.settings
    clock = c.clock
    p0, p1 = c.period
    known_from = min([p0, *(sh.start_min for sh in shifts)])
    d_first, d_last = clock.day_index(known_from), clock.day_index(p1 - 1)
    sundays = [d for d in range(d_first, d_last + 1) if clock.weekday[d] == 6]
    if not sundays:
        return
    worked: dict[int, int] = {}
    midnight, weekday = clock.midnight, clock.weekday
    for duty in duties:
        for a, b in duty.blocks:
            d = max(bisect.bisect_right(midnight, a) - 1, 0)
            while d < clock.n_days and midnight[d] < b:
                if weekday[d] == 6:
                    part = min(b, midnight[d + 1]) - max(a, midnight[d])
                    if part > 0:
                        worked[d] = worked.get(d, 0) + part
                d += 1
    in_period = [d for d in sundays if c.in_period(clock.midnight[d], clock.midnight[d + 1])]
    if s.sunday_work_by_consent and not sunday_work_allowed:
        for d in in_period:
            if d in worked:
                c.add(
                    "ATW-08",
                    clock.midnight[d],
                    clock.midnight[d + 1],
                    f"Works {format_minutes(worked[d])} on Sunday {clock.day(d).isoformat()} "
                    "without consent to Sunday work",
                    minutes=worked[d],
                    date=clock.day(d).isoformat(),
                )
    need = s.min_free_sundays_per_52_weeks
    if len(sundays) >= 52:
        # Every run of 52 Sundays with one of the period; consecutive failing runs are one
        # violation, reported with the fewest free Sundays.
        worst: tuple[int, list[int]] | None = None
        for k in range(len(sundays) - 51):
            block = sundays[k : k + 52]
            free = sum(d not in worked for d in block)
            failing = free < need and any(d in in_period for d in block)
            if failing and (worst is None or free < worst[0]):
                worst = (free, block)
            if worst is not None and (not failing or k == len(sundays) - 52):
                free, block = worst
                c.add(
                    "ATW-09",
                    clock.midnight[block[0]],
                    clock.midnight[block[-1] + 1],
                    f"{free} free Sundays in the 52 weeks to {clock.day(block[-1]).isoformat()}; "
                    f"at least {need}",
                    free_sundays=free,
                    required=need,
                    sundays=52,
                )
                worst = None
        return
    required = math.floor(need * len(sundays) / 52)
    free = sum(d not in worked for d in sundays)
    if free < required:
        c.add(
            "ATW-09",
            clock.midnight[sundays[0]],
            clock.midnight[sundays[-1] + 1],
            f"{free} free Sundays of {len(sundays)}; pro rata {required} of the {need} per 52 "
            "weeks (checked over a shorter period: a warning)",
            severity="warning",
            free_sundays=free,
            required=required,
            sundays=len(sundays),
        )
