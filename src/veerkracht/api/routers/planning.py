"""Planning: contact history, service targets, forecasts, staffing and the surge what-if.

Planners and site managers (Capability.VIEW_PLANNING) of the organisation, everyone else 403;
forecast ids of another organisation are 404 (people/access.py: `forecasts_for`,
`get_forecast_for`). Writes go through veerkracht/scheduling/services.py, the numbers come from
the planning core, exactly as on the pages.
"""

import datetime as dt
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.errors import AuthorizationError
from ninja.files import UploadedFile
from ninja.pagination import paginate

from veerkracht.people import access
from veerkracht.people.access import Capability
from veerkracht.people.models import Channel
from veerkracht.planning.calendar import to_local_datetimes
from veerkracht.scheduling import exports, selectors, services
from veerkracht.scheduling.forms import HISTORY_MAX_BYTES
from veerkracht.scheduling.messages import row_error_dict
from veerkracht.scheduling.models import MAX_HORIZON_DAYS, Forecast, ServiceTarget
from veerkracht.scheduling.scenario import capacity_from_people, run_scenario

from .. import auth as api_auth
from ..pagination import PageNumberPagination
from ..schemas import ERRORS, DetailOut, InputSchema


def _require_planning(user: Any) -> Any:
    if not access.can(user, Capability.VIEW_PLANNING):
        raise AuthorizationError(message=_("You do not have permission to do this."))
    return user


# The API's two ways to authenticate, plus the planning capability, checked during
# authentication: someone without it gets a 403 before their input is validated (a 422 would
# tell them what the endpoint expects). Same class names, so OpenAPI keeps one scheme each.
class TokenAuth(api_auth.TokenAuth):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return _require_planning(super().authenticate(request, token))


class SessionAuth(api_auth.SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return _require_planning(super().authenticate(request, key))


router = Router(tags=["planning"], auth=[TokenAuth(), SessionAuth()])


class ChannelName(StrEnum):
    phone = "phone"
    chat = "chat"
    email = "email"
    social = "social"


def _organisation(request: HttpRequest) -> Any:
    return access.require(request.auth, Capability.VIEW_PLANNING).organisation


# --- Contact history -------------------------------------------------------------------------------


class HistoryChannelOut(Schema):
    channel: str
    intervals: int
    contacts: float
    first: datetime
    last: datetime
    source_interval_min: int | None = None


class HistoryUploadOut(Schema):
    stored: bool = Field(..., description="False for a dry run: nothing was stored.")
    upload_id: int | None
    rows: int
    channels: list[HistoryChannelOut]
    created: int = Field(0, description="Intervals that were new.")
    replaced: int = Field(
        0, description="Intervals that replaced stored ones (same channel and start)."
    )


class RowErrorOut(Schema):
    loc: list[str | int] = Field(..., description='["body", "file", row, field]')
    msg: str
    type: str = Field(..., description="Stable code, e.g. negative, duplicate, invalid_datetime.")
    row: int = Field(
        ..., description="Row as a spreadsheet shows it: header = 1, first data row = 2."
    )
    field: str


class HistoryErrorsOut(Schema):
    detail: list[RowErrorOut]


def _channels_out(counts: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"channel": c, **v} for c, v in counts.items()]


