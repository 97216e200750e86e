"""Availability pages: the agent's own (phone first), the lead's and planner's overview with CSV,
and the planner's roster periods.

Thin views: reads start from people/access.py, writes go through availability.py. Every form
posts and redirects, so the pages work without JavaScript.
"""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from veerkracht.people import access
from veerkracht.people.models import Role

from . import availability as services
from .forms_availability import (
    WEEKDAYS,
    ExceptionForm,
    PatternWindowForm,
    PreferencesForm,
    RosterPeriodForm,
)
from .models_availability import AvailabilityException, AvailabilityPattern


def _add_errors(
    form: Form, error: ValidationError, *, rename: dict[str, str] | None = None
) -> None:
    """A service's field errors on the form; `rename` maps service fields to form fields."""
    for field, messages_ in error.message_dict.items():
        field = (rename or {}).get(field, field)
        form.add_error(field if field in form.fields else None, messages_)


def _wished_hours(minutes: int | None) -> Any:
    if minutes is None:
        return None
    hours = minutes / 60
    return int(hours) if hours == int(hours) else round(hours, 2)


# --- The agent's own page -----------------------------------------------------------------------


@login_required
def my_availability(request: HttpRequest) -> HttpResponse:
    me = access.require_employee(request.user)
    prefs = services.preferences_of(me)
    pattern_form = PatternWindowForm(prefix="pattern")
    exception_form = ExceptionForm(prefix="exception")
    preferences_form = PreferencesForm(
        prefix="prefs",
        trained=list(me.channels),
        initial={
            "preferred_channels": prefs.preferred_channels,
            "unpreferred_channels": prefs.unpreferred_channels,
            "wished_hours": _wished_hours(prefs.wished_minutes_per_week),
            "note": prefs.note,
        },
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add_window":
                pattern_form = PatternWindowForm(request.POST, prefix="pattern")
                if pattern_form.is_valid():
                    services.add_pattern_window(
                        employee=me, by=request.user, **pattern_form.cleaned_data
                    )
                    messages.success(request, _("Window added."))
                    return redirect("scheduling:my_availability")
            elif action == "add_exception":
                exception_form = ExceptionForm(request.POST, prefix="exception")
                if exception_form.is_valid():
                    data = exception_form.cleaned_data
                    services.add_exception(
                        employee=me,
                        day=data["date"],
                        start=data["start"],
                        end=data["end"],
                        kind=data["kind"],
                        note=data["note"],
                        by=request.user,
                    )
                    messages.success(request, _("Exception added."))
                    return redirect("scheduling:my_availability")
            elif action == "preferences":
                preferences_form = PreferencesForm(
                    request.POST, prefix="prefs", trained=list(me.channels)
                )
                if preferences_form.is_valid():
                    data = preferences_form.cleaned_data
                    hours = data["wished_hours"]
                    services.update_preferences(
                        employee=me,
                        preferred_channels=data["preferred_channels"],
                        unpreferred_channels=data["unpreferred_channels"],
                        wished_minutes_per_week=None if hours is None else int(hours * 60),
                        note=data["note"],
                        by=request.user,
                    )
                    messages.success(request, _("Preferences saved."))
                    return redirect("scheduling:my_availability")
            else:
                raise Http404
        except ValidationError as error:
            form = {
                "add_window": pattern_form,
                "add_exception": exception_form,
                "preferences": preferences_form,
            }[action]
            _add_errors(form, error, rename={"wished_minutes_per_week": "wished_hours"})
    windows = list(AvailabilityPattern.objects.filter(employee=me))
    days = [
        {"weekday": n, "label": label, "windows": [w for w in windows if w.weekday == n]}
        for n, label in WEEKDAYS
    ]
    exceptions = list(
        AvailabilityException.objects.filter(employee=me, date__gte=timezone.localdate())
    )
    for x in exceptions:
        x.locked = services.closed_period_for(me, x.date) is not None  # type: ignore[attr-defined]
    submitted = dict(
        me.availability_submissions.values_list("period_id", "submitted_at")  # type: ignore[attr-defined]
    )
    periods = [
        {"period": p, "submitted_at": submitted.get(p.pk), "open": services.is_open(p)}
        for p in services.roster_periods_visible_to_agent(me)
    ]
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "scheduling/availability_mine.html",
        {
            "days": days,
            "exceptions": exceptions,
            "periods": periods,
            "pattern_form": pattern_form,
            "exception_form": exception_form,
            "preferences_form": preferences_form,
            "contract_hours": me.contract_hours,
        },
        status=status,
    )


@login_required
@require_POST
def my_availability_remove_window(request: HttpRequest, pk: int) -> HttpResponse:
    me = access.require_employee(request.user)
    window = get_object_or_404(AvailabilityPattern, pk=pk, employee=me)
    services.remove_pattern_window(window=window, by=request.user)
    messages.success(request, _("Window removed."))
    return redirect("scheduling:my_availability")


