"""The planner's pages: contact history, forecasts, staffing, service targets and the what-if.

Views are thin: permission through people/access.py (Capability.VIEW_PLANNING), reads through
selectors.py, writes through services.py, numbers from the planning core. Charts get their data
from `json_script` and are drawn by static/scheduling/charts.js (the CSP forbids inline scripts).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from veerkracht.people import access
from veerkracht.people.access import Capability
from veerkracht.people.models import Channel, Employee

from . import exports, selectors, services
from .forms import (
    AdjustmentForm,
    AdjustmentFormSet,
    ForecastForm,
    HistoryUploadForm,
    ScenarioForm,
    ServiceTargetForm,
)
from .messages import row_error_dict
from .models import ContactVolume, HistoryUploadStatus
from .scenario import capacity_from_people, run_scenario, week_need

HISTORY_WEEKS = (8, 26, 52, 104)
ERRORS_SHOWN = 500


def _planner(request: HttpRequest) -> Employee:
    return access.require(request.user, Capability.VIEW_PLANNING)


def _labels() -> dict[str, str]:
    return {c: str(label) for c, label in Channel.choices}


# --- Contact history ---------------------------------------------------------------------------


@login_required
def history(request: HttpRequest) -> HttpResponse:
    """Overview per channel and the upload form; POST checks a file (nothing is stored yet)."""
    me = _planner(request)
    if request.method == "POST":
        form = HistoryUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            check = services.check_history_file(
                organisation=me.organisation,
                by=request.user,
                filename=upload.name or "",
                content=upload.read(),
            )
            if check.upload is not None:
                return redirect("scheduling:history_preview", pk=check.upload.pk)
            errors = [row_error_dict(e) for e in check.result.errors]
            return _render_history(
                request, me, form, errors=errors, rows=check.rows, filename=upload.name, status=400
            )
        return _render_history(request, me, form, status=400)
    return _render_history(request, me, HistoryUploadForm())


def _render_history(
    request: HttpRequest,
    me: Employee,
    form: HistoryUploadForm,
    *,
    errors: list[dict[str, Any]] | None = None,
    rows: int = 0,
    filename: str | None = None,
    status: int = 200,
) -> HttpResponse:
    summary = selectors.history_summary(me.organisation)
    try:
        weeks = int(request.GET.get("weeks", 26))
    except ValueError:
        weeks = 26
    weeks = weeks if weeks in HISTORY_WEEKS else 26
    chart = None
    if summary:
        last = max(timezone.localtime(s.last).date() for s in summary)
        first = last - timedelta(days=7 * weeks - 1)
        totals = selectors.daily_totals(me.organisation, [s.channel for s in summary], first, last)
        chart = {
            "labels": [
                d.isoformat()
                for d in (first + timedelta(days=i) for i in range((last - first).days + 1))
            ],
            "series": [
                {"label": s.label, "channel": s.channel, "values": totals[s.channel]["totals"]}
                for s in summary
            ],
            "y_label": _("Contacts per day"),
        }
    uploads = access.history_uploads_for(request.user).select_related("uploaded_by")[:8]
    context = {
        "form": form,
        "summary": summary,
        "chart": chart,
        "weeks": weeks,
        "week_choices": HISTORY_WEEKS,
        "uploads": uploads,
        "errors": (errors or [])[:ERRORS_SHOWN],
        "errors_total": len(errors or []),
        "errors_hidden": max(0, len(errors or []) - ERRORS_SHOWN),
        "rows": rows,
        "filename": filename,
        "checked": errors is not None,
    }
    return render(request, "scheduling/history.html", context, status=status)


@login_required
def history_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """A checked upload: per-channel summary; POST action=import stores it, action=cancel drops it."""
    _planner(request)
    upload = access.history_uploads_for(request.user).filter(pk=pk).first()
    if upload is None:
        raise Http404
    if upload.status != HistoryUploadStatus.PENDING:
        messages.info(request, _("This upload has already been imported or cancelled."))
        return redirect("scheduling:history")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "cancel":
            services.cancel_history_upload(upload=upload, by=request.user)
            messages.info(request, _("The upload was cancelled; nothing was stored."))
            return redirect("scheduling:history")
        if action == "import":
            try:
                outcome = services.import_history(upload=upload, by=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect("scheduling:history")
            messages.success(
                request,
                _("Imported %(total)s intervals: %(created)s new, %(replaced)s replaced.")
                % {
                    "total": outcome.created + outcome.replaced,
                    "created": outcome.created,
                    "replaced": outcome.replaced,
                },
            )
            return redirect("scheduling:history")
    labels = _labels()
    existing = {}
    for c in upload.channels:  # at most four small counts, each on the unique index
        counts = upload.counts.get(c, {})
        existing[c] = ContactVolume.objects.filter(
            organisation=upload.organisation,
            channel=c,
            start__gte=_parse_iso(counts.get("first")),
            start__lte=_parse_iso(counts.get("last")),
        ).count()
    channels = [
        {
            "channel": c,
            "label": labels.get(c, c),
            "existing": existing.get(c, 0),
            **upload.counts.get(c, {}),
            "first": _parse_iso(upload.counts.get(c, {}).get("first")),
            "last": _parse_iso(upload.counts.get(c, {}).get("last")),
        }
        for c in upload.channels
    ]
    return render(
        request, "scheduling/history_preview.html", {"upload": upload, "channels": channels}
    )


def _parse_iso(value: str | None) -> Any:
    from datetime import datetime

    return datetime.fromisoformat(value) if value else None


# --- Forecasts --------------------------------------------------------------------------------------


@login_required
def forecast_list(request: HttpRequest) -> HttpResponse:
    me = _planner(request)
    forecasts = (
        access.forecasts_for(request.user)
        .select_related("created_by")
        .defer("result", "metrics")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(forecasts, 20).get_page(request.GET.get("page"))
    summary = selectors.history_summary(me.organisation)
    return render(request, "scheduling/forecast_list.html", {"page": page, "summary": summary})


@login_required
def forecast_create(request: HttpRequest) -> HttpResponse:
    me = _planner(request)
    available = selectors.channels_with_history(me.organisation)
    if request.method == "POST":
        form = ForecastForm(request.POST, available=available)
        formset = AdjustmentFormSet(request.POST, prefix="adj")
        if form.is_valid() and formset.is_valid():
            adjustments = [
                f.as_adjustment() for f in formset.forms if f.has_changed() and f.cleaned_data
            ]
            try:
                forecast = services.request_forecast(
                    organisation=me.organisation,
                    by=request.user,
                    horizon_days=form.cleaned_data["horizon_days"],
                    channels=form.cleaned_data["channels"],
                    adjustments=adjustments,
                )
            except ValidationError as exc:
                for field, errs in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                messages.success(
                    request, _("The forecast is queued; this page shows its progress.")
                )
                return redirect("scheduling:forecast_detail", pk=forecast.pk)
        status = 400
    else:
        form = ForecastForm(available=available)
        formset = AdjustmentFormSet(prefix="adj")
        status = 200
    return render(
        request,
        "scheduling/forecast_form.html",
        {"form": form, "formset": formset, "has_history": bool(available)},
        status=status,
    )


def _history_weeks_before(forecast: Any) -> tuple[date, date] | None:
    if not forecast.first_day:
        return None
    last = forecast.first_day - timedelta(days=1)
    return last - timedelta(days=8 * 7 - 1), last


def _gaps(values: list[float], reference: list[float]) -> list[float | None]:
    return [v if r > 0 else None for v, r in zip(values, reference, strict=True)]


def _forecast_charts(forecast: Any, day: date | None) -> list[dict[str, Any]]:
    """Per channel: daily history (8 weeks) + forecast with band; intraday for `day`."""
    labels = _labels()
    days = selectors.forecast_days(forecast)
    span = _history_weeks_before(forecast)
    history = (
        selectors.daily_totals(forecast.organisation, forecast.channels, span[0], span[1])
        if span
        else {}
    )
    charts = []
    for channel in forecast.channels:
        result = selectors.channel_result(forecast, channel)
        if result is None:
            continue
        hist_days = history.get(channel, {}).get("days", [])
        hist_vals = history.get(channel, {}).get("totals", [])
        n_hist, n_fc = len(hist_days), len(days)
        daily = result.daily
        # Event factors are shown only where they change something (one may cover one channel).
        adjusted = bool(forecast.adjustments) and any(
            abs(a - u) > 1e-6 for a, u in zip(daily["contacts"], daily["unadjusted"], strict=True)
        )
        text = {
            "history": _("History"),
            "forecast": _("Forecast") if not adjusted else _("Forecast with event factors"),
            "band": _("%(level)s%% prediction interval")
            % {"level": round(100 * (forecast.result or {}).get("interval_level", 0.8))},
            "unadjusted": _("Without event factors"),
            "y": _("Contacts per day"),
        }
        chart: dict[str, Any] = {
            "channel": channel,
            "title": labels.get(channel, channel),
            "daily_id": f"chart-{channel}-daily",
            "intraday_id": f"chart-{channel}-intraday",
            "daily": {
                "labels": [d.isoformat() for d in hist_days] + [d.isoformat() for d in days],
                "history": hist_vals + [None] * n_fc,
                # A closed day is a gap, as in the history (not a misleading zero).
                "forecast": [None] * n_hist + _gaps(daily["contacts"], daily["unadjusted"]),
                "lower": [None] * n_hist + _gaps(daily["lower"], daily["unadjusted"]),
                "upper": [None] * n_hist + _gaps(daily["upper"], daily["unadjusted"]),
                "unadjusted": ([None] * n_hist + _gaps(daily["unadjusted"], daily["unadjusted"]))
                if adjusted
                else None,
                "text": text,
            },
            "total": round(sum(daily["contacts"])),
            "total_unadjusted": round(sum(daily["unadjusted"])),
            "adjusted": adjusted,
            "intraday": None,
        }
        if day is not None:
            sl = selectors.day_slice(result.start_utc_s, day)
            starts = result.start_utc_s[sl]
            from veerkracht.planning.calendar import to_local_datetimes

            times = [t.strftime("%H:%M") for t in to_local_datetimes(starts)]
            chart["intraday"] = {
                "labels": times,
                "forecast": [round(float(v), 1) for v in result.contacts[sl]],
                "lower": [float(v) for v in result.lower[sl]],
                "upper": [float(v) for v in result.upper[sl]],
                "unadjusted": [round(float(v), 1) for v in result.unadjusted[sl]]
                if adjusted
                else None,
                "text": {**text, "y": _("Contacts per 15 minutes")},
            }
            chart["intraday_rows"] = list(
                zip(
                    times,
                    result.contacts[sl].tolist(),
                    result.lower[sl].tolist(),
                    result.upper[sl].tolist(),
                    strict=True,
                )
            )
        charts.append(chart)
    return charts


def _pick_day(request: HttpRequest, days: list[date], forecast: Any = None) -> date | None:
    raw = request.GET.get("day", "")
    try:
        chosen = date.fromisoformat(raw) if raw else None
    except ValueError:
        chosen = None
    return _pick_day_from(days, chosen, forecast)


def _pick_day_from(days: list[date], chosen: date | None, forecast: Any = None) -> date | None:
    """The chosen day when the forecast has it; else the first day from today on on which the
    forecast's first channel is open (a Sunday would show a closed phone line); else the first."""
    if not days:
        return None
    if chosen in set(days):
        return chosen
    today = timezone.localdate()
    candidates = [d for d in days if d >= today] or days
    if forecast is not None and forecast.result:
        first = forecast.result_for(forecast.channels[0]) or {}
        totals = dict(zip(days, first.get("daily", {}).get("contacts", []), strict=False))
        for d in candidates:
            if totals.get(d, 0) > 0:
                return d
    return candidates[0]


