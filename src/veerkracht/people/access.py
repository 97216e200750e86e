"""The ONE place that decides what a user may see and do.

Views, API endpoints, exports and CLI commands call these functions; nothing else filters
people's data by role. Rules (docs/roles-and-access.md):

- agent: own records; the names and channels of their own team's members (team directory)
- team lead: the members of the team(s) they lead
- site manager: everyone in the site(s) they manage
- planner: planning data (name, team, contract, channels) of all sites; never addresses,
  1:1 notes, personal circumstances or absence details
- admin: organisation configuration, all employees, audit log, governance register, erasure
  (all within their own organisation)
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from .models import AuditEvent, Employee, Role, Site, Team

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser


class Capability(StrEnum):
    MANAGE_ORGANISATION = "manage_organisation"  # sites, teams, employees, imports
    VIEW_AUDIT_LOG = "view_audit_log"
    MANAGE_GOVERNANCE = "manage_governance"
    ERASE_EMPLOYEES = "erase_employees"
    VIEW_PLANNING = "view_planning"
    LEAD_TEAMS = "lead_teams"
    MANAGE_SITE = "manage_site"
    USE_API = "use_api"


_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.AGENT: frozenset({Capability.USE_API}),
    Role.TEAM_LEAD: frozenset({Capability.LEAD_TEAMS, Capability.USE_API}),
    Role.SITE_MANAGER: frozenset(
        {Capability.MANAGE_SITE, Capability.VIEW_PLANNING, Capability.USE_API}
    ),
    Role.PLANNER: frozenset({Capability.VIEW_PLANNING, Capability.USE_API}),
    Role.ADMIN: frozenset(
        {
            Capability.MANAGE_ORGANISATION,
            Capability.VIEW_AUDIT_LOG,
            Capability.MANAGE_GOVERNANCE,
            Capability.ERASE_EMPLOYEES,
            Capability.USE_API,
        }
    ),
}


def employee_of(user: Any) -> Employee | None:
    """The active employee behind a logged-in user, or None."""
    if user is None or not user.is_authenticated:
        return None
    cached = getattr(user, "_veerkracht_employee", False)
    if cached is not False:
        return cached  # type: ignore[no-any-return]
    employee = (
        Employee.objects.select_related("organisation", "team", "team__site")
        .prefetch_related("roles")
        .filter(user=user, is_active=True)
        .first()
    )
    user._veerkracht_employee = employee
    return employee


def roles_of(user: Any) -> set[str]:
    employee = employee_of(user)
    return set(employee.role_set) if employee else set()


def can(user: Any, capability: Capability) -> bool:
    return any(capability in _CAPABILITIES.get(role, frozenset()) for role in roles_of(user))


def require(user: Any, capability: Capability) -> Employee:
    """Return the user's employee when they hold the capability, else raise PermissionDenied (403)."""
    employee = employee_of(user)
    if employee is None or not can(user, capability):
        raise PermissionDenied
    return employee


def require_employee(user: Any) -> Employee:
    employee = employee_of(user)
    if employee is None:
        raise PermissionDenied
    return employee


# --- Scopes -------------------------------------------------------------------------------


def employees_for(user: Any, *, include_inactive: bool = False) -> QuerySet[Employee]:
    """Employees whose records this user may see, by role; the union over the user's roles."""
    me = employee_of(user)
    if me is None:
        return Employee.objects.none()
    qs = Employee.objects.filter(organisation=me.organisation)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    roles = me.role_set
    if roles & {Role.ADMIN, Role.PLANNER}:
        return qs
    condition = Q(pk=me.pk)
    if Role.TEAM_LEAD in roles:
        condition |= Q(team__leads=me)
    if Role.SITE_MANAGER in roles:
        condition |= Q(team__site__managers=me)
    return qs.filter(condition).distinct()


def team_directory_for(user: Any) -> QuerySet[Employee]:
    """Colleagues whose name and channels the user may see: own team(s) plus what employees_for allows."""
    me = employee_of(user)
    if me is None:
        return Employee.objects.none()
    own_team = Employee.objects.filter(
        organisation=me.organisation, is_active=True, team__isnull=False
    )
    own_team = own_team.filter(team=me.team) if me.team_id else own_team.none()
    # Both sides distinct: Django refuses to combine a distinct query with a non-distinct one.
    return own_team.distinct() | employees_for(user).distinct()


