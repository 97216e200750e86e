"""Reads for the agent's shifts and the team roster: published shifts shaped for pages, the API
and the calendar feed.

Callers get their querysets from `people/access.py` (own shifts, team shifts); these functions
only shape them. Times are shown in Europe/Amsterdam; weeks are ISO weeks (Dutch teams plan per
week number).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from veerkracht.people.models import Channel, Employee, Team
from veerkracht.planning.calendar import TZ

from .models_roster import Shift, ShiftChange, ShiftState

# One letter per channel for the compact team roster cells (the legend is on the page).
CHANNEL_LETTERS: dict[str, str] = {
    Channel.PHONE: "T",
    Channel.CHAT: "C",
    Channel.EMAIL: "E",
    Channel.SOCIAL: "S",
}


def _parse(value: Any) -> datetime | None:
    """A roster-format local ISO string (or an aware datetime) as an aware datetime."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=TZ)
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=TZ)


def local(moment: datetime) -> datetime:
    return moment.astimezone(TZ)


def hhmm(moment: datetime) -> str:
    return local(moment).strftime("%H:%M")


def channel_label(code: str) -> str:
    labels = dict(Channel.choices)
    return str(labels.get(code, code))


@dataclass(frozen=True)
class Block:
    """A part of a shift: work on a channel, or a break."""

    start: datetime
    end: datetime
    channel: str = ""  # empty for a break

    @property
    def label(self) -> str:
        return channel_label(self.channel) if self.channel else _("Break")

    @property
    def text(self) -> str:
        return f"{hhmm(self.start)}–{hhmm(self.end)}"


def breaks_of(shift: Shift) -> list[Block]:
    result = []
    for item in shift.breaks or []:
        start, end = _parse(item.get("start")), _parse(item.get("end"))
        if start and end:
            result.append(Block(start, end))
    return sorted(result, key=lambda b: b.start)


def channel_blocks(shift: Shift) -> list[Block]:
    """Channel assignments merged into consecutive blocks of the same channel."""
    items = []
    for item in shift.assignments or []:
        start, end = _parse(item.get("start")), _parse(item.get("end"))
        if start and end:
            items.append(Block(start, end, str(item.get("channel", ""))))
    items.sort(key=lambda b: b.start)
    merged: list[Block] = []
    for block in items:
        if merged and merged[-1].channel == block.channel and merged[-1].end == block.start:
            merged[-1] = Block(merged[-1].start, block.end, block.channel)
        else:
            merged.append(block)
    return merged


def timeline(shift: Shift) -> list[Block]:
    """Channel blocks and breaks in time order: what the agent does when."""
    return sorted(channel_blocks(shift) + breaks_of(shift), key=lambda b: b.start)


def channels_of(shift: Shift) -> list[str]:
    """The shift's channels in the order they first occur."""
    seen: list[str] = []
    for block in channel_blocks(shift):
        if block.channel and block.channel not in seen:
            seen.append(block.channel)
    return seen


