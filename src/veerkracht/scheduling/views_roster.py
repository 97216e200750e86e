"""The planner's roster pages: periods, roster runs (progress, cancel), the review of the draft
(coverage, key figures, rule check, employees), hand edits with live rule checking, publishing.

Thin views: permission through people/access.py (planners only), writes through roster_runs.py,
figures from roster_runs.review. Charts get their data from `json_script` and are drawn by
static/scheduling/roster.js (the CSP forbids inline scripts); every chart has its figures next
to it, so the pages work without JavaScript.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from veerkracht.people import access
from veerkracht.people.models import Channel, Employee
from veerkracht.planning.calendar import TZ

from . import roster_build, roster_runs
from .models_roster import MAX_TIME_LIMIT_S, MIN_TIME_LIMIT_S, Shift, ShiftState
from .selectors import latest_finished_forecast

DEFAULTS = roster_build.DEFAULT_SHIFT_RULES


# --- Forms --------------------------------------------------------------------------------------


class RunForm(forms.Form):
    time_limit_s = forms.IntegerField(
        label=gettext_lazy("Time limit (seconds)"),
        min_value=MIN_TIME_LIMIT_S,
        max_value=MAX_TIME_LIMIT_S,
        initial=60,
        help_text=gettext_lazy("Between 10 seconds and 30 minutes; the best roster found is kept."),
    )
    min_minutes = forms.IntegerField(
        label=gettext_lazy("Shortest shift (minutes)"), min_value=15, max_value=1440
    )
    max_minutes = forms.IntegerField(
        label=gettext_lazy("Longest shift (minutes)"), min_value=15, max_value=1440
    )
    earliest_start = forms.TimeField(
        label=gettext_lazy("Earliest start"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    latest_end = forms.TimeField(
        label=gettext_lazy("Latest end"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def shift_rules(self) -> dict[str, Any]:
        data = self.cleaned_data
        latest = data["latest_end"].strftime("%H:%M")
        return {
            "min_minutes": data["min_minutes"],
            "max_minutes": data["max_minutes"],
            "start_step_minutes": DEFAULTS["start_step_minutes"],
            "earliest_start": data["earliest_start"].strftime("%H:%M"),
            "latest_end": "24:00" if latest == "00:00" else latest,
        }


class ShiftForm(forms.Form):
    employee = forms.ModelChoiceField(
        queryset=Employee.objects.none(), label=gettext_lazy("Employee")
    )
    day = forms.DateField(
        label=gettext_lazy("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start = forms.TimeField(
        label=gettext_lazy("From"),
        widget=forms.TimeInput(attrs={"type": "time", "step": 900}, format="%H:%M"),
    )
    end = forms.TimeField(
        label=gettext_lazy("Until"),
        widget=forms.TimeInput(attrs={"type": "time", "step": 900}, format="%H:%M"),
        help_text=gettext_lazy("An end before the start is on the next day."),
    )
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), choices=Channel.choices)

    def __init__(self, *args: Any, employees: Any, fixed_employee: bool = False, **kw: Any) -> None:
        super().__init__(*args, **kw)
        field = self.fields["employee"]
        field.queryset = employees.order_by("last_name", "first_name")  # type: ignore[attr-defined]
        field.label_from_instance = lambda e: e.full_name  # type: ignore[attr-defined]
        if fixed_employee:
            field.disabled = True

    def times(self) -> tuple[datetime, datetime]:
        d = self.cleaned_data
        start = datetime.combine(d["day"], d["start"], TZ)
        end = datetime.combine(d["day"], d["end"], TZ)
        if end <= start:
            end = datetime.combine(d["day"] + timedelta(days=1), d["end"], TZ)
        return start, end


def _clock(text: str) -> time:
    return time(0) if text == "24:00" else time.fromisoformat(text)


# --- Helpers ------------------------------------------------------------------------------------


def _planner(request: HttpRequest) -> Employee:
    return access.require_roster_planner(request.user)


def _period(request: HttpRequest, pk: object) -> Any:
    _planner(request)
    return access.get_roster_period_for(request.user, pk)


def _shift(request: HttpRequest, pk: object) -> Shift:
    _planner(request)
    return access.get_roster_shift_for(request.user, pk)


def _review_url(period: Any) -> str:
    return reverse("scheduling:roster_review", args=[period.pk])


def _errors_into(
    form: forms.Form, error: ValidationError, rename: dict[str, str] | None = None
) -> None:
    rename = rename or {}
    if hasattr(error, "error_dict"):
        for name, errs in error.message_dict.items():
            target = rename.get(name, name)
            form.add_error(target if target in form.fields else None, errs)
    else:
        form.add_error(None, error.messages)


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


# --- Periods ------------------------------------------------------------------------------------


@login_required
def roster_list(request: HttpRequest) -> HttpResponse:
    _planner(request)
    periods = list(
        access.roster_periods_for(request.user)
        .annotate(
            drafts=Count("shifts", filter=Q(shifts__state=ShiftState.DRAFT), distinct=True),
            published=Count("shifts", filter=Q(shifts__state=ShiftState.PUBLISHED), distinct=True),
            last_published=Max("publications__published_at"),
        )
        .order_by("-start")
    )
    runs = (
        access.roster_runs_for(request.user)
        .filter(period__in=periods)
        .defer(*roster_runs.RUN_PAYLOAD_FIELDS)
        .order_by("created_at")
    )
    last_runs = {run.period_id: run for run in runs}
    rows = [{"period": p, "run": last_runs.get(p.pk)} for p in periods]
    return render(request, "scheduling/roster_list.html", {"rows": rows})


def _chart_day(request: HttpRequest, days: list[date]) -> int:
    wanted = request.GET.get("day")
    if wanted:
        try:
            return days.index(date.fromisoformat(wanted))
        except ValueError:
            pass  # not a date, or not in the period: the default day
    today = timezone.localdate()
    return days.index(today) if today in days else 0


@login_required
def roster_review(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period(request, pk)
    review = roster_runs.review(period)
    day_index = _chart_day(request, review.days)
    charts = []
    for channel, info in review.channels.items():
        if not info["demand"] and not any(review.coverage.get(channel, [])):
            continue
        data = review.chart(channel, day_index)
        data["text"] = {
            "demand": _("Needed"),
            "scheduled": _("Rostered"),
            "y": _("Agents"),
        }
        charts.append(
            {"channel": channel, "label": info["label"], "id": f"cov-{channel}", "data": data}
        )
    runs = (
        access.roster_runs_for(request.user)
        .filter(period=period)
        .defer(*roster_runs.RUN_PAYLOAD_FIELDS)[:10]
    )
    ahead = roster_runs.days_ahead(period)
    required = roster_runs.required_days_ahead()
    context = {
        "period": period,
        "review": review,
        "charts": charts,
        "day_index": day_index,
        "day": review.days[day_index] if review.days else None,
        "runs": runs,
        "active_run": roster_runs.active_run(period),
        "publications": period.publications.select_related("published_by")[:20],
        "days_ahead": ahead,
        "required_days": required,
        "late": ahead < required,
        "confirm_needed": request.GET.get("confirm") == "1",
    }
    return render(request, "scheduling/roster_review.html", context)


# --- Runs ---------------------------------------------------------------------------------------


@login_required
def roster_run_start(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period(request, pk)
    rules = roster_build.shift_rules_of(period)
    initial = {
        "time_limit_s": 60,
        "min_minutes": rules["min_minutes"],
        "max_minutes": rules["max_minutes"],
        "earliest_start": _clock(rules["earliest_start"]),
        "latest_end": _clock(rules["latest_end"]),
    }
    form = RunForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                run = roster_runs.start_roster_run(
                    period=period,
                    by=request.user,
                    time_limit_s=form.cleaned_data["time_limit_s"],
                    shift_rules=form.shift_rules(),
                )
                messages.success(request, _("The roster run has started."))
                return redirect("scheduling:roster_run", pk=run.pk)
            except ValidationError as error:
                _errors_into(form, error)
        status = 400
    forecast = missing_days = None
    try:
        forecast = latest_finished_forecast(period.organisation)
        if forecast is not None:
            missing_days = roster_build.demand_for(period, forecast, []).days_without_forecast
    except Exception:  # noqa: BLE001 - the hint must never break the form
        forecast = missing_days = None
    context = {
        "period": period,
        "form": form,
        "forecast": forecast,
        "missing_days": missing_days,
        "not_submitted": roster_runs.missing_submissions(period),
        "active_run": roster_runs.active_run(period),
    }
    return render(request, "scheduling/roster_run_form.html", context, status=status)


def _trace_chart(run: Any) -> dict[str, Any]:
    return {
        "t": [p["t"] for p in run.trace or []],
        "objective": [p.get("objective") for p in run.trace or []],
        "bound": [p.get("bound") for p in run.trace or []],
        "text": {"objective": _("Best roster (objective)"), "bound": _("Bound"), "x": _("seconds")},
    }


@login_required
def roster_run(request: HttpRequest, pk: int) -> HttpResponse:
    _planner(request)
    run = access.get_roster_run_for(request.user, pk)
    context = {"run": run, "period": run.period, "trace": _trace_chart(run)}
    if _is_htmx(request) and request.GET.get("partial") == "progress":
        response = render(request, "scheduling/roster_run.html#run-progress", context)
        if not run.is_active:
            response["HX-Refresh"] = "true"
        return response
    solution = run.solution or {}
    report = solution.get("report") or {}
    context.update(
        {
            "conflicts": (
                solution.get("explanations", [])[:50] if run.solver_status == "infeasible" else []
            ),
            "summary": report.get("summary"),
            "shortfall": report.get("shortfall"),
            "errors": [v for v in run.violations or [] if v.get("severity") == "error"][:50],
            "kpi": (run.kpis or {}).get("kpi") or {},
        }
    )
    return render(request, "scheduling/roster_run.html", context)


@login_required
@require_POST
def roster_run_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    _planner(request)
    run = access.get_roster_run_for(request.user, pk)
    if run.is_active:
        roster_runs.cancel_roster_run(run=run, by=request.user)
        messages.info(request, _("The roster run was cancelled; the draft stays as it was."))
    return redirect("scheduling:roster_run", pk=run.pk)


# --- Hand edits ---------------------------------------------------------------------------------


def _shift_initial(shift: Shift) -> dict[str, Any]:
    start = shift.start.astimezone(TZ)
    channels = [a["channel"] for a in shift.assignments or []]
    return {
        "employee": shift.employee,
        "day": start.date(),
        "start": start.time(),
        "end": shift.end.astimezone(TZ).time(),
        "channel": channels[0] if channels else (shift.employee.channels or ["phone"])[0],
    }


def _shift_page(
    request: HttpRequest,
    *,
    period: Any,
    form: ShiftForm,
    shift: Shift | None,
    check: Any = None,
    status: int = 200,
) -> HttpResponse:
    context = {"period": period, "form": form, "shift": shift, "check": check}
    template = "scheduling/roster_shift_form.html"
    if _is_htmx(request) and request.POST.get("action") == "check":
        template += "#shift-check"
    return render(request, template, context, status=status)


def _checked(request: HttpRequest, form: ShiftForm, period: Any, shift: Shift | None) -> Any:
    """Run the rule check for the form's shift; None (with form errors) when it is not one."""
    if not form.is_valid():
        return None
    start, end = form.times()
    employee = shift.employee if shift is not None else form.cleaned_data["employee"]
    try:
        return roster_runs.check_edit(
            period=period,
            employee=employee,
            start=start,
            end=end,
            channel=form.cleaned_data["channel"],
            shift=shift,
        )
    except ValidationError as error:
        _errors_into(form, error, rename={"start": "day"})
        return None


