"""Pages of the pulse surveys. Function-based and thin: reads via selectors/anonymity (which start
from people/access.py), writes via services. Charts read json_script data from static JS files
(the CSP forbids inline scripts)."""

from __future__ import annotations

import csv
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from veerkracht.people import access, governance
from veerkracht.people.models import Module, Site, Team

from . import anonymity, selectors, services
from .forms import AnswerForm, ConversationForm, PulseForm, QuestionForm
from .models import Category, ConversationWith, Pulse, PulseStatus
from .tips import HEALTH_LABELS, TIPS


def _employee(request: HttpRequest) -> Any:
    return access.require_employee(request.user)


def _manager(request: HttpRequest) -> Any:
    me = access.require_employee(request.user)
    if access.pulse_result_scope(request.user) is None:
        raise PermissionDenied
    return me


@login_required
def my_pulses(request: HttpRequest) -> HttpResponse:
    me = _employee(request)
    enabled = governance.is_module_enabled(me.organisation, Module.PULSE_SURVEYS)
    pulses = list(selectors.open_pulses_for(me)) if enabled else []
    done = selectors.answered_ids(me, pulses)
    return render(
        request,
        "pulses/my_pulses.html",
        {
            "enabled": enabled,
            "rows": [(p, p.pk in done) for p in pulses],
            "threshold": anonymity.threshold(me.organisation),
            "device_owner": request.user.pk,
        },
    )


@login_required
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    me = _employee(request)
    governance.require_module(me.organisation, Module.PULSE_SURVEYS)
    pulse = selectors.get_pulse_to_answer(me, pk)
    questions = list(pulse.questions.all())
    answered = services.has_answered(me, pulse)
    is_open = pulse.is_open()
    form = AnswerForm(request.POST or None, questions=questions)
    if request.method == "POST":
        if answered:
            form.add_error(None, _("You already answered this pulse. Thank you!"))
        elif not is_open:
            form.add_error(None, _("This pulse is closed; it takes no more answers."))
        elif form.is_valid():
            try:
                services.submit_answers(pulse=pulse, employee=me, answers=form.answers())
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            except (services.AlreadyAnswered, services.PulseClosed) as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Thank you! Your answers were saved anonymously."))
                return redirect("pulses:my_pulses")
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "pulses/answer.html",
        {
            "pulse": pulse,
            "form": form,
            "answered": answered,
            "is_open": is_open,
            "threshold": anonymity.threshold(me.organisation),
            "device_owner": request.user.pk,
        },
        status=status,
    )


@login_required
def personal_check(request: HttpRequest) -> HttpResponse:
    me = _employee(request)
    return render(
        request,
        "pulses/personal_check.html",
        {
            "questions": [
                (q, HEALTH_LABELS.get(q.key, q.text)) for q in services.health_questions()
            ],
            "tips": TIPS,
            "form": ConversationForm(),
            "has_lead": bool(me.team_id and me.team.leads.exists()),
            "sent": me.conversation_requests.all()[:5],
            "device_owner": request.user.pk,
        },
    )


