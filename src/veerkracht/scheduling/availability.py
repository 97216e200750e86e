"""Availability and preferences: services (writes), selectors (reads) and pure helpers.

Agents enter a weekly recurring pattern, date exceptions, channel preferences, wished hours and a
note; per roster period they submit before the deadline. Every change is audited (domain/working-
time.md: "availability and preferences are first-class input with an audit trail").

Who may read whose availability is decided in `people/access.py::availability_subjects_for`;
the selectors here only start from it.

Time: the pattern and exceptions are wall-clock times in Europe/Amsterdam on a 15-minute grid.
`day_quarters` works per local quarter of the day (96 of them); `availability_windows` turns
those into aware datetimes, so a window over a DST switch has its true length.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from veerkracht.people import access, audit
from veerkracht.people.models import AuditAction, Channel, Employee, Organisation, Role, Team

from .models_availability import (
    AvailabilityException,
    AvailabilityKind,
    AvailabilityPattern,
    AvailabilityReminder,
    AvailabilitySubmission,
    EmployeePreferences,
    RosterPeriod,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
GRID_MINUTES = 15
QUARTERS_PER_DAY = 24 * 60 // GRID_MINUTES
MAX_PERIOD_WEEKS = 4
REMIND_DAYS_BEFORE_DEADLINE = 3

# --- Pure helpers -------------------------------------------------------------------------------


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _on_grid(t: time) -> bool:
    return t.second == 0 and t.microsecond == 0 and t.minute % GRID_MINUTES == 0


def check_window(start: time | None, end: time | None) -> dict[str, str]:
    """Errors by field for one window ({} when fine): both on the 15-minute grid, end after start."""
    errors: dict[str, str] = {}
    if start is None or end is None:
        if start is not None or end is not None:
            errors["end" if end is None else "start"] = _(
                "Give both a start and an end time, or neither for the whole day."
            )
        return errors
    for name, value in (("start", start), ("end", end)):
        if not _on_grid(value):
            errors[name] = _("Use quarters of an hour (:00, :15, :30 or :45).")
    if "end" not in errors and _minutes(end) <= _minutes(start):
        errors["end"] = _("The end time must be after the start time.")
    return errors


def overlapping(
    windows: Iterable[tuple[int, time, time]],
) -> tuple[int, time, time] | None:
    """The first window (weekday, start, end) that overlaps an earlier one on the same weekday."""
    seen: dict[int, list[tuple[int, int]]] = {}
    for weekday, start, end in sorted(windows, key=lambda w: (w[0], w[1])):
        s, e = _minutes(start), _minutes(end)
        for os_, oe in seen.get(weekday, []):
            if s < oe and os_ < e:
                return weekday, start, end
        seen.setdefault(weekday, []).append((s, e))
    return None


@dataclass(frozen=True)
class Window:
    """A pattern window or an exception as plain data (start/end None: the whole day)."""

    start: time | None
    end: time | None
    kind: str


def day_quarters(pattern: Sequence[Window], exceptions: Sequence[Window]) -> list[str | None]:
    """Status of each local quarter of one day: "can", "prefer_not", "cannot" or None (not given).

    The weekly pattern first; then the day's exceptions, which override it: "cannot" blocks,
    "can" and "prefer_not" open (an exception without times covers the whole day)."""
    quarters: list[str | None] = [None] * QUARTERS_PER_DAY

    def span(w: Window) -> range:
        if w.start is None or w.end is None:
            return range(QUARTERS_PER_DAY)
        return range(_minutes(w.start) // GRID_MINUTES, _minutes(w.end) // GRID_MINUTES)

    for w in pattern:
        for q in span(w):
            quarters[q] = w.kind
    # Whole-day exceptions first, so a timed exception on the same day refines them.
    for w in sorted(exceptions, key=lambda w: w.start is not None):
        for q in span(w):
            quarters[q] = w.kind
    return quarters


def _local(day: date, minute_of_day: int) -> datetime:
    """Aware local time; a wall-clock time that does not exist (spring forward) moves on."""
    naive = datetime.combine(day, time()) + timedelta(minutes=minute_of_day)
    return naive.replace(tzinfo=AMSTERDAM).astimezone(UTC).astimezone(AMSTERDAM)


def runs(quarters: Sequence[str | None], kinds: set[str]) -> list[tuple[int, int]]:
    """Runs of quarters whose status is in `kinds`, as (first minute, end minute) of the day."""
    result: list[tuple[int, int]] = []
    start: int | None = None
    for q, status in enumerate([*quarters, None]):
        if status in kinds and start is None:
            start = q
        elif status not in kinds and start is not None:
            result.append((start * GRID_MINUTES, q * GRID_MINUTES))
            start = None
    return result


AVAILABLE = {AvailabilityKind.CAN.value, AvailabilityKind.PREFER_NOT.value}


def windows_from(
    pattern: Sequence[tuple[int, Window]],
    exceptions: Sequence[tuple[date, Window]],
    start_date: date,
    days: int,
) -> list[tuple[datetime, datetime]]:
    """Pure core of `availability_windows`: (weekday, window) and (date, window) in."""
    result: list[tuple[datetime, datetime]] = []
    for offset in range(days):
        day = start_date + timedelta(days=offset)
        quarters = day_quarters(
            [w for weekday, w in pattern if weekday == day.weekday()],
            [w for d, w in exceptions if d == day],
        )
        for s, e in runs(quarters, AVAILABLE):
            end = _local(day + timedelta(days=1), 0) if e == 24 * 60 else _local(day, e)
            result.append((_local(day, s), end))
    return result


def availability_windows(
    employee: Employee, start_date: date, days: int
) -> list[tuple[datetime, datetime]]:
    """When the employee can be rostered, as aware Europe/Amsterdam datetimes (start, end).

    The recurring pattern ("can" and "prefer not": both available; the preference is a cost for
    the solver, not a wall), minus "cannot" exceptions, plus "can"/"prefer not" exceptions.
    Times are wall-clock: on the day clocks go forward, 01:00–04:00 lasts two hours."""
    pattern = [
        (p.weekday, Window(p.start, p.end, p.kind)) for p in employee.availability_patterns.all()
    ]
    last = start_date + timedelta(days=days)
    exceptions = [
        (x.date, Window(x.start, x.end, x.kind))
        for x in employee.availability_exceptions.filter(date__gte=start_date, date__lt=last)
    ]
    return windows_from(pattern, exceptions, start_date, days)


# --- Selectors ----------------------------------------------------------------------------------


def is_open(period: RosterPeriod, *, now: datetime | None = None) -> bool:
    return (now or timezone.now()) < period.deadline


def open_periods(employee: Employee, *, now: datetime | None = None) -> QuerySet[RosterPeriod]:
    """Periods whose availability the employee still gives: deadline not passed."""
    return RosterPeriod.objects.filter(
        organisation_id=employee.organisation_id, deadline__gt=now or timezone.now()
    ).order_by("start")


def roster_periods_visible_to_agent(employee: Employee) -> list[RosterPeriod]:
    """Periods of the employee's organisation that have not ended yet, earliest first."""
    today = timezone.localdate()
    return [
        p
        for p in RosterPeriod.objects.filter(
            organisation_id=employee.organisation_id,
            start__gt=today - timedelta(days=7 * MAX_PERIOD_WEEKS),
        ).order_by("start")
        if p.start + timedelta(days=p.days) > today
    ]