def _save(request: HttpRequest, form: ShiftForm, period: Any, shift: Shift | None) -> Any:
    start, end = form.times()
    channel = form.cleaned_data["channel"]
    if shift is None:
        return roster_runs.add_shift(
            period=period,
            employee=form.cleaned_data["employee"],
            by=request.user,
            start=start,
            end=end,
            channel=channel,
        )
    return roster_runs.update_shift(
        shift=shift, by=request.user, start=start, end=end, channel=channel
    )


def _edit(request: HttpRequest, period: Any, shift: Shift | None) -> HttpResponse:
    employees = access.roster_employees_for(request.user)
    if request.method != "POST":
        initial = (
            _shift_initial(shift)
            if shift
            else {"day": period.start, "start": time(9), "end": time(17)}
        )
        form = ShiftForm(initial=initial, employees=employees, fixed_employee=shift is not None)
        return _shift_page(request, period=period, form=form, shift=shift)
    form = ShiftForm(
        request.POST,
        initial=_shift_initial(shift) if shift else None,
        employees=employees,
        fixed_employee=shift is not None,
    )
    check = _checked(request, form, period, shift)
    checking = request.POST.get("action") == "check"
    if checking or check is None:
        # A check answers 200 even when the input is not a shift yet (HTMX swaps only 2xx).
        status = 200 if checking else 400
        return _shift_page(
            request, period=period, form=form, shift=shift, check=check, status=status
        )
    try:
        _save(request, form, period, shift)
    except ValidationError as error:  # EditRefused too: its text is a form-wide error
        _errors_into(form, error, rename={"start": "day"})
        return _shift_page(request, period=period, form=form, shift=shift, check=check, status=400)
    messages.success(request, _("The shift was saved."))
    return redirect(f"{_review_url(period)}#employees")