@router.post(
    "/history",
    response={200: HistoryUploadOut, **ERRORS, 422: HistoryErrorsOut},
    summary="Upload contact history (CSV or XLSX)",
)
def upload_history(
    request: HttpRequest,
    file: File[UploadedFile],
    dry_run: bool = False,
) -> Any:
    """Multipart upload of a history file (`start`, `channel`, `contacts`, optional `aht_s`; see
    docs/planning-ui.md). Every problem comes back as a 422 with its row and column; then nothing
    is stored. Without problems the intervals replace stored ones with the same channel and start.
    `?dry_run=true` only checks: the problems or the summary, nothing stored."""
    organisation = _organisation(request)
    if file.size is not None and file.size > HISTORY_MAX_BYTES:
        return Status(
            422,
            {
                "detail": [
                    {
                        "loc": ["body", "file"],
                        "msg": _("The file is larger than %(mb)s MB; split it by period.")
                        % {"mb": HISTORY_MAX_BYTES // (1024 * 1024)},
                        "type": "too_large",
                        "row": 0,
                        "field": "",
                    }
                ]
            },
        )
    check = services.check_history_file(
        organisation=organisation, by=request.auth, filename=file.name or "", content=file.read()
    )
    if check.upload is None:
        errors = []
        for e in check.result.errors:
            d = row_error_dict(e)
            loc: list[str | int] = ["body", "file", d["row"]]
            if d["field"]:
                loc.append(d["field"])
            errors.append(
                {
                    "loc": loc,
                    "msg": d["message"],
                    "type": d["code"],
                    "row": d["row"],
                    "field": d["field"],
                }
            )
        return Status(422, {"detail": errors})
    upload = check.upload
    if dry_run:
        services.cancel_history_upload(upload=upload, by=request.auth)
        return {
            "stored": False,
            "upload_id": None,
            "rows": check.rows,
            "channels": _channels_out(upload.counts),
        }
    outcome = services.import_history(upload=upload, by=request.auth)
    return {
        "stored": True,
        "upload_id": upload.pk,
        "rows": check.rows,
        "channels": _channels_out(upload.counts),
        "created": outcome.created,
        "replaced": outcome.replaced,
    }


class HistorySummaryChannelOut(Schema):
    channel: str
    first: datetime
    last: datetime
    intervals: int
    contacts: float


class HistorySummaryOut(Schema):
    channels: list[HistorySummaryChannelOut]


@router.get("/history/summary", response={200: HistorySummaryOut, **ERRORS})
def history_summary(request: HttpRequest) -> dict[str, Any]:
    """Per channel: first and last stored interval, number of intervals and contacts."""
    organisation = _organisation(request)
    return {
        "channels": [
            {
                "channel": s.channel,
                "first": s.first,
                "last": s.last,
                "intervals": s.intervals,
                "contacts": s.contacts,
            }
            for s in selectors.history_summary(organisation)
        ]
    }


# --- Service targets --------------------------------------------------------------------------------


class ServiceTargetOut(Schema):
    channel: str
    sl_target: float
    target_s: int
    aht_s: int
    patience_s: int | None
    max_occupancy: float | None
    shrinkage: float
    concurrency: int
    concurrency_slowdown: float
    response_time_h: float | None
    response_share: float | None
    handling_from: time
    handling_until: time
    handling_days: list[int]
    updated_at: datetime


class ServiceTargetIn(InputSchema):
    sl_target: float = Field(
        ..., ge=0, le=1, description="Share answered within target_s, below 1 (0.8 = 80%)."
    )
    target_s: int = Field(..., ge=0, le=3600)
    aht_s: int = Field(..., ge=1, le=36000)
    patience_s: int | None = Field(
        None, ge=1, description="Average patience; given, staffing uses Erlang A."
    )
    max_occupancy: float | None = Field(None, gt=0, le=1)
    shrinkage: float = Field(..., ge=0, lt=0.95)
    concurrency: int = Field(1, ge=1, le=10)
    concurrency_slowdown: float = Field(0.0, ge=0, le=2)
    response_time_h: float | None = Field(None, ge=0.25, le=336)
    response_share: float | None = Field(None, gt=0, le=1)
    handling_from: time = time(8, 0)
    handling_until: time = time(20, 0)
    handling_days: list[int] = Field(
        default_factory=lambda: [0, 1, 2, 3, 4, 5], description="Monday = 0 … Sunday = 6."
    )


@router.get("/service-targets", response={200: list[ServiceTargetOut], **ERRORS})
@paginate(PageNumberPagination)
def list_service_targets(request: HttpRequest) -> QuerySet[ServiceTarget]:
    """One per channel; the defaults are created on first use."""
    organisation = _organisation(request)
    services.ensure_service_targets(organisation)
    return ServiceTarget.objects.filter(organisation=organisation).order_by("channel", "pk")


@router.put("/service-targets/{channel}", response={200: ServiceTargetOut, **ERRORS})
def put_service_target(
    request: HttpRequest, channel: ChannelName, payload: ServiceTargetIn
) -> ServiceTarget:
    """Replace a channel's target. Figures the staffing calculation cannot use are a 422 naming
    the field (e.g. a service level of 100%)."""
    organisation = _organisation(request)
    target = services.ensure_service_targets(organisation)[channel.value]
    values = payload.dict()
    values["handling_days"] = sorted({d for d in values["handling_days"] if 0 <= d <= 6})
    services.save_service_target(target=target, by=request.auth, **values)
    return target


# --- Forecasts -----------------------------------------------------------------------------------------


class AdjustmentIn(InputSchema):
    channel: str = Field("all", description='"all" or a channel.')
    start: date
    end: date | None = Field(
        None, description="Last day included; null for the rest of the horizon."
    )
    factor: float = Field(..., ge=0, le=100)
    label: str = Field("", max_length=100)


class ForecastIn(InputSchema):
    channels: list[ChannelName] = Field(..., min_length=1)
    horizon_days: int = Field(28, ge=1, le=MAX_HORIZON_DAYS)
    adjustments: list[AdjustmentIn] = Field(default_factory=list, description="Event factors.")


class ForecastOut(Schema):
    id: int
    status: str
    progress: int
    message: str
    channels: list[str]
    horizon_days: int
    adjustments: list[dict[str, Any]]
    based_on: int | None = Field(None, description="The forecast this one adds an event factor to.")
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    history_end: datetime | None
    first_day: date | None
    last_day: date | None

    @staticmethod
    def resolve_based_on(obj: Forecast) -> int | None:
        return obj.based_on_id


class ForecastDetailOut(ForecastOut):
    method: str
    metrics: dict[str, Any] | None
    result: dict[str, Any] | None = Field(
        None,
        description="When finished: per channel `start` (ISO times of the open 15-minute intervals), "
        "`contacts`, `lower`, `upper`, `unadjusted`, and `daily` totals per day of `days`.",
    )


def _forecasts(request: HttpRequest) -> QuerySet[Forecast]:
    return (
        access.forecasts_for(request.auth).defer("result", "metrics").order_by("-created_at", "-pk")
    )


@router.get("/forecasts", response={200: list[ForecastOut], **ERRORS})
@paginate(PageNumberPagination)
def list_forecasts(request: HttpRequest) -> QuerySet[Forecast]:
    _organisation(request)
    return _forecasts(request)


@router.post("/forecasts", response={201: ForecastOut, **ERRORS})
def create_forecast(request: HttpRequest, payload: ForecastIn) -> Status[Forecast]:
    """Queue a forecast; poll `GET /forecasts/{id}` for its status and progress."""
    organisation = _organisation(request)
    forecast = services.request_forecast(
        organisation=organisation,
        by=request.auth,
        horizon_days=payload.horizon_days,
        channels=[c.value for c in payload.channels],
        adjustments=[a.dict() for a in payload.adjustments],
    )
    forecast.refresh_from_db()
    return Status(201, forecast)


def _result_json(forecast: Forecast, intervals: bool) -> dict[str, Any] | None:
    if not forecast.result:
        return None
    out = {k: v for k, v in forecast.result.items() if k != "channels"}
    channels = {}
    for name, data in forecast.result["channels"].items():
        item = {"daily": data["daily"]}
        if intervals:
            item.update(
                start=[t.isoformat(timespec="minutes") for t in to_local_datetimes(data["start"])],
                contacts=data["contacts"],
                lower=data["lower"],
                upper=data["upper"],
                unadjusted=data["unadjusted"],
            )
        channels[name] = item
    out["channels"] = channels
    return out


@router.get("/forecasts/{forecast_id}", response={200: ForecastDetailOut, **ERRORS})
def get_forecast(
    request: HttpRequest,
    forecast_id: int,
    intervals: bool = True,
) -> dict[str, Any]:
    """Status and progress; when finished the result. `?intervals=false` leaves out the
    15-minute arrays (daily totals only)."""
    _organisation(request)
    forecast = access.get_forecast_for(request.auth, forecast_id)
    data = ForecastOut.from_orm(forecast).dict()
    data.update(
        method=forecast.method, metrics=forecast.metrics, result=_result_json(forecast, intervals)
    )
    return data


@router.post("/forecasts/{forecast_id}/cancel", response={200: ForecastOut, **ERRORS})
def cancel_forecast(request: HttpRequest, forecast_id: int) -> Forecast:
    """Queued: cancelled at once; running: stops at its next heartbeat."""
    _organisation(request)
    forecast = access.get_forecast_for(request.auth, forecast_id)
    if forecast.is_active:
        services.cancel_forecast(forecast=forecast, by=request.auth)
    return forecast


class StaffingIntervalOut(Schema):
    start: datetime
    contacts: float
    required_agents: int = Field(
        ..., description="Raw requirement (Erlang C/A, chat slots or backlog)."
    )
    scheduled_agents: int = Field(..., description="required ÷ (1 − shrinkage), rounded up.")
    service_level: float | None = Field(
        ...,
        description="Live: expected service level; deferred: share answered within the response time.",
    )
    backlog: float | None = Field(
        None, description="Deferred channels: contacts waiting at the end of the interval."
    )


class StaffingDayOut(Schema):
    date: date
    contacts: float
    required_hours: float
    scheduled_hours: float
    fte: float = Field(..., description="scheduled_hours ÷ 7.2 (a 36-hour week over 5 days).")
    peak_scheduled_agents: int
    service_level: float | None
    backlog_end: float | None


class StaffingOut(Schema):
    forecast: int
    channel: str
    date: date | None
    days: list[StaffingDayOut]
    intervals: list[StaffingIntervalOut] = Field(
        ..., description="The intervals of `date` (empty without a date)."
    )


class StaffingQuery(Schema):
    channel: ChannelName
    date: dt.date | None = Field(
        None, description="A day of the forecast: its 15-minute intervals are listed."
    )


def _not_finished(forecast: Forecast) -> str:
    return _("The forecast is not finished (status: %(status)s).") % {
        "status": forecast.get_status_display()
    }


@router.get(
    "/forecasts/{forecast_id}/staffing", response={200: StaffingOut, **ERRORS, 409: DetailOut}
)
def forecast_staffing(request: HttpRequest, forecast_id: int, filters: Query[StaffingQuery]) -> Any:
    """Staffing per 15-minute interval (for `date`) and per day, with the current service targets."""
    channel, day = filters.channel, filters.date
    _organisation(request)
    forecast = access.get_forecast_for(request.auth, forecast_id)
    if not forecast.result:
        return Status(409, {"detail": _not_finished(forecast)})
    if channel.value not in forecast.channels:
        message = _("This forecast has no channel %(channel)s.") % {"channel": channel.value}
        return Status(
            422,
            {"detail": [{"loc": ["query", "channel"], "msg": message, "type": "not_in_forecast"}]},
        )
    plan = selectors.staffing_plans(forecast, [channel.value])[channel.value]
    days = selectors.forecast_days(forecast)
    if day is not None and day not in set(days):
        return Status(
            422,
            {
                "detail": [
                    {
                        "loc": ["query", "date"],
                        "msg": _("Choose a day of the forecast: %(first)s to %(last)s.")
                        % {"first": days[0], "last": days[-1]},
                        "type": "out_of_range",
                    }
                ]
            },
        )
    rows = exports.staffing_rows(plan, day) if day else []
    return {
        "forecast": forecast.pk,
        "channel": channel.value,
        "date": day,
        "days": [
            {
                "date": d.day,
                "contacts": round(d.contacts, 2),
                "required_hours": d.required_hours,
                "scheduled_hours": d.scheduled_hours,
                "fte": round(d.fte, 2),
                "peak_scheduled_agents": d.peak_scheduled,
                "service_level": d.service_level,
                "backlog_end": d.backlog_end,
            }
            for d in selectors.per_day(plan, days)
        ],
        "intervals": [
            {
                "start": r["start"],
                "contacts": round(r["contacts"], 2),
                "required_agents": r["raw"],
                "scheduled_agents": r["scheduled"],
                "service_level": r["service_level"],
                "backlog": r["backlog"],
            }
            for r in rows
        ],
    }


# --- What-if -------------------------------------------------------------------------------------------


class ScenarioQuery(Schema):
    forecast: int | None = Field(None, description="Forecast id; default the latest finished one.")
    start: date | None = Field(
        None, description="First day of the week; default today or the forecast's first day."
    )
    contacts_from: int | None = Field(None, ge=1, description="Contacts per day now …")
    contacts_to: int | None = Field(
        None, ge=0, description="… and in the surge (factor = to ÷ from)."
    )
    factor: float | None = Field(
        None, ge=0, le=100, description="Used when contacts_from/to are not given."
    )
    affected: list[ChannelName] = Field(
        default_factory=list, description="Channels hit by the surge."
    )
    agents_phone: int | None = Field(None, ge=0)
    agents_chat: int | None = Field(None, ge=0)
    agents_email: int | None = Field(None, ge=0)
    agents_social: int | None = Field(None, ge=0)
    hours_per_week: float | None = Field(None, ge=1, le=60)
    move_agents: int = Field(0, ge=0)
    move_from: ChannelName = ChannelName.phone
    move_to: ChannelName = ChannelName.email


class ScenarioDayOut(Schema):
    date: date
    contacts_base: float
    contacts_surge: float
    hours_needed_base: float
    hours_needed_surge: float
    agents_needed_base: float
    agents_needed_surge: float
    hours_available: float
    hours_available_after_move: float
    gap_hours_after_move: float
    service_level_base: float | None
    service_level_surge: float | None
    service_level_after_move: float | None


class ScenarioChannelOut(Schema):
    channel: str
    agents: int
    agents_after_move: int
    week: ScenarioDayOut
    days: list[ScenarioDayOut]


class ScenarioOut(Schema):
    forecast: int | None = Field(
        ..., description="null (and no channels) before the first finished forecast."
    )
    factor: float
    affected: list[str]
    hours_per_week: float
    move_agents: int
    move_from: str
    move_to: str
    channels: list[ScenarioChannelOut]


def _day_out(r: Any) -> dict[str, Any]:
    return {
        "date": r.day,
        "contacts_base": round(r.contacts_base, 2),
        "contacts_surge": round(r.contacts_surge, 2),
        "hours_needed_base": r.hours_base,
        "hours_needed_surge": r.hours_surge,
        "agents_needed_base": round(r.agents_needed_base, 2),
        "agents_needed_surge": round(r.agents_needed_surge, 2),
        "hours_available": round(r.hours_available, 2),
        "hours_available_after_move": round(r.hours_available_moved, 2),
        "gap_hours_after_move": round(r.gap_hours, 2),
        "service_level_base": r.sl_base,
        "service_level_surge": r.sl_surge,
        "service_level_after_move": r.sl_moved,
    }


@router.get("/scenario", response={200: ScenarioOut, **ERRORS, 409: DetailOut})
def scenario(request: HttpRequest, filters: Query[ScenarioQuery]) -> Any:
    """The surge what-if of the page /planning/what-if/: base plan, surge, and surge with agents
    moved, per channel per day (assumptions in docs/planning-ui.md)."""
    organisation = _organisation(request)
    if filters.forecast is not None:
        forecast = access.get_forecast_for(request.auth, filters.forecast)
    else:
        forecast = selectors.latest_finished_forecast(organisation)
    if forecast is None:  # nothing to compare yet: an empty answer, not an error
        return {
            "forecast": None,
            "factor": 1.0,
            "affected": [],
            "hours_per_week": 0.0,
            "move_agents": 0,
            "move_from": filters.move_from.value,
            "move_to": filters.move_to.value,
            "channels": [],
        }
    if not forecast.result:
        return Status(409, {"detail": _not_finished(forecast)})
    days = selectors.forecast_days(forecast)
    start = filters.start or (date.today() if date.today() in set(days) else days[0])
    if start not in set(days):
        return Status(
            422,
            {
                "detail": [
                    {
                        "loc": ["query", "start"],
                        "msg": _("Choose a day of the forecast: %(first)s to %(last)s.")
                        % {"first": days[0], "last": days[-1]},
                        "type": "out_of_range",
                    }
                ]
            },
        )
    week = [d for d in days if start <= d < date.fromordinal(start.toordinal() + 7)]
    capacity = capacity_from_people(access.planning_capacity_for(request.auth))
    agents = {}
    for c in Channel.values:
        given = getattr(filters, f"agents_{c}")
        agents[c] = given if given is not None else round(capacity.heads[c])
    if filters.contacts_from and filters.contacts_to is not None:
        factor = filters.contacts_to / filters.contacts_from
    else:
        factor = filters.factor if filters.factor is not None else 1.0
    result = run_scenario(
        forecast=forecast,
        params=selectors.target_params(organisation),
        week=week,
        factor=factor,
        affected={a.value for a in filters.affected},
        agents=agents,
        hours_per_week=filters.hours_per_week or capacity.hours_per_week,
        move_agents=filters.move_agents,
        move_from=filters.move_from.value,
        move_to=filters.move_to.value,
    )
    return {
        "forecast": forecast.pk,
        "factor": result.factor,
        "affected": result.affected,
        "hours_per_week": result.hours_per_week,
        "move_agents": result.move_agents,
        "move_from": result.move_from,
        "move_to": result.move_to,
        "channels": [
            {
                "channel": c.channel,
                "agents": c.agents,
                "agents_after_move": c.agents_moved,
                "week": _day_out(c.total),
                "days": [_day_out(r) for r in c.rows],
            }
            for c in result.channels
        ],
    }