def agent_count(organisation: Organisation) -> int:
    return (
        Employee.objects.filter(organisation=organisation, is_active=True, roles__role=Role.AGENT)
        .distinct()
        .count()
    )


def closed_period_for(employee: Employee, day: date) -> RosterPeriod | None:
    """A period past its deadline that contains `day` (its exceptions are then read-only)."""
    for period in RosterPeriod.objects.filter(
        organisation_id=employee.organisation_id,
        start__lte=day,
        start__gt=day - timedelta(days=7 * MAX_PERIOD_WEEKS),
        deadline__lte=timezone.now(),
    ):
        if day < period.start + timedelta(days=period.days):
            return period
    return None


def preferences_of(employee: Employee) -> EmployeePreferences:
    found = EmployeePreferences.objects.filter(employee=employee).first()
    return found or EmployeePreferences(employee=employee)


@dataclass
class OverviewRow:
    employee: Employee
    submitted_at: datetime | None
    days: list[list[str]]  # per day of the week: per hour "can" | "prefer_not" | "cannot" | ""
    preferences: EmployeePreferences | None


def _hour_status(quarters: Sequence[str | None]) -> list[str]:
    order = ("can", "prefer_not", "cannot")
    result = []
    for h in range(24):
        present = set(quarters[h * 4 : h * 4 + 4])
        result.append(next((k for k in order if k in present), ""))
    return result


