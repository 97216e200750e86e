"""Roster runs in the app: start a solver run, apply its roster as the draft, review it, adjust
it by hand and publish it (the planner's flow of issue 4).

Services (writes) are keyword-only and atomic; `review` is the selector behind the review page
and the API. The solver itself is the pure core's (`veerkracht.planning.roster.solver`); the
problem is built by `roster_build.build_problem`, the rule checks are `check.check_solution`
(period-wide) and `shifts.check_employee_shifts` (one employee's edit).

A run stores nothing but its progress trace until it ends: the draft is replaced in one
transaction when the solver has returned, so a cancel or a crash leaves the draft as it was.
"""

from __future__ import annotations

import logging
import math
import statistics
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from veerkracht.config.jobs import JobCancelled, JobStatus
from veerkracht.people import audit
from veerkracht.people.models import AuditAction, Channel, Employee
from veerkracht.planning.calendar import TZ, local_grid
from veerkracht.planning.roster import solver as roster_solver
from veerkracht.planning.roster.check import Violation, check_solution
from veerkracht.planning.roster.model import (
    RosterProblem,
    RosterSolution,
    SolutionStatus,
    WorkingTimeSettings,
    clock_minutes,
)

from . import roster_build, shifts
from .models_availability import AvailabilitySubmission, EmployeePreferences, RosterPeriod
from .models_roster import (
    MAX_TIME_LIMIT_S,
    MIN_TIME_LIMIT_S,
    RosterPublication,
    RosterRun,
    Shift,
    ShiftChange,
    ShiftChangeKind,
    ShiftSource,
    ShiftState,
)

logger = logging.getLogger(__name__)

__all__ = [
    "EVENING_FROM_MINUTE",
    "EditRefused",
    "LatePublication",
    "Review",
    "active_run",
    "add_shift",
    "cancel_roster_run",
    "check_edit",
    "compute_roster_run",
    "publish_period",
    "remove_shift",
    "review",
    "start_roster_run",
    "toggle_fixed",
    "update_shift",
]

# Minutes after local midnight from which work counts as evening work for fairness (18:00).
EVENING_FROM_MINUTE = 18 * 60
# The solver's trace is written at most this often (seconds) so a long run does not hammer the
# database; the first and last point are always kept.
TRACE_EVERY_S = 1.0
SOLVER_WORKERS = 2  # both cores
# A run's problem and solution are megabytes of JSON for a large organisation: lists of runs and
# status badges leave them (and the other figures) out.
RUN_PAYLOAD_FIELDS = ("problem", "solution", "trace", "kpis", "violations")


