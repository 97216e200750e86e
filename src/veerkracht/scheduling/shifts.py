"""Shared pieces for everything that changes shifts: the rule check of one employee, the
statutory pause, translated checker findings, and change notices to the employee.

Roster runs, hand edits, publishing, swaps and intraday actions all use these, so an agent hears
about every change of a published shift in the same way and every change is checked against the
same rules (`veerkracht.planning.roster.check`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from veerkracht.people.models import Employee
from veerkracht.planning.calendar import TZ
from veerkracht.planning.roster.check import Violation, check_solution
from veerkracht.planning.roster.model import (
    RosterProblem,
    RosterShift,
    RosterSolution,
    SolutionStatus,
    WorkingTimeSettings,
)
from veerkracht.planning.roster.patterns import pause_for

from .availability import availability_windows
from .models_roster import Shift, ShiftChange, ShiftChangeKind, ShiftState
from .roster_build import age_on, employee_key, local_iso, parse_local, shift_payload
from .selectors_shifts import channel_label, monday_of

logger = logging.getLogger(__name__)

__all__ = [
    "RULE_TITLES",
    "assignments_for",
    "break_for",
    "check_employee_shifts",
    "reason_text",
    "record_changes",
    "work_shift",
    "blocking_errors",
    "is_law_rule",
    "law_errors",
    "record_change",
    "send_change_notices",
    "shift_snapshot",
    "violation_json",
    "violation_text",
]

LAW_PREFIXES = ("ATW-", "NA-", "JW-")

# One translated title per checker rule id (planning/roster/check.py and rules.py; the ids are
# documented in docs/roster-format.md). The English detail of the core stays in the API output.
RULE_TITLES: dict[str, Any] = {
    "ATW-01": gettext_lazy("Too much work in one shift"),
    "ATW-02": gettext_lazy("Too much work in one week"),
    "ATW-03": gettext_lazy("Too much work on average over 4 weeks"),
    "ATW-04": gettext_lazy("Too much work on average over 16 weeks"),
    "ATW-05": gettext_lazy("Too little rest between two shifts"),
    "ATW-06": gettext_lazy("Too little pause in a shift"),
    "ATW-07": gettext_lazy("Too little uninterrupted weekly rest"),
    "ATW-08": gettext_lazy("Sunday work without consent"),
    "ATW-09": gettext_lazy("Too few free Sundays"),
    "NA-01": gettext_lazy("Too much work in a night shift"),
    "NA-02": gettext_lazy("Too many extended night shifts"),
    "NA-03": gettext_lazy("Too little rest after an extended night shift"),
    "NA-04": gettext_lazy("Too little rest after a late night shift"),
    "NA-05": gettext_lazy("Too little rest after a series of night shifts"),
    "NA-06": gettext_lazy("Too many consecutive shifts with night work"),
    "NA-07": gettext_lazy("Too many night shifts in 16 weeks"),
    "NA-08": gettext_lazy("Too many late night shifts in 16 weeks"),
    "JW-01": gettext_lazy("Too much work for an employee under 18"),
    "JW-02": gettext_lazy("Night work or too little rest for an employee under 18"),
    "JW-03": gettext_lazy("Too little weekly rest for an employee under 18"),
    "JW-04": gettext_lazy("Too little pause for an employee under 18"),
    "AVL-01": gettext_lazy("Works outside the given availability"),
    "SKL-01": gettext_lazy("Assigned to a channel the employee is not trained for"),
    "CON-01": gettext_lazy("Fewer hours than the contract minimum"),
    "CON-02": gettext_lazy("More hours than the contract allows"),
    "COV-01": gettext_lazy("Demand not covered"),
    "COV-02": gettext_lazy("Coverage figures do not match the shifts"),
    "COV-03": gettext_lazy("Coverage figures do not match the shifts"),
    "FIX-01": gettext_lazy("A fixed shift was changed or left out"),
    "PUB-01": gettext_lazy("Published later than the required days ahead"),
    "SR-01": gettext_lazy("Shift length outside the shift rules"),
    "SR-02": gettext_lazy("Start time not allowed by the shift rules"),
    "SR-03": gettext_lazy("Starts outside the allowed hours"),
    "SR-04": gettext_lazy("Ends after the latest end"),
    "SHF-01": gettext_lazy("Shifts of one employee overlap"),
    "ASG-01": gettext_lazy("Channel assignment outside the shift"),
    "ASG-02": gettext_lazy("Channel assignment during a pause"),
    "ASG-03": gettext_lazy("Channel assignments overlap or leave gaps"),
    "SOL-01": gettext_lazy("Unknown employee"),
    "SOL-02": gettext_lazy("Shift times are not valid"),
    "SOL-03": gettext_lazy("Pause outside the shift or overlapping another pause"),
    "SOL-04": gettext_lazy("Unknown channel"),
}


def is_law_rule(rule: str) -> bool:
    """True for rules of the Working Hours Act (ATW), its night rules (NA) and youth rules (JW)."""
    return rule.startswith(LAW_PREFIXES)


def law_errors(violations: Iterable[Violation]) -> list[Violation]:
    """The findings that block a change: errors (not warnings) of the working-time law.

    Warnings (such as a once-a-week shortened rest) are shown but do not block."""
    return [v for v in violations if v.severity == "error" and is_law_rule(v.rule)]


def blocking_errors(violations: Iterable[Violation]) -> list[Violation]:
    """Errors that make a single change impossible: law errors, a channel the employee is not
    trained for, overlapping shifts, invalid times. Working outside availability (AVL-01) is an
    error too, but a planner may roster it after agreement with the agent; callers decide."""
    hard = ("SKL-", "SHF-", "SOL-", "ASG-")
    return [
        v
        for v in violations
        if v.severity == "error" and (is_law_rule(v.rule) or v.rule.startswith(hard))
    ]


def _moment(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    return parse_local(str(value))


def _when(start: datetime | None, end: datetime | None) -> str:
    if start is None:
        return ""
    s = start.astimezone(TZ)
    text = formats.date_format(s, "D j M H:i")
    if end is not None:
        e = end.astimezone(TZ)
        text += "–" + (
            formats.time_format(e, "H:i")
            if e.date() == s.date()
            else formats.date_format(e, "D j M H:i")
        )
    return text


def violation_text(v: Violation | Mapping[str, Any], employee_name: str | None = None) -> str:
    """One translated line: what rule, whose, when (e.g. "Too little rest between two shifts —
    Alice de Vries — ma 23 nov 22:00–di 24 nov 07:00")."""
    data = v.model_dump() if isinstance(v, Violation) else dict(v)
    rule = str(data.get("rule", ""))
    title = str(RULE_TITLES.get(rule, rule))
    parts = [f"{title} ({rule})" if rule else title]
    if employee_name:
        parts.append(employee_name)
    when = _when(_moment(data.get("start")), _moment(data.get("end")))
    if when:
        parts.append(when)
    return " — ".join(parts)


def violation_json(v: Violation, employees: Mapping[str, Employee] | None = None) -> dict[str, Any]:
    """A checker finding for pages and the API: rule, severity, who, when, text (translated)
    and detail (the core's English sentence with the numbers)."""
    person = (employees or {}).get(v.employee or "")
    name = person.full_name if person is not None else None
    return {
        "rule": v.rule,
        "severity": v.severity,
        "law": is_law_rule(v.rule),
        "employee": int(v.employee) if v.employee and v.employee.isdigit() else v.employee,
        "employee_name": name,
        "start": v.start.isoformat() if v.start else None,
        "end": v.end.isoformat() if v.end else None,
        "text": violation_text(v, name),
        "detail": v.message,
    }


def _hours(minutes: int) -> str:
    return _("%(hours)s h") % {
        "hours": formats.number_format(minutes / 60, 1 if minutes % 60 else 0)
    }


def reason_text(reason: Mapping[str, Any] | None) -> str:
    """Why a shift was rostered, in the active language ("" when there is no reason).

    From the solver's `shift_reason` parameters: the demand per channel the shift covers, that it
    lies within availability, and the share of work on a preferred channel."""
    if not reason:
        return ""
    code = reason.get("code")
    if code == "extra_hours":
        return _("Extra hours you accepted.")
    if code != "shift_reason":
        return ""
    params = reason.get("params") or {}
    covered = {c: int(m) for c, m in (params.get("covered_minutes") or {}).items() if m}
    if covered:
        parts = [
            _("covers demand on %(channels)s")
            % {
                "channels": ", ".join(
                    f"{channel_label(c)} ({_hours(m)})" for c, m in covered.items()
                )
            }
        ]
    else:
        parts = [_("covers no open demand (contract hours)")]
    if params.get("within_availability"):
        parts.append(_("within the given availability"))
    share = params.get("preferred_share")
    if share is not None:
        parts.append(
            _("%(percent)s%% of the time on a preferred channel")
            % {"percent": round(100 * float(share))}
        )
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


# --- Building shifts ----------------------------------------------------------------------------


def break_for(
    start: datetime,
    end: datetime,
    *,
    youth: bool = False,
    settings: WorkingTimeSettings | None = None,
) -> list[dict[str, str]]:
    """The shortest statutory pause for a shift from `start` to `end`, in the middle, on the
    15-minute grid (as the solver places it); [] when none is needed. Raises ValueError when no
    pause makes the shift legal (too much work for one shift)."""
    length = int((end - start).total_seconds() // 60)
    pause = pause_for(length, youth=youth, settings=settings or WorkingTimeSettings())
    if pause is None:
        raise ValueError(_("A shift this long has too much work for one shift."))
    if not pause:
        return []
    mid = (length - pause) // 2 // 15 * 15
    b0 = start + timedelta(minutes=mid)
    return [{"start": local_iso(b0), "end": local_iso(b0 + timedelta(minutes=pause))}]


def assignments_for(
    start: datetime, end: datetime, breaks: Sequence[Mapping[str, str]], channel: str
) -> list[dict[str, str]]:
    """One channel for all work of the shift: the time blocks between the pauses."""
    blocks: list[dict[str, str]] = []
    cursor = start
    for b in sorted(breaks, key=lambda b: b["start"]):
        b0, b1 = parse_local(b["start"]), parse_local(b["end"])
        if b0 > cursor:
            blocks.append({"start": local_iso(cursor), "end": local_iso(b0), "channel": channel})
        cursor = max(cursor, b1)
    if end > cursor:
        blocks.append({"start": local_iso(cursor), "end": local_iso(end), "channel": channel})
    return blocks


def work_shift(employee: Employee, start: datetime, end: datetime, channel: str) -> dict[str, Any]:
    """A shift of `employee` in the roster format on one channel, with the shortest statutory
    pause in the middle (the youth rules when the employee is under 18 that day). Raises
    ValueError when no pause makes it legal."""
    age = age_on(employee, start.astimezone(TZ).date())
    youth = age is not None and age < WorkingTimeSettings().adult_age
    breaks = break_for(start, end, youth=youth)
    return {
        "start": local_iso(start),
        "end": local_iso(end),
        "breaks": breaks,
        "assignments": assignments_for(start, end, breaks, channel),
    }


def shift_snapshot(shift: Shift | Mapping[str, Any] | None) -> dict[str, Any] | None:
    """What a change notice keeps of a shift: times and channels (local ISO)."""
    if shift is None:
        return None
    data = shift_payload(shift) if isinstance(shift, Shift) else dict(shift)
    channels: list[str] = []
    for a in data.get("assignments") or []:
        if a["channel"] not in channels:
            channels.append(a["channel"])
    return {"start": data["start"], "end": data["end"], "channels": channels}


# --- Rule check of one employee -----------------------------------------------------------------


def check_employee_shifts(
    employee: Employee,
    candidate: Sequence[Mapping[str, Any]],
    *,
    exclude_ids: Iterable[int] = (),
    availability: bool = True,
) -> list[Violation]:
    """Check `candidate` shifts (roster format dicts) of `employee` together with the employee's
    published shifts around them (±14 days, minus `exclude_ids`) against the working-time law,
    skills and (unless `availability=False`) availability. Contract minimums are not checked:
    a single change is not a whole roster. Returns the findings about this employee."""
    if not candidate:
        return []
    starts = [parse_local(c["start"]) for c in candidate]
    ends = [parse_local(c["end"]) for c in candidate]
    first = monday_of(min(starts).astimezone(TZ).date() - timedelta(days=7))
    last = monday_of(max(ends).astimezone(TZ).date()) + timedelta(days=14)
    days = min((last - first).days, 28)
    lo = datetime.combine(first, datetime.min.time(), TZ)
    hi = datetime.combine(first + timedelta(days=days), datetime.min.time(), TZ)
    excluded = set(exclude_ids)
    around = [
        s
        for s in Shift.objects.filter(
            employee=employee,
            state=ShiftState.PUBLISHED,
            end__gt=lo - timedelta(days=7),
            start__lt=hi,
        ).order_by("start")
        if s.pk not in excluded
    ]
    inside = [shift_payload(s) for s in around if s.start >= lo and s.end <= hi]
    before = [shift_payload(s) for s in around if s.start < lo]
    own = [
        dict(c) for c in candidate if lo <= parse_local(c["start"]) and parse_local(c["end"]) <= hi
    ]
    if availability:
        windows = [
            {"start": local_iso(max(s, lo)), "end": local_iso(min(e, hi))}
            for s, e in availability_windows(employee, first, days)
            if min(e, hi) > max(s, lo)
        ]
    else:
        windows = [{"start": local_iso(lo), "end": local_iso(hi)}]
    channels = sorted(
        set(employee.channels) | {a["channel"] for c in own for a in c.get("assignments", [])}
    )
    key = employee_key(employee)
    problem = RosterProblem.model_validate(
        {
            "start": first.isoformat(),
            "days": days,
            "channels": channels or ["phone"],
            "demand": {},
            "shift_rules": {"min_minutes": 15, "max_minutes": 1440},
            "employees": [
                {
                    "id": key,
                    "skills": list(employee.channels),
                    "availability": windows,
                    "min_minutes_per_week": 0,
                    "max_minutes_per_week": 7 * 1440,
                    "previous_shifts": before,
                    **({"age": age_on(employee, first)} if employee.birthday else {}),
                }
            ],
        }
    )
    solution = RosterSolution(
        status=SolutionStatus.FEASIBLE,
        shifts=[RosterShift(employee=key, **s) for s in inside + own],
    )
    report = check_solution(problem, solution)
    return [
        v
        for v in report.violations
        if v.employee in (key, None) and not v.rule.startswith(("COV", "CON", "PUB"))
    ]


# --- Change notices -----------------------------------------------------------------------------


def record_change(
    *,
    employee: Employee,
    shift: Shift | None,
    kind: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    by: Any = None,
) -> ShiftChange:
    """Record that a published shift of `employee` changed, and e-mail it after the commit.

    `before`/`after` are `shift_snapshot`s (None for a new or a removed shift)."""
    (change,) = record_changes(
        [
            ShiftChange(
                employee=employee,
                shift=shift,
                kind=kind,
                before=dict(before) if before else None,
                after=dict(after) if after else None,
            )
        ],
        by=by,
    )
    return change


def record_changes(changes: Sequence[ShiftChange], *, by: Any = None) -> list[ShiftChange]:
    """Record many notices at once (a publication): one insert, and after the commit one
    e-mail per employee with all of their notices."""
    now = timezone.now()
    user = by if getattr(by, "is_authenticated", False) else None
    for change in changes:
        change.at, change.by = now, user
    made = ShiftChange.objects.bulk_create(changes)
    employee_ids = sorted({c.employee_id for c in made})
    if employee_ids:
        transaction.on_commit(lambda: send_change_notices(employee_ids=employee_ids))
    return made


def _snapshot_text(snap: Mapping[str, Any] | None) -> str:
    if not snap:
        return "—"
    text = _when(_moment(snap["start"]), _moment(snap["end"]))
    if snap.get("channels"):
        text += " (" + ", ".join(channel_label(c) for c in snap["channels"]) + ")"
    return text


def change_text(change: ShiftChange) -> str:
    """One translated line about a change, for the page and the e-mail."""
    kind = str(ShiftChangeKind(change.kind).label)
    if change.kind == ShiftChangeKind.CHANGED:
        return _("%(kind)s: was %(before)s, now %(after)s") % {
            "kind": kind.capitalize(),
            "before": _snapshot_text(change.before),
            "after": _snapshot_text(change.after),
        }
    snap = change.after or change.before
    return f"{kind.capitalize()}: {_snapshot_text(snap)}"


def send_change_notices(
    *, employee_ids: Iterable[int] | None = None, now: datetime | None = None
) -> int:
    """E-mail every change notice not yet e-mailed: one mail per employee, in their language.

    Claims each notice with a conditional update first, so two workers (or a retry after a
    crash) never send the same notice twice. Returns the number of e-mails sent."""
    now = now or timezone.now()
    pending = ShiftChange.objects.filter(notified_at__isnull=True)
    if employee_ids is not None:
        pending = pending.filter(employee_id__in=list(employee_ids))
    sent = 0
    for employee_id in sorted(set(pending.values_list("employee_id", flat=True))):
        ids = list(
            pending.filter(employee_id=employee_id)
            .order_by("at", "pk")
            .values_list("pk", flat=True)
        )
        claimed = ShiftChange.objects.filter(pk__in=ids, notified_at__isnull=True).update(
            notified_at=now
        )
        if not claimed:
            continue
        changes = list(
            ShiftChange.objects.filter(pk__in=ids, notified_at=now).select_related("employee")
        )
        if not changes:
            continue
        employee = changes[0].employee
        if not employee.email or employee.erased_at is not None:
            continue
        with translation.override(employee.language):
            subject = _("Your roster has changed")
            lines = [
                _("Hello %(name)s,") % {"name": employee.first_name},
                "",
                _("These shifts of yours changed:"),
                *[f"- {change_text(c)}" for c in changes],
                "",
                _("See all your shifts under “My shifts” in Veerkracht."),
            ]
        try:
            send_mail(subject, "\n".join(lines), None, [employee.email])
        except Exception:  # a mail server down must not lose the notices: try again later
            logger.exception("Could not e-mail shift changes to employee %s", employee_id)
            ShiftChange.objects.filter(pk__in=[c.pk for c in changes]).update(notified_at=None)
            continue
        sent += 1
    return sent
