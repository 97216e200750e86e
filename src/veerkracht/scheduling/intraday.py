"""Intraday: today's actual volumes against the forecast, the re-forecast for the rest of the day,
and suggestions to close the gaps (docs/intraday.md).

Selectors: `day_view(organisation, day)` (per channel per 15-minute interval: forecast, actual,
re-forecast, required agents, scheduled agents, gap) and `suggestions(view)`.
Services (keyword-only, atomic, validate before saving): actuals (`import_actuals_file`,
`save_actuals`), `move_agent`, `offer_extra_hours`, `answer_offer`, `assign_quick_task`,
`mark_quick_task_done`, `save_quick_task`, `set_quick_task_active`.

Callers pass the organisation that `people.access` gave them; objects are loaded through the
access functions of the "Intraday" section there.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from veerkracht.people import audit
from veerkracht.people.models import AuditAction, Channel, Employee, Organisation
from veerkracht.planning import intraday as core
from veerkracht.planning.calendar import INTERVAL_S, TZ, local_grid, local_midnight_utc_s
from veerkracht.planning.erlang import StaffingInputError
from veerkracht.planning.history import parse_history

from . import selectors
from .availability import MAX_PERIOD_WEEKS, availability_windows
from .messages import row_error_dict
from .models import ContactVolume, Forecast
from .models_availability import RosterPeriod
from .models_roster import (
    ExtraHoursOffer,
    QuickTask,
    QuickTaskAssignment,
    Shift,
    ShiftChangeKind,
    ShiftSource,
    ShiftState,
)
from .roster_build import local_iso, parse_local, rosterable_employees, snapshot_windows
from .services import insert_volumes
from .shifts import (
    assignments_for,
    blocking_errors,
    check_employee_shifts,
    record_change,
    shift_snapshot,
    violation_text,
    work_shift,
)
from .staffing_plan import DEFERRED, contiguous, handling_mask, plan_channel

__all__ = [
    "ActualsFileError",
    "ChannelDay",
    "DayView",
    "Suggestion",
    "allowed_days",
    "answer_offer",
    "assign_quick_task",
    "day_view",
    "import_actuals_file",
    "mark_quick_task_done",
    "move_agent",
    "offer_extra_hours",
    "save_actuals",
    "save_quick_task",
    "set_quick_task_active",
    "suggestions",
]

# Suggestions look this far ahead for moves and quick tasks (extra hours: the rest of the day).
HORIZON_INTERVALS = 16
# An offer of extra hours starts at least this many intervals from now (time to get ready).
OFFER_NOTICE_INTERVALS = 2
MIN_OFFER_MINUTES = 60
MAX_OFFER_MINUTES = 240
MIN_MOVE_INTERVALS = 2
MAX_MOVES = 8
MAX_OFFERS_PER_BLOCK = 5
MAX_OFFERS = 10
MAX_RULE_CHECKS = 40
MAX_QUICK_TASKS = 6


def _labels() -> dict[str, str]:
    return {c: str(label) for c, label in Channel.choices}


def _at(utc_s: int) -> datetime:
    return datetime.fromtimestamp(int(utc_s), TZ)


def _bounds(start_utc_s: Sequence[int] | np.ndarray) -> tuple[datetime, datetime]:
    """The start of the first interval and the end of the last one."""
    return _at(int(start_utc_s[0])), _at(int(start_utc_s[-1]) + INTERVAL_S)


def _live_first(channels: Iterable[str]) -> list[str]:
    """Live channels first: a caller waiting on the phone cannot wait; an e-mail can."""
    return sorted(channels, key=lambda c: (c in DEFERRED, Channel.values.index(c)))


def _hhmm(moment: datetime) -> str:
    return moment.astimezone(TZ).strftime("%H:%M")


def allowed_days(now: datetime | None = None) -> list[date]:
    """The days intraday works on: yesterday and today (local)."""
    today = timezone.localdate(now or timezone.now())
    return [today - timedelta(days=1), today]


# --- The day view -------------------------------------------------------------------------------


@dataclass
class ChannelDay:
    """One channel of a day, one entry per local 15-minute interval (None: no figure)."""

    channel: str
    label: str
    deferred: bool
    forecast: list[float | None]
    actual: list[float | None]
    reforecast: list[float | None]  # the intervals still to come: forecast × ratio
    expected: list[float | None]  # actual where elapsed, re-forecast after: what staffing uses
    required: list[int]
    scheduled: list[int]
    gap: list[int]  # scheduled − required: below 0 short, above 0 spare
    ratio: core.Ratio
    note: str = ""

    @property
    def totals(self) -> dict[str, float]:
        def total(values: Sequence[float | None]) -> float:
            return round(sum(v for v in values if v is not None), 1)

        return {
            "forecast": total(self.forecast),
            "actual": total(self.actual),
            "reforecast": total(self.reforecast),
            "expected": total(self.expected),
        }


@dataclass
class Presence:
    """Who works on which channel in each interval (from published shifts, minus pauses)."""

    shift: Shift
    channels: list[str | None]  # per interval of the day


@dataclass
class DayView:
    organisation: Organisation
    day: date
    now: datetime
    start_utc_s: list[int]
    forecast: Forecast | None
    channels: list[ChannelDay]
    elapsed: int  # intervals [0, elapsed) have ended
    presence: list[Presence] = field(default_factory=list)

    @property
    def times(self) -> list[datetime]:
        return [_at(t) for t in self.start_utc_s]

    @property
    def labels(self) -> list[str]:
        return [_hhmm(t) for t in self.times]

    @property
    def is_past(self) -> bool:
        return self.elapsed >= len(self.start_utc_s)

    @property
    def next_index(self) -> int:
        """The first interval that has not started yet."""
        now_s = self.now.timestamp()
        for i, t in enumerate(self.start_utc_s):
            if t >= now_s:
                return i
        return len(self.start_utc_s)

    def channel(self, name: str) -> ChannelDay | None:
        return next((c for c in self.channels if c.channel == name), None)


def forecast_for_day(organisation: Organisation, day: date) -> Forecast | None:
    """The latest finished forecast that covers the day."""
    return (
        Forecast.objects.filter(
            organisation=organisation,
            status="succeeded",
            first_day__lte=day,
            last_day__gte=day,
        )
        .order_by("-finished_at", "-pk")
        .first()
    )


def _interval_index(start_utc_s: np.ndarray, moment: datetime) -> int:
    return int(np.searchsorted(start_utc_s, int(moment.timestamp())))


def _intervals(starts: np.ndarray, block: Mapping[str, str]) -> range:
    """The intervals of the day that a roster-format block {start, end} covers."""
    return range(
        _interval_index(starts, parse_local(block["start"])),
        _interval_index(starts, parse_local(block["end"])),
    )


def _presence(organisation: Organisation, starts: np.ndarray) -> list[Presence]:
    lo, hi = _bounds(starts)
    shifts = (
        Shift.objects.filter(
            organisation=organisation, state=ShiftState.PUBLISHED, start__lt=hi, end__gt=lo
        )
        .select_related("employee")
        .order_by("employee__last_name", "employee__first_name", "start")
    )
    out = []
    for shift in shifts:
        channels: list[str | None] = [None] * starts.size
        blocks = shift.assignments or []
        if not blocks and shift.employee.channels:
            # A shift without channel blocks: the whole shift on the agent's first channel.
            blocks = assignments_for(shift.start, shift.end, [], shift.employee.channels[0])
        for a in blocks:
            for i in _intervals(starts, a):
                channels[i] = a["channel"]
        for b in shift.breaks or []:
            for i in _intervals(starts, b):
                channels[i] = None
        out.append(Presence(shift, channels))
    return out


def _required(
    params: Any,
    starts: np.ndarray,
    expected: list[float | None],
    after: tuple[list[int], list[float]] = ([], []),
) -> list[int]:
    """Agents needed per interval for the expected contacts: the staffing page's "scheduled"
    figure (with shrinkage), the same figure the roster was built on.

    `after`: the forecast of the following day (starts, contacts). Deferred channels (e-mail,
    social) are answered within hours, so today's late arrivals are due tomorrow: their staffing
    is computed over today and tomorrow and only today's figures are kept."""
    n = starts.size
    idx = [i for i, v in enumerate(expected) if v is not None]
    out = [0] * n
    if not idx:
        return out
    sub_starts = np.concatenate([starts[idx], np.asarray(after[0], dtype=np.int64)])
    sub_values = np.array([expected[i] for i in idx] + list(after[1]), dtype=np.float64)
    if params.deferred:
        grid, _values = contiguous(sub_starts, sub_values)
        if not handling_mask(params, grid).any():
            return out  # not worked on these days: nobody needed
    plan = plan_channel(params, sub_starts, sub_values)
    position = {int(t): i for i, t in enumerate(starts.tolist())}
    for t, agents in zip(plan.start_utc_s.tolist(), plan.scheduled_agents.tolist(), strict=True):
        i = position.get(int(t))
        if i is not None:
            out[i] = int(agents)
    return out


