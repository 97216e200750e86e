"""What the pulse app stores about people (privacy register and My data).

Pulse answers are stored unlinkable to the person, so they are not personal data of anyone; the
personal wellbeing check (health items) is never sent to the server at all: the answers stay in
the browser of the person who gave them (docs/pulses.md).
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
    "pulses.Answer",
    _(
        "Pulse answers, unlinkable by design: no person, no time and a random id are stored with "
        "them; results are shown only for groups at or above the anonymity threshold. Answers to "
        "the personal wellbeing check (energy, exhaustion, stress, sleep) are never stored here: "
        "they stay on your own device."
    ),
)
declare_no_personal_data(
    "pulses.PulseQuestion", _("Which questions a survey round asks; no person is named.")
)

register_category(
    "pulse_participation",
    _("That you took part in a pulse"),
    fields=["pulses.Participation.employee", "pulses.Participation.pulse"],
    purpose=_(
        "To stop a second submission and to remind those who have not answered yet. It is kept "
        "apart from the answers and never joined to them."
    ),
    legal_ground=LegalGround.LEGITIMATE_INTEREST,
    retention=Retention.EMPLOYMENT,
    audiences=(Audience.SELF,),
    note=_("Your answers themselves are anonymous and cannot be traced back to you."),
)
declare_not_personal_fields("pulses.Participation", ["id", "team"])

register_category(
    "conversation_requests",
    _("Requests for a conversation"),
    fields=[
        "pulses.ConversationRequest.employee",
        "pulses.ConversationRequest.with_whom",
        "pulses.ConversationRequest.recipient",
        "pulses.ConversationRequest.created_at",
    ],
    purpose=_(
        "To let your team lead (or, through the administrator, the company doctor) know that you "
        "would like to talk. Only who asked, with whom and when is stored; never any answers or "
        "scores of your wellbeing check."
    ),
    legal_ground=LegalGround.OPT_IN,
    retention=Retention.EMPLOYMENT,
    audiences=(Audience.SELF, Audience.TEAM_LEAD, Audience.ADMIN),
)
declare_not_personal_fields("pulses.ConversationRequest", ["id"])

register_category(
    "pulse_setup",
    _("Pulses and questions you set up"),
    fields=[
        "pulses.Pulse.created_by",
        "pulses.Question.created_by",
        "pulses.PulseSchedule.created_by",
    ],
    purpose=_("To show who opened a survey round or added a question."),
    legal_ground=LegalGround.LEGITIMATE_INTEREST,
    retention=Retention.ACCOUNT,
    audiences=(Audience.SELF, Audience.TEAM_LEAD, Audience.SITE_MANAGER, Audience.ADMIN),
)
declare_not_personal_fields(
    "pulses.Pulse",
    [
        "id",
        "organisation",
        "title",
        "audience",
        "team",
        "site",
        "questions",
        "opens_at",
        "closes_at",
        "status",
        "invited",
        "schedule",
        "reminder_sent_at",
    ],
)
declare_not_personal_fields(
    "pulses.PulseSchedule",
    [
        "id",
        "organisation",
        "audience",
        "team",
        "site",
        "cadence",
        "questions",
        "open_days",
        "next_open_on",
        "is_active",
    ],
)
declare_not_personal_fields(
    "pulses.Question",
    [
        "id",
        "organisation",
        "key",
        "category",
        "scale",
        "text_en",
        "text_nl",
        "is_active",
        "position",
    ],
)


def _participation(employee: Employee) -> list[dict[str, Any]]:
    from .models import Participation

    return [
        {"pulse": p.pulse.title, "opened": p.pulse.opens_at.date().isoformat()}
        for p in Participation.objects.filter(employee=employee)
        .select_related("pulse")
        .order_by("pulse__opens_at")
    ]


def _requests(employee: Employee) -> list[dict[str, Any]]:
    from .models import ConversationRequest

    return [
        {
            "with": r.get_with_whom_display(),
            "sent_to": r.recipient.full_name if r.recipient else "",
            "at": r.created_at.isoformat(),
        }
        for r in ConversationRequest.objects.filter(employee=employee)
        .select_related("recipient")
        .order_by("created_at")
    ]


mydata.register(
    "pulse_participation",
    _("Pulses you took part in (not your answers: those are anonymous)"),
    _participation,
    visible_to=_("You"),
)
mydata.register(
    "conversation_requests",
    _("Requests for a conversation"),
    _requests,
    visible_to=_("You, the team lead you asked, and administrators (for the company doctor)"),
)
