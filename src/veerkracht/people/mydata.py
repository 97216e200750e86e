"""Everything held about one person, for the My data page, its JSON export and GET /api/v1/me/data.

A registry of sections: each app adds what it stores about a person, so the export stays complete
as the product grows. Register in `veerkracht/<app>/privacy.py` (imported by
`privacy_register.autodiscover()`)::

    from veerkracht.people import mydata

    def _shifts(employee):
        return [{"start": s.start, "end": s.end, "channel": s.channel} for s in employee.shifts.all()]

    mydata.register("shifts", _("Shifts"), _shifts, visible_to=_("You, your team lead(s) and planners"))

A collector returns a dict (one record) or a list of dicts (rows) of plain values; dates, times,
decimals and lazy strings are converted here, so the result is JSON-serialisable with ISO 8601 dates.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

from django.conf import settings
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import privacy_register
from .models import ApiToken, AuditAction, AuditEvent, Channel, Employee, Module, ModuleApproval

FORMAT = "veerkracht.my-data.v1"

Collected = dict[str, Any] | list[dict[str, Any]] | list[Any]


@dataclass(frozen=True)
class Section:
    key: str
    label: str | Promise
    collect: Callable[[Employee], Collected]
    visible_to: str | Promise = ""
    # Column or row labels for the page, by key; the JSON keeps the keys.
    field_labels: Mapping[str, str | Promise] = field(default_factory=dict)
    # When set ("people.Employee"), the page shows per field who may see it, from the privacy register.
    model: str = ""


_SECTIONS: dict[str, Section] = {}


def register(
    section_key: str,
    label: str | Promise,
    collect: Callable[[Employee], Collected],
    *,
    visible_to: str | Promise = "",
    field_labels: Mapping[str, str | Promise] | None = None,
    model: str = "",
) -> Section:
    """Add a section to everyone's data. Keys are unique and become the keys of the JSON export."""
    if section_key in _SECTIONS:
        raise ValueError(f"My-data section {section_key!r} is already registered")
    section = Section(section_key, label, collect, visible_to, dict(field_labels or {}), model)
    _SECTIONS[section_key] = section
    return section


def unregister(section_key: str) -> None:
    _SECTIONS.pop(section_key, None)


def sections() -> list[Section]:
    privacy_register.autodiscover()
    return list(_SECTIONS.values())