def _user(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


# --- Starting and cancelling a run --------------------------------------------------------------


def _clean_shift_rules(rules: dict[str, Any] | None) -> dict[str, Any]:
    """The period's shift rules with the planner's values on top; errors name the field."""
    merged = {**roster_build.DEFAULT_SHIFT_RULES, **(rules or {})}
    errors: dict[str, str] = {}
    values: dict[str, int] = {}
    for name in ("min_minutes", "max_minutes", "start_step_minutes"):
        try:
            values[name] = int(merged[name])
        except (TypeError, ValueError):
            errors[name] = _("Enter a whole number of minutes.")
    for name in ("earliest_start", "latest_end"):
        text = str(merged[name])
        try:
            hours, minutes = text.split(":")
            ok = len(hours) == 2 and len(minutes) == 2 and 0 <= clock_minutes(text) <= 24 * 60
            ok = ok and int(minutes) < 60
        except ValueError:
            ok = False
        if not ok:
            errors[name] = _("Enter a time as HH:MM.")
    if not errors:
        if not 15 <= values["min_minutes"] <= 24 * 60:
            errors["min_minutes"] = _("Between 15 minutes and 24 hours.")
        if not 15 <= values["max_minutes"] <= 24 * 60:
            errors["max_minutes"] = _("Between 15 minutes and 24 hours.")
        elif values["max_minutes"] < values["min_minutes"]:
            errors["max_minutes"] = _("The longest shift must not be shorter than the shortest.")
        if values["start_step_minutes"] % 15 or not 15 <= values["start_step_minutes"] <= 240:
            errors["start_step_minutes"] = _("A multiple of 15 minutes, at most 240.")
        earliest = clock_minutes(merged["earliest_start"])
        latest = clock_minutes(merged["latest_end"]) or 24 * 60
        if earliest % 15:
            errors["earliest_start"] = _("Times are on the quarter hour.")
        if latest % 15:
            errors["latest_end"] = _("Times are on the quarter hour.")
        elif latest - earliest < values.get("min_minutes", 15):
            errors["latest_end"] = _(
                "The latest end must leave room for the shortest shift after the earliest start."
            )
    if errors:
        raise ValidationError(errors)
    return {
        **values,
        "earliest_start": str(merged["earliest_start"]),
        "latest_end": str(merged["latest_end"]),
    }


def active_run(period: RosterPeriod) -> RosterRun | None:
    return (
        period.runs.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
        .defer(*RUN_PAYLOAD_FIELDS)
        .order_by("-created_at")
        .first()
    )


@transaction.atomic
def start_roster_run(
    *,
    period: RosterPeriod,
    by: Any,
    time_limit_s: int = 60,
    shift_rules: dict[str, Any] | None = None,
) -> RosterRun:
    """Freeze the period's problem (published and fixed shifts kept) into a queued run and hand
    it to the worker once the transaction commits."""
    period = RosterPeriod.objects.select_for_update().get(pk=period.pk)
    try:
        limit = int(time_limit_s)
    except (TypeError, ValueError):
        raise ValidationError({"time_limit_s": _("Enter a whole number of seconds.")}) from None
    if not MIN_TIME_LIMIT_S <= limit <= MAX_TIME_LIMIT_S:
        raise ValidationError(
            {
                "time_limit_s": _("Between %(lo)s and %(hi)s seconds.")
                % {"lo": MIN_TIME_LIMIT_S, "hi": MAX_TIME_LIMIT_S}
            }
        )
    rules = _clean_shift_rules(shift_rules if shift_rules is not None else period.shift_rules)
    if active_run(period) is not None:
        raise ValidationError(
            _("A roster run for this period is still going; wait for it or cancel it first.")
        )
    period.shift_rules = rules
    period.save(update_fields=["shift_rules"])
    built = roster_build.build_problem(period)
    if not built.problem.employees:
        raise ValidationError(_("There are no agents to roster in this organisation."))
    run = RosterRun.objects.create(
        organisation=period.organisation,
        period=period,
        forecast=built.forecast,
        created_by=_user(by),
        time_limit_s=limit,
        problem=built.problem.model_dump(mode="json", exclude_defaults=False),
    )
    audit.record(
        actor=by,
        action=AuditAction.CREATE,
        obj=run,
        summary=f"roster run {run.pk} queued for period {period.pk}",
        changes={"time_limit_s": limit, "shift_rules": rules},
    )
    transaction.on_commit(run.requeue)
    return run


@transaction.atomic
def cancel_roster_run(*, run: RosterRun, by: Any) -> RosterRun:
    """Queued: cancelled at once. Running: asked to stop; the draft stays as it was."""
    run.request_cancel()
    audit.record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=run,
        summary=f"roster run {run.pk} cancel requested",
    )
    return run


# --- The job ------------------------------------------------------------------------------------


def _claim(run_id: int) -> RosterRun | None:
    """Take a queued run (see JobRow.claim)."""
    if not RosterRun.claim(run_id):
        return None
    return RosterRun.objects.select_related("period", "organisation").get(pk=run_id)