def sites_for(user: Any) -> QuerySet[Site]:
    me = employee_of(user)
    if me is None:
        return Site.objects.none()
    qs = Site.objects.filter(organisation=me.organisation)
    roles = me.role_set
    if roles & {Role.ADMIN, Role.PLANNER}:
        return qs
    condition = Q(pk__in=[])
    if Role.SITE_MANAGER in roles:
        condition |= Q(managers=me)
    if Role.TEAM_LEAD in roles:
        condition |= Q(teams__leads=me)
    if me.team_id:
        condition |= Q(teams=me.team_id)
    return qs.filter(condition).distinct()


def teams_for(user: Any) -> QuerySet[Team]:
    me = employee_of(user)
    if me is None:
        return Team.objects.none()
    qs = Team.objects.filter(site__organisation=me.organisation).select_related("site")
    roles = me.role_set
    if roles & {Role.ADMIN, Role.PLANNER}:
        return qs
    condition = Q(pk__in=[])
    if Role.SITE_MANAGER in roles:
        condition |= Q(site__managers=me)
    if Role.TEAM_LEAD in roles:
        condition |= Q(leads=me)
    if me.team_id:
        condition |= Q(pk=me.team_id)
    return qs.filter(condition).distinct()


def led_teams(user: Any) -> QuerySet[Team]:
    me = employee_of(user)
    if me is None or Role.TEAM_LEAD not in me.role_set:
        return Team.objects.none()
    return Team.objects.filter(leads=me).select_related("site")


def audit_events_for(user: Any) -> QuerySet[AuditEvent]:
    """Audit events this user may read: by or about people of their own organisation, admins only.

    An erased person's login is deleted and their events keep the label `erased-<employee pk>`,
    so those are matched by label; otherwise an erased admin's actions would drop out of the log.
    Events with neither an actor nor a subject in an organisation (failed logins of unknown
    names, system jobs) belong to no organisation and are shown to nobody here.
    """
    me = employee_of(user)
    if me is None or not can(user, Capability.VIEW_AUDIT_LOG):
        return AuditEvent.objects.none()
    erased = Employee.objects.filter(organisation=me.organisation, erased_at__isnull=False)
    erased_labels = [f"erased-{pk}" for pk in erased.values_list("pk", flat=True)]
    condition = Q(actor__employee__organisation=me.organisation)
    condition |= Q(subject__organisation=me.organisation)
    if erased_labels:
        condition |= Q(actor__isnull=True, actor_label__in=erased_labels)
    return AuditEvent.objects.filter(condition)


# --- Single objects (404 when out of scope, so existence is not leaked) ----------------------