@login_required
def forecast_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _planner(request)
    forecast = access.get_forecast_for(request.user, pk)
    if getattr(request, "htmx", False) and request.GET.get("partial") == "progress":
        response = render(
            request, "scheduling/forecast_detail.html#job-progress", {"forecast": forecast}
        )
        if not forecast.is_active:
            response["HX-Refresh"] = "true"  # done: reload the whole page to draw the charts
        return response
    days = selectors.forecast_days(forecast)
    day = _pick_day(request, days, forecast)
    charts = _forecast_charts(forecast, day) if forecast.result else []
    labels = _labels()
    adjust_form = _adjust_form(days)
    context = {
        "forecast": forecast,
        "charts": charts,
        "days": days,
        "day": day,
        "adjust_form": adjust_form,
        "metrics": [
            {"channel": labels.get(c, c), **m} for c, m in (forecast.metrics or {}).items()
        ],
        "adjustments": [
            {**a, "channel_label": labels.get(a["channel"], _("All channels"))}
            for a in forecast.adjustments
        ],
        "based_on": forecast.based_on,
    }
    return render(request, "scheduling/forecast_detail.html", context)


def _default_week(days: list[date], forecast: Any = None) -> list[date]:
    """Seven days from the first open day from today on."""
    start = _pick_day_from(days, None, forecast)
    return [d for d in days if start is not None and start <= d < start + timedelta(days=7)]


