"""The shared shift pieces: statutory pause, one-employee rule check, translated findings,
change notices and their e-mail (scheduling/shifts.py), and the availability snapshot."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import translation

from tests.conftest import World
from veerkracht.people.models import Employee
from veerkracht.planning.calendar import TZ
from veerkracht.scheduling import availability, shifts
from veerkracht.scheduling.models_availability import AvailabilityPattern, RosterPeriod
from veerkracht.scheduling.models_roster import Shift, ShiftChange, ShiftChangeKind
from veerkracht.scheduling.roster_build import build_problem, local_iso, snapshot_windows

MONDAY = date(2026, 11, 23)


def at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), TZ)


def work(start: datetime, end: datetime, channel: str = "phone") -> dict:
    breaks = shifts.break_for(start, end)
    return {
        "start": local_iso(start),
        "end": local_iso(end),
        "breaks": breaks,
        "assignments": shifts.assignments_for(start, end, breaks, channel),
    }


def published(employee: Employee, start: datetime, end: datetime, channel: str = "phone") -> Shift:
    data = work(start, end, channel)
    return Shift.objects.create(
        organisation=employee.organisation,
        employee=employee,
        start=start,
        end=end,
        breaks=data["breaks"],
        assignments=data["assignments"],
        state="published",
    )


@pytest.fixture
def available(world: World) -> World:
    for weekday in range(7):
        AvailabilityPattern.objects.create(
            employee=world.agent, weekday=weekday, start=time(7), end=time(23)
        )
    return world


# --- Pause: Arbeidstijdenwet art. 5:4 (more than 5.5 h work: 30 min; more than 10 h: 45 min) ---


def test_it_needs_no_pause_for_five_and_a_half_hours() -> None:
    assert shifts.break_for(at(MONDAY, 9), at(MONDAY, 14, 30)) == []


def test_it_puts_half_an_hour_in_the_middle_of_an_eight_hour_shift() -> None:
    assert shifts.break_for(at(MONDAY, 9), at(MONDAY, 17)) == [
        {"start": "2026-11-23T12:45+01:00", "end": "2026-11-23T13:15+01:00"}
    ]


def test_it_needs_45_minutes_above_ten_hours_of_work() -> None:
    (pause,) = shifts.break_for(at(MONDAY, 8), at(MONDAY, 19))
    minutes = (
        datetime.fromisoformat(pause["end"]) - datetime.fromisoformat(pause["start"])
    ).seconds // 60
    assert minutes == 45


def test_it_assigns_the_work_around_the_pause() -> None:
    data = work(at(MONDAY, 9), at(MONDAY, 17), "email")
    assert [(a["start"][11:16], a["end"][11:16], a["channel"]) for a in data["assignments"]] == [
        ("09:00", "12:45", "email"),
        ("13:15", "17:00", "email"),
    ]


# --- One employee's check -----------------------------------------------------------------------


def test_it_accepts_a_normal_shift(available: World) -> None:
    found = shifts.check_employee_shifts(available.agent, [work(at(MONDAY, 9), at(MONDAY, 17))])
    assert found == []


def test_it_finds_too_little_rest_after_a_published_shift(available: World) -> None:
    # Arbeidstijdenwet art. 5:3: 11 h rest, once in 7 days shortened to 8 h. Monday 22:00 to
    # Tuesday 07:00 (9 h) uses that once; Wednesday 22:00 to Thursday 07:00 would be a second time.
    day = [MONDAY + timedelta(days=i) for i in range(4)]
    published(available.agent, at(day[0], 14), at(day[0], 22))
    published(available.agent, at(day[1], 7), at(day[1], 11))
    published(available.agent, at(day[2], 14), at(day[2], 22))
    found = shifts.check_employee_shifts(available.agent, [work(at(day[3], 7), at(day[3], 11))])
    assert {v.rule for v in shifts.law_errors(found)} == {"ATW-05"}
    fine = shifts.check_employee_shifts(available.agent, [work(at(day[3], 9), at(day[3], 13))])
    assert shifts.law_errors(fine) == []


def test_it_ignores_the_shift_being_replaced(available: World) -> None:
    old = published(available.agent, at(MONDAY, 9), at(MONDAY, 17))
    found = shifts.check_employee_shifts(
        available.agent, [work(at(MONDAY, 10), at(MONDAY, 18))], exclude_ids=[old.pk]
    )
    assert found == []


def test_it_refuses_an_untrained_channel_and_time_outside_availability(available: World) -> None:
    found = shifts.check_employee_shifts(
        available.agent, [work(at(MONDAY, 5), at(MONDAY, 9), "social")]
    )
    rules = {v.rule for v in found}
    assert {"SKL-01", "AVL-01"} <= rules
    assert {v.rule for v in shifts.blocking_errors(found)} >= {"SKL-01"}


def test_it_explains_findings_in_the_users_language(available: World) -> None:
    found = shifts.check_employee_shifts(
        available.agent, [work(at(MONDAY, 9), at(MONDAY, 17), "social")]
    )
    skill = next(v for v in found if v.rule == "SKL-01")
    with translation.override("en"):
        assert shifts.violation_text(skill, "Alice").startswith(
            "Assigned to a channel the employee is not trained for (SKL-01) — Alice — "
        )
        data = shifts.violation_json(skill, {str(available.agent.pk): available.agent})
    assert data["employee"] == available.agent.pk and data["law"] is False
    assert data["employee_name"] == available.agent.full_name


# --- Notices ------------------------------------------------------------------------------------


def test_it_emails_one_notice_per_employee_once(
    world: World, django_capture_on_commit_callbacks
) -> None:
    shift = published(world.agent, at(MONDAY, 9), at(MONDAY, 17))
    before = shifts.shift_snapshot(shift)
    with django_capture_on_commit_callbacks(execute=True):
        shifts.record_change(
            employee=world.agent,
            shift=shift,
            kind=ShiftChangeKind.CHANGED,
            before=before,
            after={**before, "start": "2026-11-23T10:00+01:00", "end": "2026-11-23T18:00+01:00"},
            by=world.planner.user,
        )
        shifts.record_change(
            employee=world.agent,
            shift=None,
            kind=ShiftChangeKind.REMOVED,
            before=before,
            after=None,
        )
    assert len(mail.outbox) == 1  # both changes of one transaction in one e-mail
    assert mail.outbox[0].to == [world.agent.email]
    assert "10:00" in mail.outbox[0].body and "09:00" in mail.outbox[0].body
    assert shifts.send_change_notices() == 0  # nothing left: never twice
    assert not ShiftChange.objects.filter(notified_at__isnull=True).exists()


def test_it_writes_the_notice_in_the_employees_language(world: World) -> None:
    Employee.objects.filter(pk=world.agent.pk).update(language="nl")
    shifts.record_change(
        employee=world.agent,
        shift=None,
        kind=ShiftChangeKind.ADDED,
        before=None,
        after={"start": "2026-11-23T09:00+01:00", "end": "2026-11-23T17:00+01:00", "channels": []},
    )
    assert shifts.send_change_notices() == 1
    assert mail.outbox[-1].subject == "Je rooster is gewijzigd"


# --- Availability snapshot ----------------------------------------------------------------------


def test_it_rosters_a_closed_period_with_the_availability_as_submitted(
    world: World, time_machine
) -> None:
    time_machine.move_to(datetime(2026, 11, 10, 9, 0, tzinfo=TZ))
    period = RosterPeriod.objects.create(
        organisation=world.org,
        start=MONDAY,
        weeks=1,
        deadline=datetime(2026, 11, 15, 23, 59, tzinfo=TZ),
    )
    AvailabilityPattern.objects.create(employee=world.agent, weekday=0, start=time(9), end=time(17))
    availability.submit_availability(employee=world.agent, period=period, by=world.agent.user)
    time_machine.move_to(datetime(2026, 11, 18, 9, 0, tzinfo=TZ))  # after the deadline
    # The agent changes the weekly pattern for later periods.
    AvailabilityPattern.objects.filter(employee=world.agent).update(start=time(13), end=time(21))
    windows = snapshot_windows(world.agent, period)
    assert [(s.hour, e.hour) for s, e in windows] == [(9, 17)]
    problem = build_problem(period).problem
    (alice,) = [e for e in problem.employees if e.id == str(world.agent.pk)]
    assert [w.start.hour for w in alice.availability] == [9]
    # An open period still follows the live pattern.
    period.deadline = datetime(2026, 11, 20, 23, 59, tzinfo=TZ)
    period.save()
    assert [(s.hour, e.hour) for s, e in snapshot_windows(world.agent, period)] == [(13, 21)]


# --- Reasons and youth pauses -------------------------------------------------------------------


def test_it_explains_a_rostered_shift_in_the_readers_language(world: World) -> None:
    shift = published(world.agent, at(MONDAY, 9), at(MONDAY, 17))
    shift.explanation = "covers phone demand 09:00-17:00; within availability"
    shift.reason = {
        "code": "shift_reason",
        "params": {
            "covered_minutes": {"phone": 450, "email": 0},
            "preferred_share": 1.0,
            "within_availability": True,
        },
    }
    with translation.override("en"):
        assert shift.why == (
            "Covers demand on Phone (7.5 h); within the given availability; "
            "100% of the time on a preferred channel."
        )
    with translation.override("nl"):
        assert shift.why.startswith("Dekt vraag op Telefoon (7,5 u)")
    shift.reason = {}
    assert shift.why == shift.explanation  # a planner's own words stay as written


def test_it_gives_an_agent_under_18_the_youth_pause(world: World) -> None:
    # Arbeidstijdenwet art. 5:4 (adults: more than 5.5 h work) and JW-04 / art. 5:4 lid 3 for
    # 16–17-year-olds: more than 4.5 h work needs 30 minutes.
    start, end = at(MONDAY, 9), at(MONDAY, 14)
    assert shifts.work_shift(world.agent, start, end, "phone")["breaks"] == []
    world.agent.birthday = date(2009, 6, 1)  # 17 on 23 November 2026
    youth = shifts.work_shift(world.agent, start, end, "phone")
    (pause,) = youth["breaks"]
    assert pause == {"start": "2026-11-23T11:15+01:00", "end": "2026-11-23T11:45+01:00"}
    assert [a["channel"] for a in youth["assignments"]] == ["phone", "phone"]