def overview(
    user: Any, period: RosterPeriod, *, week_start: date, team: Team | None = None
) -> list[OverviewRow]:
    """Per employee the user may see: submitted or not, and a 7 × 24 hour grid for one week."""
    subjects = access.availability_subjects_for(user).filter(roles__role=Role.AGENT).distinct()
    if team is not None:
        subjects = subjects.filter(team=team)
    subjects = subjects.select_related("team").prefetch_related("availability_patterns")
    employees = list(subjects.order_by("last_name", "first_name"))
    ids = [e.pk for e in employees]
    submitted = dict(
        AvailabilitySubmission.objects.filter(period=period, employee_id__in=ids).values_list(
            "employee_id", "submitted_at"
        )
    )
    week = [week_start + timedelta(days=i) for i in range(7)]
    inputs = period_inputs(employees, period)
    prefs = {p.employee_id: p for p in EmployeePreferences.objects.filter(employee_id__in=ids)}
    rows = []
    for e in employees:
        data = inputs[e.pk]
        days = [
            _hour_status(
                day_quarters(
                    [w for wd, w in data.pattern if wd == d.weekday()],
                    data.exceptions.get(d, []),
                )
            )
            for d in week
        ]
        rows.append(OverviewRow(e, submitted.get(e.pk), days, prefs.get(e.pk)))
    return rows


def csv_rows(user: Any, period: RosterPeriod) -> Iterable[list[str]]:
    """One row per employee, day and run of equal status over the whole period."""
    yield [
        "employee_id",
        "employee",
        "team",
        "submitted_at",
        "date",
        "start",
        "end",
        "kind",
    ]
    subjects = (
        access.availability_subjects_for(user)
        .filter(roles__role=Role.AGENT)
        .distinct()
        .select_related("team")
        .prefetch_related("availability_patterns")
        .order_by("last_name", "first_name")
    )
    employees = list(subjects)
    ids = [e.pk for e in employees]
    submitted = dict(
        AvailabilitySubmission.objects.filter(period=period, employee_id__in=ids).values_list(
            "employee_id", "submitted_at"
        )
    )
    inputs = period_inputs(employees, period)
    for e in employees:
        data = inputs[e.pk]
        at = submitted.get(e.pk)
        for offset in range(period.days):
            day = period.start + timedelta(days=offset)
            quarters = day_quarters(
                [w for wd, w in data.pattern if wd == day.weekday()],
                data.exceptions.get(day, []),
            )
            for kind in ("can", "prefer_not", "cannot"):
                for s, end in runs(quarters, {kind}):
                    yield [
                        str(e.pk),
                        e.full_name,
                        e.team.name if e.team else "",
                        timezone.localtime(at).isoformat() if at else "",
                        day.isoformat(),
                        f"{s // 60:02d}:{s % 60:02d}",
                        f"{end // 60:02d}:{end % 60:02d}",
                        kind,
                    ]


def submission_counts(period: RosterPeriod) -> tuple[int, int]:
    """(submitted, expected) for the whole organisation: active agents."""
    expected = agent_count(period.organisation)
    return period.submissions.filter(employee__is_active=True).count(), expected


# --- Services -----------------------------------------------------------------------------------


def _window_text(w: Any) -> str:
    return f"{w.start:%H:%M}–{w.end:%H:%M}" if w.start else _("whole day")


