"""Personal circumstances and the home workplace: the services (writes) and the attention reasons.

Every write is atomic, validates before saving and is audited. Audit entries name the fields that
changed, never their values: admins read the audit log and may not see personal circumstances.
Who may do what is decided by people/access.py; the services check it again so the pages and
the API cannot drift apart.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from veerkracht.people import access, audit
from veerkracht.people.models import AuditAction, Employee

from .models_home import (
    CHECKLIST_KEYS,
    Circumstances,
    HomeChecklist,
    HomeItem,
    HomeRequestEvent,
    HomeRequestStatus,
    HomeWorkplaceRequest,
)

CIRCUMSTANCE_FIELDS = (
    "living_alone",
    "cares_for_children",
    "cares_for_others",
    "quiet_workplace",
    "preferred_contact_moments",
)

# requested → approved → shipped → delivered; rejected and cancelled end a request.
TRANSITIONS: dict[str, frozenset[str]] = {
    HomeRequestStatus.REQUESTED: frozenset(
        {HomeRequestStatus.APPROVED, HomeRequestStatus.REJECTED, HomeRequestStatus.CANCELLED}
    ),
    HomeRequestStatus.APPROVED: frozenset({HomeRequestStatus.SHIPPED, HomeRequestStatus.CANCELLED}),
    HomeRequestStatus.SHIPPED: frozenset({HomeRequestStatus.DELIVERED}),
    HomeRequestStatus.DELIVERED: frozenset(),
    HomeRequestStatus.REJECTED: frozenset(),
    HomeRequestStatus.CANCELLED: frozenset(),
}

# An open request older than this is a problem on the attention list.
OPEN_REQUEST_DAYS = 7
# A rejection stays on the attention list this long unless the employee asked again.
REJECTED_FOLLOW_UP_DAYS = 30


class TransitionNotAllowed(Exception):
    """A status change that the workflow does not allow (the API answers 409)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- Personal circumstances ------------------------------------------------------------------


def _snapshot(obj: Circumstances | None) -> dict[str, Any]:
    if obj is None:
        return {}
    return {name: getattr(obj, name) for name in CIRCUMSTANCE_FIELDS}


@transaction.atomic
def save_circumstances(
    *,
    employee: Employee,
    by: Any,
    living_alone: bool,
    cares_for_children: bool,
    cares_for_others: bool,
    quiet_workplace: bool,
    preferred_contact_moments: str = "",
    request: HttpRequest | None = None,
) -> Circumstances:
    """Create or replace the employee's own circumstances. Only the employee may do this."""
    if access.employee_of(by) is None or access.employee_of(by).pk != employee.pk:
        raise PermissionDenied
    current = Circumstances.objects.select_for_update().filter(employee=employee).first()
    before = _snapshot(current)
    obj = current or Circumstances(employee=employee)
    obj.living_alone = bool(living_alone)
    obj.cares_for_children = bool(cares_for_children)
    obj.cares_for_others = bool(cares_for_others)
    obj.quiet_workplace = bool(quiet_workplace)
    obj.preferred_contact_moments = (preferred_contact_moments or "").strip()
    obj.full_clean()
    obj.save()
    changed = sorted(audit.diff(before, _snapshot(obj))) if current else list(CIRCUMSTANCE_FIELDS)
    audit.record(
        actor=by,
        action=AuditAction.UPDATE if current else AuditAction.CREATE,
        obj=obj,
        subject=employee,
        summary="personal circumstances saved",
        # Field names only: the audit log is read by admins, who may not see the values.
        changes={"fields": changed},
        request=request,
    )
    return obj


@transaction.atomic
def delete_circumstances(
    *, employee: Employee, by: Any, request: HttpRequest | None = None
) -> bool:
    """Remove the row entirely. Returns False when there was nothing to delete."""
    if access.employee_of(by) is None or access.employee_of(by).pk != employee.pk:
        raise PermissionDenied
    current = Circumstances.objects.filter(employee=employee).first()
    if current is None:
        return False
    pk = current.pk
    current.delete()
    audit.record(
        actor=by,
        action=AuditAction.DELETE,
        object_type=Circumstances._meta.label,
        object_id=pk,
        subject=employee,
        summary="personal circumstances deleted",
        request=request,
    )
    return True


