"""Roster runs, the draft and publishing of a roster period (issue 4; planners only).

The same services as the pages (scheduling/roster_runs.py), scoped by people/access.py
(`roster_runs_for`, `roster_shifts_for`, `get_roster_period_for`). A shift that breaks a blocking
rule is a 422 with the findings; publishing late without `confirm_late` is a 409; law errors in
the roster block publishing with a 422.

No `from __future__ import annotations` in router modules: ninja reads the real annotations.
"""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from veerkracht.people import access
from veerkracht.people.models import Employee
from veerkracht.scheduling import roster_runs
from veerkracht.scheduling.models_roster import RosterRun, Shift, ShiftState

from ..schemas import ERRORS, DetailOut, Id, InputSchema

router = Router(tags=["rosters"])


class RunIn(InputSchema):
    time_limit_s: int = Field(60, ge=10, le=1800, description="Seconds the solver may take")
    shift_rules: dict[str, Any] | None = Field(
        None,
        description="min_minutes, max_minutes, start_step_minutes, earliest_start, latest_end "
        "(HH:MM); missing ones are the period's or the defaults",
    )


class TracePoint(Schema):
    t: float
    objective: float | None
    bound: float | None


class RunOut(Schema):
    id: int
    period: int
    status: str
    progress: int
    message: str
    time_limit_s: int
    solver_status: str
    best_objective: float | None
    best_bound: float | None
    created_at: datetime
    finished_at: datetime | None
    applied_at: datetime | None


class RunDetailOut(RunOut):
    trace: list[TracePoint]
    kpis: dict[str, Any]
    violations: list[dict[str, Any]]
    report: dict[str, Any] | None


class ShiftOut(Schema):
    id: int
    employee: int
    employee_name: str
    start: datetime
    end: datetime
    breaks: list[dict[str, Any]]
    assignments: list[dict[str, Any]]
    state: str
    fixed: bool
    source: str
    explanation: str
    published_at: datetime | None


class ShiftIn(InputSchema):
    employee: Id | None = Field(None, description="Required when adding a shift")
    start: datetime = Field(..., description="ISO 8601; on the quarter hour")
    end: datetime
    channel: str = Field(..., description="phone, chat, email or social")


class ShiftCreatedOut(Schema):
    shift: ShiftOut
    violations: list[dict[str, Any]]


class PublishIn(InputSchema):
    confirm_late: bool = Field(
        False, description="Required when publishing later than the required days ahead"
    )
    note: str = Field("", max_length=300)


class PublicationOut(Schema):
    id: int
    period: int
    published_at: datetime
    days_ahead: int
    late: bool
    shifts: int
    changes: int


class RefusedOut(Schema):
    detail: str
    violations: list[dict[str, Any]] = []


# A hand edit's 422 is a refusal with the rule findings, not the usual validation error list.
EDIT_ERRORS = {422: RefusedOut, **{k: v for k, v in ERRORS.items() if k != 422}}


def _planner(request: HttpRequest) -> Employee:
    return access.require_roster_planner(request.auth)


def _run_out(run: RosterRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "period": run.period_id,
        "status": run.status,
        "progress": run.progress,
        "message": run.message,
        "time_limit_s": run.time_limit_s,
        "solver_status": run.solver_status,
        "best_objective": run.best_objective,
        "best_bound": run.best_bound,
        "created_at": run.created_at,
        "finished_at": run.finished_at,
        "applied_at": run.applied_at,
    }


def _shift_out(shift: Shift) -> dict[str, Any]:
    return {
        "id": shift.pk,
        "employee": shift.employee_id,
        "employee_name": shift.employee.full_name,
        "start": shift.start,
        "end": shift.end,
        "breaks": shift.breaks,
        "assignments": shift.assignments,
        "state": shift.state,
        "fixed": shift.fixed,
        "source": shift.source,
        "explanation": shift.why,
        "published_at": shift.published_at,
    }


def _edited(shift: Shift, channel: str) -> dict[str, Any]:
    """A saved shift with the rule check for its employee (warnings and non-blocking errors)."""
    check = roster_runs.check_edit(
        period=shift.period,
        employee=shift.employee,
        start=shift.start,
        end=shift.end,
        channel=channel,
        shift=shift,
    )
    return {"shift": _shift_out(shift), "violations": check.violations}


def _field_errors(exc: DjangoValidationError) -> Any:
    if hasattr(exc, "error_dict"):
        detail = [
            {"loc": ["body", "payload", name], "msg": " ".join(msgs), "type": "value_error"}
            for name, msgs in exc.message_dict.items()
        ]
        return Status(422, {"detail": detail})
    return Status(422, {"detail": " ".join(exc.messages), "violations": []})


@router.get("/roster-periods/{period_id}/runs", response={200: list[RunOut], **ERRORS})
def list_runs(request: HttpRequest, period_id: Id) -> list[dict[str, Any]]:
    """Roster runs of a period, newest first."""
    _planner(request)
    period = access.get_roster_period_for(request.auth, period_id)
    runs = (
        access.roster_runs_for(request.auth)
        .filter(period=period)
        .defer(*roster_runs.RUN_PAYLOAD_FIELDS)
    )
    return [_run_out(r) for r in runs]


@router.post("/roster-periods/{period_id}/runs", response={201: RunOut, 409: DetailOut, **ERRORS})
def create_run(request: HttpRequest, period_id: Id, payload: RunIn) -> Any:
    """Start a roster run (a background job); poll the run for progress."""
    _planner(request)
    period = access.get_roster_period_for(request.auth, period_id)
    if roster_runs.active_run(period) is not None:
        return Status(409, {"detail": "A roster run for this period is still going."})
    try:
        run = roster_runs.start_roster_run(
            period=period,
            by=request.auth,
            time_limit_s=payload.time_limit_s,
            shift_rules=payload.shift_rules,
        )
    except DjangoValidationError as exc:
        return _field_errors(exc)
    run.refresh_from_db()
    return Status(201, _run_out(run))