def _finite(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else round(float(value), 3)


class _Progress:
    """Collects the solver's events in the solver's threads; the job's own thread writes them.

    CP-SAT calls back from its worker threads, which must not touch the database (another
    connection, outside the job's transaction); they only read a flag set by the job thread."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.points: list[dict[str, Any]] = []
        self.stop = False
        self.latest: dict[str, Any] | None = None

    def __call__(self, event: roster_solver.ProgressEvent) -> bool:
        point = {
            "t": round(event.elapsed_s, 2),
            "objective": _finite(event.objective),
            "bound": _finite(event.bound),
        }
        with self.lock:
            self.latest = point
            if not self.points or point["t"] - self.points[-1]["t"] >= TRACE_EVERY_S:
                self.points.append(point)
            return not self.stop

    def snapshot(self, *, final: bool = False) -> list[dict[str, Any]]:
        with self.lock:
            points = list(self.points)
            if final and self.latest is not None and (not points or points[-1] != self.latest):
                points.append(self.latest)
            return points


def _solve_watched(run: RosterRun, problem: RosterProblem) -> tuple[RosterSolution, bool]:
    """Solve in a worker thread while this thread writes the trace and heartbeats (about once a
    second) and passes a cancel request on to the solver. Returns (solution, cancelled)."""
    progress = _Progress()
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["solution"] = roster_solver.solve(
                problem,
                time_limit_s=float(run.time_limit_s),
                workers=SOLVER_WORKERS,
                progress=progress,
            )
        except BaseException as exc:  # noqa: BLE001 - re-raised in the job's thread
            outcome["error"] = exc

    thread = threading.Thread(target=work, name=f"roster-run-{run.pk}", daemon=True)
    started = time.monotonic()
    thread.start()
    cancelled = False
    while thread.is_alive():
        thread.join(timeout=TRACE_EVERY_S)
        elapsed = time.monotonic() - started
        points = progress.snapshot()
        last = points[-1] if points else {}
        RosterRun.objects.filter(pk=run.pk).update(
            trace=points, best_objective=last.get("objective"), best_bound=last.get("bound")
        )
        try:
            run.heartbeat(
                min(99, int(100 * elapsed / max(run.time_limit_s, 1))),
                _("Searching for the best roster… %(s)s of %(limit)s s")
                % {"s": int(elapsed), "limit": run.time_limit_s},
            )
        except JobCancelled:
            cancelled = True
            with progress.lock:
                progress.stop = True
    if "error" in outcome:
        raise outcome["error"]
    points = progress.snapshot(final=True)
    last = points[-1] if points else {}
    RosterRun.objects.filter(pk=run.pk).update(
        trace=points, best_objective=last.get("objective"), best_bound=last.get("bound")
    )
    if not cancelled:
        cancelled = RosterRun.objects.filter(pk=run.pk, cancel_requested=True).exists()
    return outcome["solution"], cancelled


def _explanations(solution: RosterSolution) -> dict[tuple[str, str], tuple[str, dict[str, Any]]]:
    """Per (employee, shift start): the solver's sentence and the reason as data."""
    out: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {}
    for e in solution.explanations:
        if e.code == "shift_reason" and e.employee and e.start is not None:
            out[(e.employee, roster_build.local_iso(e.start))] = (
                e.message[:500],
                {"code": e.code, "params": e.params},
            )
    return out


def _employees_by_key(keys: Iterable[str]) -> dict[str, Employee]:
    pks = [int(k) for k in keys if str(k).isdigit()]
    return {str(pk): e for pk, e in Employee.objects.in_bulk(pks).items()}


def _violations_json(
    violations: Sequence[Violation], employees: dict[str, Employee]
) -> list[dict[str, Any]]:
    return [shifts.violation_json(v, employees) for v in violations]


def _solution_kpis(solution: RosterSolution) -> dict[str, Any]:
    report = solution.report or {}
    return {
        "kpi": report.get("kpi") or {},
        "fairness": {
            k: v
            for k, v in (report.get("fairness") or {}).items()
            if k != "evening_weekend_minutes_per_employee"
        },
        "wished_hours": report.get("wished_hours"),
        "solver": report.get("solver"),
    }


def compute_roster_run(*, run_id: int) -> str:
    """The roster job: solve with progress and heartbeats, then, in one transaction, replace the
    period's draft (non-fixed) shifts by the roster. Returns the outcome."""
    run = _claim(run_id)
    if run is None:
        return "skipped"
    try:
        problem = RosterProblem.model_validate(run.problem)
        run.heartbeat(1, _("Preparing the roster problem…"))
        solution, cancelled = _solve_watched(run, problem)
        if cancelled:
            raise JobCancelled
        return _store_result(run, problem, solution)
    except JobCancelled:
        run.mark_finished(JobStatus.CANCELLED, _("Cancelled; the draft was left as it was."))
        return "cancelled"
    except Exception as exc:  # noqa: BLE001 - any failure leaves a clear state, never a half draft
        logger.exception("Roster run %s failed", run_id)
        run.mark_finished(
            JobStatus.FAILED,
            _("The roster could not be made: %(error)s")
            % {"error": f"{type(exc).__name__}: {exc}"[:300]},
        )
        return "failed"


def _store_result(run: RosterRun, problem: RosterProblem, solution: RosterSolution) -> str:
    has_roster = solution.status in (SolutionStatus.OPTIMAL, SolutionStatus.FEASIBLE)
    payload = solution.model_dump(mode="json")
    with transaction.atomic():
        locked = RosterRun.objects.select_for_update().get(pk=run.pk)
        if locked.status != JobStatus.RUNNING or locked.cancel_requested:
            raise JobCancelled
        fields: dict[str, Any] = {
            "solution": payload,
            "solver_status": str(solution.status),
            "best_objective": _finite(solution.objective),
            "best_bound": _finite(solution.lower_bound),
        }
        if not has_roster:
            # Infeasible or no roster in time: the report is kept and shown; the draft stays.
            RosterRun.objects.filter(pk=run.pk).update(**fields)
            message = (
                _("No roster is possible with these rules; see the conflicts below.")
                if solution.status == SolutionStatus.INFEASIBLE
                else _("No roster was found within the time limit; try a longer run.")
            )
            run.mark_finished(JobStatus.SUCCEEDED, message)
            return str(solution.status)
        report = check_solution(problem, solution)
        keys = {s.employee for s in solution.shifts}
        employees = _employees_by_key(keys)
        why = _explanations(solution)
        period = run.period
        Shift.objects.filter(period=period, state=ShiftState.DRAFT, fixed=False).delete()
        new = []
        for s in solution.shifts:
            if s.fixed or s.employee not in employees:
                continue
            text, reason = why.get((s.employee, roster_build.local_iso(s.start)), ("", {}))
            new.append(
                Shift(
                    organisation=run.organisation,
                    period=period,
                    employee=employees[s.employee],
                    start=s.start,
                    end=s.end,
                    breaks=[b.model_dump(mode="json") for b in s.breaks],
                    assignments=[a.model_dump(mode="json") for a in s.assignments],
                    state=ShiftState.DRAFT,
                    source=ShiftSource.SOLVER,
                    run=run,
                    explanation=text,
                    reason=reason,
                )
            )
        Shift.objects.bulk_create(new)
        fields.update(
            kpis=_solution_kpis(solution),
            violations=_violations_json(report.violations, employees),
            applied_at=timezone.now(),
        )
        RosterRun.objects.filter(pk=run.pk).update(**fields)
        run.mark_finished(
            JobStatus.SUCCEEDED,
            _("Finished: %(n)s shifts in the draft.") % {"n": len(new)},
        )
    return str(solution.status)


# --- Hand edits ---------------------------------------------------------------------------------


@dataclass
class Edit:
    """A checked hand edit: the shift in the roster format and the rule check for its employee."""

    employee: Employee
    payload: dict[str, Any]
    violations: list[dict[str, Any]]

    @property
    def blocking(self) -> list[dict[str, Any]]:
        """Errors that refuse the edit: the working-time law, an untrained channel, overlapping
        shifts (shifts.blocking_errors). Working outside availability is shown, not refused."""
        return [v for v in self.violations if v.get("blocking")]


def _to_aware(value: Any, name: str) -> datetime:
    if isinstance(value, str):
        try:
            value = roster_build.parse_local(value)
        except ValueError:
            raise ValidationError({name: _("Enter a date and time.")}) from None
    if not isinstance(value, datetime):
        raise ValidationError({name: _("Enter a date and time.")})
    if timezone.is_naive(value):
        value = value.replace(tzinfo=TZ)
    return value


def check_edit(
    *,
    period: RosterPeriod,
    employee: Employee,
    start: Any,
    end: Any,
    channel: str,
    shift: Shift | None = None,
) -> Edit:
    """Validate a shift as the planner typed it and run the rule check for its employee: their
    published shifts around it, their other draft shifts of the period and this one.

    Raises ValidationError (naming the field) for input that is not a shift at all."""
    start = _to_aware(start, "start")
    end = _to_aware(end, "end")
    errors: dict[str, str] = {}
    first, last = roster_build.period_bounds(period)
    if start.minute % 15 or end.minute % 15 or start.second or end.second:
        errors["start" if start.minute % 15 else "end"] = _(
            "Shifts start and end on the quarter hour."
        )
    if end <= start:
        errors["end"] = _("The end must be after the start.")
    elif end - start > timedelta(hours=14):
        errors["end"] = _("A shift is at most 14 hours long.")
    if not first <= start < last:
        errors["start"] = _("The shift must start within the period (%(first)s – %(last)s).") % {
            "first": period.start.isoformat(),
            "last": (period.start + timedelta(days=period.days - 1)).isoformat(),
        }
    if channel not in Channel.values:
        errors["channel"] = _("Choose a channel.")
    if employee.organisation_id != period.organisation_id:
        errors["employee"] = _("Unknown employee.")
    if errors:
        raise ValidationError(errors)
    try:
        payload = shifts.work_shift(employee, start, end, channel)
    except ValueError as exc:
        raise ValidationError({"end": str(exc)}) from None
    others = Shift.objects.filter(period=period, employee=employee, state=ShiftState.DRAFT)
    if shift is not None:
        others = others.exclude(pk=shift.pk)
    candidates = [payload, *(roster_build.shift_payload(s) for s in others)]
    exclude = (shift.pk,) if shift is not None else ()
    violations = shifts.check_employee_shifts(employee, candidates, exclude_ids=exclude)
    employees = {roster_build.employee_key(employee): employee}
    blocking = {id(v) for v in shifts.blocking_errors(violations)}
    found = []
    for v in violations:
        data = shifts.violation_json(v, employees)
        data["blocking"] = id(v) in blocking
        found.append(data)
    return Edit(employee, payload, found)


def _is_youth(employee: Employee, day: date) -> bool:
    age = roster_build.age_on(employee, day)
    return age is not None and age < WorkingTimeSettings().adult_age


class EditRefused(ValidationError):
    """A hand edit that breaks a blocking rule; `violations` are the findings (JSON)."""

    def __init__(self, violations: list[dict[str, Any]]) -> None:
        self.violations = violations
        super().__init__(
            _("This shift cannot be saved: %(rules)s")
            % {"rules": "; ".join(v["text"] for v in violations if v.get("blocking"))},
            code="rules",
        )


def _refuse_law_errors(edit: Edit) -> None:
    if edit.blocking:
        raise EditRefused(edit.violations)


def _apply(shift: Shift, edit: Edit) -> None:
    shift.start = roster_build.parse_local(edit.payload["start"])
    shift.end = roster_build.parse_local(edit.payload["end"])
    shift.breaks = edit.payload["breaks"]
    shift.assignments = edit.payload["assignments"]


@transaction.atomic
def add_shift(
    *,
    period: RosterPeriod,
    employee: Employee,
    by: Any,
    start: Any,
    end: Any,
    channel: str,
    fixed: bool = False,
) -> Shift:
    """A draft shift made by hand (after the rule check; law errors refuse it)."""
    edit = check_edit(period=period, employee=employee, start=start, end=end, channel=channel)
    _refuse_law_errors(edit)
    shift = Shift(
        organisation=period.organisation,
        period=period,
        employee=employee,
        state=ShiftState.DRAFT,
        source=ShiftSource.MANUAL,
        fixed=bool(fixed),
    )
    _apply(shift, edit)
    shift.save()
    audit.record(
        actor=by,
        action=AuditAction.CREATE,
        obj=shift,
        subject=employee,
        summary=f"draft shift {shift.pk} added by hand",
        changes=edit.payload,
    )
    return shift


@transaction.atomic
def update_shift(*, shift: Shift, by: Any, start: Any, end: Any, channel: str) -> Shift:
    """Change a shift's times and channel. A published shift may be changed too; its employee
    gets a notice (shifts.record_change)."""
    shift = (
        Shift.objects.select_for_update(of=("self",))
        .select_related("employee", "period")
        .get(pk=shift.pk)
    )
    if shift.period is None:
        raise ValidationError(_("This shift belongs to no roster period."))
    edit = check_edit(
        period=shift.period,
        employee=shift.employee,
        start=start,
        end=end,
        channel=channel,
        shift=shift,
    )
    _refuse_law_errors(edit)
    before = shifts.shift_snapshot(shift)
    _apply(shift, edit)
    if shift.source == ShiftSource.SOLVER:
        shift.source = ShiftSource.MANUAL
    shift.save()
    if shift.state == ShiftState.PUBLISHED:
        shifts.record_change(
            employee=shift.employee,
            shift=shift,
            kind=ShiftChangeKind.CHANGED,
            before=before,
            after=shifts.shift_snapshot(shift),
            by=by,
        )
    audit.record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=shift,
        subject=shift.employee,
        summary=f"{shift.state} shift {shift.pk} changed by hand",
        changes={"before": before, "after": edit.payload},
    )
    return shift