def jsonable(value: Any) -> Any:
    """Plain JSON values: ISO 8601 for dates and times (local time with offset), strings for decimals."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return str(value)  # also turns TextChoices members into plain strings
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (Decimal, UUID)):
        return str(value)
    if isinstance(value, Enum):
        return jsonable(value.value)
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    raise TypeError(f"Cannot put a {type(value).__name__} in the my-data export")


def collect_section(section: Section, employee: Employee) -> Collected:
    return section.collect(employee)


def collect_my_data(employee: Employee) -> dict[str, Any]:
    """Everything held about the employee, JSON-serialisable::

    {"format": "veerkracht.my-data.v1", "generated_at": "2025-…+01:00", "employee_id": 12,
     "sections": {"profile": {...}, "roles": [...], ...}}
    """
    return {
        "format": FORMAT,
        "generated_at": jsonable(timezone.now()),
        "employee_id": employee.pk,
        "sections": {s.key: jsonable(s.collect(employee)) for s in sections()},
    }


# --- The sections of the people app ---------------------------------------------------------

PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "employment_start",
    "employment_end",
    "contract_hours",
    "channels",
    "birthday",
    "celebrate_birthday",
    "address_line",
    "postcode",
    "city",
    "language",
    "is_active",
)


def _profile(employee: Employee) -> dict[str, Any]:
    return {name: getattr(employee, name) for name in PROFILE_FIELDS}


def _account(employee: Employee) -> dict[str, Any]:
    user = employee.user
    if user is None:
        return {}
    return {
        "username": user.get_username(),
        "email": user.email,
        "last_login": user.last_login,
        "date_joined": user.date_joined,
        "is_active": user.is_active,
        "has_password": user.has_usable_password(),
    }


def _placement(employee: Employee) -> dict[str, Any]:
    team = employee.team
    return {
        "organisation": employee.organisation.name,
        "team": team.name if team else None,
        "team_id": team.pk if team else None,
        "site": team.site.name if team else None,
        "site_id": team.site_id if team else None,
        "team_leads": [lead.full_name for lead in team.leads.all()] if team else [],
    }


def _roles(employee: Employee) -> list[dict[str, Any]]:
    return [
        {"role": r.role, "label": r.get_role_display()} for r in employee.roles.order_by("role")
    ]


def _led_teams(employee: Employee) -> list[dict[str, Any]]:
    return [
        {"team_id": t.pk, "team": t.name, "site": t.site.name}
        for t in employee.led_teams.select_related("site").order_by("site__name", "name")
    ]


def _managed_sites(employee: Employee) -> list[dict[str, Any]]:
    return [
        {"site_id": s.pk, "site": s.name, "city": s.city}
        for s in employee.managed_sites.order_by("name")
    ]


def _audit_about(employee: Employee) -> list[dict[str, Any]]:
    # Who read or changed your records: the names of the people involved are part of your right
    # of access (GDPR art. 15: recipients). Their IP address is theirs, so it is left out.
    events = AuditEvent.objects.filter(subject=employee).order_by("-at", "-id")
    return [
        {
            "at": e.at,
            "by": e.actor_label,
            "action": e.action,
            "record_type": e.object_type,
            "record_id": e.object_id,
            "summary": e.summary,
            "changes": e.changes,
        }
        for e in events
    ]


def _audit_by(employee: Employee) -> list[dict[str, Any]]:
    # What you did. Field changes you made to someone else's record are their data, not yours:
    # only the fact of the change is included.
    if employee.user_id is None:
        return []
    events = AuditEvent.objects.filter(actor_id=employee.user_id).order_by("-at", "-id")
    return [
        {
            "at": e.at,
            "action": e.action,
            "record_type": e.object_type,
            "record_id": e.object_id,
            "about_employee_id": e.subject_id,
            "summary": e.summary if e.subject_id in (None, employee.pk) else "",
            "changes": e.changes if e.subject_id in (None, employee.pk) else {},
            "ip_address": e.ip_address,
        }
        for e in events
    ]


def _api_tokens(employee: Employee) -> list[dict[str, Any]]:
    if employee.user_id is None:
        return []
    return [
        {
            "name": t.name,
            "prefix": t.prefix,
            "created_at": t.created_at,
            "last_used_at": t.last_used_at,
            "revoked_at": t.revoked_at,
        }
        for t in ApiToken.objects.filter(user_id=employee.user_id).order_by("-created_at")
    ]


def _approvals_recorded(employee: Employee) -> list[dict[str, Any]]:
    if employee.user_id is None:
        return []
    return [
        {
            "module": a.module,
            "body": a.body,
            "approved_on": a.approved_on,
            "reference": a.reference,
            "withdrawn_on": a.withdrawn_on,
            "recorded_at": a.recorded_at,
        }
        for a in ModuleApproval.objects.filter(recorded_by_id=employee.user_id).order_by(
            "-recorded_at"
        )
    ]


_WHEN = _("When")
_ACTION = _("Action")
_RECORD_TYPE = _("Record type")
_RECORD = _("Record")
_SUMMARY = _("Summary")
_CHANGES = _("Changes")

register(
    "profile",
    _("Your profile"),
    _profile,
    model="people.Employee",
    field_labels={name: Employee._meta.get_field(name).verbose_name for name in PROFILE_FIELDS},
)
register(
    "account",
    _("Your login"),
    _account,
    visible_to=_(
        "You and administrators. Your password is stored only as a one-way hash; nobody can read it."
    ),
    field_labels={
        "username": _("Username"),
        "email": _("E-mail address"),
        "last_login": _("Last login"),
        "date_joined": _("Account created"),
        "is_active": _("Can log in"),
        "has_password": _("Password set"),
    },
)
register(
    "placement",
    _("Organisation and team"),
    _placement,
    visible_to=privacy_register.audiences_of("team_and_skills"),
    field_labels={
        "organisation": _("Organisation"),
        "team": _("Team"),
        "team_id": _("Team number"),
        "site": _("Site"),
        "site_id": _("Site number"),
        "team_leads": _("Team lead(s)"),
    },
)
register(
    "roles",
    _("Your roles"),
    _roles,
    visible_to=privacy_register.audiences_of("roles"),
    field_labels={"role": _("Code"), "label": _("Role")},
)
register(
    "led_teams",
    _("Teams you lead"),
    _led_teams,
    visible_to=privacy_register.audiences_of("roles"),
    field_labels={"team_id": _("Team number"), "team": _("Team"), "site": _("Site")},
)
register(
    "managed_sites",
    _("Sites you manage"),
    _managed_sites,
    visible_to=privacy_register.audiences_of("roles"),
    field_labels={"site_id": _("Site number"), "site": _("Site"), "city": _("City")},
)
register(
    "audit_about_me",
    _("Who read or changed your records"),
    _audit_about,
    visible_to=_("You and administrators (audit log)."),
    field_labels={
        "at": _WHEN,
        "by": _("By"),
        "action": _ACTION,
        "record_type": _RECORD_TYPE,
        "record_id": _RECORD,
        "summary": _SUMMARY,
        "changes": _CHANGES,
    },
)
register(
    "audit_by_me",
    _("What you read or changed"),
    _audit_by,
    visible_to=_("You and administrators (audit log)."),
    field_labels={
        "at": _WHEN,
        "action": _ACTION,
        "record_type": _RECORD_TYPE,
        "record_id": _RECORD,
        "about_employee_id": _("About employee number"),
        "summary": _SUMMARY,
        "changes": _CHANGES,
        "ip_address": _("IP address"),
    },
)
register(
    "api_tokens",
    _("Your API tokens"),
    _api_tokens,
    visible_to=_(
        "Only you. The keys themselves are stored as one-way hashes and are never exported."
    ),
    field_labels={
        "name": _("Name"),
        "prefix": _("Starts with"),
        "created_at": _("Created"),
        "last_used_at": _("Last used"),
        "revoked_at": _("Revoked"),
    },
)
register(
    "module_approvals_recorded",
    _("Works-council approvals you recorded"),
    _approvals_recorded,
    visible_to=privacy_register.audiences_of("governance_records"),
    field_labels={
        "module": _("Module"),
        "body": _("Approved by"),
        "approved_on": _("Approved on"),
        "reference": _("Reference"),
        "withdrawn_on": _("Withdrawn on"),
        "recorded_at": _("Recorded at"),
    },
)


# --- Showing a section on the page ------------------------------------------------------------

PAGE_ROWS = 25


@dataclass
class SectionView:
    """A section made readable: a record (label, value, who may see it) or a table of rows."""

    key: str
    label: str | Promise
    visible_to: str | Promise
    record: list[tuple[str, str, str]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[list[tuple[str, str]]] = field(
        default_factory=list
    )  # (column label, value) per cell
    total: int = 0

    @property
    def empty(self) -> bool:
        return not self.record and not self.rows

    @property
    def hidden_rows(self) -> int:
        return max(0, self.total - len(self.rows))


def display_value(value: Any) -> str:
    """A collected value as text in the reader's language and formats."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime.datetime):
        return formats.date_format(
            timezone.localtime(value) if timezone.is_aware(value) else value, "DATETIME_FORMAT"
        )
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, Decimal):
        return formats.number_format(int(value) if value == value.to_integral_value() else value)
    if isinstance(value, Mapping):
        parts = []
        for key, change in value.items():
            if isinstance(change, list) and len(change) == 2:
                parts.append(f"{key}: {display_value(change[0])} → {display_value(change[1])}")
            else:
                parts.append(f"{key}: {display_value(change)}")
        return "; ".join(parts)
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(display_value(v) for v in value)
    return str(value)


