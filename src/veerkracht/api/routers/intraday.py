"""Intraday (issue 4): today's actuals vs forecast, the re-forecast, suggestions and the actions
behind them; the agent's own extra-hours offers and quick tasks.

Planners and site managers read the day (`GET /intraday…`); only planners act. Every employee
answers their own offers and marks their own quick tasks done (`/me/extra-hours`,
`/me/quick-tasks`); someone else's id is a 404. The same services as the pages
(veerkracht/scheduling/intraday.py), scoped by people/access.py (section "Intraday").

No `from __future__ import annotations` in router modules: ninja reads the real annotations.
"""

from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import AuthorizationError

from veerkracht.people import access
from veerkracht.scheduling import intraday
from veerkracht.scheduling.models_roster import ExtraHoursOffer, QuickTask, QuickTaskAssignment

from .. import auth as api_auth
from ..schemas import ERRORS, Id, InputSchema, QuerySchema

router = Router(tags=["intraday"])


def _auth(check: Callable[[Any], bool]) -> list[Any]:
    """The API's two ways to authenticate plus a role check during authentication, so someone
    without the role gets a 403 before their input is validated. The classes keep the names
    TokenAuth and SessionAuth, so OpenAPI keeps one security scheme each."""

    def judge(user: Any) -> Any:
        if user is not None and not check(user):
            raise AuthorizationError(message=_("You do not have permission to do this."))
        return user

    class TokenAuth(api_auth.TokenAuth):
        def authenticate(self, request: HttpRequest, token: str) -> Any:
            return judge(super().authenticate(request, token))

    class SessionAuth(api_auth.SessionAuth):
        def authenticate(self, request: HttpRequest, key: str | None) -> Any:
            return judge(super().authenticate(request, key))

    return [TokenAuth(), SessionAuth()]


VIEWERS = _auth(access.can_view_intraday)
PLANNERS = _auth(access.can_act_intraday)


class ChannelName(StrEnum):
    phone = "phone"
    chat = "chat"
    email = "email"
    social = "social"


def _aware(value: datetime) -> datetime:
    from veerkracht.planning.calendar import TZ

    return value.replace(tzinfo=TZ) if value.tzinfo is None else value


def _day(raw: date | None) -> date:
    days = intraday.allowed_days()
    if raw is None:
        return days[-1]
    if raw not in days:
        raise DjangoValidationError({"day": [_("Only today and yesterday can be shown.")]})
    return raw


# --- The day ------------------------------------------------------------------------------------


class DayQuery(QuerySchema):
    day: date | None = Field(None, description="Today (default) or yesterday, YYYY-MM-DD")


class RatioOut(Schema):
    value: float = Field(..., description="Factor applied to the rest of the day's forecast")
    weighted: float | None = Field(None, description="Weighted actual ÷ forecast before clamping")
    applied: bool
    elapsed_s: float
    actual_contacts: float
    forecast_contacts: float


class ChannelDayOut(Schema):
    channel: str
    deferred: bool
    ratio: RatioOut
    forecast: list[float | None]
    actual: list[float | None]
    reforecast: list[float | None]
    required: list[int]
    scheduled: list[int]
    gap: list[int] = Field(..., description="scheduled − required; below 0 short")


class DayOut(Schema):
    day: date
    now: datetime
    forecast_id: int | None
    elapsed: int = Field(..., description="Intervals [0, elapsed) have ended")
    starts: list[datetime] = Field(..., description="Local start of every 15-minute interval")
    channels: list[ChannelDayOut]


@router.get("/intraday", response={200: DayOut, **ERRORS}, auth=VIEWERS)
def intraday_day(request: HttpRequest, filters: Query[DayQuery]) -> dict[str, Any]:
    """Per channel per 15-minute interval: forecast, actual, re-forecast, required and scheduled
    agents and the gap (docs/intraday.md)."""
    me = access.require_intraday_viewer(request.auth)
    view = intraday.day_view(me.organisation, _day(filters.day))
    return {
        "day": view.day,
        "now": view.now,
        "forecast_id": view.forecast.pk if view.forecast else None,
        "elapsed": view.elapsed,
        "starts": view.times,
        "channels": [
            {
                "channel": c.channel,
                "deferred": c.deferred,
                "ratio": c.ratio.__dict__,
                "forecast": c.forecast,
                "actual": c.actual,
                "reforecast": c.reforecast,
                "required": c.required,
                "scheduled": c.scheduled,
                "gap": c.gap,
            }
            for c in view.channels
        ],
    }