def read_circumstances(
    *, user: Any, employee: Employee, request: HttpRequest | None = None
) -> Circumstances | None:
    """The employee's circumstances for someone who may see them (else PermissionDenied).
    A read by anyone but the employee is audited."""
    if not access.can_see_circumstances(user, employee):
        raise PermissionDenied
    obj = Circumstances.objects.filter(employee=employee).first()
    me = access.employee_of(user)
    if obj is not None and me is not None and me.pk != employee.pk:
        audit.record(
            actor=user,
            action=AuditAction.READ,
            obj=obj,
            subject=employee,
            summary="personal circumstances viewed",
            request=request,
        )
    return obj


# --- Checklist -------------------------------------------------------------------------------


@transaction.atomic
def save_checklist(
    *, employee: Employee, by: Any, items: Iterable[str], request: HttpRequest | None = None
) -> HomeChecklist:
    if access.employee_of(by) is None or access.employee_of(by).pk != employee.pk:
        raise PermissionDenied
    wanted = list(dict.fromkeys(str(i) for i in items))
    unknown = [i for i in wanted if i not in CHECKLIST_KEYS]
    if unknown:
        raise ValidationError(
            {"items": _("Unknown checklist item: %(items)s.") % {"items": ", ".join(unknown)}}
        )
    ordered = [key for key in CHECKLIST_KEYS if key in wanted]
    checklist, created = HomeChecklist.objects.select_for_update().get_or_create(employee=employee)
    before = list(checklist.items)
    checklist.items = ordered
    checklist.save()
    audit.record(
        actor=by,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=checklist,
        subject=employee,
        summary="home-workplace checklist saved",
        changes={"items": [before, ordered]},
        request=request,
    )
    return checklist


def checklist_of(employee: Employee) -> list[str]:
    checklist = HomeChecklist.objects.filter(employee=employee).first()
    return list(checklist.items) if checklist else []


# --- Home-workplace requests -----------------------------------------------------------------


@transaction.atomic
def create_home_request(
    *,
    employee: Employee,
    by: Any,
    item: str,
    reason: str,
    request: HttpRequest | None = None,
) -> HomeWorkplaceRequest:
    """An employee asks for an item for their own home workplace."""
    if access.employee_of(by) is None or access.employee_of(by).pk != employee.pk:
        raise PermissionDenied
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if item not in HomeItem.values:
        errors["item"] = _(
            "Select a valid choice. That choice is not one of the available choices."
        )
    if not reason:
        errors["reason"] = _("Say briefly why you need it.")
    if errors:
        raise ValidationError(errors)
    if HomeWorkplaceRequest.objects.filter(
        employee=employee,
        item=item,
        status__in=[
            HomeRequestStatus.REQUESTED,
            HomeRequestStatus.APPROVED,
            HomeRequestStatus.SHIPPED,
        ],
    ).exists():
        raise ValidationError({"item": _("You already have an open request for this item.")})
    home_request = HomeWorkplaceRequest(employee=employee, item=item, reason=reason)
    home_request.full_clean()
    home_request.save()
    HomeRequestEvent.objects.create(
        request=home_request,
        at=home_request.requested_at,
        by=by,
        from_status="",
        to_status=HomeRequestStatus.REQUESTED,
        note=reason,
    )
    audit.record(
        actor=by,
        action=AuditAction.CREATE,
        obj=home_request,
        subject=employee,
        summary=f"home-workplace request: {item}",
        changes={"status": [None, HomeRequestStatus.REQUESTED]},
        request=request,
    )
    return home_request


def allowed_transitions(*, user: Any, home_request: HomeWorkplaceRequest) -> list[str]:
    """The status changes this user may make now, in workflow order (for buttons on the page)."""
    possible = TRANSITIONS.get(home_request.status, frozenset())
    order = [s.value for s in HomeRequestStatus]
    return [s for s in order if s in possible and _may(user, home_request, s)]


def _may(user: Any, home_request: HomeWorkplaceRequest, to: str) -> bool:
    employee = home_request.employee
    if to in (HomeRequestStatus.APPROVED, HomeRequestStatus.REJECTED):
        return access.can_decide_home_request(user, employee)
    if to in (HomeRequestStatus.SHIPPED, HomeRequestStatus.DELIVERED):
        return access.can_ship_home_request(user, employee)
    if to == HomeRequestStatus.CANCELLED:
        me = access.employee_of(user)
        is_owner = me is not None and me.pk == employee.pk
        return is_owner or access.can_ship_home_request(user, employee)
    return False