def day_view(organisation: Organisation, day: date, *, now: datetime | None = None) -> DayView:
    """Per channel per 15-minute interval of a local day: forecast (the latest finished forecast
    covering the day), actual so far, re-forecast for the rest of the day (forecast × the intraday
    ratio, planning/intraday.py), required agents for the expected contacts, scheduled agents
    from published shifts (pauses left out) and the gap."""
    now = now or timezone.now()
    grid = local_grid(day, 1)
    starts = np.asarray(grid.start_utc_s, dtype=np.int64)
    n = starts.size
    ends = starts + INTERVAL_S
    elapsed = int(np.searchsorted(ends, int(now.timestamp()), side="right"))
    position = {int(t): i for i, t in enumerate(starts.tolist())}

    forecast = forecast_for_day(organisation, day)
    forecast_values: dict[str, list[float | None]] = {}
    tomorrow: dict[str, tuple[list[int], list[float]]] = {}
    if forecast is not None:
        for channel in forecast.channels:
            result = selectors.channel_result(forecast, channel)
            if result is None:
                continue
            values: list[float | None] = [None] * n
            for t, v in zip(result.start_utc_s.tolist(), result.contacts.tolist(), strict=True):
                i = position.get(int(t))
                if i is not None:
                    values[i] = float(v)
            forecast_values[channel] = values
            nxt = selectors.day_slice(result.start_utc_s, day + timedelta(days=1))
            tomorrow[channel] = (result.start_utc_s[nxt].tolist(), result.contacts[nxt].tolist())

    actual_values: dict[str, list[float | None]] = {}
    day_lo, day_hi = _bounds(starts)
    for channel, start, contacts in ContactVolume.objects.filter(
        organisation=organisation, start__gte=day_lo, start__lt=day_hi
    ).values_list("channel", "start", "contacts"):
        i = position.get(int(start.timestamp()))
        if i is not None:
            actual_values.setdefault(channel, [None] * n)[i] = float(contacts)

    presence = _presence(organisation, starts)
    scheduled_channels = {c for p in presence for c in p.channels if c}
    wanted = set(forecast_values) | set(actual_values) | scheduled_channels
    params = selectors.target_params(organisation) if wanted else {}
    labels = _labels()
    channels = []
    for channel in [c for c in Channel.values if c in wanted]:
        f = forecast_values.get(channel, [None] * n)
        a = actual_values.get(channel, [None] * n)
        # The elapsed part: intervals that ended, up to the last one with an actual figure (an
        # import may lag behind the clock); closed intervals (no forecast, no actual) are skipped.
        last_actual = max((i for i in range(elapsed) if a[i] is not None), default=-1)
        compared = [i for i in range(last_actual + 1) if f[i] is not None or a[i] is not None]
        r = core.ratio(
            [math.nan if f[i] is None else f[i] for i in compared],
            [0.0 if a[i] is None else a[i] for i in compared],
        )
        reforecast: list[float | None] = [
            None if i <= last_actual or f[i] is None else round(f[i] * r.value, 2) for i in range(n)
        ]
        expected = [a[i] if i <= last_actual else reforecast[i] for i in range(n)]
        note = ""
        try:
            after = tomorrow.get(channel, ([], [])) if channel in DEFERRED else ([], [])
            required = _required(params[channel], starts, expected, after)
        except StaffingInputError:
            required = [0] * n
            note = _("The service target of this channel cannot be reached; see Service targets.")
        scheduled = [sum(1 for p in presence if p.channels[i] == channel) for i in range(n)]
        channels.append(
            ChannelDay(
                channel=channel,
                label=labels[channel],
                deferred=channel in DEFERRED,
                forecast=f,
                actual=a,
                reforecast=reforecast,
                expected=expected,
                required=required,
                scheduled=scheduled,
                gap=[s - q for s, q in zip(scheduled, required, strict=True)],
                ratio=r,
                note=note,
            )
        )
    return DayView(
        organisation=organisation,
        day=day,
        now=now,
        start_utc_s=starts.tolist(),
        forecast=forecast,
        channels=channels,
        elapsed=elapsed,
        presence=presence,
    )