@transaction.atomic
def add_pattern_window(
    *, employee: Employee, weekday: int, start: time, end: time, kind: str, by: Any
) -> AvailabilityPattern:
    errors = check_window(start, end)
    if not 0 <= weekday <= 6:
        errors["weekday"] = _("Choose a weekday.")
    if kind not in (AvailabilityKind.CAN, AvailabilityKind.PREFER_NOT):
        errors["kind"] = _("Choose “can work” or “prefer not”.")
    if errors:
        raise ValidationError(errors)
    existing = [
        (p.weekday, p.start, p.end)
        for p in AvailabilityPattern.objects.select_for_update().filter(employee=employee)
    ]
    if overlapping([*existing, (weekday, start, end)]):
        raise ValidationError({"start": _("This window overlaps another window on the same day.")})
    window = AvailabilityPattern.objects.create(
        employee=employee, weekday=weekday, start=start, end=end, kind=kind
    )
    audit.record(
        actor=by,
        action=AuditAction.CREATE,
        obj=window,
        subject=employee,
        summary=f"weekly availability day {weekday} {_window_text(window)} {kind}",
    )
    return window


@transaction.atomic
def remove_pattern_window(*, window: AvailabilityPattern, by: Any) -> None:
    audit.record(
        actor=by,
        action=AuditAction.DELETE,
        obj=window,
        subject=window.employee,
        summary=f"weekly availability day {window.weekday} {_window_text(window)} {window.kind}",
    )
    window.delete()


@transaction.atomic
def replace_pattern(
    *, employee: Employee, windows: Sequence[tuple[int, time, time, str]], by: Any
) -> list[AvailabilityPattern]:
    """Replace the whole weekly pattern (the API's PUT); errors name `pattern[i].field`."""
    errors: dict[str, str] = {}
    for i, (weekday, start, end, kind) in enumerate(windows):
        for name, message in check_window(start, end).items():
            errors[f"pattern[{i}].{name}"] = message
        if not 0 <= weekday <= 6:
            errors[f"pattern[{i}].weekday"] = _("Choose a weekday.")
        if kind not in (AvailabilityKind.CAN, AvailabilityKind.PREFER_NOT):
            errors[f"pattern[{i}].kind"] = _("Choose “can work” or “prefer not”.")
    if not errors:
        clash = overlapping([(w, s, e) for w, s, e, _k in windows])
        if clash:
            i = next(i for i, w in enumerate(windows) if w[:3] == clash)
            errors[f"pattern[{i}].start"] = _(
                "This window overlaps another window on the same day."
            )
    if errors:
        raise ValidationError(errors)
    before = [
        f"{p.weekday} {_window_text(p)} {p.kind}"
        for p in AvailabilityPattern.objects.filter(employee=employee)
    ]
    AvailabilityPattern.objects.filter(employee=employee).delete()
    created = [
        AvailabilityPattern.objects.create(employee=employee, weekday=w, start=s, end=e, kind=k)
        for w, s, e, k in windows
    ]
    after = [f"{p.weekday} {_window_text(p)} {p.kind}" for p in created]
    if before != after:
        audit.record(
            actor=by,
            action=AuditAction.UPDATE,
            object_type="scheduling.AvailabilityPattern",
            object_id=employee.pk,
            subject=employee,
            summary="weekly availability replaced",
            changes={"pattern": [before, after]},
        )
    return created


def _check_period_open_for(employee: Employee, day: date) -> None:
    closed = closed_period_for(employee, day)
    if closed is not None:
        raise ValidationError(
            {
                "date": _(
                    "The deadline for the roster period %(period)s has passed; ask your team "
                    "lead to change this day."
                )
                % {"period": closed}
            }
        )


