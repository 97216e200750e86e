"""What personal circumstances and the home workplace store about people (imported by privacy.py).

Who may see it matches people/access.py: `can_see_circumstances` (the employee and their team
lead(s)) and `home_requests_for` (the employee, their team lead(s), admins).
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
    declare_not_personal_fields,
    register_category,
)
from veerkracht.people.services import register_erasure_hook

CIRCUMSTANCES_RETENTION = _(
    "Until you delete it yourself (possible at any time) or your employment ends."
)

register_category(
    "personal_circumstances",
    _("Personal circumstances (opt-in)"),
    fields=[
        "wellbeing.Circumstances.employee",
        "wellbeing.Circumstances.living_alone",
        "wellbeing.Circumstances.cares_for_children",
        "wellbeing.Circumstances.cares_for_others",
        "wellbeing.Circumstances.quiet_workplace",
        "wellbeing.Circumstances.preferred_contact_moments",
        "wellbeing.Circumstances.created_at",
        "wellbeing.Circumstances.updated_at",
    ],
    purpose=_(
        "So your team lead knows your situation at home (living alone, caring for children or "
        "others, a quiet place to work) and when to contact you, and can pay attention to it."
    ),
    legal_ground=LegalGround.OPT_IN,
    retention=CIRCUMSTANCES_RETENTION,
    audiences=(Audience.SELF, Audience.TEAM_LEAD),
    note=_(
        "Filled in only if you choose to; change or delete it at any time. Site managers, "
        "planners and administrators never see it. Each time your team lead opens it, that is "
        "logged."
    ),
)
register_category(
    "home_workplace_requests",
    _("Home-workplace requests"),
    fields=[
        "wellbeing.HomeWorkplaceRequest.employee",
        "wellbeing.HomeWorkplaceRequest.item",
        "wellbeing.HomeWorkplaceRequest.reason",
        "wellbeing.HomeWorkplaceRequest.status",
        "wellbeing.HomeWorkplaceRequest.requested_at",
        "wellbeing.HomeWorkplaceRequest.decided_at",
        "wellbeing.HomeWorkplaceRequest.decided_by",
        "wellbeing.HomeWorkplaceRequest.decision_note",
        "wellbeing.HomeWorkplaceRequest.shipped_on",
        "wellbeing.HomeWorkplaceRequest.delivered_on",
        "wellbeing.HomeWorkplaceRequest.reference",
        "wellbeing.HomeRequestEvent.request",
        "wellbeing.HomeRequestEvent.at",
        "wellbeing.HomeRequestEvent.by",
        "wellbeing.HomeRequestEvent.from_status",
        "wellbeing.HomeRequestEvent.to_status",
        "wellbeing.HomeRequestEvent.note",
        "wellbeing.HomeRequestEvent.reference",
    ],
    purpose=_(
        "To provide equipment for working from home (chair, desk, monitor, headset …) and ship "
        "it to your home address, with the history of each request."
    ),
    legal_ground=LegalGround.CONTRACT,
    retention=Retention.EMPLOYMENT,
    audiences=(Audience.SELF, Audience.TEAM_LEAD, Audience.ADMIN),
)
register_category(
    "home_workplace_checklist",
    _("Home-workplace checklist"),
    fields=["wellbeing.HomeChecklist.employee", "wellbeing.HomeChecklist.items"],
    purpose=_("So you and your team lead can see what a good workplace at home still needs."),
    legal_ground=LegalGround.LEGITIMATE_INTEREST,
    retention=Retention.EMPLOYMENT,
    audiences=(Audience.SELF, Audience.TEAM_LEAD),
)
declare_not_personal_fields("wellbeing.Circumstances", ["id"])
declare_not_personal_fields("wellbeing.HomeWorkplaceRequest", ["id", "updated_at"])
declare_not_personal_fields("wellbeing.HomeRequestEvent", ["id"])
declare_not_personal_fields("wellbeing.HomeChecklist", ["id", "updated_at"])


# --- My data ---------------------------------------------------------------------------------


def _circumstances(employee: Employee) -> dict[str, Any]:
    from .models_home import Circumstances

    c = Circumstances.objects.filter(employee=employee).first()
    if c is None:
        return {}
    return {
        "living_alone": c.living_alone,
        "cares_for_children": c.cares_for_children,
        "cares_for_others": c.cares_for_others,
        "quiet_workplace": c.quiet_workplace,
        "preferred_contact_moments": c.preferred_contact_moments,
        "updated_at": c.updated_at,
    }


def _requests(employee: Employee) -> list[dict[str, Any]]:
    from .models_home import HomeWorkplaceRequest

    rows = []
    for r in (
        HomeWorkplaceRequest.objects.filter(employee=employee)
        .prefetch_related("events")
        .order_by("requested_at", "pk")
    ):
        rows.append(
            {
                "item": r.item,
                "reason": r.reason,
                "status": r.status,
                "requested_at": r.requested_at,
                "decided_at": r.decided_at,
                "decision_note": r.decision_note,
                "shipped_on": r.shipped_on,
                "delivered_on": r.delivered_on,
                "reference": r.reference,
                "history": [
                    {
                        "at": e.at,
                        "from": e.from_status,
                        "to": e.to_status,
                        "note": e.note,
                        "reference": e.reference,
                    }
                    for e in r.events.all()
                ],
            }
        )
    return rows


def _checklist(employee: Employee) -> dict[str, Any]:
    from .models_home import HomeChecklist

    checklist = HomeChecklist.objects.filter(employee=employee).first()
    if checklist is None:
        return {}
    return {"items": list(checklist.items), "updated_at": checklist.updated_at}


mydata.register(
    "personal_circumstances",
    _("Personal circumstances"),
    _circumstances,
    visible_to=_("You and your team lead(s)"),
)
mydata.register(
    "home_workplace_requests",
    _("Home-workplace requests"),
    _requests,
    visible_to=_("You, your team lead(s) and administrators"),
)
mydata.register(
    "home_workplace_checklist",
    _("Home-workplace checklist"),
    _checklist,
    visible_to=_("You and your team lead(s)"),
)


def _erase(employee: Employee) -> None:
    from .home import erase_home_data

    erase_home_data(employee=employee)


register_erasure_hook(_erase)