# --- Suggestions --------------------------------------------------------------------------------


@dataclass
class Suggestion:
    """One thing the planner can do with one click; `effect` says what it changes."""

    kind: str  # "move", "extra_hours" or "quick_task"
    channel: str  # move / extra hours: the short channel; quick task: the spare one
    start: datetime
    end: datetime
    employee: Employee
    effect: str
    from_channel: str = ""
    shift_id: int | None = None
    task: QuickTask | None = None

    @property
    def title(self) -> str:
        labels = _labels()
        name = self.employee.full_name
        when = f"{_hhmm(self.start)}–{_hhmm(self.end)}"
        if self.kind == "move":
            return _("Move %(name)s from %(from)s to %(to)s, %(when)s") % {
                "name": name,
                "from": labels[self.from_channel],
                "to": labels[self.channel],
                "when": when,
            }
        if self.kind == "extra_hours":
            return _("Offer %(name)s extra hours on %(channel)s, %(when)s") % {
                "name": name,
                "channel": labels[self.channel],
                "when": when,
            }
        assert self.task is not None
        return _("Give %(name)s “%(task)s”, %(when)s") % {
            "name": name,
            "task": self.task.title,
            "when": when,
        }

    def params(self) -> dict[str, Any]:
        """The action's input (form fields and API body)."""
        if self.kind == "move":
            return {
                "shift_id": self.shift_id,
                "start": local_iso(self.start),
                "end": local_iso(self.end),
                "channel": self.channel,
            }
        if self.kind == "extra_hours":
            return {
                "employee_id": self.employee.pk,
                "start": local_iso(self.start),
                "end": local_iso(self.end),
                "channel": self.channel,
            }
        assert self.task is not None
        return {
            "task_id": self.task.pk,
            "employee_id": self.employee.pk,
            "start": local_iso(self.start),
        }


def gap_text(gap: int) -> str:
    """A gap in words: "short by 2", "3 spare", "just enough"."""
    if gap < 0:
        return _("short by %(n)d") % {"n": -gap}
    if gap > 0:
        return _("%(n)d spare") % {"n": gap}
    return _("just enough")


def effect_text(label: str, before: int, after: int) -> str:
    return _("%(channel)s: %(before)s → %(after)s") % {
        "channel": label,
        "before": gap_text(before),
        "after": gap_text(after),
    }


def _runs(mask: Sequence[bool], lo: int, hi: int) -> list[tuple[int, int]]:
    """Maximal runs [a, b) of True in mask[lo:hi]."""
    runs = []
    i = lo
    while i < hi:
        if mask[i]:
            j = i
            while j < hi and mask[j]:
                j += 1
            runs.append((i, j))
            i = j
        else:
            i += 1
    return runs


def suggestions(view: DayView, *, max_rule_checks: int = MAX_RULE_CHECKS) -> list[Suggestion]:
    """Moves between channels, extra-hours offers and quick tasks for the coming intervals.

    Greedy and explainable: each suggestion's effect is applied to the gaps before the next one is
    looked for, so two suggestions never fill the same hole. Nothing for days that are over."""
    if view.is_past or not view.channels:
        return []
    gaps = {c.channel: np.array(c.gap, dtype=np.int64) for c in view.channels}
    labels = _labels()
    starts = view.start_utc_s
    n = len(starts)
    nxt = view.next_index
    out: list[Suggestion] = []
    out += _move_suggestions(view, gaps, labels, nxt, min(n, nxt + HORIZON_INTERVALS))
    out += _extra_hours_suggestions(
        view, gaps, labels, min(n, nxt + OFFER_NOTICE_INTERVALS), n, max_rule_checks
    )
    out += _quick_task_suggestions(view, gaps, labels, nxt, min(n, nxt + HORIZON_INTERVALS))
    return out