@transaction.atomic
def remove_shift(*, shift: Shift, by: Any) -> None:
    """Remove a shift; removing a published one tells its employee."""
    shift = (
        Shift.objects.select_for_update(of=("self",)).select_related("employee").get(pk=shift.pk)
    )
    before = shifts.shift_snapshot(shift)
    if shift.state == ShiftState.PUBLISHED:
        shifts.record_change(
            employee=shift.employee,
            shift=shift,
            kind=ShiftChangeKind.REMOVED,
            before=before,
            after=None,
            by=by,
        )
    audit.record(
        actor=by,
        action=AuditAction.DELETE,
        obj=shift,
        subject=shift.employee,
        summary=f"{shift.state} shift {shift.pk} removed",
        changes={"before": before},
    )
    shift.delete()


@transaction.atomic
def toggle_fixed(*, shift: Shift, by: Any) -> Shift:
    """Fix a draft shift so a new run keeps it, or free it again."""
    shift = (
        Shift.objects.select_for_update(of=("self",)).select_related("employee").get(pk=shift.pk)
    )
    shift.fixed = not shift.fixed
    shift.save(update_fields=["fixed", "updated_at"])
    audit.record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=shift,
        subject=shift.employee,
        summary=f"shift {shift.pk} {'fixed' if shift.fixed else 'freed'}",
    )
    return shift