@transaction.atomic
def transition_home_request(
    *,
    home_request: HomeWorkplaceRequest,
    by: Any,
    to: str,
    note: str = "",
    reference: str = "",
    on: datetime.date | None = None,
    request: HttpRequest | None = None,
) -> HomeWorkplaceRequest:
    """Move a request to its next status, with a history row and an audit entry.

    Raises TransitionNotAllowed for a change the workflow does not allow from the current status,
    PermissionDenied when the user may not make it, ValidationError for bad input.
    """
    home_request = (
        HomeWorkplaceRequest.objects.select_for_update()
        .select_related("employee")
        .get(pk=home_request.pk)
    )
    if to not in HomeRequestStatus.values:
        raise ValidationError({"to": _("Unknown status: %(status)s.") % {"status": to}})
    current = home_request.status
    if to not in TRANSITIONS.get(current, frozenset()):
        raise TransitionNotAllowed(
            _("A request that is %(current)s cannot become %(to)s.")
            % {
                "current": HomeRequestStatus(current).label.lower(),
                "to": HomeRequestStatus(to).label.lower(),
            }
        )
    if not _may(by, home_request, to):
        raise PermissionDenied
    note = (note or "").strip()
    reference = (reference or "").strip()
    if len(note) > 300:
        raise ValidationError({"note": _("Keep the note under 300 characters.")})
    if len(reference) > 100:
        raise ValidationError({"reference": _("Keep the reference under 100 characters.")})
    if to == HomeRequestStatus.REJECTED and not note:
        raise ValidationError({"note": _("Say why the request is rejected.")})
    today = on or timezone.localdate()
    now = timezone.now()
    if to in (HomeRequestStatus.APPROVED, HomeRequestStatus.REJECTED):
        home_request.decided_at = now
        home_request.decided_by = by
        home_request.decision_note = note
    if to == HomeRequestStatus.SHIPPED:
        home_request.shipped_on = today
        if reference:
            home_request.reference = reference
    if to == HomeRequestStatus.DELIVERED:
        if home_request.shipped_on and today < home_request.shipped_on:
            raise ValidationError({"on": _("Delivery cannot be before shipping.")})
        home_request.delivered_on = today
        if reference:
            home_request.reference = reference
    home_request.status = to
    home_request.full_clean()
    home_request.save()
    HomeRequestEvent.objects.create(
        request=home_request,
        at=now,
        by=by,
        from_status=current,
        to_status=to,
        note=note,
        reference=reference,
    )
    audit.record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=home_request,
        subject=home_request.employee,
        summary=f"home-workplace request {current} → {to}",
        changes={"status": [current, to]},
        request=request,
    )
    return home_request


def shipping_address(
    *, user: Any, home_request: HomeWorkplaceRequest, request: HttpRequest | None = None
) -> dict[str, str] | None:
    """The home address to ship to, when access.can_see_address allows it; someone else's
    address read is audited."""
    employee = home_request.employee
    if not access.can_see_address(user, employee):
        return None
    address = {
        "address_line": employee.address_line,
        "postcode": employee.postcode,
        "city": employee.city,
    }
    me = access.employee_of(user)
    if any(address.values()) and me is not None and me.pk != employee.pk:
        audit.record(
            actor=user,
            action=AuditAction.READ,
            obj=employee,
            summary="home address viewed (home-workplace shipping)",
            request=request,
        )
    return address


@transaction.atomic
def erase_home_data(*, employee: Employee) -> None:
    """Remove what this module holds about a person who is erased: circumstances and checklist
    go, requests keep only item, status and dates (for equipment bookkeeping).

    Meant to be called by people.services.erase_employee, which writes the audit entry.
    """
    Circumstances.objects.filter(employee=employee).delete()
    HomeChecklist.objects.filter(employee=employee).delete()
    requests = HomeWorkplaceRequest.objects.filter(employee=employee)
    requests.update(reason="", decision_note="", reference="")
    HomeRequestEvent.objects.filter(request__in=requests).update(note="", reference="")


# --- Attention list --------------------------------------------------------------------------