@transaction.atomic
def add_exception(
    *,
    employee: Employee,
    day: date,
    start: time | None,
    end: time | None,
    kind: str,
    note: str = "",
    by: Any,
) -> AvailabilityException:
    errors = check_window(start, end)
    if kind not in AvailabilityKind.values:
        errors["kind"] = _("Choose can, cannot or prefer not.")
    if day < timezone.localdate():
        errors["date"] = _("Choose today or a later day.")
    if errors:
        raise ValidationError(errors)
    _check_period_open_for(employee, day)
    same_day = [
        (0, x.start or time(0), x.end or time(23, 59))
        for x in AvailabilityException.objects.select_for_update().filter(
            employee=employee, date=day
        )
    ]
    if overlapping([*same_day, (0, start or time(0), end or time(23, 59))]):
        raise ValidationError({"start": _("This overlaps another exception on the same day.")})
    exception = AvailabilityException.objects.create(
        employee=employee, date=day, start=start, end=end, kind=kind, note=note.strip()
    )
    audit.record(
        actor=by,
        action=AuditAction.CREATE,
        obj=exception,
        subject=employee,
        summary=f"availability exception {day} {_window_text(exception)} {kind}",
    )
    return exception


@transaction.atomic
def remove_exception(*, exception: AvailabilityException, by: Any) -> None:
    _check_period_open_for(exception.employee, exception.date)
    audit.record(
        actor=by,
        action=AuditAction.DELETE,
        obj=exception,
        subject=exception.employee,
        summary=f"availability exception {exception.date} {_window_text(exception)} {exception.kind}",
    )
    exception.delete()


@transaction.atomic
def update_preferences(
    *,
    employee: Employee,
    preferred_channels: Sequence[str],
    unpreferred_channels: Sequence[str],
    wished_minutes_per_week: int | None,
    note: str,
    by: Any,
) -> EmployeePreferences:
    errors: dict[str, str] = {}
    trained = set(employee.channels)
    labels = dict(Channel.choices)
    for field, chosen in (
        ("preferred_channels", preferred_channels),
        ("unpreferred_channels", unpreferred_channels),
    ):
        wrong = [c for c in chosen if c not in trained]
        if wrong:
            errors[field] = _("You are not trained for: %(channels)s.") % {
                "channels": ", ".join(str(labels.get(c, c)) for c in wrong)
            }
    if not errors and set(preferred_channels) & set(unpreferred_channels):
        errors["unpreferred_channels"] = _("A channel cannot be both preferred and unpreferred.")
    if wished_minutes_per_week is not None:
        limit = int(employee.contract_hours * 60)
        if wished_minutes_per_week < 0:
            errors["wished_minutes_per_week"] = _("Wished hours cannot be negative.")
        elif wished_minutes_per_week > limit:
            errors["wished_minutes_per_week"] = _(
                "Wished hours are above your contract of %(hours)s hours a week."
            ) % {"hours": employee.contract_hours.normalize()}
    if errors:
        raise ValidationError(errors)
    prefs = EmployeePreferences.objects.select_for_update().filter(
        employee=employee
    ).first() or EmployeePreferences(employee=employee)
    before = {
        "preferred_channels": prefs.preferred_channels,
        "unpreferred_channels": prefs.unpreferred_channels,
        "wished_minutes_per_week": prefs.wished_minutes_per_week,
        "note": prefs.note,
    }
    prefs.preferred_channels = [c for c in Channel.values if c in preferred_channels]
    prefs.unpreferred_channels = [c for c in Channel.values if c in unpreferred_channels]
    prefs.wished_minutes_per_week = wished_minutes_per_week
    prefs.note = note.strip()
    after = {
        "preferred_channels": prefs.preferred_channels,
        "unpreferred_channels": prefs.unpreferred_channels,
        "wished_minutes_per_week": prefs.wished_minutes_per_week,
        "note": prefs.note,
    }
    created = prefs.pk is None
    prefs.save()
    changes = audit.diff(before, after)
    if changes or created:
        audit.record(
            actor=by,
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            obj=prefs,
            subject=employee,
            summary="roster preferences",
            changes=changes,
        )
    return prefs


