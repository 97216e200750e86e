"""Sites, teams and employees.

Reads start from people/access.py (`sites_for`, `get_team_for`, `employees_for`, …), so every role
sees here exactly what it sees on the pages; ids outside that scope are 404. Writes need
`Capability.MANAGE_ORGANISATION` (403 otherwise) and go through people/services.py.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from veerkracht.people import access, services
from veerkracht.people.access import Capability
from veerkracht.people.models import Channel, Employee, Role, Site, Team

from ..errors import renamed_fields
from ..pagination import PageNumberPagination
from ..schemas import (
    ERRORS,
    EmployeeOut,
    EmployeeRef,
    Id,
    InputSchema,
    PatchSchema,
    QuerySchema,
    SiteRef,
)

router = Router()


# --- Helpers -------------------------------------------------------------------------------------


def _scoped_employees(request: HttpRequest, ids: Iterable[int], *, field: str) -> list[Employee]:
    """Employees by id from the caller's scope; unknown or invisible ids are one 422 for `field`."""
    wanted = set(ids)
    found = list(access.employees_for(request.auth).filter(pk__in=wanted))
    missing = wanted - {e.pk for e in found}
    if missing:
        raise ValidationError(
            {
                field: _("Unknown employee: %(ids)s.")
                % {"ids": ", ".join(str(i) for i in sorted(missing))}
            }
        )
    return found


def _scoped_team(request: HttpRequest, pk: int | None, *, field: str = "team") -> Team | None:
    if pk is None:
        return None
    team = access.teams_for(request.auth).filter(pk=pk).first()
    if team is None:
        raise ValidationError({field: _("Unknown team: %(id)s.") % {"id": pk}})
    return team


def _scoped_site(request: HttpRequest, pk: int, *, field: str = "site") -> Site:
    site = access.sites_for(request.auth).filter(pk=pk).first()
    if site is None:
        raise ValidationError({field: _("Unknown site: %(id)s.") % {"id": pk}})
    return site


# --- Sites ---------------------------------------------------------------------------------------


class SiteOut(Schema):
    id: int
    name: str
    city: str
    managers: list[EmployeeRef]

    @staticmethod
    def resolve_managers(obj: Site) -> list[Employee]:
        return list(obj.managers.all())


class SiteIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=200)
    city: str = Field("", max_length=100)
    managers: list[Id] = Field(
        default_factory=list, description="Employee ids of the site managers."
    )


class SitePatch(PatchSchema):
    name: str | None = Field(None, min_length=1, max_length=200)
    city: str | None = Field(None, max_length=100)
    managers: list[Id] | None = None


def _sites(request: HttpRequest) -> QuerySet[Site]:
    return access.sites_for(request.auth).prefetch_related("managers").order_by("name", "pk")


@router.get("/sites", response={200: list[SiteOut], **ERRORS}, tags=["sites"])
@paginate(PageNumberPagination)
def list_sites(request: HttpRequest) -> QuerySet[Site]:
    """The sites the caller may see."""
    return _sites(request)


@router.get("/sites/{site_id}", response={200: SiteOut, **ERRORS}, tags=["sites"])
def get_site(request: HttpRequest, site_id: Id) -> Site:
    return access.get_site_for(request.auth, site_id)


@router.post("/sites", response={201: SiteOut, **ERRORS}, tags=["sites"])
def create_site(request: HttpRequest, payload: SiteIn) -> Status[Site]:
    """Admins only."""
    me = access.require(request.auth, Capability.MANAGE_ORGANISATION)
    managers = _scoped_employees(request, payload.managers, field="managers")
    site = Site(organisation=me.organisation, name=payload.name.strip(), city=payload.city.strip())
    services.save_site(site=site, by=request.auth, managers=managers)
    return Status(201, _sites(request).get(pk=site.pk))


@router.patch("/sites/{site_id}", response={200: SiteOut, **ERRORS}, tags=["sites"])
def update_site(request: HttpRequest, site_id: Id, payload: SitePatch) -> Site:
    """Admins only. Send only the fields to change; `managers` replaces the list."""
    access.require(request.auth, Capability.MANAGE_ORGANISATION)
    site = access.get_site_for(request.auth, site_id)
    changes = payload.changes()
    managers = None
    if "managers" in changes:
        managers = _scoped_employees(request, changes.pop("managers"), field="managers")
    for name, value in changes.items():
        setattr(site, name, value.strip())
    services.save_site(site=site, by=request.auth, managers=managers)
    return _sites(request).get(pk=site.pk)


# --- Teams ---------------------------------------------------------------------------------------