def worked_minutes(shift: Shift) -> int:
    pause = sum(int((b.end - b.start).total_seconds() // 60) for b in breaks_of(shift))
    return shift.minutes - pause


def iso_week_label(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def parse_iso_week(text: str) -> date:
    """The Monday of an ISO week written as `2026-W44`; ValueError when it is not one."""
    try:
        return date.fromisoformat(f"{text.strip()}-1")
    except (ValueError, AttributeError):
        raise ValueError(text) from None


def day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """Local midnight of `first` and of the day after `last`, as aware datetimes."""
    return (
        datetime.combine(first, time.min, TZ),
        datetime.combine(last + timedelta(days=1), time.min, TZ),
    )


# --- The agent's own shifts -------------------------------------------------------------------


@dataclass
class ShiftView:
    shift: Shift
    start: datetime
    end: datetime
    breaks: list[Block]
    blocks: list[Block]
    timeline: list[Block]
    channels: list[str]
    channel_labels: list[str]
    worked_minutes: int
    swap_url: str | None = None

    @property
    def time_text(self) -> str:
        return f"{hhmm(self.start)}–{hhmm(self.end)}"

    @property
    def day(self) -> date:
        return self.start.date()

    @property
    def worked_hours(self) -> Decimal:
        return Decimal(self.worked_minutes) / 60


def shift_view(shift: Shift) -> ShiftView:
    channels = channels_of(shift)
    return ShiftView(
        shift=shift,
        start=local(shift.start),
        end=local(shift.end),
        breaks=breaks_of(shift),
        blocks=channel_blocks(shift),
        timeline=timeline(shift),
        channels=channels,
        channel_labels=[channel_label(c) for c in channels],
        worked_minutes=worked_minutes(shift),
    )


@dataclass
class WeekView:
    label: str  # "2026-W44"
    number: int
    monday: date
    shifts: list[ShiftView] = field(default_factory=list)
    worked_minutes: int = 0
    contract_minutes: int = 0

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def difference_minutes(self) -> int:
        return self.worked_minutes - self.contract_minutes

    @property
    def worked_hours(self) -> Decimal:
        return Decimal(self.worked_minutes) / 60

    @property
    def contract_hours(self) -> Decimal:
        return Decimal(self.contract_minutes) / 60

    @property
    def difference_hours(self) -> Decimal:
        return Decimal(self.difference_minutes) / 60


def contract_minutes(employee: Employee) -> int:
    return int(Decimal(employee.contract_hours or 0) * 60)


def weeks_of(
    employee: Employee, shifts: Iterable[Shift], *, first: date, weeks: int
) -> list[WeekView]:
    """Shifts grouped by ISO week from the week of `first`, every week listed (also empty ones),
    with the hours worked (breaks excluded) against the contract."""
    monday = monday_of(first)
    result = [
        WeekView(
            label=iso_week_label(monday + timedelta(weeks=n)),
            number=(monday + timedelta(weeks=n)).isocalendar().week,
            monday=monday + timedelta(weeks=n),
            contract_minutes=contract_minutes(employee),
        )
        for n in range(weeks)
    ]
    by_label = {w.label: w for w in result}
    for shift in shifts:
        view = shift_view(shift)
        week = by_label.get(iso_week_label(view.day))
        if week is not None:
            week.shifts.append(view)
            week.worked_minutes += view.worked_minutes
    return result


def published_shifts(employee: Employee, first: date, last: date) -> QuerySet[Shift]:
    """The employee's published shifts that start on the days `first` … `last` (local)."""
    start, end = day_bounds(first, last)
    return Shift.objects.filter(
        employee=employee, state=ShiftState.PUBLISHED, start__gte=start, start__lt=end
    ).order_by("start")


def today_shifts(employee: Employee, *, now: datetime | None = None) -> list[ShiftView]:
    """Today's published shifts (also one that started yesterday and still runs)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    start, end = day_bounds(today, today)
    qs = Shift.objects.filter(
        employee=employee, state=ShiftState.PUBLISHED, start__lt=end, end__gt=start
    ).order_by("start")
    return [shift_view(s) for s in qs]


# --- Change notices ---------------------------------------------------------------------------


def by_name(change: ShiftChange) -> str:
    user = change.by
    if user is None:
        return _("the planning")
    employee = getattr(user, "employee", None)
    return employee.full_name if employee is not None else user.get_username()


# --- Team roster ---------------------------------------------------------------------------------


@dataclass
class RosterCell:
    day: date
    entries: list[dict[str, str]] = field(default_factory=list)  # {"time", "letters"}


@dataclass
class RosterRow:
    employee: Employee
    cells: list[RosterCell]
    shifts: list[ShiftView] = field(default_factory=list)
    worked_minutes: int = 0

    @property
    def worked_hours(self) -> Decimal:
        return Decimal(self.worked_minutes) / 60


def team_week(
    team: Team, members: QuerySet[Employee], monday: date, *, with_channels: bool
) -> tuple[list[date], list[RosterRow]]:
    """Rows of team members, a cell per day with their published shifts' times (and channel
    letters when `with_channels`), and the shifts themselves (for the API). Members without a
    shift that week are listed too."""
    days = [monday + timedelta(days=n) for n in range(7)]
    start, end = day_bounds(days[0], days[-1])
    people = list(members.order_by("first_name", "last_name"))
    rows = {p.pk: RosterRow(p, [RosterCell(d) for d in days]) for p in people}
    shifts = Shift.objects.filter(
        employee__in=people, state=ShiftState.PUBLISHED, start__gte=start, start__lt=end
    ).order_by("start")
    for shift in shifts:
        row = rows[shift.employee_id]
        view = shift_view(shift)
        letters = "".join(CHANNEL_LETTERS.get(c, c[:1].upper()) for c in view.channels)
        row.cells[(view.day - monday).days].entries.append(
            {"time": view.time_text, "letters": letters if with_channels else ""}
        )
        row.shifts.append(view)
        row.worked_minutes += view.worked_minutes
    return days, list(rows.values())
