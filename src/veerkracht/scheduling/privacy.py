"""What the planning app stores about people: only who uploaded history and who made forecasts.

Contact volumes and service targets are about the contact center, not about a person.
"""

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

declare_no_personal_data(
    "scheduling.ServiceTarget",
    _("Service targets per channel of the organisation; no person is named."),
)
declare_no_personal_data(
    "scheduling.ContactVolume",
    _("Numbers of customer contacts per channel and interval; no person is named."),
)

register_category(
    "planning_work",
    _("Planning files you uploaded and forecasts you made"),
    fields=[
        "scheduling.HistoryUpload.uploaded_by",
        "scheduling.HistoryUpload.uploaded_at",
        "scheduling.Forecast.created_by",
        "scheduling.Forecast.created_at",
        "scheduling.RosterPeriod.created_by",
        "scheduling.RosterPeriod.created_at",
    ],
    purpose=_("To show planners who prepared a forecast or imported contact history, and when."),
    legal_ground=LegalGround.LEGITIMATE_INTEREST,
    retention=Retention.ACCOUNT,
    audiences=(Audience.SELF, Audience.PLANNER, Audience.SITE_MANAGER),
)
declare_not_personal_fields(
    "scheduling.HistoryUpload",
    [
        "id",
        "organisation",
        "imported_at",
        "filename",
        "status",
        "rows",
        "channels",
        "first_start",
        "last_start",
        "counts",
        "parsed",
    ],
)
declare_not_personal_fields(
    "scheduling.Forecast",
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
        "horizon_days",
        "channels",
        "adjustments",
        "based_on",
        "history_end",
        "first_day",
        "last_day",
        "method",
        "result",
        "metrics",
    ],
)


def _planning_work(employee: Employee) -> list[dict[str, Any]]:
    from .models import Forecast, HistoryUpload

    if employee.user_id is None:
        return []
    uploads = [
        {
            "kind": "history_upload",
            "at": u.uploaded_at.isoformat(),
            "file": u.filename,
            "rows": u.rows,
        }
        for u in HistoryUpload.objects.filter(uploaded_by=employee.user_id).order_by("uploaded_at")
    ]
    forecasts = [
        {
            "kind": "forecast",
            "at": f.created_at.isoformat(),
            "horizon_days": f.horizon_days,
            "channels": f.channels,
        }
        for f in Forecast.objects.filter(created_by=employee.user_id).order_by("created_at")
    ]
    return uploads + forecasts


mydata.register(
    "planning_work",
    _("Planning files you uploaded and forecasts you made"),
    _planning_work,
    visible_to=_("You, planners and site managers"),
)


# --- Availability and preferences (availability.py) ----------------------------------------------

_AVAILABILITY_AUDIENCES = (Audience.SELF, Audience.TEAM_LEAD, Audience.PLANNER)
_AVAILABILITY_VISIBLE_TO = _("You, your team lead(s) and planners")