class TeamOut(Schema):
    id: int
    name: str
    site: SiteRef
    leads: list[EmployeeRef]

    @staticmethod
    def resolve_leads(obj: Team) -> list[Employee]:
        return list(obj.leads.all())


class TeamIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=200)
    site: Id = Field(..., description="Site id.")
    leads: list[Id] = Field(default_factory=list, description="Employee ids of the team leads.")


class TeamPatch(PatchSchema):
    name: str | None = Field(None, min_length=1, max_length=200)
    site: Id | None = Field(None, description="Site id.")
    leads: list[Id] | None = None


class TeamFilters(QuerySchema):
    site: Id | None = Field(None, description="Only teams of this site.")


def _teams(request: HttpRequest) -> QuerySet[Team]:
    return (
        access.teams_for(request.auth)
        .prefetch_related("leads")
        .order_by("site__name", "name", "pk")
    )


@router.get("/teams", response={200: list[TeamOut], **ERRORS}, tags=["teams"])
@paginate(PageNumberPagination)
def list_teams(request: HttpRequest, filters: Query[TeamFilters]) -> QuerySet[Team]:
    """The teams the caller may see."""
    teams = _teams(request)
    if filters.site is not None:
        teams = teams.filter(site_id=filters.site)
    return teams


@router.get("/teams/{team_id}", response={200: TeamOut, **ERRORS}, tags=["teams"])
def get_team(request: HttpRequest, team_id: Id) -> Team:
    return access.get_team_for(request.auth, team_id)


@router.post("/teams", response={201: TeamOut, **ERRORS}, tags=["teams"])
def create_team(request: HttpRequest, payload: TeamIn) -> Status[Team]:
    """Admins only."""
    access.require(request.auth, Capability.MANAGE_ORGANISATION)
    site = _scoped_site(request, payload.site)
    leads = _scoped_employees(request, payload.leads, field="leads")
    team = Team(site=site, name=payload.name.strip())
    services.save_team(team=team, by=request.auth, leads=leads)
    return Status(201, _teams(request).get(pk=team.pk))


@router.patch("/teams/{team_id}", response={200: TeamOut, **ERRORS}, tags=["teams"])
def update_team(request: HttpRequest, team_id: Id, payload: TeamPatch) -> Team:
    """Admins only. Send only the fields to change; `leads` replaces the list."""
    access.require(request.auth, Capability.MANAGE_ORGANISATION)
    team = access.get_team_for(request.auth, team_id)
    changes = payload.changes()
    leads = None
    if "leads" in changes:
        leads = _scoped_employees(request, changes.pop("leads"), field="leads")
    if "site" in changes:
        team.site = _scoped_site(request, changes.pop("site"))
    if "name" in changes:
        team.name = changes.pop("name").strip()
    services.save_team(team=team, by=request.auth, leads=leads)
    return _teams(request).get(pk=team.pk)


# --- Employees -----------------------------------------------------------------------------------

HOURS = Field(
    ..., ge=0, le=60, max_digits=4, decimal_places=1, description="Contract hours per week."
)


class EmployeeIn(InputSchema):
    first_name: str = Field(..., min_length=1, max_length=100)
    last_name: str = Field(..., min_length=1, max_length=150)
    email: str = Field(..., max_length=254, description="Work e-mail; also the login name.")
    employment_start: date
    contract_hours: Decimal = HOURS
    channels: list[Channel] = Field(default_factory=list)
    team: Id | None = Field(None, description="Team id.")
    roles: list[Role] = Field(default_factory=lambda: [Role.AGENT])
    birthday: date | None = None
    celebrate_birthday: bool = False
    address_line: str = Field("", max_length=200)
    postcode: str = Field("", max_length=12)
    city: str = Field("", max_length=100)
    language: str = Field("nl", max_length=5)


class EmployeePatch(PatchSchema):
    nullable = frozenset({"team", "birthday", "employment_end"})

    first_name: str | None = Field(None, min_length=1, max_length=100)
    last_name: str | None = Field(None, min_length=1, max_length=150)
    email: str | None = Field(None, max_length=254)
    employment_start: date | None = None
    employment_end: date | None = None
    contract_hours: Decimal | None = Field(None, ge=0, le=60, max_digits=4, decimal_places=1)
    channels: list[Channel] | None = None
    team: Id | None = Field(None, description="Team id, or null for no team.")
    roles: list[Role] | None = None
    birthday: date | None = None
    celebrate_birthday: bool | None = None
    address_line: str | None = Field(None, max_length=200)
    postcode: str | None = Field(None, max_length=12)
    city: str | None = Field(None, max_length=100)
    language: str | None = Field(None, max_length=5)


