"""Availability pages: the agent's own page, the overview of leads and planners, the CSV, roster
periods, submissions, reminders and the audit trail."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from tests.conftest import World
from veerkracht.people.models import AuditEvent, Employee
from veerkracht.scheduling import availability
from veerkracht.scheduling.models_availability import (
    AvailabilityException,
    AvailabilityPattern,
    AvailabilityReminder,
    AvailabilitySubmission,
    EmployeePreferences,
    RosterPeriod,
)

# Wednesday 12 November 2025, 10:00 in Amsterdam (09:00 UTC).
NOW = datetime(2025, 11, 12, 10, 0, tzinfo=availability.AMSTERDAM)
NEXT_MONDAY = date(2025, 11, 17)
MINE = reverse("scheduling:my_availability")
OVERVIEW = reverse("scheduling:availability_overview")
PERIODS = reverse("scheduling:roster_periods")


@pytest.fixture(autouse=True)
def english(world: World):  # type: ignore[no-untyped-def]
    """These tests read English messages; the personas default to Dutch, the product's default."""
    Employee.objects.update(language="en")
    with translation.override("en"):
        yield


@pytest.fixture
def frozen(time_machine):  # type: ignore[no-untyped-def]
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def period(world: World, frozen: None) -> RosterPeriod:
    return RosterPeriod.objects.create(
        organisation=world.org,
        start=NEXT_MONDAY,
        weeks=4,
        deadline=datetime(2025, 11, 14, 23, 59, tzinfo=availability.AMSTERDAM),
        created_by=world.planner.user,
    )


def _window(**overrides: str) -> dict[str, str]:
    data = {
        "action": "add_window",
        "pattern-weekday": "0",
        "pattern-start": "09:00",
        "pattern-end": "17:00",
        "pattern-kind": "can",
    }
    data.update(overrides)
    return data


# --- The agent's page ----------------------------------------------------------------------------


def test_it_adds_a_weekly_window_and_audits_it(world: World, frozen: None) -> None:
    client = world.client_for(world.agent)
    response = client.post(MINE, _window())
    assert response.status_code == 302
    window = AvailabilityPattern.objects.get(employee=world.agent)
    assert (window.weekday, window.start, window.end, window.kind) == (0, time(9), time(17), "can")
    event = AuditEvent.objects.get(object_type="scheduling.AvailabilityPattern")
    assert event.subject == world.agent and event.action == "create"
    page = client.get(MINE)
    assert b"09:00\xe2\x80\x9317:00" in page.content


