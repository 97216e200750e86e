"""Availability and preferences, and roster periods (issue 4).

Your own availability (`/me/availability…`) for every employee; roster periods of your
organisation; the availability of others only for team leads (members of the teams they lead)
and planners (everyone), through `people/access.py::availability_subjects_for`. Writes call
scheduling/availability.py, the same services as the pages; their field errors are 422s that name
the field (`pattern[2].end`, `preferences.unpreferred_channels`).

No `from __future__ import annotations` in router modules: ninja reads the real annotations.
"""

from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from veerkracht.people import access
from veerkracht.people.models import Employee, Role
from veerkracht.scheduling import availability as services
from veerkracht.scheduling.models_availability import (
    AvailabilityException,
    AvailabilityPattern,
    RosterPeriod,
)

from ..pagination import PageNumberPagination
from ..schemas import ERRORS, EmployeeRef, Id, InputSchema

router = Router(tags=["availability"])


class ChannelName(StrEnum):
    phone = "phone"
    chat = "chat"
    email = "email"
    social = "social"


class PatternKind(StrEnum):
    can = "can"
    prefer_not = "prefer_not"


class ExceptionKind(StrEnum):
    can = "can"
    cannot = "cannot"
    prefer_not = "prefer_not"


# --- Own availability ------------------------------------------------------------------------


class PatternWindow(Schema):
    weekday: int = Field(..., ge=0, le=6, description="0 = Monday … 6 = Sunday")
    start: time = Field(..., description="Local time on the 15-minute grid, HH:MM")
    end: time = Field(..., description="After start, on the 15-minute grid")
    kind: PatternKind = PatternKind.can


class PatternWindowIn(InputSchema, PatternWindow):
    pass


class PreferencesSchema(Schema):
    preferred_channels: list[ChannelName] = Field(
        default_factory=list, description="Only channels you are trained for"
    )
    unpreferred_channels: list[ChannelName] = Field(default_factory=list)
    wished_minutes_per_week: int | None = Field(
        None, ge=0, description="Between 0 and your contract hours × 60"
    )
    note: str = Field("", max_length=1000, description="Never anything about health.")


class PreferencesIn(InputSchema, PreferencesSchema):
    pass


class AvailabilityOut(Schema):
    pattern: list[PatternWindow]
    preferences: PreferencesSchema


class AvailabilityIn(InputSchema):
    pattern: list[PatternWindowIn] = Field(..., description="Replaces the whole weekly pattern")
    preferences: PreferencesIn


def _availability(me: Employee) -> dict[str, Any]:
    prefs = services.preferences_of(me)
    return {
        "pattern": list(AvailabilityPattern.objects.filter(employee=me)),
        "preferences": {
            "preferred_channels": prefs.preferred_channels,
            "unpreferred_channels": prefs.unpreferred_channels,
            "wished_minutes_per_week": prefs.wished_minutes_per_week,
            "note": prefs.note,
        },
    }


@router.get("/me/availability", response={200: AvailabilityOut, **ERRORS})
def my_availability(request: HttpRequest) -> dict[str, Any]:
    """Your weekly pattern and your roster preferences."""
    return _availability(access.require_employee(request.auth))


def _prefixed(prefix: str, exc: DjangoValidationError) -> DjangoValidationError:
    return DjangoValidationError({f"{prefix}{k}": v for k, v in exc.error_dict.items()})


@router.put("/me/availability", response={200: AvailabilityOut, **ERRORS})
def put_my_availability(request: HttpRequest, payload: AvailabilityIn) -> dict[str, Any]:
    """Replace your weekly pattern and preferences together (all or nothing)."""
    me = access.require_employee(request.auth)
    prefs = payload.preferences
    errors: dict[str, Any] = {}
    with transaction.atomic():
        try:
            services.replace_pattern(
                employee=me,
                windows=[(w.weekday, w.start, w.end, w.kind.value) for w in payload.pattern],
                by=request.auth,
            )
        except DjangoValidationError as exc:
            errors.update(exc.error_dict)
        try:
            services.update_preferences(
                employee=me,
                preferred_channels=[c.value for c in prefs.preferred_channels],
                unpreferred_channels=[c.value for c in prefs.unpreferred_channels],
                wished_minutes_per_week=prefs.wished_minutes_per_week,
                note=prefs.note,
                by=request.auth,
            )
        except DjangoValidationError as exc:
            errors.update(_prefixed("preferences.", exc).error_dict)
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise DjangoValidationError(errors)
    return _availability(me)


class ExceptionOut(Schema):
    id: int
    date: date
    start: time | None
    end: time | None
    kind: str
    note: str


class ExceptionIn(InputSchema):
    date: date
    start: time | None = Field(None, description="Both empty: the whole day")
    end: time | None = None
    kind: ExceptionKind
    note: str = Field("", max_length=200, description="Never anything about health.")


