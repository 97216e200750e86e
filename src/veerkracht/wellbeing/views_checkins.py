"""1:1 pages: the lead's week board and attention list, planning, one 1:1, the agent's 1:1s, ICS.

Views are thin: who may see what is decided by selectors_checkins.py (people/access.py), every
write goes through checkins.py. The week board row is a named partial (`board_row`) that the
one-click "plan" button swaps with HTMX; without JavaScript the same button posts and redirects.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from veerkracht.people import access

from . import attention as attention_module
from . import checkins as services
from . import ics
from . import selectors_checkins as selectors
from .forms_checkins import (
    HEALTH_WARNING,
    ActionForm,
    AgendaForm,
    NotesForm,
    PlanForm,
    PrivateNotesForm,
    ScoreForm,
    StatusForm,
)
from .models_checkins import ActionItem, CheckInStatus

_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$")


def _lead(request: HttpRequest) -> Any:
    return access.require(request.user, access.Capability.LEAD_TEAMS)


def parse_week(value: str | None, *, today: date | None = None) -> date:
    """Monday of an ISO week written as 2026-W48; this week when missing or invalid."""
    today = today or timezone.localdate()
    match = _WEEK.match(value or "")
    if match:
        try:
            return date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:
            pass
    return today - timedelta(days=today.weekday())


def iso_week(monday: date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


# --- Week board ---------------------------------------------------------------------------------


@login_required
def week_board(request: HttpRequest) -> HttpResponse:
    me = _lead(request)
    monday = parse_week(request.GET.get("week"))
    today = timezone.localdate()
    rows = selectors.board_rows(request.user, monday)
    counts = {
        state: sum(1 for r in rows if r.state == state)
        for state in ("spoken", "planned", "not_spoken")
    }
    return render(
        request,
        "wellbeing/week_board.html",
        {
            "me": me,
            "rows": rows,
            "counts": counts,
            "monday": monday,
            "sunday": monday + timedelta(days=6),
            "week": iso_week(monday),
            "week_number": monday.isocalendar()[1],
            "previous_week": iso_week(monday - timedelta(days=7)),
            "next_week": iso_week(monday + timedelta(days=7)),
            "this_week": iso_week(today - timedelta(days=today.weekday())),
            "is_this_week": monday <= today < monday + timedelta(days=7),
            "not_spoken": selectors.not_spoken_for(request.user),
            "nudge_days": selectors.nudge_days(),
            "nudge_sent": selectors.nudge_sent_today(request.user),
        },
    )


@login_required
@require_POST
def checkin_quick_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """One click on the week board: a 1:1 at the next free half hour today or tomorrow."""
    _lead(request)
    agent = selectors.get_team_member_for(request.user, pk)
    week = request.POST.get("week", "")
    checkin = services.quick_plan(by=request.user, agent=agent)
    if checkin is None:
        messages.warning(
            request, _("No free half hour today or tomorrow: choose a time for the 1:1.")
        )
        target = f"{reverse('wellbeing:checkin_plan')}?agent={agent.pk}"
        if request.htmx:  # type: ignore[attr-defined]
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)
    when = timezone.localtime(checkin.planned_start)
    if request.htmx:  # type: ignore[attr-defined]
        monday = parse_week(week)
        row = selectors.board_rows(request.user, monday, agents=[agent])[0]
        return render(
            request,
            "wellbeing/week_board.html#board_row",
            {"row": row, "week": iso_week(monday), "just_planned": checkin},
        )
    messages.success(
        request,
        _("1:1 with %(name)s planned on %(when)s.")
        % {"name": agent.full_name, "when": when.strftime("%d-%m-%Y %H:%M")},
    )
    return redirect(f"{reverse('wellbeing:week_board')}?week={iso_week(parse_week(week))}")


# --- Planning -----------------------------------------------------------------------------------


@login_required
def checkin_plan(request: HttpRequest) -> HttpResponse:
    me = _lead(request)
    members = selectors.team_members_for(request.user)
    if request.method == "POST":
        form = PlanForm(request.POST, members=members)
        if form.is_valid():
            data = form.cleaned_data
            try:
                checkin = services.plan_checkin(
                    by=request.user,
                    agent=data["agent"],
                    start=form.start(),
                    kind=data["kind"],
                    duration_minutes=data["duration_minutes"],
                    video_link=data["video_link"] or "",
                    recurrence=data["recurrence"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("1:1 planned."))
                return redirect("wellbeing:checkin_detail", pk=checkin.pk)
        status = 400
    else:
        tomorrow = timezone.localdate() + timedelta(days=1)
        initial: dict[str, Any] = {"day": tomorrow, "start_time": "10:00", "kind": "video"}
        if request.GET.get("agent"):
            initial["agent"] = members.filter(pk=_int(request.GET["agent"])).first()
        form = PlanForm(initial=initial, members=members)
        status = 200
    return render(request, "wellbeing/checkin_plan.html", {"form": form, "me": me}, status=status)


def _int(value: str) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _add_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error.messages)
    else:
        form.add_error(None, exc.messages)


# --- One 1:1 ------------------------------------------------------------------------------------

_ACTIONS = {"agenda", "notes", "private_notes", "action_item", "toggle_action", "score", "status"}


@login_required
def checkin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    checkin = selectors.get_checkin_for(request.user, pk)
    is_lead = selectors.viewer_is_lead(request.user, checkin)
    is_agent = selectors.viewer_is_agent(request.user, checkin)
    forms: dict[str, Any] = {
        "agenda_form": AgendaForm(),
        "notes_form": NotesForm(initial={"shared_notes": checkin.shared_notes}),
        "action_form": ActionForm(),
        "score_form": ScoreForm(initial={"score": checkin.score}),
    }
    show_private = is_lead and request.GET.get("private") == "1"
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in _ACTIONS:
            return HttpResponse(status=400)
        bound = _handle(request, checkin, action, is_lead=is_lead)
        if bound is None:
            target = reverse("wellbeing:checkin_detail", args=[checkin.pk])
            if action == "private_notes":
                target += "?private=1"
            return redirect(target)
        forms.update(bound)
        show_private = show_private or "private_form" in bound
        status = 400
    private_notes = None
    if show_private:
        private_notes = selectors.read_private_notes(request.user, checkin, request=request)
        forms.setdefault("private_form", PrivateNotesForm(initial={"private_notes": private_notes}))
    return render(
        request,
        "wellbeing/checkin_detail.html",
        {
            "checkin": checkin,
            "agenda": checkin.agenda_items.select_related("added_by"),
            "actions": checkin.action_items.select_related("owner"),
            "is_lead": is_lead,
            "is_agent": is_agent,
            "private_notes": private_notes,
            "show_private": show_private,
            "health_warning": HEALTH_WARNING,
            "statuses": CheckInStatus,
            **forms,
        },
        status=status,
    )


def _handle(
    request: HttpRequest, checkin: Any, action: str, *, is_lead: bool
) -> dict[str, Any] | None:
    """Run one POST action; None on success, else the bound form with its errors."""
    form_class, key = {
        "agenda": (AgendaForm, "agenda_form"),
        "notes": (NotesForm, "notes_form"),
        "private_notes": (PrivateNotesForm, "private_form"),
        "action_item": (ActionForm, "action_form"),
        "score": (ScoreForm, "score_form"),
        "status": (StatusForm, "status_form"),
        "toggle_action": (None, ""),
    }[action]
    if action == "toggle_action":
        item = ActionItem.objects.filter(
            checkin=checkin, pk=_int(request.POST.get("item", ""))
        ).first()
        if item is None:
            raise Http404
        services.set_action_done(item=item, by=request.user, done=request.POST.get("done") == "1")
        return None
    if action in {"private_notes", "status"} and not is_lead:
        raise PermissionDenied
    form = form_class(request.POST)
    if not form.is_valid():
        return {key: form}
    data = form.cleaned_data
    try:
        if action == "agenda":
            services.add_agenda_item(checkin=checkin, by=request.user, text=data["text"])
            messages.success(request, _("Agenda item added."))
        elif action == "notes":
            services.update_notes(
                checkin=checkin, by=request.user, shared_notes=data["shared_notes"]
            )
            messages.success(request, _("Notes saved."))
        elif action == "private_notes":
            services.update_notes(
                checkin=checkin, by=request.user, private_notes=data["private_notes"]
            )
            messages.success(request, _("Private notes saved."))
        elif action == "action_item":
            owner = checkin.lead if data["owner"] == "lead" else checkin.agent
            services.add_action_item(
                checkin=checkin, by=request.user, text=data["text"], owner=owner
            )
            messages.success(request, _("Action added."))
        elif action == "score":
            services.set_score(checkin=checkin, by=request.user, score=data["score"])
            messages.success(request, _("Thank you, your score is saved."))
        elif action == "status":
            services.set_status(checkin=checkin, by=request.user, status=data["status"])
            messages.success(
                request, _("1:1 marked %(status)s.") % {"status": checkin.get_status_display()}
            )
    except ValidationError as exc:
        _add_errors(form, exc)
        return {key: form}
    return None


@login_required
def checkin_ics(request: HttpRequest, pk: int) -> HttpResponse:
    checkin = selectors.get_checkin_for(request.user, pk)
    if checkin.status != CheckInStatus.PLANNED:
        raise Http404
    response = HttpResponse(ics.invitation(checkin), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="1-1-{checkin.pk}.ics"'
    return response


# --- The agent's 1:1s and the attention list -------------------------------------------------


@login_required
def my_checkins(request: HttpRequest) -> HttpResponse:
    me = access.require_employee(request.user)
    mine = selectors.checkins_for(request.user).filter(agent=me)
    now = timezone.now()
    upcoming = list(
        mine.filter(status=CheckInStatus.PLANNED, planned_start__gte=now - timedelta(hours=2))
        .order_by("planned_start")
        .prefetch_related("agenda_items")[:3]
    )
    upcoming_ids = [c.pk for c in upcoming]
    history = list(mine.exclude(pk__in=upcoming_ids).order_by("-planned_start")[:50])
    trend = selectors.scores_of(me)[-12:]
    return render(
        request,
        "wellbeing/my_checkins.html",
        {"me": me, "upcoming": upcoming, "history": history, "trend": trend},
    )


@login_required
def attention(request: HttpRequest) -> HttpResponse:
    me = _lead(request)
    return render(
        request,
        "wellbeing/attention.html",
        {"me": me, "items": attention_module.attention_for(request.user)},
    )