@transaction.atomic
def submit_availability(
    *, employee: Employee, period: RosterPeriod, by: Any, now: datetime | None = None
) -> AvailabilitySubmission:
    """Mark the employee's availability as given for the period; again before the deadline
    updates the time. After the deadline: ValidationError."""
    now = now or timezone.now()
    if period.organisation_id != employee.organisation_id:
        raise ValidationError({"period": _("Unknown roster period.")})
    if not is_open(period, now=now):
        raise ValidationError({"period": _("The deadline for this roster period has passed.")})
    submission, created = AvailabilitySubmission.objects.update_or_create(
        employee=employee,
        period=period,
        defaults={"submitted_at": now, "snapshot": take_snapshot(employee, period)},
    )
    audit.record(
        actor=by,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=submission,
        subject=employee,
        summary=f"availability submitted for roster period {period}",
    )
    return submission


def _hhmm_or_none(t: time | None) -> str | None:
    return t.strftime("%H:%M") if t is not None else None


def _time_or_none(text: str | None) -> time | None:
    return time.fromisoformat(text) if text else None


def take_snapshot(employee: Employee, period: RosterPeriod) -> dict[str, Any]:
    """The employee's input for the period as submitted: weekly pattern, the period's exceptions
    and preferences. Once the deadline has passed, the planner's view and roster runs use this,
    so later edits of the weekly pattern (meant for future periods) do not change a closed one."""
    last = period.start + timedelta(days=period.days)
    prefs = preferences_of(employee)
    return {
        "pattern": [
            [p.weekday, _hhmm_or_none(p.start), _hhmm_or_none(p.end), p.kind]
            for p in employee.availability_patterns.all()
        ],
        "exceptions": [
            [x.date.isoformat(), _hhmm_or_none(x.start), _hhmm_or_none(x.end), x.kind]
            for x in employee.availability_exceptions.filter(date__gte=period.start, date__lt=last)
        ],
        "preferences": {
            "preferred_channels": list(prefs.preferred_channels),
            "unpreferred_channels": list(prefs.unpreferred_channels),
            "wished_minutes_per_week": prefs.wished_minutes_per_week,
        },
    }


@dataclass
class PeriodInput:
    """What the planner works with for one employee and period (see `period_inputs`)."""

    pattern: list[tuple[int, Window]]
    exceptions: dict[date, list[Window]]
    preferences: dict[str, Any] | None  # from the snapshot; None: read the live preferences
    frozen: bool  # True: as submitted before the deadline


def period_inputs(
    employees: Sequence[Employee], period: RosterPeriod, *, now: datetime | None = None
) -> dict[int, PeriodInput]:
    """Availability input per employee for the period: after the deadline the snapshot taken at
    the employee's (last) submission; otherwise, or without a submission, the current pattern
    and exceptions."""
    ids = [e.pk for e in employees]
    last = period.start + timedelta(days=period.days)
    snapshots: dict[int, dict[str, Any]] = {}
    if not is_open(period, now=now):
        snapshots = {
            sub.employee_id: sub.snapshot
            for sub in AvailabilitySubmission.objects.filter(period=period, employee_id__in=ids)
            if sub.snapshot
        }
    live_exceptions: dict[int, dict[date, list[Window]]] = {}
    for x in AvailabilityException.objects.filter(
        employee_id__in=[i for i in ids if i not in snapshots],
        date__gte=period.start,
        date__lt=last,
    ):
        live_exceptions.setdefault(x.employee_id, {}).setdefault(x.date, []).append(
            Window(x.start, x.end, x.kind)
        )
    result: dict[int, PeriodInput] = {}
    for e in employees:
        snap = snapshots.get(e.pk)
        if snap is not None:
            exceptions: dict[date, list[Window]] = {}
            for d, a, b, kind in snap.get("exceptions", []):
                exceptions.setdefault(date.fromisoformat(d), []).append(
                    Window(_time_or_none(a), _time_or_none(b), kind)
                )
            result[e.pk] = PeriodInput(
                pattern=[
                    (wd, Window(_time_or_none(a), _time_or_none(b), kind))
                    for wd, a, b, kind in snap.get("pattern", [])
                ],
                exceptions=exceptions,
                preferences=snap.get("preferences"),
                frozen=True,
            )
        else:
            result[e.pk] = PeriodInput(
                pattern=[
                    (p.weekday, Window(p.start, p.end, p.kind))
                    for p in e.availability_patterns.all()
                ],
                exceptions=live_exceptions.get(e.pk, {}),
                preferences=None,
                frozen=False,
            )
    return result