def _span(view: DayView, a: int, b: int) -> tuple[datetime, datetime]:
    return _at(view.start_utc_s[a]), _at(view.start_utc_s[b - 1] + INTERVAL_S)


def _movable(gaps: dict[str, np.ndarray], target: str, source_at: list[str | None], i: int) -> bool:
    """Whether an agent on `source_at[i]` can help the short `target` channel in interval i."""
    source = source_at[i]
    if source is None or source == target or gaps[target][i] >= 0:
        return False
    if gaps[source][i] >= 1:
        return True
    # The backlog of e-mail and social media can wait an hour; a live queue cannot.
    return source in DEFERRED and target not in DEFERRED


def _move_suggestions(
    view: DayView,
    gaps: dict[str, np.ndarray],
    labels: dict[str, str],
    lo: int,
    hi: int,
) -> list[Suggestion]:
    out: list[Suggestion] = []
    for target in _live_first(gaps):
        for p in view.presence:
            if len(out) >= MAX_MOVES:
                return out
            employee = p.shift.employee
            if target not in employee.channels:
                continue
            source_at = p.channels
            g_t = gaps[target]

            mask = [i >= lo and _movable(gaps, target, source_at, i) for i in range(hi)]
            for a, b in _runs(mask, lo, hi):
                # One source channel per suggestion: cut the run where the source changes.
                source = source_at[a]
                b = next((j for j in range(a, b) if source_at[j] != source), b)
                if b - a < MIN_MOVE_INTERVALS or source is None:
                    continue
                before_t, before_s = int(g_t[a:b].min()), int(gaps[source][a:b].min())
                g_t[a:b] += 1
                gaps[source][a:b] -= 1
                start, end = _span(view, a, b)
                out.append(
                    Suggestion(
                        kind="move",
                        channel=target,
                        from_channel=source,
                        start=start,
                        end=end,
                        employee=employee,
                        shift_id=p.shift.pk,
                        effect="; ".join(
                            [
                                effect_text(labels[target], before_t, int(g_t[a:b].min())),
                                effect_text(labels[source], before_s, int(gaps[source][a:b].min())),
                            ]
                        ),
                    )
                )
                break  # one move per agent per channel
    return out


def _period_covering(organisation: Organisation, day: date) -> RosterPeriod | None:
    for period in RosterPeriod.objects.filter(
        organisation=organisation,
        start__lte=day,
        start__gt=day - timedelta(weeks=MAX_PERIOD_WEEKS),
    ).order_by("-start"):
        if day < period.start + timedelta(days=period.days):
            return period
    return None


def _windows(
    employee: Employee, day: date, period: RosterPeriod | None
) -> list[tuple[datetime, datetime]]:
    if period is not None:
        return snapshot_windows(employee, period)
    return availability_windows(employee, day, 1)