declare_not_personal_fields(
    "scheduling.RosterPeriod", ["id", "organisation", "start", "weeks", "deadline", "shift_rules"]
)
register_category(
    "availability",
    _("Your availability: weekly pattern and exceptions"),
    fields=[
        "scheduling.AvailabilityPattern.employee",
        "scheduling.AvailabilityPattern.weekday",
        "scheduling.AvailabilityPattern.start",
        "scheduling.AvailabilityPattern.end",
        "scheduling.AvailabilityPattern.kind",
        "scheduling.AvailabilityException.employee",
        "scheduling.AvailabilityException.date",
        "scheduling.AvailabilityException.start",
        "scheduling.AvailabilityException.end",
        "scheduling.AvailabilityException.kind",
        "scheduling.AvailabilityException.note",
    ],
    purpose=_(
        "To make rosters around the times you can work, as agreed in mutual consultation "
        "(Working Hours Act art. 4:1)."
    ),
    legal_ground=LegalGround.CONTRACT,
    retention=Retention.WORKING_TIME,
    audiences=_AVAILABILITY_AUDIENCES,
    note=_("The note field warns against health information."),
)
register_category(
    "roster_preferences",
    _("Your roster preferences: channels, wished hours and a note to the planner"),
    fields=[
        "scheduling.EmployeePreferences.employee",
        "scheduling.EmployeePreferences.preferred_channels",
        "scheduling.EmployeePreferences.unpreferred_channels",
        "scheduling.EmployeePreferences.wished_minutes_per_week",
        "scheduling.EmployeePreferences.note",
        "scheduling.EmployeePreferences.updated_at",
    ],
    purpose=_("To take your wishes into account when the roster is made."),
    legal_ground=LegalGround.CONTRACT,
    retention=Retention.EMPLOYMENT,
    audiences=_AVAILABILITY_AUDIENCES,
)
register_category(
    "availability_submissions",
    _("When you submitted your availability, and reminders sent to you"),
    fields=[
        "scheduling.AvailabilitySubmission.employee",
        "scheduling.AvailabilitySubmission.submitted_at",
        "scheduling.AvailabilityReminder.employee",
        "scheduling.AvailabilityReminder.day",
    ],
    purpose=_("So the planner knows whose availability is complete and who to remind."),
    legal_ground=LegalGround.CONTRACT,
    retention=Retention.WORKING_TIME,
    audiences=_AVAILABILITY_AUDIENCES,
)
declare_not_personal_fields("scheduling.AvailabilityPattern", ["id"])
declare_not_personal_fields("scheduling.AvailabilityException", ["id"])
declare_not_personal_fields("scheduling.EmployeePreferences", ["id"])
declare_not_personal_fields("scheduling.AvailabilitySubmission", ["id", "period"])
declare_not_personal_fields("scheduling.AvailabilityReminder", ["id", "period"])


def _hhmm(t: Any) -> str | None:
    return t.strftime("%H:%M") if t else None


def _availability_pattern(employee: Employee) -> list[dict[str, Any]]:
    from .models_availability import AvailabilityPattern

    return [
        {"weekday": p.weekday, "start": _hhmm(p.start), "end": _hhmm(p.end), "kind": p.kind}
        for p in AvailabilityPattern.objects.filter(employee=employee)
    ]


def _availability_exceptions(employee: Employee) -> list[dict[str, Any]]:
    from .models_availability import AvailabilityException

    return [
        {
            "date": x.date,
            "start": _hhmm(x.start),
            "end": _hhmm(x.end),
            "kind": x.kind,
            "note": x.note,
        }
        for x in AvailabilityException.objects.filter(employee=employee)
    ]


def _roster_preferences(employee: Employee) -> dict[str, Any]:
    from .models_availability import EmployeePreferences

    prefs = EmployeePreferences.objects.filter(employee=employee).first()
    if prefs is None:
        return {}
    return {
        "preferred_channels": prefs.preferred_channels,
        "unpreferred_channels": prefs.unpreferred_channels,
        "wished_minutes_per_week": prefs.wished_minutes_per_week,
        "note": prefs.note,
        "updated_at": prefs.updated_at,
    }


def _availability_submissions(employee: Employee) -> list[dict[str, Any]]:
    from .models_availability import AvailabilitySubmission

    return [
        {"period_start": s.period.start, "weeks": s.period.weeks, "submitted_at": s.submitted_at}
        for s in AvailabilitySubmission.objects.filter(employee=employee).select_related("period")
    ]


mydata.register(
    "availability_pattern",
    _("Your weekly availability"),
    _availability_pattern,
    visible_to=_AVAILABILITY_VISIBLE_TO,
)
mydata.register(
    "availability_exceptions",
    _("Your availability exceptions"),
    _availability_exceptions,
    visible_to=_AVAILABILITY_VISIBLE_TO,
)
mydata.register(
    "roster_preferences",
    _("Your roster preferences"),
    _roster_preferences,
    visible_to=_AVAILABILITY_VISIBLE_TO,
)
mydata.register(
    "availability_submissions",
    _("Your availability submissions"),
    _availability_submissions,
    visible_to=_AVAILABILITY_VISIBLE_TO,
)


from . import privacy_roster  # noqa: E402, F401
