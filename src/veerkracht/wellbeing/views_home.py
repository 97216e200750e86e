"""Pages for personal circumstances and the home workplace.

Thin views: forms validate, wellbeing/home.py writes (atomic, audited), people/access.py scopes
every read. Circumstances are for the employee and their team lead(s) only: anyone else gets a
404, so not even their existence is shown.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from veerkracht.people import access
from veerkracht.people.access import Capability
from veerkracht.people.models import Employee, Role

from . import home
from .forms_home import ChecklistForm, CircumstancesForm, HomeRequestForm, TransitionForm
from .models_home import (
    CHECKLIST_ITEMS,
    OPEN_STATUSES,
    Circumstances,
    HomeChecklist,
    HomeRequestStatus,
    HomeWorkplaceRequest,
)


def _messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Personal circumstances -------------------------------------------------------------------


@login_required
def circumstances(request: HttpRequest) -> HttpResponse:
    """The employee's own circumstances: fill in, change or delete."""
    me = access.require_employee(request.user)
    current = Circumstances.objects.filter(employee=me).first()
    if request.method == "POST":
        form = CircumstancesForm(request.POST)
        if form.is_valid():
            try:
                home.save_circumstances(
                    employee=me, by=request.user, request=request, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your circumstances are saved."))
                return redirect("wellbeing:circumstances")
    elif current is not None:
        form = CircumstancesForm(
            initial={name: getattr(current, name) for name in home.CIRCUMSTANCE_FIELDS}
        )
    else:
        form = CircumstancesForm()
    leads = Employee.objects.filter(led_teams=me.team_id).distinct() if me.team_id else []
    return render(
        request,
        "wellbeing/circumstances.html",
        {"form": form, "current": current, "leads": leads},
    )


@login_required
@require_POST
def circumstances_delete(request: HttpRequest) -> HttpResponse:
    me = access.require_employee(request.user)
    if home.delete_circumstances(employee=me, by=request.user, request=request):
        messages.success(request, _("Your circumstances are deleted. Nothing of them is kept."))
    return redirect("wellbeing:circumstances")


@login_required
@require_GET
def circumstances_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A team lead's read-only view of one agent: circumstances, checklist and requests."""
    access.require_employee(request.user)
    employee = access.get_circumstances_subject_for(request.user, pk)
    obj = home.read_circumstances(user=request.user, employee=employee, request=request)
    ticked = set(home.checklist_of(employee))
    requests = access.home_requests_for(request.user).filter(employee=employee)
    return render(
        request,
        "wellbeing/circumstances_detail.html",
        {
            "employee": employee,
            "circumstances": obj,
            "checklist": [(key, label, key in ticked) for key, label, _tip in CHECKLIST_ITEMS],
            "ticked": len(ticked),
            "requests": requests,
        },
    )


# --- Home workplace: the employee's page ------------------------------------------------------


def _home_page(
    request: HttpRequest,
    me: Employee,
    *,
    request_form: HomeRequestForm | None = None,
    status: int = 200,
) -> HttpResponse:
    ticked = home.checklist_of(me)
    own = (
        access.home_requests_for(request.user)
        .filter(employee=me)
        .prefetch_related("events")
        .order_by("-requested_at", "-pk")
    )
    return render(
        request,
        "wellbeing/home_workplace.html",
        {
            "checklist": [(key, label, tip, key in ticked) for key, label, tip in CHECKLIST_ITEMS],
            "ticked": len(ticked),
            "total": len(CHECKLIST_ITEMS),
            "requests": own,
            "request_form": request_form or HomeRequestForm(),
            "is_lead": access.can(request.user, Capability.LEAD_TEAMS),
            "is_admin": Role.ADMIN in access.roles_of(request.user),
            "has_circumstances": Circumstances.objects.filter(employee=me).exists(),
        },
        status=status,
    )


@login_required
@require_GET
def home_workplace(request: HttpRequest) -> HttpResponse:
    me = access.require_employee(request.user)
    return _home_page(request, me)


@login_required
@require_POST
def home_checklist(request: HttpRequest) -> HttpResponse:
    me = access.require_employee(request.user)
    form = ChecklistForm(request.POST)
    if form.is_valid():
        home.save_checklist(
            employee=me, by=request.user, items=form.cleaned_data["items"], request=request
        )
        messages.success(request, _("Your checklist is saved."))
    else:
        messages.error(request, _("Choose items from the checklist."))
    return redirect("wellbeing:home_workplace")


@login_required
@require_POST
def home_request_create(request: HttpRequest) -> HttpResponse:
    me = access.require_employee(request.user)
    form = HomeRequestForm(request.POST)
    if form.is_valid():
        try:
            home.create_home_request(
                employee=me,
                by=request.user,
                item=form.cleaned_data["item"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Your request is sent to your team lead."))
            return redirect("wellbeing:home_workplace")
    return _home_page(request, me, request_form=form, status=422)


# --- Home workplace: the lead's and admin's pages ----------------------------------------------


def _require_handler(request: HttpRequest) -> Employee:
    """Team leads (their teams) and admins (their organisation) handle requests."""
    me = access.require_employee(request.user)
    if not (access.can(request.user, Capability.LEAD_TEAMS) or Role.ADMIN in me.role_set):
        raise PermissionDenied
    return me


@login_required
@require_GET
def home_requests(request: HttpRequest) -> HttpResponse:
    me = _require_handler(request)
    scoped = (
        access.home_requests_for(request.user)
        .exclude(employee=me)
        .select_related("employee", "employee__team")
    )
    open_requests = list(scoped.filter(status__in=OPEN_STATUSES).order_by("requested_at", "pk"))
    closed = list(scoped.exclude(status__in=OPEN_STATUSES).order_by("-updated_at", "-pk")[:20])
    for r in open_requests:
        r.actions = home.allowed_transitions(user=request.user, home_request=r)
    team_members: list[Employee] = []
    if access.can(request.user, Capability.LEAD_TEAMS):
        team_members = list(
            Employee.objects.filter(team__in=access.led_teams(request.user), is_active=True)
            .exclude(pk=me.pk)
            .prefetch_related(
                Prefetch("home_checklist", queryset=HomeChecklist.objects.all()),
            )
            .select_related("team")
            .order_by("last_name", "first_name")
        )
        for member in team_members:
            checklist = getattr(member, "home_checklist", None)
            member.ticked = len(checklist.items) if checklist else 0
    return render(
        request,
        "wellbeing/home_requests.html",
        {
            "open_requests": open_requests,
            "closed": closed,
            "team_members": team_members,
            "total": len(CHECKLIST_ITEMS),
            "statuses": HomeRequestStatus,
        },
    )


@login_required
@require_GET
def home_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_employee(request.user)
    home_request = access.get_home_request_for(request.user, pk)
    address = None
    if home_request.status in (HomeRequestStatus.APPROVED, HomeRequestStatus.SHIPPED):
        # Shown only where it is needed: to send the item.
        address = home.shipping_address(
            user=request.user, home_request=home_request, request=request
        )
    return render(
        request,
        "wellbeing/home_request_detail.html",
        {
            "r": home_request,
            "events": home_request.events.select_related("by__employee"),
            "actions": home.allowed_transitions(user=request.user, home_request=home_request),
            "address": address,
            "is_own": home_request.employee.user_id == request.user.pk,
        },
    )


@login_required
@require_POST
def home_request_transition(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_employee(request.user)
    home_request = access.get_home_request_for(request.user, pk)
    form = TransitionForm(request.POST)
    target = _back(request, home_request)
    if not form.is_valid():
        messages.error(request, _("Choose a valid status."))
        return redirect(target)
    data: dict[str, Any] = form.cleaned_data
    try:
        home.transition_home_request(
            home_request=home_request,
            by=request.user,
            to=data["to"],
            note=data["note"],
            reference=data["reference"],
            request=request,
        )
    except home.TransitionNotAllowed as error:
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, _messages_of(error))
    else:
        messages.success(
            request,
            _("The request is now %(status)s.")
            % {"status": HomeRequestStatus(data["to"]).label.lower()},
        )
    return redirect(target)


def _back(request: HttpRequest, home_request: HomeWorkplaceRequest) -> str:
    # Only our own pages, never a URL from the form: no open redirect.
    back = request.POST.get("back", "")
    if back == "list":
        return reverse("wellbeing:home_requests")
    if back == "home":
        return reverse("wellbeing:home_workplace")
    return reverse("wellbeing:home_request_detail", args=[home_request.pk])