def period_windows(
    employee: Employee, period: RosterPeriod, *, now: datetime | None = None
) -> list[tuple[datetime, datetime]]:
    """When the employee can be rostered in the period, as the planner sees it (snapshot after
    the deadline, see `period_inputs`)."""
    return input_windows(period_inputs([employee], period, now=now)[employee.pk], period)


def input_windows(data: PeriodInput, period: RosterPeriod) -> list[tuple[datetime, datetime]]:
    """The windows of one employee's `PeriodInput` over the period."""
    exceptions = [(d, w) for d, ws in data.exceptions.items() for w in ws]
    return windows_from(data.pattern, exceptions, period.start, period.days)


@transaction.atomic
def create_roster_period(
    *, organisation: Organisation, start: date, weeks: int, deadline: datetime, by: Any
) -> RosterPeriod:
    errors: dict[str, str] = {}
    if start.weekday() != 0:
        errors["start"] = _("A roster period starts on a Monday.")
    if not 1 <= weeks <= MAX_PERIOD_WEEKS:
        errors["weeks"] = _("Choose 1 to 4 weeks.")
    first_moment = datetime.combine(start, time(), tzinfo=AMSTERDAM)
    if deadline >= first_moment:
        errors["deadline"] = _("The deadline must be before the period starts.")
    if errors:
        raise ValidationError(errors)
    period = RosterPeriod.objects.create(
        organisation=organisation,
        start=start,
        weeks=weeks,
        deadline=deadline,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    audit.record(
        actor=by,
        action=AuditAction.CREATE,
        obj=period,
        summary=f"roster period {period}, deadline {timezone.localtime(deadline):%Y-%m-%d %H:%M}",
    )
    return period


def not_submitted_due(*, now: datetime | None = None) -> list[tuple[Employee, RosterPeriod]]:
    """(agent, period) pairs still missing a submission whose deadline is within 3 days."""
    now = now or timezone.now()
    pairs = []
    for period in RosterPeriod.objects.filter(
        deadline__gt=now, deadline__lte=now + timedelta(days=REMIND_DAYS_BEFORE_DEADLINE)
    ):
        agents = (
            Employee.objects.filter(
                organisation_id=period.organisation_id, is_active=True, roles__role=Role.AGENT
            )
            .exclude(availability_submissions__period=period)
            .distinct()
        )
        pairs.extend((agent, period) for agent in agents)
    return pairs


def claim_reminder(*, employee: Employee, period: RosterPeriod, day: date) -> bool:
    """True once per employee, period and day: the row is the lock, so reruns send nothing."""
    try:
        with transaction.atomic():
            AvailabilityReminder.objects.create(employee=employee, period=period, day=day)
    except IntegrityError:
        return False
    return True


def send_reminders(*, now: datetime | None = None) -> list[tuple[Employee, RosterPeriod]]:
    """E-mail agents who have not submitted for a period whose deadline is within 3 days.

    Idempotent per employee, period and day (AvailabilityReminder): safe to run hourly."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = []
    for employee, period in not_submitted_due(now=now):
        if not employee.email or not claim_reminder(employee=employee, period=period, day=today):
            continue
        with translation.override(employee.language):
            deadline = timezone.localtime(period.deadline)
            subject = _("Please give your availability before %(deadline)s") % {
                "deadline": formats.date_format(deadline, "j F H:i")
            }
            body = _(
                "Hello %(name)s,\n\n"
                "The planner is making the roster from %(start)s (%(weeks)s weeks). You have not "
                "yet submitted your availability and preferences for it. The deadline is "
                "%(deadline)s.\n\nOpen Veerkracht, go to My availability and press "
                "“Submit”: %(path)s\n\nYou get this reminder at most once a day."
            ) % {
                "name": employee.first_name,
                "start": formats.date_format(period.start, "j F Y"),
                "weeks": period.weeks,
                "deadline": formats.date_format(deadline, "l j F H:i"),
                "path": reverse("scheduling:my_availability"),
            }
        send_mail(subject, body, None, [employee.email])
        sent.append((employee, period))
    return sent


# --- Demo ---------------------------------------------------------------------------------------


def load_availability_demo(organisation: Organisation, *, seed: int, today: date) -> RosterPeriod:
    """One open period (next Monday, 4 weeks, deadline in 5 days) and realistic input for the
    organisation's agents: parents school hours on some days, students evenings, most weekdays
    08–18 with some "prefer not" evenings; a few exceptions, preferences, ~70 % submitted."""
    rng = random.Random(seed)
    start = today + timedelta(days=7 - today.weekday())
    deadline = datetime.combine(today + timedelta(days=5), time(23, 59), tzinfo=AMSTERDAM)
    period = RosterPeriod.objects.create(
        organisation=organisation, start=start, weeks=4, deadline=deadline
    )
    agents = list(
        Employee.objects.filter(organisation=organisation, is_active=True, roles__role=Role.AGENT)
        .distinct()
        .order_by("pk")
    )
    now = timezone.now()
    patterns: list[AvailabilityPattern] = []
    exceptions: list[AvailabilityException] = []
    prefs: list[EmployeePreferences] = []
    submissions: list[AvailabilitySubmission] = []
    for agent in agents:
        profile = rng.random()
        if profile < 0.2:  # parent: school hours on three or four days
            for weekday in sorted(rng.sample(range(5), rng.choice((3, 4)))):
                patterns.append(
                    AvailabilityPattern(
                        employee=agent, weekday=weekday, start=time(8, 45), end=time(14, 30)
                    )
                )
        elif profile < 0.35:  # student: evenings and a weekend day
            for weekday in (0, 1, 2, 3, 4):
                patterns.append(
                    AvailabilityPattern(
                        employee=agent, weekday=weekday, start=time(17, 0), end=time(22, 0)
                    )
                )
            patterns.append(
                AvailabilityPattern(
                    employee=agent, weekday=rng.choice((5, 6)), start=time(9), end=time(17)
                )
            )
        else:  # weekdays 08–18, some evenings "prefer not"
            for weekday in range(5):
                patterns.append(
                    AvailabilityPattern(
                        employee=agent, weekday=weekday, start=time(8), end=time(18)
                    )
                )
                if rng.random() < 0.3:
                    patterns.append(
                        AvailabilityPattern(
                            employee=agent,
                            weekday=weekday,
                            start=time(18),
                            end=time(21),
                            kind=AvailabilityKind.PREFER_NOT,
                        )
                    )
        if rng.random() < 0.25:
            exceptions.append(
                AvailabilityException(
                    employee=agent,
                    date=start + timedelta(days=rng.randrange(28)),
                    kind=AvailabilityKind.CANNOT,
                    note=rng.choice(("", "Verhuizing", "Bruiloft zus", "Ouderavond")),
                )
            )
        trained = list(agent.channels)
        if trained:
            preferred = rng.sample(trained, 1)
            rest = [c for c in trained if c not in preferred]
            prefs.append(
                EmployeePreferences(
                    employee=agent,
                    preferred_channels=preferred,
                    unpreferred_channels=rest[:1] if rng.random() < 0.4 else [],
                    wished_minutes_per_week=int(agent.contract_hours * 60),
                )
            )
        if rng.random() < 0.7:
            submissions.append(
                AvailabilitySubmission(
                    employee=agent,
                    period=period,
                    submitted_at=now - timedelta(hours=rng.randrange(72)),
                )
            )
    AvailabilityPattern.objects.bulk_create(patterns)
    AvailabilityException.objects.bulk_create(exceptions)
    EmployeePreferences.objects.bulk_create(prefs, ignore_conflicts=True)
    AvailabilitySubmission.objects.bulk_create(submissions, ignore_conflicts=True)
    return period