class DeactivateIn(InputSchema):
    end_date: date | None = Field(None, description="Last day of employment; today when left out.")


class EmployeeFilters(QuerySchema):
    team: Id | None = Field(None, description="Team id.")
    site: Id | None = Field(None, description="Site id.")
    channel: Channel | None = Field(None, description="Trained for this channel.")
    active: bool = Field(True, description="true: current employees (default); false: leavers.")
    q: str | None = Field(None, max_length=100, description="Search in name and e-mail.")


def _employees(request: HttpRequest, *, include_inactive: bool = True) -> QuerySet[Employee]:
    return (
        access.employees_for(request.auth, include_inactive=include_inactive)
        .select_related("team", "team__site")
        .prefetch_related("roles")
        .order_by("last_name", "first_name", "pk")
    )


def _choices(values: list[Any] | None) -> list[str] | None:
    return None if values is None else [str(v) for v in values]


@router.get("/employees", response={200: list[EmployeeOut], **ERRORS}, tags=["employees"])
@paginate(PageNumberPagination)
def list_employees(request: HttpRequest, filters: Query[EmployeeFilters]) -> QuerySet[Employee]:
    """The employees the caller may see: agents themselves, leads their team(s), site managers
    their site(s), planners and admins the organisation."""
    employees = _employees(request).filter(is_active=filters.active)
    if filters.team is not None:
        employees = employees.filter(team_id=filters.team)
    if filters.site is not None:
        employees = employees.filter(team__site_id=filters.site)
    if filters.channel is not None:
        # JSON list of channel codes; matching the quoted code works on SQLite and PostgreSQL.
        employees = employees.filter(channels__icontains=f'"{filters.channel.value}"')
    for word in (filters.q or "").split():
        employees = employees.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    return employees


@router.get("/employees/{employee_id}", response={200: EmployeeOut, **ERRORS}, tags=["employees"])
def get_employee(request: HttpRequest, employee_id: Id) -> Employee:
    return _get_employee(request, employee_id)


def _get_employee(request: HttpRequest, employee_id: int) -> Employee:
    access.get_employee_for(request.auth, employee_id)  # 404 when out of scope
    return _employees(request).get(pk=employee_id)


@router.post("/employees", response={201: EmployeeOut, **ERRORS}, tags=["employees"])
def create_employee(request: HttpRequest, payload: EmployeeIn) -> Status[Employee]:
    """Admins only. Creates the login too (no password: the person sets one via password reset)."""
    me = access.require(request.auth, Capability.MANAGE_ORGANISATION)
    fields = payload.model_dump()
    fields["team"] = _scoped_team(request, fields.pop("team"))
    fields["channels"] = _choices(fields["channels"])
    fields["roles"] = _choices(fields["roles"])
    employee = services.create_employee(organisation=me.organisation, by=request.auth, **fields)
    return Status(201, _get_employee(request, employee.pk))


@router.patch("/employees/{employee_id}", response={200: EmployeeOut, **ERRORS}, tags=["employees"])
def update_employee(request: HttpRequest, employee_id: Id, payload: EmployeePatch) -> Employee:
    """Admins only. Send only the fields to change; `roles` and `channels` replace the list."""
    access.require(request.auth, Capability.MANAGE_ORGANISATION)
    employee = access.get_employee_for(request.auth, employee_id)
    if not access.can_edit_employee(request.auth, employee):
        raise PermissionDenied
    fields = payload.changes()
    if "team" in fields:
        fields["team"] = _scoped_team(request, fields["team"])
    if "channels" in fields:
        fields["channels"] = _choices(fields["channels"])
    roles = _choices(fields.pop("roles", None))
    services.update_employee(employee=employee, by=request.auth, roles=roles, **fields)
    return _get_employee(request, employee.pk)


@router.post(
    "/employees/{employee_id}/deactivate", response={200: EmployeeOut, **ERRORS}, tags=["employees"]
)
def deactivate_employee(
    request: HttpRequest, employee_id: Id, payload: DeactivateIn | None = None
) -> Employee:
    """Admins only. Leavers are deactivated, never deleted; their API tokens are revoked."""
    access.require(request.auth, Capability.MANAGE_ORGANISATION)
    employee = access.get_employee_for(request.auth, employee_id)
    end_date = payload.end_date if payload is not None else None
    with renamed_fields({"employment_end": "end_date"}):
        services.deactivate_employee(employee=employee, by=request.auth, end_date=end_date)
    return _get_employee(request, employee.pk)
