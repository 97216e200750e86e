"""The lead's "this week" board: spoken / planned / not yet spoken, and one-click planning."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from veerkracht.people.models import Employee
from veerkracht.wellbeing import checkins as services
from veerkracht.wellbeing.models_checkins import CheckIn, CheckInStatus, NudgeSent

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 25, 10, 7, tzinfo=AMS)  # Wednesday of ISO week 48
BOARD = reverse("wellbeing:week_board")


@pytest.fixture(autouse=True)
def frozen(world, time_machine):
    Employee.objects.update(language="en")
    time_machine.move_to(NOW, tick=False)


def plan(world, agent, start, **kwargs):
    return services.plan_checkin(
        by=world.lead.user, agent=agent, start=start, kind="phone", recurrence="once", **kwargs
    )


def states(response):
    return {row.agent.first_name: row.state for row in response.context["rows"]}


def test_it_shows_who_was_spoken_planned_or_not_yet_spoken(world):
    held = plan(world, world.agent, NOW - timedelta(days=1))
    services.set_status(checkin=held, by=world.lead.user, status=CheckInStatus.HELD)
    plan(world, world.colleague, NOW + timedelta(days=1))
    extra = Employee.objects.create(
        organisation=world.org,
        first_name="Dirk",
        last_name="Dijk",
        email="dirk@example.nl",
        employment_start="2020-01-01",
        contract_hours=24,
        team=world.team_a,
    )
    response = world.client_for(world.lead).get(BOARD)
    assert response.status_code == 200
    assert states(response) == {"Alice": "spoken", "Bob": "planned", "Dirk": "not_spoken"}
    assert response.context["counts"] == {"spoken": 1, "planned": 1, "not_spoken": 1}
    assert response.context["week"] == "2026-W48"
    body = response.content.decode()
    assert "1:1s in week 48" in body and "Lisa" not in states(response)
    assert f'id="board-row-{extra.pk}"' in body
    assert "24 Nov 2026" in body  # Alice's last 1:1


def test_it_shows_only_the_leads_own_teams(world):
    response = world.client_for(world.lead_b).get(BOARD)
    assert states(response) == {"Carol": "not_spoken"}


def test_it_navigates_by_iso_week(world):
    held = plan(world, world.agent, NOW - timedelta(days=7))
    services.set_status(checkin=held, by=world.lead.user, status=CheckInStatus.HELD)
    client = world.client_for(world.lead)
    last_week = client.get(BOARD + "?week=2026-W47")
    assert states(last_week)["Alice"] == "spoken"
    assert last_week.context["previous_week"] == "2026-W46"
    assert last_week.context["next_week"] == "2026-W48"
    assert states(client.get(BOARD + "?week=2026-W48"))["Alice"] == "not_spoken"
    assert client.get(BOARD + "?week=nonsense").context["week"] == "2026-W48"
    assert client.get(BOARD + "?week=2026-W60").context["week"] == "2026-W48"


def test_it_plans_with_one_click_at_the_next_free_half_hour(world):
    client = world.client_for(world.lead)
    response = client.post(
        reverse("wellbeing:checkin_quick_plan", args=[world.agent.pk]), {"week": "2026-W48"}
    )
    assert response.status_code == 302 and response["Location"] == BOARD + "?week=2026-W48"
    first = CheckIn.objects.get(agent=world.agent)
    assert first.planned_start == datetime(2026, 11, 25, 10, 30, tzinfo=AMS)
    assert first.status == CheckInStatus.PLANNED and first.series is None
    assert first.agenda_items.count() == 5
    # The lead is busy at 10:30 now, so Bob gets 11:00.
    client.post(reverse("wellbeing:checkin_quick_plan", args=[world.colleague.pk]))
    second = CheckIn.objects.get(agent=world.colleague)
    assert second.planned_start == datetime(2026, 11, 25, 11, 0, tzinfo=AMS)
    assert states(client.get(BOARD))["Alice"] == "planned"


def test_it_plans_tomorrow_morning_after_working_hours(world, time_machine):
    time_machine.move_to(datetime(2026, 11, 25, 17, 30, tzinfo=AMS), tick=False)
    world.client_for(world.lead).post(
        reverse("wellbeing:checkin_quick_plan", args=[world.agent.pk])
    )
    assert CheckIn.objects.get().planned_start == datetime(2026, 11, 26, 9, 0, tzinfo=AMS)


def test_it_asks_for_a_time_when_today_and_tomorrow_are_full(world, time_machine):
    time_machine.move_to(datetime(2026, 11, 26, 16, 45, tzinfo=AMS), tick=False)
    day = datetime(2026, 11, 27, 9, 0, tzinfo=AMS)
    for i in range(16):
        plan(world, world.colleague, day + timedelta(minutes=30 * i))
    response = world.client_for(world.lead).post(
        reverse("wellbeing:checkin_quick_plan", args=[world.agent.pk])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("wellbeing:checkin_plan") + f"?agent={world.agent.pk}"
    assert not CheckIn.objects.filter(agent=world.agent).exists()


def test_it_swaps_only_the_row_with_htmx(world):
    response = world.client_for(world.lead).post(
        reverse("wellbeing:checkin_quick_plan", args=[world.agent.pk]),
        {"week": "2026-W48"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.strip().startswith(f'<tr id="board-row-{world.agent.pk}"')
    assert 'data-state="planned"' in body and "Planned: Wed 25 Nov 10:30" in body
    assert "<html" not in body


def test_it_refuses_one_click_planning_outside_the_leads_teams(world):
    url = reverse("wellbeing:checkin_quick_plan", args=[world.agent_b.pk])
    assert world.client_for(world.lead).post(url).status_code == 404
    assert world.client_for(world.agent).post(url).status_code == 403
    assert not CheckIn.objects.exists()


def test_it_shows_the_in_app_nudge_for_people_not_spoken(world):
    held = plan(world, world.agent, NOW - timedelta(days=2))
    services.set_status(checkin=held, by=world.lead.user, status=CheckInStatus.HELD)
    NudgeSent.objects.create(lead=world.lead, day=NOW.date(), agents=[world.colleague.pk])
    response = world.client_for(world.lead).get(BOARD)
    assert [e.first_name for e, _last in response.context["not_spoken"]] == ["Bob"]
    body = response.content.decode()
    assert 'id="nudge"' in body and "Bob de Vries (no 1:1 yet)" in body
    assert "A reminder e-mail was sent today" in body


def test_it_is_for_team_leads_only(world):
    assert world.client_for(world.agent).get(BOARD).status_code == 403
    assert world.client_for(world.planner).get(BOARD).status_code == 403


def test_it_costs_the_same_number_of_queries_for_a_bigger_team(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = world.client_for(world.lead)
    client.get(BOARD)  # warm the session
    with CaptureQueriesContext(connection) as small:
        client.get(BOARD)
    for i in range(8):
        agent = Employee.objects.create(
            organisation=world.org,
            first_name=f"Agent{i}",
            last_name="Test",
            email=f"agent{i}@example.nl",
            employment_start="2020-01-01",
            contract_hours=24,
            team=world.team_a,
        )
        plan(world, agent, NOW + timedelta(hours=i + 1))
    with CaptureQueriesContext(connection) as big:
        response = client.get(BOARD)
    assert len(response.context["rows"]) == 10
    assert len(big) == len(small) <= 12