def _extra_hours_suggestions(
    view: DayView,
    gaps: dict[str, np.ndarray],
    labels: dict[str, str],
    lo: int,
    hi: int,
    max_rule_checks: int,
) -> list[Suggestion]:
    out: list[Suggestion] = []
    short = {c: [i >= lo and g[i] < 0 for i in range(hi)] for c, g in gaps.items()}
    if not any(any(m) for m in short.values()):
        return out
    organisation = view.organisation
    period = _period_covering(organisation, view.day)
    working = {p.shift.employee_id for p in view.presence}
    day_lo, day_hi = _bounds(view.start_utc_s)
    open_offers = set(
        ExtraHoursOffer.objects.filter(
            organisation=organisation,
            status__in=[ExtraHoursOffer.Status.OFFERED, ExtraHoursOffer.Status.ACCEPTED],
            start__lt=day_hi,
            end__gt=day_lo,
        ).values_list("employee_id", flat=True)
    )
    people = [
        e
        for e in rosterable_employees(organisation)
        .prefetch_related("availability_patterns")  # availability_windows reads them per agent
        .order_by("last_name", "first_name", "pk")
        if e.pk not in working and e.pk not in open_offers
    ]
    windows_cache: dict[int, list[tuple[datetime, datetime]]] = {}
    checks = 0
    offered: set[int] = set()
    for channel in _live_first(gaps):
        g = gaps[channel]
        for a, b in _runs(short[channel], lo, hi):
            block_offers = 0
            for employee in people:
                if (
                    block_offers >= MAX_OFFERS_PER_BLOCK
                    or len(out) >= MAX_OFFERS
                    or checks >= max_rule_checks
                    or g[a:b].max() >= 0
                ):
                    break
                if employee.pk in offered or channel not in employee.channels:
                    continue
                if employee.pk not in windows_cache:
                    windows_cache[employee.pk] = _windows(employee, view.day, period)
                block_start, block_end = _span(view, a, b)
                best: tuple[datetime, datetime] | None = None
                for w0, w1 in windows_cache[employee.pk]:
                    s, e = max(w0, block_start), min(w1, block_end)
                    if e - s >= timedelta(minutes=MIN_OFFER_MINUTES) and (
                        best is None or e - s > best[1] - best[0]
                    ):
                        best = (s, e)
                if best is None:
                    continue
                s, e = best[0], min(best[1], best[0] + timedelta(minutes=MAX_OFFER_MINUTES))
                try:
                    candidate = work_shift(employee, s, e, channel)
                except ValueError:
                    continue
                checks += 1
                if _offer_blockers(check_employee_shifts(employee, [candidate]), s, e):
                    continue
                i0 = view.start_utc_s.index(int(s.timestamp()))
                i1 = i0 + int((e - s).total_seconds() // INTERVAL_S)
                before = int(g[i0:i1].min())
                g[i0:i1] += 1
                offered.add(employee.pk)
                block_offers += 1
                out.append(
                    Suggestion(
                        kind="extra_hours",
                        channel=channel,
                        start=s,
                        end=e,
                        employee=employee,
                        effect=_("%(effect)s, if accepted")
                        % {"effect": effect_text(labels[channel], before, int(g[i0:i1].min()))},
                    )
                )
    return out


def _quick_task_suggestions(
    view: DayView,
    gaps: dict[str, np.ndarray],
    labels: dict[str, str],
    lo: int,
    hi: int,
) -> list[Suggestion]:
    tasks = list(QuickTask.objects.filter(organisation=view.organisation, active=True))
    if not tasks:
        return []
    day_lo, day_hi = _bounds(view.start_utc_s)
    busy: dict[int, list[tuple[datetime, datetime]]] = {}
    done_before: dict[int, set[int]] = {}
    for employee_id, task_id, start, end in QuickTaskAssignment.objects.filter(
        task__organisation=view.organisation
    ).values_list("employee_id", "task_id", "start", "end"):
        done_before.setdefault(employee_id, set()).add(task_id)
        if start < day_hi and end > day_lo:
            busy.setdefault(employee_id, []).append((start, end))
    out: list[Suggestion] = []
    given: set[int] = set()
    handed: dict[int, int] = {}  # task id → times suggested in this round (spread the tasks)
    for channel in gaps:
        g = gaps[channel]
        spare = [i >= lo and g[i] >= 1 for i in range(hi)]
        if not any(spare):
            continue
        for p in view.presence:
            if len(out) >= MAX_QUICK_TASKS:
                return out
            employee = p.shift.employee
            if employee.pk in given:
                continue
            candidates = [
                t
                for t in tasks
                if (not t.channel or t.channel == channel)
                and t.pk not in done_before.get(employee.pk, set())
            ]
            if not candidates:
                continue
            mask = [spare[i] and p.channels[i] == channel for i in range(hi)]
            for a, b in _runs(mask, lo, hi):
                fitting = [t for t in candidates if math.ceil(t.minutes / 15) <= b - a]
                task = min(fitting, key=lambda t: handed.get(t.pk, 0), default=None)
                if task is None:
                    continue
                k = math.ceil(task.minutes / 15)
                if g[a : a + k].min() < 1:
                    continue
                start, end = _span(view, a, a + k)
                if any(s < end and e > start for s, e in busy.get(employee.pk, [])):
                    continue
                before = int(g[a : a + k].min())
                g[a : a + k] -= 1
                given.add(employee.pk)
                handed[task.pk] = handed.get(task.pk, 0) + 1
                out.append(
                    Suggestion(
                        kind="quick_task",
                        channel=channel,
                        start=start,
                        end=end,
                        employee=employee,
                        task=task,
                        effect=effect_text(labels[channel], before, int(g[a : a + k].min())),
                    )
                )
                break
    return out


# --- Actuals ------------------------------------------------------------------------------------


class ActualsFileError(Exception):
    """An actuals file with problems: `errors` as row_error_dict dicts; nothing was stored."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(errors)} problem(s)")
        self.errors = errors


def _on_grid(moment: datetime) -> bool:
    local = moment.astimezone(TZ)
    return local.minute % 15 == 0 and local.second == 0 and local.microsecond == 0


def _check_moment(start: datetime, now: datetime) -> str | None:
    """Why an actual for this interval start cannot be stored, or None."""
    if not _on_grid(start):
        return _("Not the start of a 15-minute interval.")
    if start.astimezone(TZ).date() not in allowed_days(now):
        return _("Only intervals of today and yesterday can be entered here.")
    if start > now:
        return _("This interval has not started yet.")
    return None


def _store(
    organisation: Organisation, rows: list[tuple[str, datetime, float, float | None]]
) -> None:
    by_channel: dict[str, list[tuple[datetime, float, float | None]]] = {}
    for channel, start, contacts, aht in rows:
        by_channel.setdefault(channel, []).append((start, contacts, aht))
    for channel, items in by_channel.items():
        insert_volumes(
            organisation_id=organisation.pk,
            channel=channel,
            start_utc_s=[int(s.timestamp()) for s, _c, _a in items],
            contacts=[float(c) for _s, c, _a in items],
            aht_s=[a for _s, _c, a in items],
            replace=True,
        )


@transaction.atomic
def import_actuals_file(
    *,
    organisation: Organisation,
    by: Any,
    filename: str,
    content: bytes,
    now: datetime | None = None,
) -> int:
    """Store today's (or yesterday's) actual volumes from a CSV/XLSX file with the columns of the
    history import (`start`, `channel`, `contacts`, optional `aht_s`). Intervals already stored
    get the new figures. All or nothing: any problem raises ActualsFileError and stores nothing.
    Returns the number of intervals stored."""
    now = now or timezone.now()
    result = parse_history(content)
    if not result.ok or result.history is None:
        raise ActualsFileError([row_error_dict(e) for e in result.errors])
    history = result.history
    rows: list[tuple[str, datetime, float, float | None]] = []
    errors: list[dict[str, Any]] = []
    for channel in history.channels:
        s = history.series[channel]
        for t, c, a in zip(
            s.start_utc_s.tolist(), s.contacts.tolist(), s.aht_s.tolist(), strict=True
        ):
            start = _at(int(t))
            problem = _check_moment(start, now)
            if problem:
                errors.append(
                    {
                        "row": 0,
                        "field": "start",
                        "field_label": _("start"),
                        "code": "not_today",
                        "message": _("%(channel)s %(start)s: %(problem)s")
                        % {
                            "channel": _labels()[channel],
                            "start": formats.date_format(timezone.localtime(start), "j M H:i"),
                            "problem": problem,
                        },
                        "value": local_iso(start),
                    }
                )
            else:
                rows.append((channel, start, float(c), None if math.isnan(a) else float(a)))
    if errors:
        raise ActualsFileError(errors)
    _store(organisation, rows)
    audit.record(
        actor=by,
        action=AuditAction.IMPORT,
        object_type="scheduling.ContactVolume",
        summary=f"intraday actuals {filename[:100]}: {len(rows)} intervals",
        changes={"intervals": len(rows), "channels": list(history.channels)},
    )
    return len(rows)


@transaction.atomic
def save_actuals(
    *,
    organisation: Organisation,
    by: Any,
    rows: Sequence[Mapping[str, Any]],
    now: datetime | None = None,
) -> int:
    """Store actual volumes given as {start (aware datetime), channel, contacts[, aht_s]}.

    Validates every row first; errors name the row and field (`rows[2].start`) and nothing is
    stored. Returns the number of intervals stored."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    clean: list[tuple[str, datetime, float, float | None]] = []
    seen: set[tuple[str, datetime]] = set()
    for n, row in enumerate(rows):
        prefix = f"rows[{n}]."
        start, channel = row.get("start"), row.get("channel")
        contacts, aht = row.get("contacts"), row.get("aht_s")
        ok = True
        if not isinstance(start, datetime):
            errors[prefix + "start"] = [_("Enter a valid date/time.")]
            ok = False
        else:
            if timezone.is_naive(start):
                start = start.replace(tzinfo=TZ)
            problem = _check_moment(start, now)
            if problem:
                errors[prefix + "start"] = [problem]
                ok = False
        if channel not in Channel.values:
            errors[prefix + "channel"] = [_("Unknown channel.")]
            ok = False
        if (
            contacts is None
            or not isinstance(contacts, int | float)
            or contacts < 0
            or math.isnan(contacts)
        ):
            errors[prefix + "contacts"] = [_("Enter a number of 0 or more.")]
            ok = False
        if aht is not None and (not isinstance(aht, int | float) or aht < 0 or math.isnan(aht)):
            errors[prefix + "aht_s"] = [_("Enter a number of 0 or more.")]
            ok = False
        if ok:
            assert isinstance(start, datetime)
            key = (str(channel), start)
            if key in seen:
                errors[prefix + "start"] = [_("This interval appears twice for this channel.")]
                continue
            seen.add(key)
            clean.append(
                (str(channel), start, float(contacts), None if aht is None else float(aht))
            )  # type: ignore[arg-type]
    if not rows:
        errors["rows"] = [_("Send at least one interval.")]
    if errors:
        raise ValidationError(errors)
    _store(organisation, clean)
    audit.record(
        actor=by,
        action=AuditAction.UPDATE,
        object_type="scheduling.ContactVolume",
        summary=f"intraday actuals entered: {len(clean)} intervals",
        changes={"intervals": len(clean)},
    )
    return len(clean)


