"""Writes to people data. Every function is atomic, validates before saving and audits."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .models import (
    ApiToken,
    AuditAction,
    AuditEvent,
    Employee,
    EmployeeRole,
    Organisation,
    Role,
    Site,
    Team,
)

EMPLOYEE_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "employment_start",
    "employment_end",
    "birthday",
    "celebrate_birthday",
    "contract_hours",
    "channels",
    "address_line",
    "postcode",
    "city",
    "team_id",
    "language",
    "is_active",
)


def _snapshot(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    return {f: getattr(obj, f) for f in fields}


def _check_team(organisation: Organisation, team: Team | None) -> None:
    if team is not None and team.site.organisation_id != organisation.pk:
        raise ValidationError({"team": _("This team belongs to another organisation.")})


@transaction.atomic
def create_employee(
    *,
    organisation: Organisation,
    by: Any,
    first_name: str,
    last_name: str,
    email: str,
    employment_start: date,
    contract_hours: Decimal | float | int,
    channels: list[str] | None = None,
    team: Team | None = None,
    roles: Iterable[str] = (Role.AGENT,),
    birthday: date | None = None,
    celebrate_birthday: bool = False,
    address_line: str = "",
    postcode: str = "",
    city: str = "",
    language: str = "nl",
    password: str | None = None,
) -> Employee:
    email = email.strip().lower()
    _check_team(organisation, team)
    employee = Employee(
        organisation=organisation,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email,
        employment_start=employment_start,
        contract_hours=Decimal(str(contract_hours)),
        channels=list(channels or []),
        team=team,
        birthday=birthday,
        celebrate_birthday=celebrate_birthday,
        address_line=address_line,
        postcode=postcode,
        city=city,
        language=language,
    )
    employee.full_clean()
    User = get_user_model()
    if User.objects.filter(username__iexact=email).exists():
        raise ValidationError({"email": _("An account with this e-mail address already exists.")})
    user = User(
        username=email, email=email, first_name=employee.first_name, last_name=employee.last_name
    )
    # Without a given password the account gets a random one: the person sets their own through
    # "forgot your password?" (Django's reset skips accounts with an unusable password).
    user.set_password(password or secrets.token_urlsafe(24))
    user.save()
    employee.user = user
    employee.save()
    _replace_roles(employee, roles)
    audit.record(
        actor=by,
        action=AuditAction.CREATE,
        obj=employee,
        summary=f"employee {employee.pk} created",
        changes={"roles": sorted(employee.role_set)},
    )
    return employee


def _replace_roles(employee: Employee, roles: Iterable[str]) -> None:
    wanted = {str(r) for r in roles}
    unknown = wanted - set(Role.values)
    if unknown:
        raise ValidationError(
            {"roles": _("Unknown role: %(role)s") % {"role": ", ".join(sorted(unknown))}}
        )
    EmployeeRole.objects.filter(employee=employee).exclude(role__in=wanted).delete()
    existing = set(EmployeeRole.objects.filter(employee=employee).values_list("role", flat=True))
    EmployeeRole.objects.bulk_create(
        [EmployeeRole(employee=employee, role=r) for r in sorted(wanted - existing)]
    )
    employee._role_cache = wanted


@transaction.atomic
def update_employee(
    *, employee: Employee, by: Any, roles: Iterable[str] | None = None, **fields: Any
) -> Employee:
    unknown = set(fields) - set(EMPLOYEE_FIELDS) - {"team"}
    if unknown:
        raise TypeError(f"update_employee() got unexpected fields: {sorted(unknown)}")
    before = _snapshot(employee, EMPLOYEE_FIELDS)
    before_roles = sorted(employee.role_set)
    if "email" in fields:
        fields["email"] = str(fields["email"]).strip().lower()
    for name, value in fields.items():
        setattr(employee, name, value)
    _check_team(employee.organisation, employee.team)
    employee.full_clean()
    if employee.user_id and "email" in fields:
        User = get_user_model()
        if (
            User.objects.filter(username__iexact=employee.email)
            .exclude(pk=employee.user_id)
            .exists()
        ):
            raise ValidationError(
                {"email": _("An account with this e-mail address already exists.")}
            )
    employee.save()
    if employee.user is not None:
        user = employee.user
        user.username = user.email = employee.email
        user.first_name, user.last_name = employee.first_name, employee.last_name
        user.is_active = employee.is_active
        user.save()
    changes = audit.diff(before, _snapshot(employee, EMPLOYEE_FIELDS))
    if roles is not None:
        _replace_roles(employee, roles)
        if sorted(employee.role_set) != before_roles:
            changes["roles"] = [before_roles, sorted(employee.role_set)]
    if changes:
        audit.record(actor=by, action=AuditAction.UPDATE, obj=employee, changes=changes)
    return employee


@transaction.atomic
def deactivate_employee(*, employee: Employee, by: Any, end_date: date | None = None) -> Employee:
    """Leavers are deactivated, not deleted: working-time and absence records have retention terms."""
    end_date = end_date or timezone.localdate()
    if end_date < employee.employment_start:
        raise ValidationError({"employment_end": _("The end date lies before the start date.")})
    update_employee(employee=employee, by=by, is_active=False, employment_end=end_date)
    ApiToken.objects.filter(user=employee.user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    for team in employee.led_teams.all():
        team.leads.remove(employee)
    employee.managed_sites.clear()
    return employee


@transaction.atomic
def reactivate_employee(*, employee: Employee, by: Any) -> Employee:
    return update_employee(employee=employee, by=by, is_active=True, employment_end=None)


# Apps that hold personal data register a function that removes theirs when someone is erased
# (e.g. wellbeing removes personal circumstances). They run inside erase_employee's transaction.
_ERASURE_HOOKS: list[Callable[[Employee], None]] = []


def register_erasure_hook(hook: Callable[[Employee], None]) -> None:
    if hook not in _ERASURE_HOOKS:
        _ERASURE_HOOKS.append(hook)


@transaction.atomic
def erase_employee(*, employee: Employee, by: Any) -> Employee:
    """Remove personal data, keep the row so aggregates (headcount, hours) stay consistent.

    Kept: organisation, team, contract hours, employment dates (needed for working-time records,
    which must be kept 52 weeks, and for absence figures). Removed: name, e-mail, birthday,
    address, login, tokens, roles and the names in audit summaries about the person.
    """
    if employee.erased_at is not None:
        raise ValidationError(_("This employee has already been erased."))
    for hook in _ERASURE_HOOKS:
        hook(employee)
    pk = employee.pk
    old_email = employee.email
    user = employee.user
    employee.first_name = _("Erased")
    employee.last_name = f"#{pk}"
    employee.email = f"erased-{pk}@erased.invalid"
    employee.birthday = None
    employee.celebrate_birthday = False
    employee.address_line = employee.postcode = employee.city = ""
    employee.is_active = False
    employee.employment_end = employee.employment_end or timezone.localdate()
    employee.erased_at = timezone.now()
    employee.user = None
    employee.save()
    EmployeeRole.objects.filter(employee=employee).delete()
    employee.led_teams.clear()
    employee.managed_sites.clear()
    if user is not None:
        AuditEvent.objects.filter(actor=user).update(actor_label=f"erased-{pk}")
        user.delete()
    AuditEvent.objects.filter(subject=employee).update(summary="")
    AuditEvent.objects.filter(actor_label__iexact=old_email).update(actor_label=f"erased-{pk}")
    audit.record(actor=by, action=AuditAction.ERASE, obj=employee, summary=f"employee {pk} erased")
    return employee


# --- Sites and teams ------------------------------------------------------------------------


@transaction.atomic
def save_site(*, site: Site, by: Any, managers: Iterable[Employee] | None = None) -> Site:
    creating = site.pk is None
    managers = list(managers) if managers is not None else None  # iterated twice below
    if managers and any(m.organisation_id != site.organisation_id for m in managers):
        raise ValidationError(
            {"managers": _("Site managers must belong to the same organisation.")}
        )
    site.full_clean()
    site.save()
    if managers is not None:
        site.managers.set(managers)
        for manager in managers:
            EmployeeRole.objects.get_or_create(employee=manager, role=Role.SITE_MANAGER)
    audit.record(
        actor=by,
        action=AuditAction.CREATE if creating else AuditAction.UPDATE,
        obj=site,
        summary=site.name,
    )
    return site


@transaction.atomic
def save_team(*, team: Team, by: Any, leads: Iterable[Employee] | None = None) -> Team:
    creating = team.pk is None
    leads = list(leads) if leads is not None else None
    if leads and any(lead.organisation_id != team.site.organisation_id for lead in leads):
        raise ValidationError({"leads": _("Team leads must belong to the same organisation.")})
    team.full_clean()
    team.save()
    if leads is not None:
        team.leads.set(leads)
        for lead in leads:
            EmployeeRole.objects.get_or_create(employee=lead, role=Role.TEAM_LEAD)
    audit.record(
        actor=by,
        action=AuditAction.CREATE if creating else AuditAction.UPDATE,
        obj=team,
        summary=team.name,
    )
    return team


# --- API tokens -----------------------------------------------------------------------------


@transaction.atomic
def issue_api_token(*, user: Any, name: str) -> tuple[ApiToken, str]:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    token, key = ApiToken.issue(user=user, name=name)
    audit.record(
        actor=user, action=AuditAction.CREATE, obj=token, summary=f"API token {token.prefix}"
    )
    return token, key


@transaction.atomic
def revoke_api_token(*, token: ApiToken, by: Any) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor=by,
            action=AuditAction.UPDATE,
            obj=token,
            summary=f"API token {token.prefix} revoked",
        )
