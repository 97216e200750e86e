"""What the wellbeing app stores about people (imported by privacy_register.autodiscover()).

1:1 check-ins are registered here; personal circumstances and the home workplace in
privacy_home.py. The lead's private notes are shown only to the lead in Veerkracht (every read
audited), but they are data about the employee, so the employee's own export includes them
(GDPR art. 15, right of access; docs/one-on-ones.md).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from veerkracht.people import mydata
from veerkracht.people.models import Employee
from veerkracht.people.privacy_register import (
    Audience,
    LegalGround,
    declare_not_personal_fields,
    register_category,
)

try:
    from . import privacy_home  # noqa: F401
except ImportError:  # pragma: no cover - built separately
    pass

CHECKIN_RETENTION = _(
    "1 year after the 1:1, then removed automatically (by the daily reminders job)."
)
REMINDER_RETENTION = _("1 year, then removed automatically.")
_YOU_AND_LEAD = (Audience.SELF, Audience.TEAM_LEAD)

register_category(
    "checkin_appointments",
    _("1:1 appointments"),
    fields=[
        "wellbeing.CheckIn.lead",
        "wellbeing.CheckIn.agent",
        "wellbeing.CheckIn.kind",
        "wellbeing.CheckIn.video_link",
        "wellbeing.CheckIn.planned_start",
        "wellbeing.CheckIn.duration_minutes",
        "wellbeing.CheckIn.status",
        "wellbeing.CheckIn.held_at",
        "wellbeing.CheckInSeries.lead",
        "wellbeing.CheckInSeries.agent",
        "wellbeing.CheckInSeries.weekday",
        "wellbeing.CheckInSeries.time",
        "wellbeing.CheckInSeries.kind",
        "wellbeing.CheckInSeries.duration_minutes",
        "wellbeing.CheckInSeries.video_link",
        "wellbeing.CheckInSeries.is_active",
    ],
    purpose=_("To plan a personal conversation with your team lead every week."),
    legal_ground=LegalGround.LEGITIMATE_INTEREST,
    retention=CHECKIN_RETENTION,
    audiences=_YOU_AND_LEAD,
)
register_category(
    "checkin_notes",
    _("1:1 agenda, shared notes and actions"),
    fields=[
        "wellbeing.CheckIn.shared_notes",
        "wellbeing.AgendaItem.text",
        "wellbeing.AgendaItem.added_by",
        "wellbeing.ActionItem.text",
        "wellbeing.ActionItem.owner",
        "wellbeing.ActionItem.done",
    ],
    purpose=_("To prepare 1:1s together and to remember what was agreed."),
    legal_ground=LegalGround.LEGITIMATE_INTEREST,
    retention=CHECKIN_RETENTION,
    audiences=_YOU_AND_LEAD,
    note=_("The note fields warn against health information and refuse obvious health words."),
)
register_category(
    "checkin_private_notes",
    _("Private notes of your team lead about a 1:1"),
    fields=["wellbeing.CheckIn.private_notes"],
    purpose=_("To let your team lead prepare the next conversation."),
    legal_ground=LegalGround.LEGITIMATE_INTEREST,
    retention=CHECKIN_RETENTION,
    audiences=_YOU_AND_LEAD,
    note=_(
        "In Veerkracht only your team lead sees them, and every time they are opened that is "
        "logged. They are included in your own data export (right of access, GDPR art. 15)."
    ),
)
register_category(
    "checkin_score",
    _('"How is work going this week" score'),
    fields=["wellbeing.CheckIn.score", "wellbeing.CheckIn.score_at"],
    purpose=_("To let you tell your team lead how work is going, so they can help in time."),
    legal_ground=LegalGround.LEGITIMATE_INTEREST,
    retention=CHECKIN_RETENTION,
    audiences=_YOU_AND_LEAD,
    note=_("It is never used to appraise you."),
)
register_category(
    "checkin_reminders",
    _("1:1 reminders to team leads"),
    fields=[
        "wellbeing.NudgeSent.lead",
        "wellbeing.NudgeSent.day",
        "wellbeing.NudgeSent.agents",
        "wellbeing.NudgeSent.sent_at",
    ],
    purpose=_("To remind a team lead once a day whom they have not spoken for a while."),
    legal_ground=LegalGround.LEGITIMATE_INTEREST,
    retention=REMINDER_RETENTION,
    audiences=(Audience.TEAM_LEAD,),
)
declare_not_personal_fields("wellbeing.CheckIn", ["id", "series", "created_at", "updated_at"])
declare_not_personal_fields("wellbeing.CheckInSeries", ["id", "created_at"])
declare_not_personal_fields("wellbeing.AgendaItem", ["id", "checkin", "template_key", "created_at"])
declare_not_personal_fields("wellbeing.ActionItem", ["id", "checkin", "created_at"])
declare_not_personal_fields("wellbeing.NudgeSent", ["id"])


def _my_checkins(employee: Employee) -> list[dict[str, Any]]:
    from .models_checkins import CheckIn

    checkins = (
        CheckIn.objects.filter(agent=employee)
        .select_related("lead")
        .prefetch_related("agenda_items", "action_items__owner")
        .order_by("-planned_start", "-pk")
    )
    return [
        {
            "planned_start": c.planned_start,
            "lead": c.lead.full_name,
            "kind": c.kind,
            "status": c.status,
            "agenda": [item.label for item in c.agenda_items.all()],
            "shared_notes": c.shared_notes,
            "actions": [
                {
                    "text": a.text,
                    "owner": a.owner.full_name if a.owner else None,
                    "done": a.done,
                }
                for a in c.action_items.all()
            ],
            "score": c.score,
            "private_notes_of_lead": c.private_notes,
        }
        for c in checkins
    ]


def _checkins_led(employee: Employee) -> list[dict[str, Any]]:
    # The 1:1s you led: when and with whom. Their notes are the employee's data, not yours.
    from .models_checkins import CheckIn

    return [
        {"planned_start": c.planned_start, "employee": c.agent.full_name, "status": c.status}
        for c in CheckIn.objects.filter(lead=employee)
        .select_related("agent")
        .order_by("-planned_start", "-pk")
    ]


mydata.register(
    "checkins",
    _("Your 1:1s"),
    _my_checkins,
    visible_to=_(
        "You and your team lead(s). Your lead's private notes are shown only to them in "
        "Veerkracht (each read is logged) and are in this export because they are about you."
    ),
    field_labels={
        "planned_start": _("When"),
        "lead": _("Team lead"),
        "kind": _("Kind"),
        "status": _("Status"),
        "agenda": _("Agenda"),
        "shared_notes": _("Shared notes"),
        "actions": _("Actions"),
        "score": _("How work is going (1–5)"),
        "private_notes_of_lead": _("Private notes of your team lead"),
    },
)
mydata.register(
    "checkins_led",
    _("1:1s you led"),
    _checkins_led,
    visible_to=_("You and the employee concerned."),
    field_labels={"planned_start": _("When"), "employee": _("Employee"), "status": _("Status")},
)