# --- Actions ------------------------------------------------------------------------------------


def _check_range(start: datetime, end: datetime, now: datetime) -> None:
    errors: dict[str, list[str]] = {}
    if not _on_grid(start):
        errors["start"] = [_("Not the start of a 15-minute interval.")]
    if not _on_grid(end):
        errors["end"] = [_("Not the end of a 15-minute interval.")]
    if end <= start:
        errors["end"] = [_("The end must be after the start.")]
    elif end <= now:
        errors["end"] = [_("This time has already passed.")]
    if errors:
        raise ValidationError(errors)


def _offer_blockers(findings: Sequence[Any], start: datetime, end: datetime) -> list[Any]:
    """What stops an extra shift from `start` to `end`: the hard errors (the law, skills,
    overlaps) and working outside availability in that time (an existing shift elsewhere that
    is outside availability is the planner's earlier agreement, not this offer's problem)."""
    hard = blocking_errors(findings)
    for v in findings:
        if v.severity != "error" or v.rule != "AVL-01":
            continue
        v0 = v.start.replace(tzinfo=TZ) if v.start and v.start.tzinfo is None else v.start
        v1 = v.end.replace(tzinfo=TZ) if v.end and v.end.tzinfo is None else v.end
        if v0 is None or v1 is None or (v0 < end and v1 > start):
            hard.append(v)
    return hard


def _check_employee(organisation: Organisation, employee: Employee) -> None:
    if employee.organisation_id != organisation.pk or not employee.is_active:
        raise ValidationError({"employee_id": [_("Unknown employee.")]})


def _check_trained(employee: Employee, channel: str) -> None:
    if channel not in employee.channels:
        raise ValidationError(
            {
                "channel": [
                    _("%(name)s is not trained for this channel.") % {"name": employee.full_name}
                ]
            }
        )


def _rule_error(findings: Sequence[Any]) -> ValidationError:
    return ValidationError(
        {
            "start": [
                _("The rule check refuses this: %(why)s") % {"why": violation_text(findings[0])}
            ]
        }
    )