def _next_monday(day: date) -> date:
    return day + timedelta(days=(7 - day.weekday()) % 7 or 7)


@login_required
@require_POST
def forecast_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    _planner(request)
    forecast = access.get_forecast_for(request.user, pk)
    if forecast.is_active:
        services.cancel_forecast(forecast=forecast, by=request.user)
        messages.info(request, _("The forecast was cancelled."))
    return redirect("scheduling:forecast_detail", pk=forecast.pk)


@login_required
def forecast_adjust(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the event-factor form on its own page; POST: a new forecast with one more event
    factor (the original stays as it was)."""
    _planner(request)
    forecast = access.get_forecast_for(request.user, pk)
    if request.method == "POST":
        form = AdjustmentForm(request.POST)
        if form.is_valid():
            try:
                new = services.adjust_forecast(
                    forecast=forecast, by=request.user, adjustment=form.as_adjustment()
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(
                    request, _("A new forecast with this event factor is being computed.")
                )
                return redirect("scheduling:forecast_detail", pk=new.pk)
        status = 400
    else:
        days = selectors.forecast_days(forecast)
        form = _adjust_form(days)
        status = 200
    return render(
        request,
        "scheduling/forecast_adjust.html",
        {"forecast": forecast, "form": form},
        status=status,
    )


def _adjust_form(days: list[date]) -> AdjustmentForm:
    start = _next_monday(days[0] if days else timezone.localdate())
    return AdjustmentForm(initial={"channel": "all", "start": start, "factor": 4})


@login_required
def forecast_csv(request: HttpRequest, pk: int) -> HttpResponse:
    _planner(request)
    forecast = access.get_forecast_for(request.user, pk)
    # Unfinished: the header only (no intervals yet), so scripts see the format either way.
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="veerkracht-forecast-{forecast.pk}.csv"'
    )
    exports.write_forecast_csv(forecast, response)
    return response


# --- Staffing -----------------------------------------------------------------------------------------


def _forecast_from_query(request: HttpRequest, me: Employee) -> Any:
    raw = request.GET.get("forecast")
    if raw:
        forecast = access.get_forecast_for(request.user, raw)
        return forecast if forecast.result else None
    return selectors.latest_finished_forecast(me.organisation)


@login_required
def staffing(request: HttpRequest) -> HttpResponse:
    me = _planner(request)
    forecast = _forecast_from_query(request, me)
    if forecast is None:
        return render(request, "scheduling/staffing.html", {"forecast": None})
    labels = _labels()
    channel = request.GET.get("channel") or forecast.channels[0]
    if channel not in forecast.channels:
        channel = forecast.channels[0]
    days = selectors.forecast_days(forecast)
    day = _pick_day(request, days, forecast)
    try:
        plans = selectors.staffing_plans(forecast)
    except Exception as exc:  # a target the core refuses: say which, do not crash the page
        messages.error(
            request,
            _("Staffing cannot be computed with the current service targets: %(error)s")
            % {"error": exc},
        )
        return redirect("scheduling:targets")
    params = selectors.target_params(forecast.organisation)
    cards = []
    for c, plan in plans.items():
        rows = selectors.per_day(plan, [day]) if day else []
        cards.append(
            {
                "channel": c,
                "label": labels.get(c, c),
                "day": rows[0] if rows else None,
                "deferred": plan.deferred,
                "active": c == channel,
            }
        )
    plan = plans[channel]
    per_day = selectors.per_day(plan, days)
    intervals = exports.staffing_rows(plan, day) if day else []
    if plan.deferred:
        intervals = [
            r for r in intervals if r["contacts"] > 0 or r["raw"] > 0 or (r["backlog"] or 0) > 0.05
        ]
    p = params[channel]
    chart = {
        "labels": [r["time"] for r in intervals],
        "contacts": [round(r["contacts"], 1) for r in intervals],
        "raw": [r["raw"] for r in intervals],
        "scheduled": [r["scheduled"] for r in intervals],
        "service_level": [
            None if r["service_level"] is None else round(100 * r["service_level"], 1)
            for r in intervals
        ],
        "backlog": [None if r["backlog"] is None else round(r["backlog"], 1) for r in intervals]
        if plan.deferred
        else None,
        "text": {
            "contacts": _("Contacts (forecast)"),
            "raw": _("Agents required"),
            "scheduled": _("Agents to schedule"),
            "service_level": _("Expected service level (%)")
            if not plan.deferred
            else _("Answered within the response time (%)"),
            "backlog": _("Backlog at the end of the interval"),
            "y": _("Contacts / agents"),
            "y2": _("%"),
        },
    }
    context = {
        "forecast": forecast,
        "channel": channel,
        "channel_label": labels.get(channel, channel),
        "channels": [(c, labels.get(c, c)) for c in plans],
        "days": days,
        "day": day,
        "cards": cards,
        "per_day": per_day,
        "week_totals": _week_totals(per_day),
        "intervals": intervals,
        "chart": chart,
        "params": p,
        "deferred": plan.deferred,
        "fte_week_h": selectors.FULL_TIME_WEEK_H,
        "fte_day_h": selectors.FULL_TIME_WEEK_H / 5,
    }
    return render(request, "scheduling/staffing.html", context)


def _week_totals(per_day: list[selectors.DayStaffing]) -> list[dict[str, Any]]:
    """Per ISO week: scheduled hours and FTE (hours ÷ 36)."""
    weeks: dict[tuple[int, int], dict[str, Any]] = {}
    for row in per_day:
        year, week, _d = row.day.isocalendar()
        w = weeks.setdefault(
            (year, week),
            {
                "year": year,
                "week": week,
                "first": row.day,
                "hours": 0.0,
                "contacts": 0.0,
                "days": 0,
            },
        )
        w["hours"] += row.scheduled_hours
        w["contacts"] += row.contacts
        w["days"] += 1
    for w in weeks.values():
        w["fte"] = w["hours"] / selectors.FULL_TIME_WEEK_H
    return list(weeks.values())


@login_required
def staffing_csv(request: HttpRequest) -> HttpResponse:
    me = _planner(request)
    forecast = _forecast_from_query(request, me)
    plans = {}
    if forecast is not None:  # without a finished forecast: the header only
        wanted = request.GET.get("channel")
        plans = selectors.staffing_plans(
            forecast, [wanted] if wanted in forecast.channels else None
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="veerkracht-staffing-{forecast.pk if forecast else 0}.csv"'
    )
    exports.write_staffing_csv(plans, response)
    return response


# --- Service targets ------------------------------------------------------------------------------------


@login_required
def targets(request: HttpRequest) -> HttpResponse:
    me = _planner(request)
    current = services.ensure_service_targets(me.organisation)
    labels = _labels()
    forms_ = [
        ServiceTargetForm(request.POST or None, instance=target, prefix=channel)
        for channel, target in current.items()
    ]
    status = 200
    if request.method == "POST":
        if all(f.is_valid() for f in forms_) and _save_targets(forms_, request):
            messages.success(request, _("The service targets were saved."))
            return redirect("scheduling:targets")
        status = 400
    cards = [
        {"form": f, "label": labels[f.instance.channel], "channel": f.instance.channel}
        for f in forms_
    ]
    return render(request, "scheduling/targets.html", {"cards": cards}, status=status)


class _Refused(Exception):
    pass


def _save_targets(forms_: list[ServiceTargetForm], request: HttpRequest) -> bool:
    """All channels or none: one refused figure rolls every channel back. Errors go on the forms."""
    try:
        with transaction.atomic():
            refused = False
            for form in forms_:
                target = type(form.instance).objects.get(pk=form.instance.pk)
                try:
                    services.save_service_target(
                        target=target, by=request.user, **form.changed_values()
                    )
                except ValidationError as exc:
                    refused = True
                    for field, errs in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, errs)
            if refused:
                raise _Refused
    except _Refused:
        return False
    return True


# --- What-if ---------------------------------------------------------------------------------------------


@login_required
def scenario(request: HttpRequest) -> HttpResponse:
    me = _planner(request)
    forecast = _forecast_from_query(request, me)
    days = selectors.forecast_days(forecast) if forecast else []
    # A GET with only ?forecast= is the first visit: show the base plan with the defaults.
    data = request.GET if set(request.GET) - {"forecast"} else None
    form = ScenarioForm(data, days=days)
    bound_ok = data is not None and form.is_valid()
    cleaned: dict[str, Any] = form.cleaned_data if bound_ok else {}
    if forecast is None:
        week: list[date] = []
    elif bound_ok and cleaned.get("start"):
        week = form.week()
    else:
        week = _default_week(days, forecast)
    need = week_need(selectors.staffing_plans(forecast), week) if forecast else None
    capacity = capacity_from_people(access.planning_capacity_for(request.user), need)
    labels = _labels()
    defaults = {f"agents_{c}": round(capacity.heads[c]) for c in Channel.values}
    for name, value in {**defaults, "hours_per_week": capacity.hours_per_week}.items():
        form.fields[name].widget.attrs["placeholder"] = str(value)
    if data is None:
        form.initial.update(
            {
                "affected": [Channel.PHONE],
                "move_agents": 0,
                "move_from": Channel.PHONE,
                "move_to": Channel.EMAIL,
                "factor": 1,
                "hours_per_week": capacity.hours_per_week,
                "start": week[0] if week else None,
                **defaults,
            }
        )
    context: dict[str, Any] = {
        "form": form,
        "forecast": forecast,
        "capacity": capacity,
        "result": None,
        "capacity_rows": [
            {
                "channel": c,
                "label": labels[c],
                "trained": capacity.trained[c],
                "heads": capacity.heads[c],
                "hours": capacity.hours[c],
                "day_hours": capacity.hours[c] / 5,
                "need": (need or {}).get(c),
            }
            for c in Channel.values
        ],
    }
    if forecast is None or (data is not None and not bound_ok):
        return render(
            request, "scheduling/scenario.html", context, status=200 if forecast is None else 400
        )
    agents = {
        c: cleaned.get(f"agents_{c}")
        if cleaned.get(f"agents_{c}") is not None
        else defaults[f"agents_{c}"]
        for c in Channel.values
    }
    hours_per_week = float(cleaned.get("hours_per_week") or capacity.hours_per_week)
    result = run_scenario(
        forecast=forecast,
        params=selectors.target_params(forecast.organisation),
        week=week,
        factor=form.factor_value() if bound_ok else 1.0,
        affected=set(cleaned.get("affected") or []) if bound_ok else {Channel.PHONE.value},
        agents=agents,
        hours_per_week=hours_per_week,
        move_agents=int(cleaned.get("move_agents") or 0),
        move_from=cleaned.get("move_from") or Channel.PHONE,
        move_to=cleaned.get("move_to") or Channel.EMAIL,
    )
    context["result"] = result
    context["chart"] = {
        "labels": [c.label for c in result.channels],
        "series": [
            {
                "label": _("Hours needed, base plan"),
                "values": [round(c.total.hours_base) for c in result.channels],
            },
            {
                "label": _("Hours needed, surge"),
                "values": [round(c.total.hours_surge) for c in result.channels],
            },
            {
                "label": _("Hours available (agents moved)"),
                "values": [round(c.total.hours_available_moved) for c in result.channels],
            },
        ],
        "text": {"y": _("Agent-hours in the week")},
    }
    return render(request, "scheduling/scenario.html", context)
