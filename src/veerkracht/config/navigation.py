"""The navigation, by role. Apps add their entries here; an entry shows only when its URL exists
and the user may use it, so every link leads to a working page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from veerkracht.people import access
from veerkracht.people.access import Capability
from veerkracht.people.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    visible: Callable[[Any], bool]
    section: str = "main"  # "main" or "settings"


def _has_role(*roles: str) -> Callable[[Any], bool]:
    return lambda user: bool(access.roles_of(user) & set(roles))


def _can(capability: Capability) -> Callable[[Any], bool]:
    return lambda user: access.can(user, capability)


def _any_employee(user: Any) -> bool:
    return access.employee_of(user) is not None


NAV_ITEMS: list[NavItem] = [
    NavItem(_("Home"), "home", _any_employee),
    NavItem(_("Team"), "people:my_team", _any_employee),
    NavItem(
        _("Employees"),
        "people:employee_list",
        _has_role(Role.TEAM_LEAD, Role.SITE_MANAGER, Role.PLANNER, Role.ADMIN),
    ),
    NavItem(_("This week"), "wellbeing:week_board", _can(Capability.LEAD_TEAMS)),
    NavItem(_("Attention"), "wellbeing:attention", _can(Capability.LEAD_TEAMS)),
    NavItem(_("My 1:1s"), "wellbeing:my_checkins", _has_role(Role.AGENT)),
    NavItem(_("Availability"), "scheduling:my_availability", _has_role(Role.AGENT)),
    NavItem(_("My shifts"), "scheduling:my_shifts", _has_role(Role.AGENT)),
    NavItem(_("Swaps"), "scheduling:swaps", _has_role(Role.AGENT, Role.TEAM_LEAD, Role.PLANNER)),
    NavItem(_("Extra hours"), "scheduling:extra_hours", _has_role(Role.AGENT)),  # intraday
    NavItem(
        _("Team roster"),
        "scheduling:team_roster",
        _has_role(Role.AGENT, Role.TEAM_LEAD, Role.SITE_MANAGER),
    ),
    NavItem(
        _("Team availability"),
        "scheduling:availability_overview",
        _has_role(Role.TEAM_LEAD, Role.PLANNER),
    ),
    NavItem(_("Pulse"), "pulses:my_pulses", _any_employee),
    NavItem(_("Wellbeing check"), "pulses:personal_check", _any_employee),
    NavItem(_("Home workplace"), "wellbeing:home_workplace", _any_employee),
    NavItem(
        _("Pulse results"),
        "pulses:results",
        _has_role(Role.TEAM_LEAD, Role.SITE_MANAGER, Role.ADMIN),
    ),
    NavItem(_("Forecast"), "scheduling:forecast_list", _can(Capability.VIEW_PLANNING)),
    NavItem(_("Staffing"), "scheduling:staffing", _can(Capability.VIEW_PLANNING)),
    NavItem(_("What-if"), "scheduling:scenario", _can(Capability.VIEW_PLANNING)),
    NavItem(_("Roster"), "scheduling:roster_list", _has_role(Role.PLANNER)),
    NavItem(_("Intraday"), "scheduling:intraday", _can(Capability.VIEW_PLANNING)),
    NavItem(_("My data"), "people:my_data", _any_employee),
    NavItem(_("Sites"), "people:site_list", _can(Capability.MANAGE_ORGANISATION), "settings"),
    NavItem(_("Teams"), "people:team_list", _can(Capability.MANAGE_ORGANISATION), "settings"),
    NavItem(
        _("Import employees"),
        "people:employee_import",
        _can(Capability.MANAGE_ORGANISATION),
        "settings",
    ),
    NavItem(_("Contact history"), "scheduling:history", _can(Capability.VIEW_PLANNING), "settings"),
    NavItem(_("Service targets"), "scheduling:targets", _can(Capability.VIEW_PLANNING), "settings"),
    NavItem(
        _("Works council"), "people:governance", _can(Capability.MANAGE_GOVERNANCE), "settings"
    ),
    NavItem(_("Audit log"), "people:audit_log", _can(Capability.VIEW_AUDIT_LOG), "settings"),
    NavItem(_("API tokens"), "people:api_tokens", _any_employee, "settings"),
    NavItem(_("Privacy statement"), "people:privacy_statement", _any_employee, "settings"),
]


def items_for(user: Any, current_path: str) -> dict[str, list[dict[str, Any]]]:
    sections: dict[str, list[dict[str, Any]]] = {"main": [], "settings": []}
    if not user.is_authenticated:
        return sections
    entries: list[dict[str, Any]] = []
    for item in NAV_ITEMS:
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        if not item.visible(user):
            continue
        entries.append({"label": item.label, "url": url, "active": False, "section": item.section})
    # The longest matching URL is the current page (so /people/employees/import/ is not "Employees").
    matches = [
        e
        for e in entries
        if current_path == e["url"] or (e["url"] != "/" and current_path.startswith(e["url"]))
    ]
    if matches:
        max(matches, key=lambda e: len(e["url"]))["active"] = True
    for entry in entries:
        sections[entry.pop("section")].append(entry)
    return sections