# --- Publishing ---------------------------------------------------------------------------------


class LatePublication(Exception):  # noqa: N818 - a condition the planner confirms, not a failure
    """Publishing fewer days ahead than required needs the planner's explicit confirmation."""

    def __init__(self, days_ahead: int, required: int) -> None:
        self.days_ahead = days_ahead
        self.required = required
        super().__init__(
            _(
                "This roster is published %(days)s days before the period starts; the rule is "
                "at least %(required)s days ahead. Confirm to publish anyway."
            )
            % {"days": days_ahead, "required": required}
        )


def required_days_ahead() -> int:
    return int(WorkingTimeSettings().publish_days_ahead)


def days_ahead(period: RosterPeriod, *, today: date | None = None) -> int:
    return (period.start - (today or timezone.localdate())).days


@transaction.atomic
def publish_period(
    *, period: RosterPeriod, by: Any, confirm_late: bool = False, note: str = ""
) -> RosterPublication:
    """Publish the period's draft: every draft shift becomes published and its employee gets a
    notice. Law errors in the period's roster block publishing; publishing later than the
    required days ahead needs `confirm_late` and is recorded as late."""
    period = RosterPeriod.objects.select_for_update().get(pk=period.pk)
    drafts = list(
        Shift.objects.filter(period=period, state=ShiftState.DRAFT).select_related("employee")
    )
    if not drafts:
        raise ValidationError(_("There is nothing to publish: the period has no draft shifts."))
    report, built = roster_build.check_shifts(period)
    # Breaches of the working-time law block, and so do overlapping shifts, untrained channels
    # and invalid times (e.g. a draft from a run that started before a swap was approved).
    law = shifts.blocking_errors(report.errors)
    if law:
        employees = dict(built.employees)
        texts = [shifts.violation_json(v, employees)["text"] for v in law[:10]]
        raise ValidationError(
            _("Publishing is blocked by %(n)s breach(es) of the working-time rules: %(list)s")
            % {"n": len(law), "list": " ".join(texts)},
            code="law",
        )
    ahead = days_ahead(period)
    required = required_days_ahead()
    late = ahead < required
    if late and not confirm_late:
        raise LatePublication(ahead, required)
    now = timezone.now()
    previous = period.publications.order_by("-published_at").first()
    since = previous.published_at if previous else period.created_at
    changed = ShiftChange.objects.filter(
        Q(shift__period=period) | Q(shift__isnull=True, employee__organisation=period.organisation),
        kind__in=[ShiftChangeKind.CHANGED, ShiftChangeKind.REMOVED],
        at__gt=since,
    ).count()
    Shift.objects.filter(pk__in=[s.pk for s in drafts]).update(
        state=ShiftState.PUBLISHED, published_at=now, fixed=False
    )
    for s in drafts:
        s.state, s.published_at = ShiftState.PUBLISHED, now
    shifts.record_changes(
        [
            ShiftChange(
                employee=s.employee,
                shift=s,
                kind=ShiftChangeKind.ADDED,
                after=shifts.shift_snapshot(s),
            )
            for s in drafts
        ],
        by=by,
    )
    publication = RosterPublication.objects.create(
        period=period,
        published_at=now,
        published_by=_user(by),
        days_ahead=ahead,
        late=late,
        shifts=len(drafts),
        changes=len(drafts) + changed,
        note=note[:300],
    )
    audit.record(
        actor=by,
        action=AuditAction.UPDATE,
        obj=period,
        summary=f"roster period {period.pk} published ({len(drafts)} shifts"
        + (f", {ahead} days ahead: late" if late else "")
        + ")",
        changes={"days_ahead": ahead, "late": late, "shifts": len(drafts)},
    )
    return publication