class SuggestionOut(Schema):
    kind: str = Field(..., description="move, extra_hours or quick_task")
    title: str
    effect: str
    channel: str
    from_channel: str
    start: datetime
    end: datetime
    employee_id: int
    employee_name: str
    action: str = Field(..., description="The endpoint that carries it out (POST)")
    body: dict[str, Any] = Field(..., description="The body to send to `action`")


_ACTIONS = {
    "move": "/api/v1/intraday/moves",
    "extra_hours": "/api/v1/intraday/offers",
    "quick_task": "/api/v1/intraday/quick-task-assignments",
}


@router.get("/intraday/suggestions", response={200: list[SuggestionOut], **ERRORS}, auth=VIEWERS)
def intraday_suggestions(request: HttpRequest, filters: Query[DayQuery]) -> list[dict[str, Any]]:
    """Moves between channels, extra-hours offers and quick tasks for the coming intervals."""
    me = access.require_intraday_viewer(request.auth)
    view = intraday.day_view(me.organisation, _day(filters.day))
    return [
        {
            "kind": s.kind,
            "title": s.title,
            "effect": s.effect,
            "channel": s.channel,
            "from_channel": s.from_channel,
            "start": s.start,
            "end": s.end,
            "employee_id": s.employee.pk,
            "employee_name": s.employee.full_name,
            "action": _ACTIONS[s.kind],
            "body": s.params(),
        }
        for s in intraday.suggestions(view)
    ]


# --- Actuals ------------------------------------------------------------------------------------


class ActualIn(InputSchema):
    start: datetime = Field(..., description="Local start of the 15-minute interval")
    channel: ChannelName
    contacts: float = Field(..., ge=0)
    aht_s: float | None = Field(None, ge=0)


class ActualsIn(InputSchema):
    rows: list[ActualIn] = Field(..., min_length=1, max_length=2000)


class StoredOut(Schema):
    stored: int


@router.post("/intraday/actuals", response={200: StoredOut, **ERRORS}, auth=PLANNERS)
def post_actuals(request: HttpRequest, payload: ActualsIn) -> dict[str, Any]:
    """Store actual volumes of today or yesterday (intervals that have started); figures already
    stored for the same channel and interval are replaced. Errors name the row
    (`["body", "rows[2].start"]`); then nothing is stored."""
    me = access.require_intraday_planner(request.auth)
    stored = intraday.save_actuals(
        organisation=me.organisation,
        by=request.auth,
        rows=[
            {
                "start": _aware(r.start),
                "channel": r.channel.value,
                "contacts": r.contacts,
                "aht_s": r.aht_s,
            }
            for r in payload.rows
        ],
    )
    return {"stored": stored}


# --- Actions ------------------------------------------------------------------------------------


class MoveIn(InputSchema):
    shift_id: Id
    start: datetime
    end: datetime
    channel: ChannelName


class AssignmentBlockOut(Schema):
    start: str
    end: str
    channel: str


class ShiftOut(Schema):
    id: int
    employee_id: int
    start: datetime
    end: datetime
    assignments: list[AssignmentBlockOut]


@router.post("/intraday/moves", response={200: ShiftOut, **ERRORS}, auth=PLANNERS)
def post_move(request: HttpRequest, payload: MoveIn) -> Any:
    """Put the agent of a published shift on another channel for a time range (rule-checked; the
    agent gets a change notice)."""
    shift = access.intraday_shift_for(request.auth, payload.shift_id)
    return intraday.move_agent(
        shift=shift,
        start=_aware(payload.start),
        end=_aware(payload.end),
        channel=payload.channel.value,
        by=request.auth,
    )


class OfferIn(InputSchema):
    employee_id: Id
    start: datetime
    end: datetime
    channel: ChannelName


class OfferOut(Schema):
    id: int
    employee_id: int
    start: datetime
    end: datetime
    channel: str
    status: str
    shift_id: int | None