def get_employee_for(user: Any, pk: object, *, include_inactive: bool = True) -> Employee:
    try:
        return employees_for(user, include_inactive=include_inactive).get(pk=pk)
    except (Employee.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_site_for(user: Any, pk: object) -> Site:
    try:
        return sites_for(user).get(pk=pk)
    except (Site.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_team_for(user: Any, pk: object) -> Team:
    try:
        return teams_for(user).get(pk=pk)
    except (Team.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- Field-level rules -----------------------------------------------------------------------


def can_see_address(user: Any, employee: Employee) -> bool:
    """Home address: the employee, their team lead(s) and admins only (never planners)."""
    me = employee_of(user)
    if me is None or me.organisation_id != employee.organisation_id:
        return False
    if me.pk == employee.pk or Role.ADMIN in me.role_set:
        return True
    return Role.TEAM_LEAD in me.role_set and employee.team_id in _led_team_ids(me)


def _led_team_ids(me: Employee) -> frozenset[int]:
    """Ids of the teams `me` leads, cached on the object so a list asks once, not once per row."""
    cached: frozenset[int] | None = getattr(me, "_led_team_ids", None)
    if cached is None:
        cached = frozenset(Team.objects.filter(leads=me).values_list("pk", flat=True))
        me._led_team_ids = cached  # type: ignore[attr-defined]
    return cached


def can_see_birthday(user: Any, employee: Employee) -> bool:
    """Birthday: the employee and admins; colleagues in the organisation only when they opted in."""
    me = employee_of(user)
    if me is None or me.organisation_id != employee.organisation_id:
        return False
    if me.pk == employee.pk or Role.ADMIN in me.role_set:
        return True
    return employee.celebrate_birthday


def can_edit_employee(user: Any, employee: Employee) -> bool:
    return (
        can(user, Capability.MANAGE_ORGANISATION)
        and employees_for(user, include_inactive=True).filter(pk=employee.pk).exists()
    )


# --- Planning (veerkracht.scheduling) ---------------------------------------------------------
# Planning data (contact history, forecasts, service targets) belongs to the organisation, not to
# a person; planners and site managers (Capability.VIEW_PLANNING) see their organisation's.


def forecasts_for(user: Any) -> QuerySet[Any]:
    """Forecasts of the user's organisation, for users who may view planning data."""
    from veerkracht.scheduling.models import Forecast

    me = employee_of(user)
    if me is None or not can(user, Capability.VIEW_PLANNING):
        return Forecast.objects.none()
    return Forecast.objects.filter(organisation=me.organisation)


def get_forecast_for(user: Any, pk: object) -> Any:
    from veerkracht.scheduling.models import Forecast

    try:
        return forecasts_for(user).select_related("organisation", "created_by").get(pk=pk)
    except (Forecast.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def history_uploads_for(user: Any) -> QuerySet[Any]:
    from veerkracht.scheduling.models import HistoryUpload

    me = employee_of(user)
    if me is None or not can(user, Capability.VIEW_PLANNING):
        return HistoryUpload.objects.none()
    return HistoryUpload.objects.filter(organisation=me.organisation)


def planning_capacity_for(user: Any) -> QuerySet[Employee]:
    """Active agents of the organisation whose contract hours and channels feed capacity figures
    (the what-if). Only totals per channel are shown, never names; the forecast is organisation-
    wide, so site managers get the whole organisation's capacity too."""
    me = employee_of(user)
    if me is None or not can(user, Capability.VIEW_PLANNING):
        return Employee.objects.none()
    return Employee.objects.filter(
        organisation=me.organisation, is_active=True, roles__role=Role.AGENT
    ).distinct()


# --- Wellbeing: personal circumstances and the home workplace (veerkracht.wellbeing) ---------


def can_see_circumstances(user: Any, employee: Employee) -> bool:
    """Personal circumstances (opt-in): the employee and their team lead(s) only. Never site
    managers, planners or admins, not even of the same organisation."""
    me = employee_of(user)
    if me is None or me.organisation_id != employee.organisation_id:
        return False
    if me.pk == employee.pk:
        return True
    return Role.TEAM_LEAD in me.role_set and employee.team_id in _led_team_ids(me)


def get_circumstances_subject_for(user: Any, pk: object) -> Employee:
    """The employee whose circumstances `user` may read, or 404 (existence is not leaked)."""
    try:
        employee = Employee.objects.select_related("team").get(pk=pk)
    except (Employee.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not can_see_circumstances(user, employee):
        raise Http404
    return employee


def home_requests_for(user: Any) -> QuerySet[Any]:
    """Home-workplace requests: own requests; a lead's teams; an admin's whole organisation.
    Site managers and planners see none of others' requests."""
    from veerkracht.wellbeing.models_home import HomeWorkplaceRequest

    me = employee_of(user)
    if me is None:
        return HomeWorkplaceRequest.objects.none()
    qs = HomeWorkplaceRequest.objects.filter(employee__organisation=me.organisation)
    if Role.ADMIN in me.role_set:
        return qs
    condition = Q(employee=me)
    if Role.TEAM_LEAD in me.role_set:
        condition |= Q(employee__team__leads=me)
    return qs.filter(condition).distinct()


def get_home_request_for(user: Any, pk: object) -> Any:
    from veerkracht.wellbeing.models_home import HomeWorkplaceRequest

    try:
        return (
            home_requests_for(user)
            .select_related("employee", "employee__team", "decided_by")
            .get(pk=pk)
        )
    except (HomeWorkplaceRequest.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_decide_home_request(user: Any, employee: Employee) -> bool:
    """Approve or reject: the employee's team lead(s), never for their own request."""
    me = employee_of(user)
    if me is None or me.organisation_id != employee.organisation_id or me.pk == employee.pk:
        return False
    return Role.TEAM_LEAD in me.role_set and employee.team_id in _led_team_ids(me)


def can_ship_home_request(user: Any, employee: Employee) -> bool:
    """Mark shipped or delivered: the employee's team lead(s) or an admin of the organisation."""
    me = employee_of(user)
    if me is None or me.organisation_id != employee.organisation_id:
        return False
    if Role.ADMIN in me.role_set:
        return True
    return can_decide_home_request(user, employee)


# --- Pulse surveys (veerkracht.pulses) -------------------------------------------------------
# Anonymous results only (pulses/anonymity.py applies the thresholds); who may look at which group.


def pulse_result_scope(user: Any) -> tuple[frozenset[int], frozenset[int]] | None:
    """(team ids, site ids) whose pulse results the user may see, or None for no results at all.

    Team leads: the teams they lead. Site managers: their sites and all teams there. Admins: every
    site and team of the organisation. Agents and planners: none (membership of a team is no
    reason to see its results)."""
    me = employee_of(user)
    if me is None:
        return None
    roles = me.role_set
    teams = Team.objects.filter(site__organisation=me.organisation)
    sites = Site.objects.filter(organisation=me.organisation)
    if Role.ADMIN in roles:
        return frozenset(teams.values_list("pk", flat=True)), frozenset(
            sites.values_list("pk", flat=True)
        )
    if not roles & {Role.TEAM_LEAD, Role.SITE_MANAGER}:
        return None
    condition = Q(pk__in=[])
    site_ids: frozenset[int] = frozenset()
    if Role.TEAM_LEAD in roles:
        condition |= Q(leads=me)
    if Role.SITE_MANAGER in roles:
        condition |= Q(site__managers=me)
        site_ids = frozenset(sites.filter(managers=me).values_list("pk", flat=True))
    return frozenset(teams.filter(condition).values_list("pk", flat=True)), site_ids


def conversation_requests_for(user: Any) -> QuerySet[Any]:
    """Conversation requests a user received: sent to them as team lead; admins also those for
    the company doctor (to pass on). The requests hold who, with whom and when, never answers."""
    from veerkracht.pulses.models import ConversationRequest, ConversationWith

    me = employee_of(user)
    if me is None:
        return ConversationRequest.objects.none()
    condition = Q(recipient=me)
    if Role.ADMIN in me.role_set:
        condition |= Q(with_whom=ConversationWith.COMPANY_DOCTOR)
    return ConversationRequest.objects.filter(employee__organisation=me.organisation).filter(
        condition
    )


# --- Availability and preferences (veerkracht.scheduling.availability) -----------------------
# Roster input of agents: the agent themself, the lead(s) of their team and planners; nobody else
# (site managers and admins see none of it, not even of their own site or organisation).


def availability_subjects_for(user: Any) -> QuerySet[Employee]:
    """Employees whose availability and preferences this user may see as lead or planner.

    Planners: every active employee of the organisation. Team leads: the members of the teams
    they lead. Everyone else: nobody (an agent reads their own through `employee_of`)."""
    me = employee_of(user)
    if me is None:
        return Employee.objects.none()
    qs = Employee.objects.filter(organisation=me.organisation, is_active=True)
    if Role.PLANNER in me.role_set:
        return qs
    if Role.TEAM_LEAD in me.role_set:
        return qs.filter(team__leads=me).distinct()
    return Employee.objects.none()


def can_view_availability_overview(user: Any) -> bool:
    me = employee_of(user)
    return me is not None and bool(me.role_set & {Role.PLANNER, Role.TEAM_LEAD})


def roster_periods_for(user: Any) -> QuerySet[Any]:
    """Roster periods of the user's organisation (every employee submits availability for them)."""
    from veerkracht.scheduling.models_availability import RosterPeriod

    me = employee_of(user)
    if me is None:
        return RosterPeriod.objects.none()
    return RosterPeriod.objects.filter(organisation=me.organisation)


def get_roster_period_for(user: Any, pk: object) -> Any:
    from veerkracht.scheduling.models_availability import RosterPeriod

    try:
        return roster_periods_for(user).get(pk=pk)
    except (RosterPeriod.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_manage_roster_periods(user: Any) -> bool:
    me = employee_of(user)
    return me is not None and Role.PLANNER in me.role_set


# --- Shifts, team roster and calendar feeds -----------------------------------------------------
# Published shifts: everyone their own; the team roster of their own team (names and times only);
# team leads the teams they lead, site managers the teams of their site(s), planners every team
# of the organisation (with channels). Admins only as a member of a team. Drafts are the
# planner's (roster review) and never appear here.


def own_shifts_for(user: Any) -> QuerySet[Any]:
    """The user's own published shifts."""
    from veerkracht.scheduling.models_roster import Shift, ShiftState

    me = employee_of(user)
    if me is None:
        return Shift.objects.none()
    return Shift.objects.filter(employee=me, state=ShiftState.PUBLISHED)


def roster_teams_for(user: Any) -> QuerySet[Team]:
    """Teams whose published roster the user may see."""
    me = employee_of(user)
    if me is None:
        return Team.objects.none()
    qs = Team.objects.filter(site__organisation=me.organisation).select_related("site")
    roles = me.role_set
    if Role.PLANNER in roles:
        return qs
    condition = Q(pk__in=[])
    if me.team_id:
        condition |= Q(pk=me.team_id)
    if Role.TEAM_LEAD in roles:
        condition |= Q(leads=me)
    if Role.SITE_MANAGER in roles:
        condition |= Q(site__managers=me)
    return qs.filter(condition).distinct()


def get_roster_team_for(user: Any, pk: object) -> Team:
    try:
        return roster_teams_for(user).get(pk=pk)
    except (Team.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def roster_members_for(user: Any, team: Team) -> QuerySet[Employee]:
    """Active members of a team whose roster the user may see (404 otherwise)."""
    team = get_roster_team_for(user, team.pk)
    return Employee.objects.filter(team=team, is_active=True)


def can_see_roster_channels(user: Any, team: Team) -> bool:
    """Channels in the team roster: leads of the team, site managers of its site and planners.
    A member who is only a colleague sees names and times."""
    me = employee_of(user)
    if me is None or me.organisation_id != team.site.organisation_id:
        return False
    roles = me.role_set
    if Role.PLANNER in roles:
        return True
    if Role.TEAM_LEAD in roles and team.pk in _led_team_ids(me):
        return True
    return Role.SITE_MANAGER in roles and team.site.managers.filter(pk=me.pk).exists()


# --- Shift swaps (veerkracht.scheduling.swaps) -------------------------------------------------
# The offerer and the colleague who took a swap see all of it; colleagues of the same organisation
# see open offers (names and times only, to take them); team leads see the swaps of their teams'
# members; planners see every swap of the organisation. Site managers, admins: only their own.


def swaps_for(user: Any) -> QuerySet[Any]:
    """Swaps this user may see (see `can_see_swap_details` for how much of each)."""
    from veerkracht.scheduling.models_roster import SwapRequest, SwapStatus

    me = employee_of(user)
    if me is None:
        return SwapRequest.objects.none()
    qs = SwapRequest.objects.filter(organisation=me.organisation)
    if Role.PLANNER in me.role_set:
        return qs
    condition = Q(offered_by=me)
    condition |= Q(taken_by=me)
    if Role.AGENT in me.role_set:
        condition |= Q(status=SwapStatus.OPEN)
    if Role.TEAM_LEAD in me.role_set:
        condition |= Q(offered_by__team__leads=me)
    return qs.filter(condition).distinct()


def get_swap_for(user: Any, pk: object) -> Any:
    from veerkracht.scheduling.models_roster import SwapRequest

    try:
        return (
            swaps_for(user)
            .select_related(
                "shift", "return_shift", "offered_by", "offered_by__team", "taken_by", "decided_by"
            )
            .get(pk=pk)
        )
    except (SwapRequest.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_decide_swap(user: Any, swap: Any) -> bool:
    """Approve or reject: the team lead(s) of the offerer's team, or a planner; never one of the
    two employees of the swap themself."""
    me = employee_of(user)
    if me is None or me.organisation_id != swap.organisation_id:
        return False
    if me.pk in (swap.offered_by_id, swap.taken_by_id):
        return False
    if Role.PLANNER in me.role_set:
        return True
    team_id = swap.offered_by.team_id
    return Role.TEAM_LEAD in me.role_set and team_id is not None and team_id in _led_team_ids(me)


def can_see_swap_details(user: Any, swap: Any) -> bool:
    """Notes, rule check results and history: the two employees, their deciders. A colleague who
    may take an open offer sees only who offers which shift."""
    me = employee_of(user)
    if me is None or me.organisation_id != swap.organisation_id:
        return False
    if me.pk in (swap.offered_by_id, swap.taken_by_id):
        return True
    return can_decide_swap(user, swap)


def can_take_swaps(user: Any) -> bool:
    """Agents take colleagues' offered shifts (they are the people on the roster)."""
    me = employee_of(user)
    return me is not None and Role.AGENT in me.role_set


def can_decide_swaps(user: Any) -> bool:
    """Team leads (for their teams) and planners approve swaps."""
    me = employee_of(user)
    return me is not None and bool(me.role_set & {Role.PLANNER, Role.TEAM_LEAD})


def swap_queue_for(user: Any) -> QuerySet[Any]:
    """Swaps waiting for this user's decision: pending swaps of the teams they lead (planners:
    all pending swaps), never their own."""
    from veerkracht.scheduling.models_roster import SwapRequest, SwapStatus

    me = employee_of(user)
    if me is None or not me.role_set & {Role.PLANNER, Role.TEAM_LEAD}:
        return SwapRequest.objects.none()
    qs = SwapRequest.objects.filter(organisation=me.organisation, status=SwapStatus.PENDING)
    qs = qs.exclude(offered_by=me).exclude(taken_by=me)
    if Role.PLANNER in me.role_set:
        return qs
    return qs.filter(offered_by__team__leads=me).distinct()


# --- Roster runs and shifts (planner) ---------------------------------------------------------
# Roster runs, the draft, hand edits and publishing are the planner's work: the review shows
# availability, wished hours and preferences of everyone on the roster, which only planners (and
# team leads for their own team, elsewhere) may see. Site managers and admins get none of it.


def can_manage_rosters(user: Any) -> bool:
    me = employee_of(user)
    return me is not None and Role.PLANNER in me.role_set


def require_roster_planner(user: Any) -> Employee:
    """The planner behind the request, else PermissionDenied (403)."""
    me = employee_of(user)
    if me is None or Role.PLANNER not in me.role_set:
        raise PermissionDenied
    return me


def roster_runs_for(user: Any) -> QuerySet[Any]:
    from veerkracht.scheduling.models_roster import RosterRun

    me = employee_of(user)
    if me is None or Role.PLANNER not in me.role_set:
        return RosterRun.objects.none()
    return RosterRun.objects.filter(organisation=me.organisation)


def get_roster_run_for(user: Any, pk: object) -> Any:
    from veerkracht.scheduling.models_roster import RosterRun

    try:
        return roster_runs_for(user).select_related("period", "created_by").get(pk=pk)
    except (RosterRun.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def roster_shifts_for(user: Any) -> QuerySet[Any]:
    """Shifts (draft and published) of roster periods of the planner's organisation."""
    from veerkracht.scheduling.models_roster import Shift

    me = employee_of(user)
    if me is None or Role.PLANNER not in me.role_set:
        return Shift.objects.none()
    return Shift.objects.filter(organisation=me.organisation, period__isnull=False)


def get_roster_shift_for(user: Any, pk: object) -> Any:
    from veerkracht.scheduling.models_roster import Shift

    try:
        return roster_shifts_for(user).select_related("employee", "period").get(pk=pk)
    except (Shift.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def roster_employees_for(user: Any) -> QuerySet[Employee]:
    """Employees a planner may put on the roster: the active agents of the organisation."""
    me = employee_of(user)
    if me is None or Role.PLANNER not in me.role_set:
        return Employee.objects.none()
    return Employee.objects.filter(
        organisation=me.organisation, is_active=True, roles__role=Role.AGENT
    ).distinct()


# --- Intraday ---------------------------------------------------------------------------------
# Today's actuals, re-forecast and suggestions (veerkracht.scheduling.intraday): planners and
# site managers view (Capability.VIEW_PLANNING); only planners act (move agents, offer extra hours,
# assign quick tasks, manage quick tasks). Every employee answers their own offers and quick tasks.


def can_view_intraday(user: Any) -> bool:
    return can(user, Capability.VIEW_PLANNING)


def can_act_intraday(user: Any) -> bool:
    me = employee_of(user)
    return me is not None and Role.PLANNER in me.role_set


def require_intraday_viewer(user: Any) -> Employee:
    return require(user, Capability.VIEW_PLANNING)


def require_intraday_planner(user: Any) -> Employee:
    me = employee_of(user)
    if me is None or Role.PLANNER not in me.role_set:
        raise PermissionDenied
    return me


def quick_tasks_for(user: Any) -> QuerySet[Any]:
    """Quick tasks of the organisation, for those who may view intraday."""
    from veerkracht.scheduling.models_roster import QuickTask

    me = employee_of(user)
    if me is None or not can_view_intraday(user):
        return QuickTask.objects.none()
    return QuickTask.objects.filter(organisation=me.organisation)


def get_quick_task_for(user: Any, pk: object) -> Any:
    from veerkracht.scheduling.models_roster import QuickTask

    try:
        return quick_tasks_for(user).get(pk=pk)
    except (QuickTask.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def intraday_shift_for(user: Any, pk: object) -> Any:
    """A published shift of the planner's organisation (to move the agent between channels)."""
    from veerkracht.scheduling.models_roster import Shift, ShiftState

    me = employee_of(user)
    if me is None or Role.PLANNER not in me.role_set:
        raise Http404
    try:
        return Shift.objects.select_related("employee").get(
            pk=pk, organisation=me.organisation, state=ShiftState.PUBLISHED
        )
    except (Shift.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def intraday_agent_for(user: Any, pk: object) -> Employee:
    """An active agent of the planner's organisation (extra hours, quick tasks)."""
    me = employee_of(user)
    if me is None or Role.PLANNER not in me.role_set:
        raise Http404
    try:
        return (
            Employee.objects.filter(
                organisation=me.organisation, is_active=True, roles__role=Role.AGENT
            )
            .distinct()
            .get(pk=pk)
        )
    except (Employee.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def extra_hours_offers_for(user: Any) -> QuerySet[Any]:
    """Offers of the organisation's day, for those who may view intraday (planner's list)."""
    from veerkracht.scheduling.models_roster import ExtraHoursOffer

    me = employee_of(user)
    if me is None or not can_view_intraday(user):
        return ExtraHoursOffer.objects.none()
    return ExtraHoursOffer.objects.filter(organisation=me.organisation)


def quick_task_assignments_for(user: Any) -> QuerySet[Any]:
    from veerkracht.scheduling.models_roster import QuickTaskAssignment

    me = employee_of(user)
    if me is None or not can_view_intraday(user):
        return QuickTaskAssignment.objects.none()
    return QuickTaskAssignment.objects.filter(task__organisation=me.organisation)


def my_extra_hours_offers(user: Any) -> QuerySet[Any]:
    from veerkracht.scheduling.models_roster import ExtraHoursOffer

    me = employee_of(user)
    if me is None:
        return ExtraHoursOffer.objects.none()
    return ExtraHoursOffer.objects.filter(employee=me)


def get_my_extra_hours_offer(user: Any, pk: object) -> Any:
    from veerkracht.scheduling.models_roster import ExtraHoursOffer

    try:
        return my_extra_hours_offers(user).get(pk=pk)
    except (ExtraHoursOffer.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def my_quick_tasks(user: Any) -> QuerySet[Any]:
    from veerkracht.scheduling.models_roster import QuickTaskAssignment

    me = employee_of(user)
    if me is None:
        return QuickTaskAssignment.objects.none()
    return QuickTaskAssignment.objects.filter(employee=me).select_related("task")


def get_my_quick_task(user: Any, pk: object) -> Any:
    from veerkracht.scheduling.models_roster import QuickTaskAssignment

    try:
        return my_quick_tasks(user).get(pk=pk)
    except (QuickTaskAssignment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