def view_section(section: Section, employee: Employee, *, limit: int = PAGE_ROWS) -> SectionView:
    data = section.collect(employee)
    view = SectionView(key=section.key, label=section.label, visible_to=section.visible_to)

    def label_of(key: str) -> str:
        return str(section.field_labels.get(key, key.replace("_", " ").capitalize()))

    if isinstance(data, Mapping):
        for key, value in data.items():
            who = privacy_register.who_may_see(section.model, key) if section.model else ""
            view.record.append((label_of(key), _display_field(section, key, value), who))
        view.total = len(view.record)
        return view
    rows = list(data)
    view.total = len(rows)
    if rows and isinstance(rows[0], Mapping):
        keys = list(rows[0].keys())
        view.columns = [label_of(k) for k in keys]
        view.rows = [
            [(label_of(k), _display_field(section, k, row.get(k))) for k in keys]
            for row in rows[:limit]
        ]
    else:
        view.columns = [str(section.label)]
        view.rows = [[(str(section.label), display_value(v))] for v in rows[:limit]]
    return view


def _display_field(section: Section, key: str, value: Any) -> str:
    # Codes become the labels people know (channels, language, audit actions, modules).
    if key == "channels" and isinstance(value, list):
        labels = dict(Channel.choices)
        return ", ".join(str(labels.get(c, c)) for c in value) or "—"
    if key == "language" and section.model == "people.Employee":
        return str(dict(settings.LANGUAGES).get(value, value))
    if key == "action":
        return str(dict(AuditAction.choices).get(value, value))
    if key == "module":
        return str(dict(Module.choices).get(value, value))
    return display_value(value)