# --- Review (selector) --------------------------------------------------------------------------


@dataclass
class EmployeeRow:
    employee: Employee
    days: list[list[Shift]]
    minutes: int
    minutes_per_week: float
    contract_minutes: int
    wished_minutes: int | None
    preferred_share: float | None
    evening_weekend_minutes: int


@dataclass
class Review:
    period: RosterPeriod
    days: list[date]
    shifts: list[Shift]
    rows: list[EmployeeRow]
    kpis: dict[str, Any]
    channels: dict[str, dict[str, Any]]
    violations: list[dict[str, Any]]
    interval_labels: list[str]
    interval_days: list[int]
    demand: dict[str, list[int]]
    coverage: dict[str, list[int]]
    days_without_forecast: list[date] = field(default_factory=list)
    forecast_id: int | None = None

    @property
    def errors(self) -> list[dict[str, Any]]:
        return [v for v in self.violations if v["severity"] == "error"]

    @property
    def law_errors(self) -> list[dict[str, Any]]:
        return [v for v in self.errors if shifts.is_law_rule(v["rule"])]

    def chart(self, channel: str, day_index: int) -> dict[str, Any]:
        idx = [i for i, d in enumerate(self.interval_days) if d == day_index]
        return {
            "labels": [self.interval_labels[i] for i in idx],
            "demand": [self.demand.get(channel, [])[i] for i in idx],
            "scheduled": [
                self.coverage.get(channel, [0] * len(self.interval_labels))[i] for i in idx
            ],
        }