def _moved_assignments(
    shift: Shift, start: datetime, end: datetime, channel: str
) -> list[dict[str, str]]:
    """The shift's assignments with [start, end) on `channel`; adjacent blocks of one channel are
    merged."""
    pieces: list[tuple[datetime, datetime, str]] = []
    for a in shift.assignments or []:
        a0, a1, c = parse_local(a["start"]), parse_local(a["end"]), a["channel"]
        for s, e, ch in (
            (a0, min(a1, start), c),
            (max(a0, start), min(a1, end), channel),
            (max(a0, end), a1, c),
        ):
            if e > s:
                pieces.append((s, e, ch))
    pieces.sort()
    merged: list[tuple[datetime, datetime, str]] = []
    for s, e, c in pieces:
        if merged and merged[-1][1] == s and merged[-1][2] == c:
            merged[-1] = (merged[-1][0], e, c)
        else:
            merged.append((s, e, c))
    return [{"start": local_iso(s), "end": local_iso(e), "channel": c} for s, e, c in merged]


def _worked(shift: Shift) -> list[tuple[datetime, datetime]]:
    return [(parse_local(a["start"]), parse_local(a["end"])) for a in shift.assignments or []]


@transaction.atomic
def move_agent(
    *,
    shift: Shift,
    start: datetime,
    end: datetime,
    channel: str,
    by: Any,
    now: datetime | None = None,
) -> Shift:
    """Put the employee of a published shift on `channel` from `start` to `end` (within the work
    of the shift); the rule check runs and the employee gets a change notice."""
    now = now or timezone.now()
    shift = (
        Shift.objects.select_for_update(of=("self",)).select_related("employee").get(pk=shift.pk)
    )
    if shift.state != ShiftState.PUBLISHED:
        raise ValidationError({"shift_id": [_("Only published shifts can be changed here.")]})
    if channel not in Channel.values:
        raise ValidationError({"channel": [_("Unknown channel.")]})
    _check_range(start, end, now)
    employee = shift.employee
    _check_trained(employee, channel)
    covered = sum(
        (max(timedelta(0), min(e, end) - max(s, start)) for s, e in _worked(shift)), timedelta(0)
    )
    if covered != end - start:
        raise ValidationError(
            {"start": [_("The time range must lie within the working time of the shift.")]}
        )
    before = shift_snapshot(shift)
    assignments = _moved_assignments(shift, start, end, channel)
    candidate = {
        "start": local_iso(shift.start),
        "end": local_iso(shift.end),
        "breaks": list(shift.breaks or []),
        "assignments": assignments,
    }
    hard = blocking_errors(check_employee_shifts(employee, [candidate], exclude_ids=[shift.pk]))
    if hard:
        raise _rule_error(hard)
    shift.assignments = assignments
    shift.save(update_fields=["assignments", "updated_at"])
    record_change(
        employee=employee,
        shift=shift,
        kind=ShiftChangeKind.CHANGED,
        before=before,
        after=shift_snapshot(shift),
        by=by,
    )
    audit.record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=shift,
        subject=employee,
        summary=f"intraday: shift {shift.pk} on {channel} {local_iso(start)}–{local_iso(end)}",
    )
    return shift