@login_required
@require_POST
def my_availability_remove_exception(request: HttpRequest, pk: int) -> HttpResponse:
    me = access.require_employee(request.user)
    exception = get_object_or_404(AvailabilityException, pk=pk, employee=me)
    try:
        services.remove_exception(exception=exception, by=request.user)
        messages.success(request, _("Exception removed."))
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    return redirect("scheduling:my_availability")


@login_required
@require_POST
def my_availability_submit(request: HttpRequest, pk: int) -> HttpResponse:
    me = access.require_employee(request.user)
    period = access.get_roster_period_for(request.user, pk)
    try:
        services.submit_availability(employee=me, period=period, by=request.user)
        messages.success(
            request,
            _("Your availability for %(period)s has been sent to the planner.")
            % {"period": period},
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    return redirect("scheduling:my_availability")


# --- Overview for team leads and planners --------------------------------------------------------


def _require_overview(request: HttpRequest) -> None:
    if not access.can_view_availability_overview(request.user):
        raise PermissionDenied


def _week_start(period: Any, value: str | None) -> date:
    try:
        week = int(value or 0)
    except ValueError:
        week = 0
    week = min(max(week, 0), period.weeks - 1)
    return period.start + timedelta(days=7 * week)  # type: ignore[no-any-return]


@login_required
def availability_overview(request: HttpRequest) -> HttpResponse:
    _require_overview(request)
    periods = list(access.roster_periods_for(request.user).order_by("-start")[:12])
    period = None
    if request.GET.get("period"):
        period = access.get_roster_period_for(request.user, request.GET["period"])
    elif periods:
        upcoming = [p for p in periods if p.start + timedelta(days=p.days) > timezone.localdate()]
        period = upcoming[-1] if upcoming else periods[0]
    teams = list(
        access.led_teams(request.user)
        if Role.PLANNER not in access.roles_of(request.user)
        else access.teams_for(request.user)
    )
    team = None
    if request.GET.get("team"):
        team = next((t for t in teams if str(t.pk) == request.GET["team"]), None)
        if team is None:
            raise Http404
    rows: list[services.OverviewRow] = []
    week_start = None
    if period is not None:
        week_start = _week_start(period, request.GET.get("week"))
        rows = services.overview(request.user, period, week_start=week_start, team=team)
    submitted = [r for r in rows if r.submitted_at]
    missing = [r for r in rows if not r.submitted_at]
    week_days = [week_start + timedelta(days=i) for i in range(7)] if week_start else []
    return render(
        request,
        "scheduling/availability_overview.html",
        {
            "periods": periods,
            "period": period,
            "teams": teams,
            "team": team,
            "rows": rows,
            "submitted": submitted,
            "missing": missing,
            "week_days": week_days,
            "week_start": week_start,
            "week_index": (week_start - period.start).days // 7 if period and week_start else 0,
            "weeks": range(period.weeks) if period else [],
            "hours": range(24),
            "can_manage_periods": access.can_manage_roster_periods(request.user),
        },
    )


@login_required
def availability_csv(request: HttpRequest, pk: int) -> HttpResponse:
    _require_overview(request)
    period = access.get_roster_period_for(request.user, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="availability-{period.start}.csv"'
    writer = csv.writer(response)
    for row in services.csv_rows(request.user, period):
        writer.writerow(row)
    return response


# --- Roster periods (planner) -------------------------------------------------------------------


@login_required
def roster_periods(request: HttpRequest) -> HttpResponse:
    if not access.can_manage_roster_periods(request.user):
        raise PermissionDenied
    me = access.require_employee(request.user)
    form = RosterPeriodForm()
    status = 200
    if request.method == "POST":
        form = RosterPeriodForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            deadline = datetime.combine(
                data["deadline_date"], data["deadline_time"], tzinfo=services.AMSTERDAM
            )
            try:
                period = services.create_roster_period(
                    organisation=me.organisation,
                    start=data["start"],
                    weeks=data["weeks"],
                    deadline=deadline,
                    by=request.user,
                )
                messages.success(
                    request, _("Roster period %(period)s created.") % {"period": period}
                )
                return redirect("scheduling:roster_periods")
            except ValidationError as error:
                _add_errors(form, error, rename={"deadline": "deadline_date"})
        status = 400
    agents = services.agent_count(me.organisation)
    periods = access.roster_periods_for(request.user).annotate(
        submitted=Count("submissions", filter=Q(submissions__employee__is_active=True))
    )
    return render(
        request,
        "scheduling/availability_periods.html",
        {"form": form, "periods": periods, "agents": agents, "now": timezone.now()},
        status=status,
    )