@router.get("/me/availability/exceptions", response={200: list[ExceptionOut], **ERRORS})
@paginate(PageNumberPagination)
def my_exceptions(request: HttpRequest) -> QuerySet[AvailabilityException]:
    """Your exceptions, oldest first."""
    me = access.require_employee(request.auth)
    return AvailabilityException.objects.filter(employee=me).order_by("date", "start", "pk")


@router.post("/me/availability/exceptions", response={201: ExceptionOut, **ERRORS})
def add_my_exception(request: HttpRequest, payload: ExceptionIn) -> Any:
    me = access.require_employee(request.auth)
    exception = services.add_exception(
        employee=me,
        day=payload.date,
        start=payload.start,
        end=payload.end,
        kind=payload.kind.value,
        note=payload.note,
        by=request.auth,
    )
    return Status(201, exception)


@router.delete("/me/availability/exceptions/{exception_id}", response={204: None, **ERRORS})
def delete_my_exception(request: HttpRequest, exception_id: Id) -> Any:
    me = access.require_employee(request.auth)
    exception = AvailabilityException.objects.filter(employee=me, pk=exception_id).first()
    if exception is None:
        raise Http404
    services.remove_exception(exception=exception, by=request.auth)
    return Status(204, None)


# --- Roster periods ----------------------------------------------------------------------------


class RosterPeriodOut(Schema):
    id: int
    start: date
    weeks: int
    deadline: datetime
    open: bool
    submitted: int | None = Field(None, description="Active employees who have submitted")


class RosterPeriodIn(InputSchema):
    start: date = Field(..., description="A Monday")
    weeks: int = Field(..., ge=1, le=4)
    deadline: datetime = Field(..., description="Before the start; ISO 8601 with offset")


def _period_out(period: RosterPeriod) -> dict[str, Any]:
    return {
        "id": period.pk,
        "start": period.start,
        "weeks": period.weeks,
        "deadline": period.deadline,
        "open": services.is_open(period),
        "submitted": getattr(period, "submitted", None),
    }


@router.get("/roster-periods", response={200: list[RosterPeriodOut], **ERRORS})
@paginate(PageNumberPagination)
def roster_periods(request: HttpRequest) -> list[dict[str, Any]]:
    """Roster periods of your organisation, newest first (team leads and planners)."""
    if not access.can_view_availability_overview(request.auth):
        raise PermissionDenied
    periods = (
        access.roster_periods_for(request.auth)
        .annotate(submitted=Count("submissions", filter=Q(submissions__employee__is_active=True)))
        .order_by("-start")
    )
    return [_period_out(p) for p in periods]


@router.post("/roster-periods", response={201: RosterPeriodOut, **ERRORS})
def create_roster_period(request: HttpRequest, payload: RosterPeriodIn) -> Any:
    """Create a roster period (planners)."""
    if not access.can_manage_roster_periods(request.auth):
        raise PermissionDenied
    me = access.require_employee(request.auth)
    period = services.create_roster_period(
        organisation=me.organisation,
        start=payload.start,
        weeks=payload.weeks,
        deadline=payload.deadline,
        by=request.auth,
    )
    return Status(201, _period_out(period))


class SubmissionOut(Schema):
    period: int
    submitted_at: datetime


@router.post("/roster-periods/{period_id}/submit", response={200: SubmissionOut, **ERRORS})
def submit(request: HttpRequest, period_id: Id) -> dict[str, Any]:
    """Submit your availability for the period (again before the deadline updates the time)."""
    me = access.require_employee(request.auth)
    period = access.get_roster_period_for(request.auth, period_id)
    submission = services.submit_availability(employee=me, period=period, by=request.auth)
    return {"period": period.pk, "submitted_at": submission.submitted_at}


class WindowOut(Schema):
    start: datetime
    end: datetime


class EmployeeAvailabilityOut(Schema):
    employee: EmployeeRef
    team: str | None
    submitted_at: datetime | None
    windows: list[WindowOut] = Field(
        ..., description="Available windows in the period (local time, with offset)"
    )
    pattern: list[PatternWindow]
    preferences: PreferencesSchema


@router.get(
    "/roster-periods/{period_id}/availability",
    response={200: list[EmployeeAvailabilityOut], **ERRORS},
)
@paginate(PageNumberPagination)
def period_availability(request: HttpRequest, period_id: Id) -> list[dict[str, Any]]:
    """Availability of the employees you may see (team leads: your teams; planners: everyone)."""
    if not access.can_view_availability_overview(request.auth):
        raise PermissionDenied
    period = access.get_roster_period_for(request.auth, period_id)
    employees = (
        access.availability_subjects_for(request.auth)
        .filter(roles__role=Role.AGENT)
        .distinct()
        .select_related("team")
        .order_by("last_name", "first_name", "pk")
    )
    submitted = dict(period.submissions.values_list("employee_id", "submitted_at"))
    result = []
    for e in employees:
        data = _availability(e)
        result.append(
            {
                "employee": e,
                "team": e.team.name if e.team else None,
                "submitted_at": submitted.get(e.pk),
                "windows": [
                    {"start": s, "end": end}
                    for s, end in services.availability_windows(e, period.start, period.days)
                ],
                **data,
            }
        )
    return result