@router.post("/intraday/offers", response={201: OfferOut, **ERRORS}, auth=PLANNERS)
def post_offer(request: HttpRequest, payload: OfferIn) -> Any:
    """Offer voluntary extra hours to an available agent trained for the channel."""
    me = access.require_intraday_planner(request.auth)
    employee = access.intraday_agent_for(request.auth, payload.employee_id)
    offer = intraday.offer_extra_hours(
        organisation=me.organisation,
        employee=employee,
        start=_aware(payload.start),
        end=_aware(payload.end),
        channel=payload.channel.value,
        by=request.auth,
    )
    return Status(201, offer)


class AssignIn(InputSchema):
    task_id: Id
    employee_id: Id
    start: datetime


class TaskOut(Schema):
    id: int
    title: str
    kind: str
    minutes: int
    channel: str
    link: str
    active: bool


class AssignmentOut(Schema):
    id: int
    task: TaskOut
    employee_id: int
    start: datetime
    end: datetime
    done_at: datetime | None


@router.post(
    "/intraday/quick-task-assignments", response={201: AssignmentOut, **ERRORS}, auth=PLANNERS
)
def post_assignment(request: HttpRequest, payload: AssignIn) -> Any:
    """Give an agent who is at work a quick task from `start` for the task's minutes."""
    me = access.require_intraday_planner(request.auth)
    employee = access.intraday_agent_for(request.auth, payload.employee_id)
    task = access.get_quick_task_for(request.auth, payload.task_id)
    assignment = intraday.assign_quick_task(
        organisation=me.organisation,
        task=task,
        employee=employee,
        start=_aware(payload.start),
        by=request.auth,
    )
    return Status(201, assignment)


@router.get("/intraday/quick-tasks", response={200: list[TaskOut], **ERRORS}, auth=VIEWERS)
def list_quick_tasks(request: HttpRequest) -> Any:
    return list(access.quick_tasks_for(request.auth).order_by("-active", "title"))


class TaskIn(InputSchema):
    title: str = Field(..., min_length=1, max_length=200)
    kind: QuickTask.Kind = QuickTask.Kind.TRAINING
    minutes: int = Field(30, ge=5, le=480)
    channel: ChannelName | None = None
    link: str = Field("", max_length=200)


@router.post("/intraday/quick-tasks", response={201: TaskOut, **ERRORS}, auth=PLANNERS)
def post_quick_task(request: HttpRequest, payload: TaskIn) -> Any:
    me = access.require_intraday_planner(request.auth)
    task = intraday.save_quick_task(
        organisation=me.organisation,
        by=request.auth,
        title=payload.title,
        kind=payload.kind.value,
        minutes=payload.minutes,
        channel=payload.channel.value if payload.channel else "",
        link=payload.link,
    )
    return Status(201, task)


# --- The agent's own ----------------------------------------------------------------------------


@router.get("/me/extra-hours", response={200: list[OfferOut], **ERRORS})
def my_offers(request: HttpRequest) -> Any:
    """Your extra-hours offers, newest first."""
    access.require_employee(request.auth)
    return list(access.my_extra_hours_offers(request.auth).order_by("-offered_at", "-pk"))


def _answer(request: HttpRequest, offer_id: int, accept: bool) -> ExtraHoursOffer:
    offer = access.get_my_extra_hours_offer(request.auth, offer_id)
    return intraday.answer_offer(offer=offer, accept=accept, by=request.auth)


@router.post("/me/extra-hours/{offer_id}/accept", response={200: OfferOut, **ERRORS})
def accept_offer(request: HttpRequest, offer_id: Id) -> Any:
    """Accept: after the rule check, the extra hours are a published shift in your roster."""
    return _answer(request, offer_id, True)


@router.post("/me/extra-hours/{offer_id}/decline", response={200: OfferOut, **ERRORS})
def decline_offer(request: HttpRequest, offer_id: Id) -> Any:
    """Decline (final)."""
    return _answer(request, offer_id, False)


@router.get("/me/quick-tasks", response={200: list[AssignmentOut], **ERRORS})
def my_quick_tasks(request: HttpRequest) -> Any:
    access.require_employee(request.auth)
    return list(access.my_quick_tasks(request.auth).order_by("-start"))


@router.post("/me/quick-tasks/{assignment_id}/done", response={200: AssignmentOut, **ERRORS})
def quick_task_done(request: HttpRequest, assignment_id: Id) -> QuickTaskAssignment:
    assignment = access.get_my_quick_task(request.auth, assignment_id)
    return intraday.mark_quick_task_done(assignment=assignment, by=request.auth)