@transaction.atomic
def offer_extra_hours(
    *,
    organisation: Organisation,
    employee: Employee,
    start: datetime,
    end: datetime,
    channel: str,
    by: Any,
    now: datetime | None = None,
) -> ExtraHoursOffer:
    """Offer voluntary extra hours to an agent: trained for the channel, available, and the extra
    shift passes the rule check (so an accepted offer can become a shift)."""
    now = now or timezone.now()
    _check_employee(organisation, employee)
    if channel not in Channel.values:
        raise ValidationError({"channel": [_("Unknown channel.")]})
    _check_range(start, end, now)
    if start < now:
        raise ValidationError({"start": [_("This time has already passed.")]})
    _check_trained(employee, channel)
    Employee.objects.select_for_update().filter(pk=employee.pk).first()  # one offer at a time
    if ExtraHoursOffer.objects.filter(
        employee=employee,
        status=ExtraHoursOffer.Status.OFFERED,
        start__lt=end,
        end__gt=start,
    ).exists():
        raise ValidationError({"start": [_("This agent already has an open offer at this time.")]})
    try:
        candidate = work_shift(employee, start, end, channel)
    except ValueError as exc:
        raise ValidationError({"end": [str(exc)]}) from None
    findings = _offer_blockers(check_employee_shifts(employee, [candidate]), start, end)
    if findings:
        raise _rule_error(findings)
    offer = ExtraHoursOffer.objects.create(
        organisation=organisation,
        employee=employee,
        start=start,
        end=end,
        channel=channel,
        offered_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit.record(
        actor=by,
        action=AuditAction.CREATE,
        obj=offer,
        subject=employee,
        summary=f"extra hours offered {local_iso(start)}–{local_iso(end)} {channel}",
    )
    return offer


@transaction.atomic
def answer_offer(
    *, offer: ExtraHoursOffer, accept: bool, by: Any, now: datetime | None = None
) -> ExtraHoursOffer:
    """The agent's answer. Accepting re-runs the rule check and adds a published shift (source
    "extra hours") with a change notice; declining is fine and final."""
    now = now or timezone.now()
    offer = (
        ExtraHoursOffer.objects.select_for_update(of=("self",))
        .select_related("employee")
        .get(pk=offer.pk)
    )
    if offer.status != ExtraHoursOffer.Status.OFFERED:
        raise ValidationError(
            _("This offer was already answered or withdrawn (%(status)s).")
            % {"status": offer.get_status_display()}
        )
    if not accept:
        offer.status = ExtraHoursOffer.Status.DECLINED
        offer.answered_at = now
        offer.save(update_fields=["status", "answered_at"])
        audit.record(actor=by, action=AuditAction.UPDATE, obj=offer, summary="extra hours declined")
        return offer
    if offer.end <= now:
        raise ValidationError(_("This offer has expired."))
    employee = offer.employee
    start = offer.start
    candidate = work_shift(employee, start, offer.end, offer.channel)
    hard = blocking_errors(check_employee_shifts(employee, [candidate]))
    if hard:
        raise _rule_error(hard)
    shift = Shift.objects.create(
        organisation=offer.organisation,
        period=_period_covering(offer.organisation, start.astimezone(TZ).date()),
        employee=employee,
        start=start,
        end=offer.end,
        breaks=candidate["breaks"],
        assignments=candidate["assignments"],
        state=ShiftState.PUBLISHED,
        fixed=True,
        source=ShiftSource.EXTRA,
        explanation="Extra hours the employee accepted.",
        reason={"code": "extra_hours"},
        published_at=now,
    )
    offer.status = ExtraHoursOffer.Status.ACCEPTED
    offer.answered_at = now
    offer.shift = shift
    offer.save(update_fields=["status", "answered_at", "shift"])
    record_change(
        employee=employee,
        shift=shift,
        kind=ShiftChangeKind.ADDED,
        before=None,
        after=shift_snapshot(shift),
        by=by,
    )
    audit.record(actor=by, action=AuditAction.UPDATE, obj=offer, summary="extra hours accepted")
    return offer


@transaction.atomic
def withdraw_offer(*, offer: ExtraHoursOffer, by: Any) -> ExtraHoursOffer:
    updated = ExtraHoursOffer.objects.filter(
        pk=offer.pk, status=ExtraHoursOffer.Status.OFFERED
    ).update(status=ExtraHoursOffer.Status.WITHDRAWN, answered_at=timezone.now())
    if not updated:
        raise ValidationError(_("This offer was already answered or withdrawn."))
    offer.refresh_from_db()
    audit.record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=offer,
        subject=offer.employee,
        summary="extra hours offer withdrawn",
    )
    return offer


@transaction.atomic
def assign_quick_task(
    *,
    organisation: Organisation,
    task: QuickTask,
    employee: Employee,
    start: datetime,
    by: Any,
    now: datetime | None = None,
) -> QuickTaskAssignment:
    """Give an agent who works at that time a quick task from `start` for the task's minutes."""
    now = now or timezone.now()
    if task.organisation_id != organisation.pk or not task.active:
        raise ValidationError({"task_id": [_("This quick task is not active.")]})
    _check_employee(organisation, employee)
    end = start + timedelta(minutes=task.minutes)
    if not _on_grid(start):
        raise ValidationError({"start": [_("Not the start of a 15-minute interval.")]})
    if end <= now:
        raise ValidationError({"start": [_("This time has already passed.")]})
    working = any(
        s <= start and end <= e
        for shift in Shift.objects.filter(
            employee=employee, state=ShiftState.PUBLISHED, start__lte=start, end__gte=end
        )
        for s, e in _worked(shift)
    )
    if not working:
        raise ValidationError(
            {"start": [_("%(name)s does not work at that time.") % {"name": employee.full_name}]}
        )
    if QuickTaskAssignment.objects.filter(employee=employee, start__lt=end, end__gt=start).exists():
        raise ValidationError({"start": [_("This agent already has a quick task at that time.")]})
    assignment = QuickTaskAssignment.objects.create(
        task=task,
        employee=employee,
        start=start,
        end=end,
        assigned_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit.record(
        actor=by,
        action=AuditAction.CREATE,
        obj=assignment,
        subject=employee,
        summary=f"quick task {task.pk} at {local_iso(start)}",
    )
    return assignment


@transaction.atomic
def mark_quick_task_done(*, assignment: QuickTaskAssignment, by: Any) -> QuickTaskAssignment:
    if assignment.done_at is None:
        assignment.done_at = timezone.now()
        assignment.save(update_fields=["done_at"])
        audit.record(
            actor=by,
            action=AuditAction.UPDATE,
            obj=assignment,
            subject=assignment.employee,
            summary=f"quick task {assignment.task_id} done",
        )
    return assignment


QUICK_TASK_FIELDS = ("title", "kind", "minutes", "channel", "link")


@transaction.atomic
def save_quick_task(*, organisation: Organisation, by: Any, **values: Any) -> QuickTask:
    """Add a quick task (title, kind, minutes, channel or "" for any, link)."""
    unknown = set(values) - set(QUICK_TASK_FIELDS)
    if unknown:
        raise ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
    task = QuickTask(organisation=organisation, **values)
    task.full_clean()
    task.save()
    audit.record(actor=by, action=AuditAction.CREATE, obj=task, summary=f"quick task {task.title}")
    return task


@transaction.atomic
def set_quick_task_active(*, task: QuickTask, active: bool, by: Any) -> QuickTask:
    task.active = active
    task.save(update_fields=["active"])
    audit.record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=task,
        summary=f"quick task {task.pk} {'activated' if active else 'deactivated'}",
    )
    return task


def day_start_utc(day: date) -> datetime:
    return datetime.fromtimestamp(local_midnight_utc_s(day), UTC)