@router.get("/roster-runs/{run_id}", response={200: RunDetailOut, **ERRORS})
def run_detail(request: HttpRequest, run_id: Id) -> dict[str, Any]:
    """A run: status, progress, the objective/bound trace, key figures, rule check; when no
    roster was possible, the solver's report of the conflicts."""
    _planner(request)
    run = access.get_roster_run_for(request.auth, run_id)
    solution = run.solution or {}
    return {
        **_run_out(run),
        "trace": run.trace or [],
        "kpis": run.kpis or {},
        "violations": run.violations or [],
        "report": (
            {**(solution.get("report") or {}), "explanations": solution.get("explanations", [])}
            if run.solver_status in ("infeasible", "timeout")
            else solution.get("report")
        ),
    }


@router.post("/roster-runs/{run_id}/cancel", response={200: RunOut, **ERRORS})
def cancel_run(request: HttpRequest, run_id: Id) -> dict[str, Any]:
    """Cancel a queued or running run; the draft stays as it was."""
    _planner(request)
    run = access.get_roster_run_for(request.auth, run_id)
    if run.is_active:
        run = roster_runs.cancel_roster_run(run=run, by=request.auth)
    return _run_out(run)


@router.get("/roster-periods/{period_id}/shifts", response={200: list[ShiftOut], **ERRORS})
def period_shifts(
    request: HttpRequest, period_id: Id, state: ShiftState | None = None
) -> list[dict[str, Any]]:
    """Draft and published shifts of a period (filter with `state`)."""
    _planner(request)
    period = access.get_roster_period_for(request.auth, period_id)
    shifts = access.roster_shifts_for(request.auth).filter(period=period).select_related("employee")
    if state is not None:
        shifts = shifts.filter(state=state)
    return [_shift_out(s) for s in shifts.order_by("start", "employee_id")]


@router.post("/roster-periods/{period_id}/shifts", response={201: ShiftCreatedOut, **EDIT_ERRORS})
def add_shift(request: HttpRequest, period_id: Id, payload: ShiftIn) -> Any:
    """Add a draft shift by hand (rule check; blocking findings are a 422 with the list)."""
    _planner(request)
    period = access.get_roster_period_for(request.auth, period_id)
    employee = access.roster_employees_for(request.auth).filter(pk=payload.employee).first()
    if employee is None:
        return Status(
            422,
            {
                "detail": [
                    {
                        "loc": ["body", "payload", "employee"],
                        "msg": "Unknown employee.",
                        "type": "value_error",
                    }
                ]
            },
        )
    try:
        shift = roster_runs.add_shift(
            period=period,
            employee=employee,
            by=request.auth,
            start=payload.start,
            end=payload.end,
            channel=payload.channel,
        )
    except roster_runs.EditRefused as refused:
        return Status(422, {"detail": " ".join(refused.messages), "violations": refused.violations})
    except DjangoValidationError as exc:
        return _field_errors(exc)
    return Status(201, _edited(shift, payload.channel))


@router.put("/roster-shifts/{shift_id}", response={200: ShiftCreatedOut, **EDIT_ERRORS})
def update_shift(request: HttpRequest, shift_id: Id, payload: ShiftIn) -> Any:
    """Change a shift's times and channel; a published shift's employee is told."""
    _planner(request)
    shift = access.get_roster_shift_for(request.auth, shift_id)
    try:
        shift = roster_runs.update_shift(
            shift=shift,
            by=request.auth,
            start=payload.start,
            end=payload.end,
            channel=payload.channel,
        )
    except roster_runs.EditRefused as refused:
        return Status(422, {"detail": " ".join(refused.messages), "violations": refused.violations})
    except DjangoValidationError as exc:
        return _field_errors(exc)
    return _edited(shift, payload.channel)


@router.delete("/roster-shifts/{shift_id}", response={204: None, **ERRORS})
def delete_shift(request: HttpRequest, shift_id: Id) -> Any:
    """Remove a shift; removing a published one tells its employee."""
    _planner(request)
    shift = access.get_roster_shift_for(request.auth, shift_id)
    roster_runs.remove_shift(shift=shift, by=request.auth)
    return Status(204, None)


@router.post(
    "/roster-periods/{period_id}/publish",
    response={201: PublicationOut, 409: DetailOut, **ERRORS},
)
def publish(request: HttpRequest, period_id: Id, payload: PublishIn) -> Any:
    """Publish the period's draft. 409 when late and not confirmed; 422 with law errors."""
    _planner(request)
    period = access.get_roster_period_for(request.auth, period_id)
    try:
        publication = roster_runs.publish_period(
            period=period, by=request.auth, confirm_late=payload.confirm_late, note=payload.note
        )
    except roster_runs.LatePublication as late:
        return Status(409, {"detail": str(late)})
    except DjangoValidationError as exc:
        return Status(
            422,
            {"detail": [{"loc": ["body"], "msg": " ".join(exc.messages), "type": "value_error"}]},
        )
    return Status(
        201,
        {
            "id": publication.pk,
            "period": period.pk,
            "published_at": publication.published_at,
            "days_ahead": publication.days_ahead,
            "late": publication.late,
            "shifts": publication.shifts,
            "changes": publication.changes,
        },
    )