@login_required
def roster_shift_add(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period(request, pk)
    return _edit(request, period, None)


@login_required
def roster_shift_edit(request: HttpRequest, pk: int) -> HttpResponse:
    shift = _shift(request, pk)
    return _edit(request, shift.period, shift)


@login_required
@require_POST
def roster_shift_remove(request: HttpRequest, pk: int) -> HttpResponse:
    shift = _shift(request, pk)
    period = shift.period
    published = shift.state == ShiftState.PUBLISHED
    roster_runs.remove_shift(shift=shift, by=request.user)
    if published:
        messages.info(request, _("The published shift was removed; the employee is told."))
    else:
        messages.info(request, _("The draft shift was removed."))
    return redirect(f"{_review_url(period)}#employees")


@login_required
@require_POST
def roster_shift_fix(request: HttpRequest, pk: int) -> HttpResponse:
    shift = _shift(request, pk)
    shift = roster_runs.toggle_fixed(shift=shift, by=request.user)
    if shift.fixed:
        messages.info(request, _("The shift is fixed: a new roster run keeps it."))
    else:
        messages.info(request, _("The shift is no longer fixed."))
    return redirect(f"{_review_url(shift.period)}#employees")


# --- Publishing ---------------------------------------------------------------------------------


@login_required
@require_POST
def roster_publish(request: HttpRequest, pk: int) -> HttpResponse:
    period = _period(request, pk)
    try:
        publication = roster_runs.publish_period(
            period=period, by=request.user, confirm_late=request.POST.get("confirm_late") == "1"
        )
    except roster_runs.LatePublication as late:
        messages.warning(request, str(late))
        return redirect(f"{_review_url(period)}?confirm=1#publish")
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect(f"{_review_url(period)}#publish")
    messages.success(
        request,
        _("Published: %(n)s shifts; the employees are told.") % {"n": publication.shifts},
    )
    return redirect(f"{_review_url(period)}#publish")