@login_required
@require_POST
def request_conversation(request: HttpRequest) -> HttpResponse:
    me = _employee(request)
    form = ConversationForm(request.POST)
    if form.is_valid():
        try:
            services.request_conversation(
                employee=me, with_whom=form.cleaned_data["with_whom"], by=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if form.cleaned_data["with_whom"] == ConversationWith.TEAM_LEAD:
                messages.success(request, _("Your team lead will get in touch to plan a talk."))
            else:
                messages.success(
                    request,
                    _("Your request was passed on; the company doctor's office will contact you."),
                )
    else:
        messages.error(request, _("Choose your team lead or the company doctor."))
    return redirect("pulses:personal_check")


@login_required
def conversation_requests(request: HttpRequest) -> HttpResponse:
    me = _employee(request)
    received = (
        access.conversation_requests_for(request.user)
        .select_related("employee", "employee__team")
        .order_by("-created_at")[:100]
    )
    sent = me.conversation_requests.select_related("recipient").order_by("-created_at")[:20]
    return render(request, "pulses/conversations.html", {"received": received, "sent": sent})


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _results_context(request: HttpRequest) -> dict[str, Any]:
    me = _manager(request)
    pulses = list(anonymity.result_pulses(request.user).order_by("-opens_at", "-pk")[:50])
    chosen = _int(request.GET.get("pulse"))
    pulse = next((p for p in pulses if p.pk == chosen), pulses[0] if pulses else None)
    team = _int(request.GET.get("team"))
    site = _int(request.GET.get("site"))
    question = _int(request.GET.get("question"))
    groups = (
        anonymity.anonymised_results(
            pulse, user=request.user, team=team, site=site, question=question
        )
        if pulse
        else []
    )
    ctx: dict[str, Any] = {
        "me": me,
        "enabled": governance.is_module_enabled(me.organisation, Module.PULSE_SURVEYS),
        "pulses": pulses,
        "pulse": pulse,
        "groups": groups,
        "threshold": anonymity.threshold(me.organisation),
        "comment_threshold": anonymity.comment_threshold(me.organisation),
        "filters": {"team": team, "site": site, "question": question},
        "chart": None,
        "moved": [],
    }
    focus = next((g for g in groups if not g.hidden), None)
    if pulse and focus:
        series = anonymity.trend(request.user, pulse, kind=focus.kind, group_id=focus.id)
        ctx["focus"] = focus
        ctx["moved"] = anonymity.moved_most(series)
        questions = [q for q in focus.questions if q.mean is not None and q.scale == "agree_5"]
        ctx["chart"] = {
            "labels": [p.opens_at.date().isoformat() for p, _g in series],
            "datasets": [
                {
                    "label": q.text,
                    "data": [
                        (g.question(q.id).mean if g and not g.hidden and g.question(q.id) else None)
                        for _p, g in series
                    ],
                }
                for q in questions
            ],
            "enps": [(g.enps if g and not g.hidden else None) for _p, g in series],
            "enps_label": _("eNPS"),
        }
    return ctx


@login_required
def results(request: HttpRequest) -> HttpResponse:
    return render(request, "pulses/results.html", _results_context(request))


@login_required
def results_csv(request: HttpRequest) -> HttpResponse:
    """The same groups as the page, through the same anonymity function; hidden groups say so."""
    ctx = _results_context(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="pulse-results.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["pulse", "group", "id", "label", "hidden", "respondents", "question", "n", "mean", "enps"]
    )
    pulse = ctx["pulse"]
    for g in ctx["groups"]:
        if g.hidden:
            writer.writerow([pulse.title, g.kind, g.id, g.label, "yes", "", g.reason, "", "", ""])
            continue
        for q in g.questions:
            if q.scale == "text":
                continue
            writer.writerow(
                [
                    pulse.title,
                    g.kind,
                    g.id,
                    g.label,
                    "no",
                    g.respondents,
                    q.text,
                    q.n,
                    q.mean,
                    g.enps if q.category == Category.ENPS else "",
                ]
            )
    return response


def _audience_choices(request: HttpRequest) -> list[tuple[str, str]]:
    teams, sites = selectors.managed_audiences(request.user)
    return [(f"site:{s.pk}", _("Site %(name)s (all teams)") % {"name": s.name}) for s in sites] + [
        (f"team:{t.pk}", f"{t.name} ({t.site.name})") for t in teams
    ]


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    me = _manager(request)
    teams, sites = selectors.managed_audiences(request.user)
    pulses = (
        Pulse.objects.filter(Q(team__in=teams) | Q(team__isnull=True, site__in=sites))
        .select_related("team", "site")
        .order_by("-opens_at")[:50]
    )
    return render(
        request,
        "pulses/manage.html",
        {
            "pulses": pulses,
            "enabled": governance.is_module_enabled(me.organisation, Module.PULSE_SURVEYS),
            "own_questions": me.organisation.pulse_questions.all(),
            "now": timezone.now(),
        },
    )


@login_required
def pulse_create(request: HttpRequest) -> HttpResponse:
    me = _manager(request)
    bank = services.bank_for(me.organisation)
    from .models import Question

    questions = Question.objects.filter(pk__in=[q.pk for q in bank])
    form = PulseForm(
        request.POST or None,
        audiences=_audience_choices(request),
        questions=questions,
        initial={"questions": [q.pk for q in services.default_questions()], "days_open": 5},
    )
    if request.method == "POST" and form.is_valid():
        kind, _sep, pk = form.cleaned_data["audience"].partition(":")
        team = Team.objects.get(pk=pk) if kind == "team" else None
        site = Site.objects.get(pk=pk) if kind == "site" else None
        chosen = list(form.cleaned_data["questions"])
        try:
            if form.cleaned_data["cadence"]:
                schedule = services.create_schedule(
                    organisation=me.organisation,
                    cadence=form.cleaned_data["cadence"],
                    first_open_on=timezone.localdate(),
                    team=team,
                    site=site,
                    questions=chosen,
                    open_days=form.cleaned_data["days_open"],
                    by=request.user,
                )
                services.open_due_rounds(today=timezone.localdate())
                del schedule
            else:
                now = timezone.now()
                services.create_pulse(
                    organisation=me.organisation,
                    title=form.cleaned_data["title"],
                    team=team,
                    site=site,
                    questions=chosen,
                    opens_at=now,
                    closes_at=now + timedelta(days=form.cleaned_data["days_open"]),
                    by=request.user,
                )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The pulse is open."))
            return redirect("pulses:manage")
    return render(request, "pulses/pulse_form.html", {"form": form})


@login_required
def question_create(request: HttpRequest) -> HttpResponse:
    me = _manager(request)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_question(
                organisation=me.organisation, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The question was added to your organisation's bank."))
            return redirect("pulses:manage")
    return render(request, "pulses/question_form.html", {"form": form})


@login_required
@require_POST
def pulse_close(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    pulse = selectors.get_managed_pulse(request.user, pk)
    if pulse.status == PulseStatus.OPEN:
        services.close_pulse(pulse=pulse, by=request.user)
        messages.success(request, _("The pulse is closed."))
    return redirect("pulses:manage")