def _assignment_minutes(shift: Shift) -> list[tuple[datetime, datetime, str]]:
    return [
        (roster_build.parse_local(a["start"]), roster_build.parse_local(a["end"]), a["channel"])
        for a in shift.assignments or []
    ]


def _evening_weekend_minutes(shift: Shift) -> int:
    """Working minutes of a shift from 18:00 local time or on a Saturday or Sunday."""
    total = 0
    for start, end, _channel in _assignment_minutes(shift):
        # Step in UTC: adding 15 minutes to a local time adds wall-clock time, which skips or
        # repeats an hour on the nights the clocks change.
        t = start.astimezone(UTC)
        while t < end:
            local = t.astimezone(TZ)
            if local.weekday() >= 5 or local.hour * 60 + local.minute >= EVENING_FROM_MINUTE:
                total += 15
            t += timedelta(minutes=15)
    return total


def _pct(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def review(period: RosterPeriod, *, states: Sequence[str] | None = None) -> Review:
    """Key figures of the period's CURRENT shifts (draft and published, or `states`).

    * under-coverage %: agent-intervals missing ÷ agent-intervals demanded, per channel and
      overall (the checker's coverage against the forecast demand);
    * preferred-channel share: working minutes on a preferred channel ÷ working minutes of the
      employees who named a preferred channel;
    * fairness: evening (from 18:00) and weekend working minutes per employee; the spread is
      their standard deviation and the gap between most and least;
    * wished hours: mean absolute difference between minutes per week worked and wished (the
      contract hours when nothing is wished).

    The solver's own report cannot serve here: these are the shifts as they are now, hand edits
    included. Coverage per channel is the checker's (`CheckReport.channels`).
    """
    selected = list(
        roster_build.period_shifts(period, states or (ShiftState.DRAFT, ShiftState.PUBLISHED))
    )
    report, built = roster_build.check_shifts(period, selected)
    problem = built.problem
    grid = local_grid(period.start, period.days)
    labels = [
        datetime.fromtimestamp(int(t), TZ).strftime("%H:%M") for t in grid.start_utc_s.tolist()
    ]
    days = [period.start + timedelta(days=i) for i in range(period.days)]
    channel_labels = dict(Channel.choices)
    channels = {
        c: {
            "label": channel_labels.get(c, c),
            "demand": info.demand,
            "under": info.under,
            "over": info.over,
            "under_pct": _pct(info.under, info.demand),
        }
        for c, info in ((c, report.channels[c]) for c in problem.channels)
    }
    total_demand = sum(info["demand"] for info in channels.values())
    total_under = sum(info["under"] for info in channels.values())
    by_employee: dict[int, list[Shift]] = defaultdict(list)
    for s in selected:
        by_employee[s.employee_id].append(s)
    weeks = max(period.days / 7, 1 / 7)
    rows: list[EmployeeRow] = []
    pref_minutes = pref_total = 0
    unpleasant: list[int] = []
    wished_gaps: list[float] = []
    people = list(built.employees.values())
    known = {e.pk for e in people}
    # People who left the roster (inactive, no agent role) but still have shifts: shown, not
    # counted in the fairness and wished-hours figures.
    people += list(
        Employee.objects.filter(pk__in=[k for k in by_employee if k not in known]).order_by("pk")
    )
    stored = {p.employee_id: p for p in EmployeePreferences.objects.filter(employee__in=people)}
    for e in sorted(people, key=lambda x: (x.last_name, x.first_name, x.pk)):
        own = by_employee.get(e.pk, [])
        prefs = stored.get(e.pk) or EmployeePreferences(employee=e)
        preferred = set(prefs.preferred_channels)
        per_day: list[list[Shift]] = [[] for _ in days]
        on_pref = minutes = 0
        for s in own:
            index = (s.start.astimezone(TZ).date() - period.start).days
            if 0 <= index < len(days):
                per_day[index].append(s)
            for a, b, c in _assignment_minutes(s):
                m = int((b - a).total_seconds() // 60)
                minutes += m
                if c in preferred:
                    on_pref += m
        share = None
        if preferred and minutes:
            share = on_pref / minutes
            pref_minutes += on_pref
            pref_total += minutes
        evening = sum(_evening_weekend_minutes(s) for s in own)
        contract = int(e.contract_hours * 60)
        wished = prefs.wished_minutes_per_week
        per_week = minutes / weeks
        if e.pk in known:
            unpleasant.append(evening)
            wished_gaps.append(abs(per_week - (wished if wished is not None else contract)))
        rows.append(
            EmployeeRow(
                employee=e,
                days=per_day,
                minutes=minutes,
                minutes_per_week=per_week,
                contract_minutes=contract,
                wished_minutes=wished,
                preferred_share=share,
                evening_weekend_minutes=evening,
            )
        )
    kpis = {
        "under_pct": _pct(total_under, total_demand),
        "under_agent_intervals": total_under,
        "demand_agent_intervals": total_demand,
        "preferred_share": round(pref_minutes / pref_total, 3) if pref_total else None,
        "fairness_std_minutes": round(statistics.pstdev(unpleasant), 1) if unpleasant else 0.0,
        "fairness_range_minutes": (max(unpleasant) - min(unpleasant)) if unpleasant else 0,
        "evening_weekend_mean_minutes": (
            round(statistics.fmean(unpleasant), 1) if unpleasant else 0.0
        ),
        "wished_gap_minutes_per_week": (
            round(statistics.fmean(wished_gaps), 1) if wished_gaps else 0.0
        ),
        "shifts": len(selected),
        "drafts": sum(1 for s in selected if s.state == ShiftState.DRAFT),
        "published": sum(1 for s in selected if s.state == ShiftState.PUBLISHED),
        "errors": len(report.errors),
        "warnings": len(report.warnings),
    }
    return Review(
        period=period,
        days=days,
        shifts=selected,
        rows=rows,
        kpis=kpis,
        channels=channels,
        violations=_violations_json(report.violations, built.employees),
        interval_labels=labels,
        interval_days=[int(d) for d in grid.day.tolist()],
        demand={c: list(v) for c, v in problem.demand.items()},
        coverage={c: report.coverage[c] for c in problem.channels},
        days_without_forecast=built.days_without_forecast,
        forecast_id=built.forecast.pk if built.forecast else None,
    )


def missing_submissions(period: RosterPeriod) -> list[Employee]:
    """Agents who have not submitted their availability for the period."""
    done = AvailabilitySubmission.objects.filter(period=period).values_list(
        "employee_id", flat=True
    )
    return list(
        roster_build.rosterable_employees(period.organisation)
        .exclude(pk__in=done)
        .order_by("last_name", "first_name")
    )
