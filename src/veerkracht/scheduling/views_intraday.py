"""Intraday pages: the planner's day (actuals vs forecast, re-forecast, required vs scheduled,
suggestions with one-click actions), quick tasks, and the agent's "Extra hours" page.

Views are thin: permission through people/access.py (section "Intraday"), reads and writes
through intraday.py. Planners and site managers view; planners act.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from veerkracht.people import access
from veerkracht.people.models import Channel, Employee

from . import intraday
from .forms_intraday import (
    ActualsEntryForm,
    ActualsFileForm,
    AnswerForm,
    AssignForm,
    MoveForm,
    OfferForm,
    QuickTaskForm,
)
from .models_roster import ExtraHoursOffer


def _pick_day(request: HttpRequest) -> date:
    days = intraday.allowed_days()
    raw = request.GET.get("day") or request.POST.get("day") or ""
    try:
        chosen = date.fromisoformat(raw)
    except ValueError:
        return days[-1]
    return chosen if chosen in days else days[-1]


def _messages_of(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for errors in exc.message_dict.values() for m in errors]
    return list(exc.messages)


def _chart(view: intraday.DayView, channel: intraday.ChannelDay) -> dict[str, Any]:
    return {
        "labels": view.labels,
        "forecast": channel.forecast,
        "actual": channel.actual,
        "reforecast": channel.reforecast,
        "required": channel.required,
        "scheduled": channel.scheduled,
        "now": view.elapsed if not view.is_past else None,
        "text": {
            "forecast": _("Forecast"),
            "actual": _("Actual"),
            "reforecast": _("Re-forecast"),
            "required": _("Agents required"),
            "scheduled": _("Agents scheduled"),
            "y": _("Contacts per 15 minutes"),
            "y2": _("Agents"),
        },
    }


def _rows(view: intraday.DayView, channel: intraday.ChannelDay) -> list[dict[str, Any]]:
    """Table rows of the open part of the day (intervals with a figure or someone at work)."""
    rows = []
    for i, label in enumerate(view.labels):
        values = (channel.forecast[i], channel.actual[i], channel.scheduled[i], channel.required[i])
        if values[0] is None and values[1] is None and not values[2] and not values[3]:
            continue
        rows.append(
            {
                "time": label,
                "forecast": channel.forecast[i],
                "actual": channel.actual[i],
                "reforecast": channel.reforecast[i],
                "required": channel.required[i],
                "scheduled": channel.scheduled[i],
                "gap": channel.gap[i],
                "current": i == view.elapsed,
            }
        )
    return rows


def _context(request: HttpRequest, me: Employee, day: date, **extra: Any) -> dict[str, Any]:
    view = intraday.day_view(me.organisation, day)
    can_act = access.can_act_intraday(request.user)
    suggestions = intraday.suggestions(view)
    channels = [
        {
            "day": c,
            "chart": _chart(view, c),
            "chart_id": f"intraday-{c.channel}",
            "rows": _rows(view, c),
            "short_now": c.gap[view.next_index] if view.next_index < len(c.gap) else None,
        }
        for c in view.channels
    ]
    lo, hi = intraday.day_start_utc(day), intraday.day_start_utc(day + timedelta(days=1))
    offers = (
        access.extra_hours_offers_for(request.user)
        .filter(start__gte=lo, start__lt=hi)
        .select_related("employee")
        .order_by("start")
    )
    tasks = (
        access.quick_task_assignments_for(request.user)
        .filter(start__gte=lo, start__lt=hi)
        .select_related("employee", "task")
        .order_by("start")
    )
    entry_channels = [c.channel for c in view.channels] or [Channel.PHONE.value]
    context = {
        "view": view,
        "day": day,
        "days": intraday.allowed_days(),
        "channels": channels,
        "suggestions": suggestions,
        "can_act": can_act,
        "offers": offers,
        "task_assignments": tasks,
        "file_form": ActualsFileForm(),
        "entry_form": ActualsEntryForm(
            channels=entry_channels,
            initial={"day": day, "time": view.times[max(view.elapsed - 1, 0)].time()},
        ),
        "file_errors": [],
        "action_errors": [],
    }
    context.update(extra)
    return context


@login_required
def intraday_day(request: HttpRequest) -> HttpResponse:
    """The planner's day. `?partial=live` returns the figures and suggestions only (HTMX)."""
    me = access.require_intraday_viewer(request.user)
    day = _pick_day(request)
    context = _context(request, me, day)
    if request.GET.get("partial") == "live" and request.headers.get("HX-Request"):
        return render(request, "scheduling/intraday.html#live", context)
    return render(request, "scheduling/intraday.html", context)