def _held_checkins_this_week(employee_ids: list[int], now: datetime.datetime) -> set[int] | None:
    """Ids of employees with a held 1:1 this ISO week, or None when 1:1s cannot be checked
    (the check-in model is not installed or has no recognisable start field)."""
    try:
        from veerkracht.wellbeing.models_checkins import CheckIn  # type: ignore[import-not-found]
    except ImportError:
        return None
    field_names = {f.name for f in CheckIn._meta.get_fields()}
    start_field = next(
        (
            name
            for name in ("planned_start", "starts_at", "start", "planned_at", "scheduled_at")
            if name in field_names
        ),
        None,
    )
    if start_field is None or "agent" not in field_names or "status" not in field_names:
        return None
    today = timezone.localdate(now)
    monday = today - datetime.timedelta(days=today.weekday())
    tz = timezone.get_current_timezone()
    week_start = datetime.datetime.combine(monday, datetime.time.min, tzinfo=tz)
    week_end = week_start + datetime.timedelta(days=7)
    held = CheckIn.objects.filter(
        agent_id__in=employee_ids,
        status="held",
        **{f"{start_field}__gte": week_start, f"{start_field}__lt": week_end},
    )
    return set(held.values_list("agent_id", flat=True))


def attention_reasons(
    employees: list[Employee], *, viewer: Any = None, now: datetime.datetime | None = None
) -> dict[int, list[str]]:
    """Why each employee may need attention this week, from circumstances and the home workplace.

    Returns {employee pk: [translated reason, …]} with a key for every employee given (an empty
    list when nothing stands out). Reasons from personal circumstances are only given for
    employees whose circumstances `viewer` may see (people/access.can_see_circumstances) when a
    viewer is passed; without one the caller is responsible for passing only such employees.
    """
    now = now or timezone.now()
    ids = [e.pk for e in employees]
    reasons: dict[int, list[str]] = {pk: [] for pk in ids}
    if not ids:
        return reasons
    by_id = {e.pk: e for e in employees}

    circumstances = {
        c.employee_id: c
        for c in Circumstances.objects.filter(employee_id__in=ids)
        if viewer is None or access.can_see_circumstances(viewer, by_id[c.employee_id])
    }
    living_alone = [pk for pk, c in circumstances.items() if c.living_alone]
    if living_alone:
        held = _held_checkins_this_week(living_alone, now)
        # Only flag when 1:1s can be checked: an unknown is not a reason.
        if held is not None:
            for pk in living_alone:
                if pk not in held:
                    reasons[pk].append(_("Lives alone and had no team contact this week"))

    open_since = now - datetime.timedelta(days=OPEN_REQUEST_DAYS)
    open_requests = HomeWorkplaceRequest.objects.filter(
        employee_id__in=ids,
        status__in=[
            HomeRequestStatus.REQUESTED,
            HomeRequestStatus.APPROVED,
            HomeRequestStatus.SHIPPED,
        ],
        requested_at__lte=open_since,
    ).order_by("requested_at", "pk")
    rejected = HomeWorkplaceRequest.objects.filter(
        employee_id__in=ids,
        status=HomeRequestStatus.REJECTED,
        decided_at__gte=now - datetime.timedelta(days=REJECTED_FOLLOW_UP_DAYS),
    ).order_by("requested_at", "pk")
    later = {
        (employee_id, item, at)
        for employee_id, item, at in HomeWorkplaceRequest.objects.filter(
            employee_id__in=ids
        ).values_list("employee_id", "item", "requested_at")
    }
    problems = list(open_requests)
    for r in rejected:
        followed_up = any(
            e == r.employee_id and i == r.item and at > r.requested_at for e, i, at in later
        )
        if not followed_up:
            problems.append(r)
    for r in sorted(problems, key=lambda r: (r.requested_at, r.pk)):
        days = (now - r.requested_at).days
        reasons[r.employee_id].append(
            ngettext(
                "Open home-workplace problem: %(item)s requested %(days)d day ago",
                "Open home-workplace problem: %(item)s requested %(days)d days ago",
                days,
            )
            % {"item": r.get_item_display().lower(), "days": days}
        )

    for pk, c in circumstances.items():
        if not c.quiet_workplace:
            reasons[pk].append(_("No quiet workplace at home"))
    return reasons