def test_it_allows_several_windows_on_one_day(world: World, frozen: None) -> None:
    client = world.client_for(world.agent)
    client.post(MINE, _window(**{"pattern-start": "08:45", "pattern-end": "12:00"}))
    response = client.post(
        MINE,
        _window(**{"pattern-start": "18:00", "pattern-end": "21:00", "pattern-kind": "prefer_not"}),
    )
    assert response.status_code == 302
    assert AvailabilityPattern.objects.filter(employee=world.agent, weekday=0).count() == 2


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("17:00", "09:00", "The end time must be after the start time."),
        ("09:10", "17:00", "Use quarters of an hour"),
        ("12:00", "13:00", "This window overlaps another window on the same day."),
    ],
)
def test_it_refuses_a_bad_window_with_a_message(
    world: World, frozen: None, start: str, end: str, message: str
) -> None:
    AvailabilityPattern.objects.create(employee=world.agent, weekday=0, start=time(9), end=time(17))
    client = world.client_for(world.agent)
    response = client.post(MINE, _window(**{"pattern-start": start, "pattern-end": end}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert AvailabilityPattern.objects.filter(employee=world.agent).count() == 1


def test_it_removes_only_own_windows(world: World, frozen: None) -> None:
    bobs = AvailabilityPattern.objects.create(
        employee=world.colleague, weekday=1, start=time(9), end=time(12)
    )
    url = reverse("scheduling:my_availability_remove_window", args=[bobs.pk])
    assert world.client_for(world.agent).post(url).status_code == 404
    assert world.client_for(world.colleague).post(url).status_code == 302
    assert not AvailabilityPattern.objects.filter(pk=bobs.pk).exists()
    assert AuditEvent.objects.filter(
        object_type="scheduling.AvailabilityPattern", action="delete", subject=world.colleague
    ).exists()


def test_it_adds_a_whole_day_exception(world: World, frozen: None) -> None:
    client = world.client_for(world.agent)
    response = client.post(
        MINE,
        {
            "action": "add_exception",
            "exception-date": "2025-11-20",
            "exception-kind": "cannot",
            "exception-note": "Ouderavond",
        },
    )
    assert response.status_code == 302
    exception = AvailabilityException.objects.get(employee=world.agent)
    assert exception.whole_day and exception.kind == "cannot" and exception.note == "Ouderavond"
    assert AuditEvent.objects.filter(
        object_type="scheduling.AvailabilityException", subject=world.agent
    ).exists()


def test_it_refuses_an_exception_with_only_one_time(world: World, frozen: None) -> None:
    response = world.client_for(world.agent).post(
        MINE,
        {
            "action": "add_exception",
            "exception-date": "2025-11-20",
            "exception-start": "09:00",
            "exception-kind": "can",
        },
    )
    assert response.status_code == 400
    assert "Give both a start and an end time" in response.content.decode()
    assert not AvailabilityException.objects.exists()


def test_it_saves_preferences_within_trained_channels_and_contract(
    world: World, frozen: None
) -> None:
    client = world.client_for(world.agent)  # trained for phone and chat, 32 h
    response = client.post(
        MINE,
        {
            "action": "preferences",
            "prefs-preferred_channels": ["chat"],
            "prefs-unpreferred_channels": ["phone"],
            "prefs-wished_hours": "24",
            "prefs-note": "Liever vroeg",
        },
    )
    assert response.status_code == 302
    prefs = EmployeePreferences.objects.get(employee=world.agent)
    assert prefs.preferred_channels == ["chat"]
    assert prefs.unpreferred_channels == ["phone"]
    assert prefs.wished_minutes_per_week == 24 * 60
    event = AuditEvent.objects.get(object_type="scheduling.EmployeePreferences")
    assert event.changes["wished_minutes_per_week"] == [None, 1440]


def test_it_offers_only_trained_channels(world: World, frozen: None) -> None:
    page = world.client_for(world.agent).get(MINE).content.decode()
    assert 'value="chat"' in page and 'value="phone"' in page
    assert 'value="email"' not in page


def test_it_refuses_an_untrained_channel_and_hours_above_contract(
    world: World, frozen: None
) -> None:
    response = world.client_for(world.agent).post(
        MINE,
        {
            "action": "preferences",
            "prefs-preferred_channels": ["email"],
            "prefs-wished_hours": "40",
        },
    )
    assert response.status_code == 400
    assert "email" in response.content.decode()
    assert not EmployeePreferences.objects.exists()
    response = world.client_for(world.agent).post(
        MINE, {"action": "preferences", "prefs-wished_hours": "40"}
    )
    assert response.status_code == 400
    assert "above your contract of 32 hours" in response.content.decode()
    assert not EmployeePreferences.objects.exists()


def test_it_refuses_an_untrained_channel_in_the_service_by_name(world: World) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        availability.update_preferences(
            employee=world.agent,
            preferred_channels=["email"],
            unpreferred_channels=[],
            wished_minutes_per_week=None,
            note="",
            by=world.agent.user,
        )
    assert "You are not trained for: E-mail." in caught.value.message_dict["preferred_channels"]


# --- Submitting and the deadline -------------------------------------------------------------------


def test_it_submits_for_an_open_period(world: World, period: RosterPeriod) -> None:
    client = world.client_for(world.agent)
    page = client.get(MINE).content.decode()
    assert f"Submit for {period}" in page
    response = client.post(reverse("scheduling:my_availability_submit", args=[period.pk]))
    assert response.status_code == 302
    submission = AvailabilitySubmission.objects.get(employee=world.agent, period=period)
    assert submission.submitted_at == NOW
    assert AuditEvent.objects.filter(
        object_type="scheduling.AvailabilitySubmission", subject=world.agent
    ).exists()


def test_it_is_read_only_after_the_deadline(
    world: World, period: RosterPeriod, time_machine
) -> None:  # type: ignore[no-untyped-def]
    locked_day = AvailabilityException.objects.create(
        employee=world.agent, date=NEXT_MONDAY + timedelta(days=2), kind="cannot"
    )
    time_machine.move_to(datetime(2025, 11, 15, 9, 0, tzinfo=availability.AMSTERDAM), tick=False)
    client = world.client_for(world.agent)
    page = client.get(MINE).content.decode()
    assert "The deadline has passed: this period is read-only." in page
    assert "Submit for" not in page
    response = client.post(reverse("scheduling:my_availability_submit", args=[period.pk]))
    assert response.status_code == 302
    assert not AvailabilitySubmission.objects.exists()
    response = client.post(
        MINE,
        {
            "action": "add_exception",
            "exception-date": str(NEXT_MONDAY + timedelta(days=3)),
            "exception-kind": "cannot",
        },
    )
    assert response.status_code == 400
    assert "The deadline for the roster period" in response.content.decode()
    remove = reverse("scheduling:my_availability_remove_exception", args=[locked_day.pk])
    assert client.post(remove).status_code == 302
    assert AvailabilityException.objects.filter(pk=locked_day.pk).exists()


# --- Overview -----------------------------------------------------------------------------------


def test_it_shows_the_lead_who_has_not_submitted_in_their_team_only(
    world: World, period: RosterPeriod
) -> None:
    availability.submit_availability(employee=world.agent, period=period, by=world.agent.user)
    page = world.client_for(world.lead).get(OVERVIEW).content.decode()
    assert "Not submitted (1)" in page and "Submitted (1)" in page
    assert "Bob de Vries" in page and "Alice Jansen" in page
    assert "Carol Bakker" not in page


def test_it_shows_the_planner_everyone(world: World, period: RosterPeriod) -> None:
    page = world.client_for(world.planner).get(OVERVIEW).content.decode()
    assert "Not submitted (3)" in page
    for name in ("Alice Jansen", "Bob de Vries", "Carol Bakker"):
        assert name in page


def test_it_hides_team_a_from_the_lead_of_team_b(world: World, period: RosterPeriod) -> None:
    client = world.client_for(world.lead_b)
    page = client.get(OVERVIEW).content.decode()
    assert "Carol Bakker" in page and "Alice Jansen" not in page
    assert client.get(OVERVIEW, {"team": world.team_a.pk}).status_code == 404
    rows = list(csv.reader(io.StringIO(client.get(_csv(period)).content.decode())))
    assert {r[1] for r in rows[1:]} <= {"Carol Bakker"}


def _csv(period: RosterPeriod) -> str:
    return reverse("scheduling:availability_csv", args=[period.pk])


@pytest.mark.parametrize("persona", ["agent", "site_manager", "admin"])
def test_it_refuses_the_overview_to_others(
    world: World, period: RosterPeriod, persona: str
) -> None:
    client = world.client_for(getattr(world, persona))
    assert client.get(OVERVIEW).status_code == 403
    assert client.get(_csv(period)).status_code == 403


def test_it_shows_the_outsider_nothing(world: World, period: RosterPeriod) -> None:
    client = world.client_for(world.outsider)
    page = client.get(OVERVIEW).content.decode()
    assert "Alice" not in page
    assert client.get(OVERVIEW, {"period": period.pk}).status_code == 404
    assert client.get(_csv(period)).status_code == 404


def test_it_draws_the_week_grid_with_exceptions(world: World, period: RosterPeriod) -> None:
    AvailabilityPattern.objects.create(employee=world.agent, weekday=0, start=time(9), end=time(17))
    AvailabilityPattern.objects.create(
        employee=world.agent, weekday=0, start=time(18), end=time(21), kind="prefer_not"
    )
    AvailabilityException.objects.create(
        employee=world.agent, date=NEXT_MONDAY, start=time(9), end=time(12), kind="cannot"
    )
    rows = availability.overview(world.lead.user, period, week_start=NEXT_MONDAY)
    alice = next(r for r in rows if r.employee == world.agent)
    monday = alice.days[0]
    assert monday[9] == monday[11] == "cannot"
    assert monday[12] == monday[16] == "can"
    assert monday[19] == "prefer_not"
    assert monday[8] == monday[22] == ""
    page = world.client_for(world.lead).get(OVERVIEW).content.decode()
    assert 'class="av-prefer_not"' in page


def test_it_exports_the_period_as_csv(world: World, period: RosterPeriod) -> None:
    AvailabilityPattern.objects.create(employee=world.agent, weekday=0, start=time(9), end=time(17))
    response = world.client_for(world.planner).get(_csv(period))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "employee_id", "employee", "team", "submitted_at", "date", "start", "end", "kind",
    ]  # fmt: skip
    alice = [r for r in rows if r[1] == "Alice Jansen"]
    assert len(alice) == 4  # four Mondays
    assert alice[0][4:] == ["2025-11-17", "09:00", "17:00", "can"]


# --- Roster periods -------------------------------------------------------------------------------


def test_it_lets_the_planner_create_a_period(world: World, frozen: None) -> None:
    client = world.client_for(world.planner)
    response = client.post(
        PERIODS,
        {
            "start": "2025-12-01",
            "weeks": "4",
            "deadline_date": "2025-11-20",
            "deadline_time": "23:59",
        },
    )
    assert response.status_code == 302
    period = RosterPeriod.objects.get()
    assert (period.organisation, period.weeks, period.created_by) == (
        world.org,
        4,
        world.planner.user,
    )
    assert period.deadline == datetime(2025, 11, 20, 23, 59, tzinfo=availability.AMSTERDAM)
    assert "0 / 3" in client.get(PERIODS).content.decode()
    assert AuditEvent.objects.filter(object_type="scheduling.RosterPeriod").exists()


def test_it_refuses_a_period_not_on_a_monday_or_a_late_deadline(world: World, frozen: None) -> None:
    response = world.client_for(world.planner).post(
        PERIODS,
        {
            "start": "2025-12-02",
            "weeks": "4",
            "deadline_date": "2025-12-05",
            "deadline_time": "12:00",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "A roster period starts on a Monday." in page
    assert "The deadline must be before the period starts." in page
    assert not RosterPeriod.objects.exists()


def test_it_counts_submissions_per_period(world: World, period: RosterPeriod) -> None:
    availability.submit_availability(employee=world.agent, period=period, by=world.agent.user)
    availability.submit_availability(employee=world.agent_b, period=period, by=world.agent.user)
    page = world.client_for(world.planner).get(PERIODS).content.decode()
    assert "2 / 3" in page


# --- Reminders ------------------------------------------------------------------------------------


def test_it_reminds_who_has_not_submitted_once_a_day(
    world: World, period: RosterPeriod, time_machine
) -> None:  # type: ignore[no-untyped-def]
    availability.submit_availability(employee=world.agent, period=period, by=world.agent.user)
    call_command("availability_reminders", stdout=io.StringIO())
    assert sorted(m.to[0] for m in mail.outbox) == ["bob@example.nl", "carol@example.nl"]
    call_command("availability_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 2
    assert AvailabilityReminder.objects.count() == 2
    time_machine.move_to(datetime(2025, 11, 13, 10, 0, tzinfo=availability.AMSTERDAM), tick=False)
    call_command("availability_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 4


def test_it_does_not_remind_when_the_deadline_is_far_or_past(
    world: World, period: RosterPeriod, time_machine
) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to(datetime(2025, 11, 10, 10, 0, tzinfo=availability.AMSTERDAM), tick=False)
    call_command("availability_reminders", stdout=io.StringIO())
    time_machine.move_to(datetime(2025, 11, 15, 10, 0, tzinfo=availability.AMSTERDAM), tick=False)
    call_command("availability_reminders", stdout=io.StringIO())
    assert mail.outbox == []


# --- My data --------------------------------------------------------------------------------------


def test_it_lists_availability_in_my_data(world: World, frozen: None) -> None:
    from veerkracht.people import mydata

    AvailabilityPattern.objects.create(employee=world.agent, weekday=2, start=time(9), end=time(14))
    data = {s.key: s.collect(world.agent) for s in mydata.sections()}
    assert data["availability_pattern"] == [
        {"weekday": 2, "start": "09:00", "end": "14:00", "kind": "can"}
    ]
    assert "roster_preferences" in data and "availability_submissions" in data


# --- Demo -------------------------------------------------------------------------------------------


def test_it_loads_a_demo_period_with_most_agents_submitted(world: World, frozen: None) -> None:
    from tests.conftest import make_employee

    for i in range(40):
        make_employee(
            world.org, f"demo{i}@example.nl", first="Demo", last=str(i), team=world.team_a
        )
    period = availability.load_availability_demo(world.org, seed=7, today=NOW.date())
    assert (period.start, period.weeks) == (NEXT_MONDAY, 4)
    assert period.deadline.date() == date(2025, 11, 17)
    assert availability.is_open(period)
    submitted, expected = availability.submission_counts(period)
    assert expected == 43
    assert 0.55 <= submitted / expected <= 0.85
    assert AvailabilityPattern.objects.filter(kind="prefer_not").exists()
    assert AvailabilityException.objects.exists()
    for window in AvailabilityPattern.objects.all():  # what the services would have accepted
        assert availability.check_window(window.start, window.end) == {}
    page = world.client_for(world.planner).get(OVERVIEW).content.decode()
    assert f"Not submitted ({expected - submitted})" in page


def test_it_draws_the_overview_in_a_fixed_number_of_queries(
    world: World, period: RosterPeriod, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import make_employee

    client = world.client_for(world.planner)
    client.get(OVERVIEW)  # warm the session
    for i in range(15):
        extra = make_employee(
            world.org, f"q{i}@example.nl", first="Q", last=str(i), team=world.team_a
        )
        AvailabilityPattern.objects.create(employee=extra, weekday=0, start=time(9), end=time(17))
        AvailabilityException.objects.create(employee=extra, date=NEXT_MONDAY, kind="cannot")
    with django_assert_max_num_queries(20):
        assert client.get(OVERVIEW).status_code == 200