def _back(day: date) -> HttpResponse:
    return redirect(f"{reverse('scheduling:intraday')}?day={day.isoformat()}")


def _refuse(request: HttpRequest, me: Employee, day: date, **extra: Any) -> HttpResponse:
    return render(
        request, "scheduling/intraday.html", _context(request, me, day, **extra), status=400
    )


@login_required
@require_POST
def intraday_upload(request: HttpRequest) -> HttpResponse:
    me = access.require_intraday_planner(request.user)
    day = _pick_day(request)
    form = ActualsFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _refuse(request, me, day, file_form=form)
    upload = form.cleaned_data["file"]
    try:
        stored = intraday.import_actuals_file(
            organisation=me.organisation,
            by=request.user,
            filename=upload.name or "",
            content=upload.read(),
        )
    except intraday.ActualsFileError as exc:
        return _refuse(request, me, day, file_form=form, file_errors=exc.errors[:200])
    messages.success(
        request, _("%(n)d intervals stored. The re-forecast uses them at once.") % {"n": stored}
    )
    return _back(day)


@login_required
@require_POST
def intraday_actuals(request: HttpRequest) -> HttpResponse:
    me = access.require_intraday_planner(request.user)
    day = _pick_day(request)
    view_channels = [c.channel for c in intraday.day_view(me.organisation, day).channels]
    form = ActualsEntryForm(request.POST, channels=view_channels or [Channel.PHONE.value])
    if not form.is_valid():
        return _refuse(request, me, day, entry_form=form)
    try:
        stored = intraday.save_actuals(
            organisation=me.organisation, by=request.user, rows=form.rows()
        )
    except ValidationError as exc:
        for message in _messages_of(exc):
            form.add_error("time", message)
        return _refuse(request, me, day, entry_form=form)
    messages.success(request, _("%(n)d figures stored.") % {"n": stored})
    return _back(form.cleaned_data["day"])


def _action(request: HttpRequest, form_class: type, run: Any) -> HttpResponse:
    me = access.require_intraday_planner(request.user)
    day = _pick_day(request)
    form = form_class(request.POST)
    if not form.is_valid():
        errors = [f"{name}: {' '.join(e)}" for name, e in form.errors.items()]
        return _refuse(request, me, day, action_errors=errors)
    try:
        text = run(me, form.cleaned_data)
    except ValidationError as exc:
        return _refuse(request, me, day, action_errors=_messages_of(exc))
    messages.success(request, text)
    return _back(day)


@login_required
@require_POST
def intraday_move(request: HttpRequest) -> HttpResponse:
    def run(me: Employee, data: dict[str, Any]) -> str:
        shift = access.intraday_shift_for(request.user, data["shift_id"])
        intraday.move_agent(
            shift=shift,
            start=data["start"],
            end=data["end"],
            channel=data["channel"],
            by=request.user,
        )
        return _("%(name)s moves to %(channel)s; they get a notice of the change.") % {
            "name": shift.employee.full_name,
            "channel": dict(Channel.choices)[data["channel"]],
        }

    return _action(request, MoveForm, run)


@login_required
@require_POST
def intraday_offer(request: HttpRequest) -> HttpResponse:
    def run(me: Employee, data: dict[str, Any]) -> str:
        employee = access.intraday_agent_for(request.user, data["employee_id"])
        intraday.offer_extra_hours(
            organisation=me.organisation,
            employee=employee,
            start=data["start"],
            end=data["end"],
            channel=data["channel"],
            by=request.user,
        )
        return _("Extra hours offered to %(name)s; they answer on their “Extra hours” page.") % {
            "name": employee.full_name
        }

    return _action(request, OfferForm, run)


