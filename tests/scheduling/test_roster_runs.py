"""Roster runs and the planner's services: a run stores its roster only when it ends, cancel and
infeasibility leave the draft alone, re-runs keep published and fixed shifts, hand edits are
checked, publishing flips drafts, records the publication and tells the employees."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.conftest import World
from tests.scheduling.roster_fixtures import (
    at,
    draft_shift,
    make_period,
    monday_in,
    phone_demand,
    solved_run,
)
from veerkracht.config.jobs import JobStatus
from veerkracht.scheduling import roster_runs
from veerkracht.scheduling.models_roster import (
    RosterPublication,
    RosterRun,
    Shift,
    ShiftChange,
    ShiftChangeKind,
    ShiftSource,
    ShiftState,
)

pytestmark = pytest.mark.usefixtures("english")


def test_it_makes_the_draft_only_when_the_run_ends(world: World) -> None:
    period = make_period(world)
    old = draft_shift(world, period, world.agent, period.start, 9, 13)
    run = roster_runs.start_roster_run(period=period, by=world.planner.user, time_limit_s=10)
    assert run.status == JobStatus.QUEUED
    assert run.problem["days"] == 7 and len(run.problem["employees"]) == 3
    # Queued: nothing replaced yet.
    assert list(Shift.objects.filter(period=period)) == [old]
    phone_demand(run)
    assert roster_runs.compute_roster_run(run_id=run.pk) in {"optimal", "feasible"}
    run.refresh_from_db()
    assert run.status == JobStatus.SUCCEEDED and run.applied_at is not None
    assert run.trace and {"t", "objective", "bound"} <= set(run.trace[0])
    assert run.kpis["kpi"]["under_pct"] == 0.0
    assert not Shift.objects.filter(pk=old.pk).exists()  # a non-fixed draft is replaced
    made = Shift.objects.filter(period=period)
    assert made.count() > 0
    assert all(s.source == ShiftSource.SOLVER and s.run_id == run.pk for s in made)
    assert any(s.explanation.startswith("covers") for s in made)


def test_it_leaves_the_draft_alone_when_cancelled(world: World) -> None:
    period = make_period(world)
    old = draft_shift(world, period, world.agent, period.start, 9, 13)
    run = roster_runs.start_roster_run(period=period, by=world.planner.user, time_limit_s=10)
    phone_demand(run)
    RosterRun.objects.filter(pk=run.pk).update(cancel_requested=True)
    # A cancel requested before a worker claims it: the worker skips it.
    assert roster_runs.compute_roster_run(run_id=run.pk) == "skipped"
    RosterRun.objects.filter(pk=run.pk).update(cancel_requested=False)
    # A cancel while running: the job's heartbeat sees it and stores nothing.
    original = roster_runs._store_result

    def cancel_then_store(r, problem, solution):  # type: ignore[no-untyped-def]
        RosterRun.objects.filter(pk=r.pk).update(cancel_requested=True)
        return original(r, problem, solution)

    roster_runs._store_result = cancel_then_store  # type: ignore[assignment]
    try:
        assert roster_runs.compute_roster_run(run_id=run.pk) == "cancelled"
    finally:
        roster_runs._store_result = original  # type: ignore[assignment]
    run.refresh_from_db()
    assert run.status == JobStatus.CANCELLED and run.applied_at is None and run.solution is None
    assert list(Shift.objects.filter(period=period)) == [old]


def test_it_cancels_a_queued_run_at_once(world: World) -> None:
    period = make_period(world)
    run = roster_runs.start_roster_run(period=period, by=world.planner.user, time_limit_s=10)
    run = roster_runs.cancel_roster_run(run=run, by=world.planner.user)
    assert run.status == JobStatus.CANCELLED


def test_it_keeps_published_and_fixed_shifts_on_a_rerun(world: World) -> None:
    period = make_period(world)
    day = period.start + timedelta(days=1)
    published = draft_shift(world, period, world.colleague, day, 9, 13, state=ShiftState.PUBLISHED)
    fixed = draft_shift(world, period, world.agent, day, 10, 14, fixed=True)
    loose = draft_shift(world, period, world.agent_b, day, 10, 14)
    run = solved_run(world, period)
    assert run.applied_at is not None
    assert Shift.objects.filter(pk=published.pk, state=ShiftState.PUBLISHED).exists()
    assert Shift.objects.filter(pk=fixed.pk, fixed=True).exists()
    assert not Shift.objects.filter(pk=loose.pk).exists()
    # The solver planned around them: no second shift that day for Bob or Alice.
    for employee in (world.colleague, world.agent):
        same_day = [s for s in Shift.objects.filter(employee=employee) if s.start.date() == day]
        assert len(same_day) == 1


def test_it_refuses_a_second_run_while_one_is_going(world: World) -> None:
    period = make_period(world)
    roster_runs.start_roster_run(period=period, by=world.planner.user, time_limit_s=10)
    with pytest.raises(ValidationError):
        roster_runs.start_roster_run(period=period, by=world.planner.user, time_limit_s=10)


@pytest.mark.parametrize(
    ("limit", "rules", "field"),
    [
        (5, None, "time_limit_s"),
        (60, {"min_minutes": 600, "max_minutes": 240}, "max_minutes"),
        (60, {"earliest_start": "7 uur"}, "earliest_start"),
    ],
)
def test_it_names_the_field_of_bad_run_settings(world: World, limit, rules, field) -> None:  # type: ignore[no-untyped-def]
    period = make_period(world)
    with pytest.raises(ValidationError) as error:
        roster_runs.start_roster_run(
            period=period, by=world.planner.user, time_limit_s=limit, shift_rules=rules
        )
    assert field in error.value.message_dict
    assert not RosterRun.objects.exists()


def test_it_shows_an_infeasible_report_and_keeps_the_draft(world: World) -> None:
    period = make_period(world)
    old = draft_shift(world, period, world.agent, period.start, 9, 13)
    run = roster_runs.start_roster_run(period=period, by=world.planner.user, time_limit_s=10)
    phone_demand(run)
    problem = run.problem
    # Bob must work 30 hours a week but is available only 8 hours on Monday: impossible.
    for e in problem["employees"]:
        if e["id"] == str(world.colleague.pk):
            e["min_minutes_per_week"] = e["max_minutes_per_week"] = 1800
            e["availability"] = e["availability"][:1]
    RosterRun.objects.filter(pk=run.pk).update(problem=problem)
    assert roster_runs.compute_roster_run(run_id=run.pk) == "infeasible"
    run.refresh_from_db()
    assert run.status == JobStatus.SUCCEEDED and run.solver_status == "infeasible"
    assert run.solution["explanations"] and run.applied_at is None
    assert list(Shift.objects.filter(period=period)) == [old]


def test_it_checks_a_hand_edit_and_refuses_law_breaches(world: World) -> None:
    period = make_period(world)
    day = period.start
    draft_shift(world, period, world.agent, day, 9, 17)
    # 13 hours of work breaks ATW-01 (12 h max per shift): no pause can make it legal.
    with pytest.raises(ValidationError) as refused:
        roster_runs.add_shift(
            period=period,
            employee=world.colleague,
            by=world.planner.user,
            start=at(day, 8),
            end=at(day + timedelta(days=0), 21, 45),
            channel="phone",
        )
    assert "end" in refused.value.message_dict
    # Alice works until 17:00; another shift from 20:00 (less than 8 h rest between them makes
    # it one shift, art. 1:7c) brings her to 14 hours of work in one shift.
    edit = roster_runs.check_edit(
        period=period,
        employee=world.agent,
        start=at(day, 20),
        end=at(day + timedelta(days=1), 2),
        channel="phone",
    )
    assert any(v["law"] for v in edit.blocking), edit.violations
    # A fine shift is saved with its statutory pause in the middle.
    shift = roster_runs.add_shift(
        period=period,
        employee=world.colleague,
        by=world.planner.user,
        start=at(day, 8),
        end=at(day, 17),
        channel="phone",
    )
    assert shift.source == ShiftSource.MANUAL and len(shift.breaks) == 1
    assert [a["channel"] for a in shift.assignments] == ["phone", "phone"]


def test_it_names_the_field_of_a_shift_outside_the_period(world: World) -> None:
    period = make_period(world)
    with pytest.raises(ValidationError) as error:
        roster_runs.add_shift(
            period=period,
            employee=world.agent,
            by=world.planner.user,
            start=at(period.start - timedelta(days=3), 9),
            end=at(period.start - timedelta(days=3), 13),
            channel="phone",
        )
    assert "start" in error.value.message_dict
    assert not Shift.objects.exists()


def test_it_tells_the_employee_when_a_published_shift_changes(world: World) -> None:
    period = make_period(world)
    shift = draft_shift(world, period, world.agent, period.start, 9, 13, state=ShiftState.PUBLISHED)
    roster_runs.update_shift(
        shift=shift,
        by=world.planner.user,
        start=at(period.start, 10),
        end=at(period.start, 14),
        channel="phone",
    )
    change = ShiftChange.objects.get()
    assert change.kind == ShiftChangeKind.CHANGED and change.employee == world.agent
    assert change.before["start"].endswith("09:00+01:00") or "T09:00" in change.before["start"]
    roster_runs.remove_shift(shift=shift, by=world.planner.user)
    assert ShiftChange.objects.filter(kind=ShiftChangeKind.REMOVED).count() == 1


def test_it_publishes_records_and_tells_the_employees(world: World, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    period = make_period(world, start=monday_in(35))
    a = draft_shift(world, period, world.agent, period.start, 9, 13)
    b = draft_shift(world, period, world.colleague, period.start, 9, 13)
    publication = roster_runs.publish_period(period=period, by=world.planner.user)
    assert publication.late is False and publication.days_ahead >= 28
    assert publication.shifts == 2
    for s in (a, b):
        s.refresh_from_db()
        assert s.state == ShiftState.PUBLISHED and s.published_at is not None
    assert set(ShiftChange.objects.values_list("employee_id", "kind")) == {
        (world.agent.pk, ShiftChangeKind.ADDED),
        (world.colleague.pk, ShiftChangeKind.ADDED),
    }
    with pytest.raises(ValidationError):  # nothing left to publish
        roster_runs.publish_period(period=period, by=world.planner.user)


def test_it_needs_confirmation_to_publish_late(world: World) -> None:
    period = make_period(world, start=monday_in(7))
    draft_shift(world, period, world.agent, period.start, 9, 13)
    with pytest.raises(roster_runs.LatePublication):
        roster_runs.publish_period(period=period, by=world.planner.user)
    assert not RosterPublication.objects.exists()
    assert Shift.objects.get().state == ShiftState.DRAFT
    publication = roster_runs.publish_period(
        period=period, by=world.planner.user, confirm_late=True
    )
    assert publication.late is True and publication.days_ahead < 28


def test_it_blocks_publishing_with_law_errors(world: World) -> None:
    period = make_period(world)
    draft_shift(world, period, world.agent, period.start, 6, 20)  # 14 h without a pause
    # A service outside a request speaks the site's default language (Dutch).
    with translation.override("en"), pytest.raises(ValidationError) as error:
        roster_runs.publish_period(period=period, by=world.planner.user, confirm_late=True)
    assert "working-time rules" in str(error.value) and "(ATW-01)" in str(error.value)
    assert Shift.objects.get().state == ShiftState.DRAFT
    assert not RosterPublication.objects.exists()


def test_it_blocks_publishing_a_draft_that_overlaps_a_published_shift(world: World) -> None:
    # E.g. a draft from a run that started before a swap gave this agent the published shift.
    period = make_period(world)
    draft_shift(world, period, world.agent, period.start, 9, 13, state=ShiftState.PUBLISHED)
    draft_shift(world, period, world.agent, period.start, 12, 16)
    with pytest.raises(ValidationError) as error:
        roster_runs.publish_period(period=period, by=world.planner.user, confirm_late=True)
    assert "(SHF-01)" in str(error.value)
    assert Shift.objects.filter(state=ShiftState.DRAFT).count() == 1


def test_it_reviews_the_current_shifts(world: World) -> None:
    period = make_period(world)
    saturday = period.start + timedelta(days=5)
    draft_shift(world, period, world.agent, period.start, 14, 20)  # 2 h evening work
    draft_shift(world, period, world.colleague, saturday, 9, 13)  # 4 h weekend work
    review = roster_runs.review(period)
    assert review.kpis["shifts"] == 2 and review.kpis["drafts"] == 2
    rows = {r.employee.pk: r for r in review.rows}
    assert rows[world.agent.pk].evening_weekend_minutes == 120
    assert rows[world.colleague.pk].evening_weekend_minutes == 240
    assert rows[world.agent.pk].minutes == 360
    # Spread of (120, 240, 0) minutes: population standard deviation ≈ 97.98 (hand calculation).
    assert review.kpis["fairness_std_minutes"] == pytest.approx(97.98, abs=0.05)
    assert review.kpis["fairness_range_minutes"] == 240
    assert len(review.chart("phone", 0)["labels"]) == 96


def test_it_publishes_a_demo_roster_for_this_week_and_next(world: World, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from veerkracht.scheduling.demo_roster import load_roster_demo

    make_period(world).delete()  # only for its weekday availability
    solve = roster_runs.roster_solver.solve
    monkeypatch.setattr(
        roster_runs.roster_solver,
        "solve",
        lambda problem, **kw: solve(problem, **{**kw, "time_limit_s": 2}),
    )
    today = monday_in(0) - timedelta(days=5)  # a Wednesday
    period, run, publication = load_roster_demo(world.org, today=today)
    assert period.start == today - timedelta(days=2) and period.weeks == 2
    assert run.applied_at is not None and publication is not None
    assert publication.late and publication.shifts > 0
    assert not Shift.objects.filter(period=period, state=ShiftState.DRAFT).exists()
