"""What rostering stores about people: shifts, changes to them, calendar feeds, swaps, extra-hours
offers and quick tasks. Loaded from scheduling/privacy.py."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from veerkracht.people import mydata
from veerkracht.people.models import Employee
from veerkracht.people.privacy_register import (
    Audience,
    LegalGround,
    Retention,
    declare_no_personal_data,
    declare_not_personal_fields,
    register_category,
)

_ROSTER_AUDIENCES = (Audience.SELF, Audience.TEAM_LEAD, Audience.PLANNER, Audience.SITE_MANAGER)
_ROSTER_VISIBLE_TO = _("You, your team lead(s), planners and managers of your site")

register_category(
    "shifts",
    _("Your shifts: when you work, on which channel, and changes to them"),
    fields=[
        "scheduling.Shift.employee",
        "scheduling.Shift.start",
        "scheduling.Shift.end",
        "scheduling.Shift.breaks",
        "scheduling.Shift.assignments",
        "scheduling.Shift.explanation",
        "scheduling.Shift.reason",
        "scheduling.ShiftChange.employee",
        "scheduling.ShiftChange.kind",
        "scheduling.ShiftChange.before",
        "scheduling.ShiftChange.after",
        "scheduling.ShiftChange.at",
        "scheduling.ShiftChange.by",
        "scheduling.ShiftChange.notified_at",
        "scheduling.ShiftChange.seen_at",
        "scheduling.RosterPublication.published_by",
        "scheduling.RosterRun.created_by",
        "scheduling.AvailabilitySubmission.snapshot",
    ],
    purpose=_(
        "To roster and pay the hours you work, within the Working Hours Act, and to tell you "
        "about changes."
    ),
    legal_ground=LegalGround.LEGAL_OBLIGATION,
    retention=Retention.WORKING_TIME,
    audiences=_ROSTER_AUDIENCES,
)
register_category(
    "calendar_feeds",
    _("Your private calendar feed addresses (only a one-way hash of the secret is kept)"),
    fields=[
        "scheduling.CalendarFeed.employee",
        "scheduling.CalendarFeed.token_hash",
        "scheduling.CalendarFeed.token_hint",
        "scheduling.CalendarFeed.created_at",
        "scheduling.CalendarFeed.last_used_at",
        "scheduling.CalendarFeed.revoked_at",
    ],
    purpose=_("So your own calendar can show your shifts."),
    legal_ground=LegalGround.OPT_IN,
    retention=Retention.ACCOUNT,
    audiences=(Audience.SELF,),
)
register_category(
    "swaps",
    _("Shifts you offered, took over or swapped, and every step of it"),
    fields=[
        "scheduling.SwapRequest.offered_by",
        "scheduling.SwapRequest.taken_by",
        "scheduling.SwapRequest.note",
        "scheduling.SwapRequest.decided_by",
        "scheduling.SwapRequest.decided_at",
        "scheduling.SwapRequest.created_at",
        "scheduling.SwapEvent.actor",
        "scheduling.SwapEvent.at",
        "scheduling.SwapEvent.note",
    ],
    purpose=_("To let you swap or give away shifts with a colleague, approved by your team lead."),
    legal_ground=LegalGround.CONTRACT,
    retention=Retention.WORKING_TIME,
    audiences=(Audience.SELF, Audience.TEAM, Audience.TEAM_LEAD, Audience.PLANNER),
)
register_category(
    "intraday_work",
    _("Extra hours offered to you and quick tasks given to you on quiet moments"),
    fields=[
        "scheduling.ExtraHoursOffer.employee",
        "scheduling.ExtraHoursOffer.start",
        "scheduling.ExtraHoursOffer.end",
        "scheduling.ExtraHoursOffer.status",
        "scheduling.ExtraHoursOffer.offered_by",
        "scheduling.ExtraHoursOffer.offered_at",
        "scheduling.ExtraHoursOffer.answered_at",
        "scheduling.QuickTaskAssignment.employee",
        "scheduling.QuickTaskAssignment.start",
        "scheduling.QuickTaskAssignment.end",
        "scheduling.QuickTaskAssignment.assigned_by",
        "scheduling.QuickTaskAssignment.assigned_at",
        "scheduling.QuickTaskAssignment.done_at",
    ],
    purpose=_("To balance the work of the day: extra hours are voluntary, quick tasks are work."),
    legal_ground=LegalGround.CONTRACT,
    retention=Retention.WORKING_TIME,
    audiences=(Audience.SELF, Audience.TEAM_LEAD, Audience.PLANNER),
)
declare_not_personal_fields(
    "scheduling.Shift",
    [
        "id",
        "organisation",
        "period",
        "state",
        "fixed",
        "source",
        "run",
        "published_at",
        "created_at",
        "updated_at",
    ],
)
declare_not_personal_fields("scheduling.ShiftChange", ["id", "shift"])
declare_not_personal_fields("scheduling.CalendarFeed", ["id"])
declare_not_personal_fields(
    "scheduling.SwapRequest",
    ["id", "organisation", "shift", "kind", "return_shift", "status", "check_result", "updated_at"],
)
declare_not_personal_fields("scheduling.SwapEvent", ["id", "swap", "action", "status_after"])
declare_not_personal_fields(
    "scheduling.ExtraHoursOffer", ["id", "organisation", "channel", "shift"]
)
declare_not_personal_fields("scheduling.QuickTaskAssignment", ["id", "task"])
declare_no_personal_data(
    "scheduling.QuickTask",
    _("Prepared tasks (training modules, knowledge articles, follow-ups); no person is named."),
)
declare_not_personal_fields(
    "scheduling.RosterPublication",
    ["id", "period", "published_at", "days_ahead", "late", "shifts", "changes", "note"],
)
declare_not_personal_fields(
    "scheduling.RosterRun",
    [
        "id",
        "status",
        "progress",
        "message",
        "attempts",
        "cancel_requested",
        "queued_at",
        "started_at",
        "heartbeat_at",
        "finished_at",
        "organisation",
        "period",
        "forecast",
        "created_at",
        "time_limit_s",
        "problem",  # holds availability of everyone; access like availability (planners only)
        "trace",
        "best_objective",
        "best_bound",
        "solver_status",
        "solution",
        "kpis",
        "violations",
        "applied_at",
    ],
)


def _shifts(employee: Employee) -> list[dict[str, Any]]:
    from .models_roster import Shift, ShiftState

    return [
        {
            "start": s.start,
            "end": s.end,
            "breaks": s.breaks,
            "assignments": s.assignments,
            "published_at": s.published_at,
        }
        for s in Shift.objects.filter(employee=employee, state=ShiftState.PUBLISHED)
    ]


def _shift_changes(employee: Employee) -> list[dict[str, Any]]:
    from .models_roster import ShiftChange

    return [
        {"kind": c.kind, "before": c.before, "after": c.after, "at": c.at, "seen_at": c.seen_at}
        for c in ShiftChange.objects.filter(employee=employee)
    ]


def _calendar_feeds(employee: Employee) -> list[dict[str, Any]]:
    from .models_roster import CalendarFeed

    return [
        {
            "ends_in": f.token_hint,
            "created_at": f.created_at,
            "last_used_at": f.last_used_at,
            "revoked_at": f.revoked_at,
        }
        for f in CalendarFeed.objects.filter(employee=employee)
    ]


def _swaps(employee: Employee) -> list[dict[str, Any]]:
    from django.db.models import Q

    from .models_roster import SwapRequest

    return [
        {
            "shift_start": s.shift.start,
            "shift_end": s.shift.end,
            "kind": s.kind,
            "role": "offered" if s.offered_by_id == employee.pk else "took",
            "status": s.status,
            "note": s.note if s.offered_by_id == employee.pk else "",
            "created_at": s.created_at,
            "decided_at": s.decided_at,
        }
        for s in SwapRequest.objects.filter(Q(offered_by=employee) | Q(taken_by=employee))
        .select_related("shift")
        .order_by("created_at")
    ]


def _intraday(employee: Employee) -> list[dict[str, Any]]:
    from .models_roster import ExtraHoursOffer, QuickTaskAssignment

    offers = [
        {
            "kind": "extra_hours",
            "start": o.start,
            "end": o.end,
            "channel": o.channel,
            "status": o.status,
        }
        for o in ExtraHoursOffer.objects.filter(employee=employee)
    ]
    tasks = [
        {"kind": "quick_task", "task": a.task.title, "start": a.start, "end": a.end}
        for a in QuickTaskAssignment.objects.filter(employee=employee).select_related("task")
    ]
    return offers + tasks


mydata.register("shifts", _("Your published shifts"), _shifts, visible_to=_ROSTER_VISIBLE_TO)
mydata.register(
    "shift_changes", _("Changes to your shifts"), _shift_changes, visible_to=_ROSTER_VISIBLE_TO
)
mydata.register(
    "calendar_feeds", _("Your calendar feed addresses"), _calendar_feeds, visible_to=_("You")
)
mydata.register(
    "swaps",
    _("Your shift swaps"),
    _swaps,
    visible_to=_("You, the colleague involved, your team lead(s) and planners"),
)
mydata.register(
    "intraday_work",
    _("Extra hours offered to you and quick tasks"),
    _intraday,
    visible_to=_("You, your team lead(s) and planners"),
)