@login_required
@require_POST
def intraday_assign(request: HttpRequest) -> HttpResponse:
    def run(me: Employee, data: dict[str, Any]) -> str:
        employee = access.intraday_agent_for(request.user, data["employee_id"])
        task = access.get_quick_task_for(request.user, data["task_id"])
        intraday.assign_quick_task(
            organisation=me.organisation,
            task=task,
            employee=employee,
            start=data["start"],
            by=request.user,
        )
        return _("“%(task)s” given to %(name)s.") % {"task": task.title, "name": employee.full_name}

    return _action(request, AssignForm, run)


@login_required
@require_POST
def intraday_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    me = access.require_intraday_planner(request.user)
    offer = get_object_or_404(access.extra_hours_offers_for(request.user), pk=pk)
    day = _pick_day(request)
    try:
        intraday.withdraw_offer(offer=offer, by=request.user)
    except ValidationError as exc:
        return _refuse(request, me, day, action_errors=_messages_of(exc))
    messages.success(request, _("Offer withdrawn."))
    return _back(day)


# --- Quick tasks --------------------------------------------------------------------------------


@login_required
def quick_tasks(request: HttpRequest) -> HttpResponse:
    access.require_intraday_viewer(request.user)
    can_act = access.can_act_intraday(request.user)
    form = QuickTaskForm()
    status = 200
    if request.method == "POST":
        me = access.require_intraday_planner(request.user)
        form = QuickTaskForm(request.POST)
        if form.is_valid():
            try:
                intraday.save_quick_task(
                    organisation=me.organisation, by=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Quick task added."))
                return redirect("scheduling:quick_tasks")
        status = 400
    tasks = access.quick_tasks_for(request.user).order_by("-active", "title")
    return render(
        request,
        "scheduling/intraday_quick_tasks.html",
        {"tasks": tasks, "form": form, "can_act": can_act},
        status=status,
    )


@login_required
@require_POST
def quick_task_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_intraday_planner(request.user)
    task = access.get_quick_task_for(request.user, pk)
    intraday.set_quick_task_active(task=task, active=not task.active, by=request.user)
    messages.success(
        request,
        (_("“%(task)s” is active again.") if task.active else _("“%(task)s” is switched off."))
        % {"task": task.title},
    )
    return redirect("scheduling:quick_tasks")


# --- The agent's page ---------------------------------------------------------------------------


@login_required
def extra_hours(request: HttpRequest) -> HttpResponse:
    access.require_employee(request.user)
    now = timezone.now()
    offers = access.my_extra_hours_offers(request.user).order_by("start")
    open_offers = [o for o in offers if o.status == ExtraHoursOffer.Status.OFFERED and o.end > now]
    answered = [o for o in offers.order_by("-offered_at")[:10] if o not in open_offers]
    tasks = access.my_quick_tasks(request.user).filter(end__gte=now - timedelta(days=1))
    return render(
        request,
        "scheduling/extra_hours.html",
        {"open_offers": open_offers, "answered": answered, "tasks": tasks.order_by("start")},
    )


@login_required
@require_POST
def extra_hours_answer(request: HttpRequest, pk: int) -> HttpResponse:
    offer = access.get_my_extra_hours_offer(request.user, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose accept or decline."))
        return _extra_hours_refused(request)
    accept = form.cleaned_data["answer"] == "accept"
    try:
        intraday.answer_offer(offer=offer, accept=accept, by=request.user)
    except ValidationError as exc:
        for message in _messages_of(exc):
            messages.error(request, message)
        return _extra_hours_refused(request)
    messages.success(
        request,
        _("Thank you! The shift is in your roster.")
        if accept
        else _("Declined. Thanks for letting us know."),
    )
    return redirect("scheduling:extra_hours")


def _extra_hours_refused(request: HttpRequest) -> HttpResponse:
    response = extra_hours(request)
    response.status_code = 400
    return response


@login_required
@require_POST
def quick_task_done(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = access.get_my_quick_task(request.user, pk)
    intraday.mark_quick_task_done(assignment=assignment, by=request.user)
    messages.success(request, _("Marked as done."))
    return redirect("scheduling:extra_hours")
