"""The attention list: every reason, one test each, and who may see it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from veerkracht.people.models import Employee
from veerkracht.wellbeing import attention
from veerkracht.wellbeing import checkins as services
from veerkracht.wellbeing.models_checkins import CheckInStatus

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=AMS)
URL = reverse("wellbeing:attention")


@pytest.fixture(autouse=True)
def frozen(world, time_machine):
    Employee.objects.update(language="en")
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def no_home(monkeypatch):
    """Leave the home-workplace module's reasons out, so each test sees only its own reason."""
    monkeypatch.setitem(attention._PROVIDERS, "home", lambda members, today, viewer: {})


def held(world, agent, days_ago, score=None):
    checkin = services.plan_checkin(
        by=world.lead.user,
        agent=agent,
        start=NOW - timedelta(days=days_ago),
        kind="phone",
        recurrence="once",
    )
    services.set_status(checkin=checkin, by=world.lead.user, status=CheckInStatus.HELD)
    if score is not None:
        services.set_score(checkin=checkin, by=agent.user, score=score)
    return checkin


def reasons(world, persona="lead"):
    response = world.client_for(getattr(world, persona)).get(URL)
    assert response.status_code == 200
    return {item.employee.first_name: item.reasons for item in response.context["items"]}, response


def test_it_lists_someone_not_spoken_for_seven_days_or_more(world, no_home):
    held(world, world.agent, days_ago=9, score=4)
    held(world, world.colleague, days_ago=2, score=4)
    found, response = reasons(world)
    assert found == {"Alice": ["Not spoken for 9 days (last 1:1 on 16 Nov 2026)."]}
    assert "Not spoken for 9 days" in response.content.decode()


def test_it_lists_someone_who_never_had_a_checkin(world, no_home):
    held(world, world.agent, days_ago=1)
    found, _ = reasons(world)
    assert found == {"Bob": ["No 1:1 held yet."]}


def test_it_gives_new_starters_a_week(world, no_home):
    held(world, world.agent, days_ago=1)
    Employee.objects.filter(pk=world.colleague.pk).update(employment_start=date(2026, 11, 20))
    found, _ = reasons(world)
    assert found == {}


def test_it_lists_a_low_score(world, no_home):
    held(world, world.agent, days_ago=1, score=2)
    held(world, world.colleague, days_ago=1, score=4)
    found, _ = reasons(world)
    assert found == {"Alice": ["Scored 2 out of 5 for how work is going (24 Nov 2026)."]}


def test_it_lists_a_falling_score(world, no_home):
    for days_ago, score in [(28, 5), (21, 5), (14, 4), (7, 3), (1, 3)]:
        held(world, world.agent, days_ago=days_ago, score=score)
    held(world, world.colleague, days_ago=1, score=3)
    found, _ = reasons(world)
    assert found == {
        "Alice": ["How work is going is falling: 3 → 3, against 4.7 on average before."]
    }


def test_it_does_not_flag_a_steady_score(world, no_home):
    for days_ago, score in [(21, 3), (14, 3), (7, 3), (1, 3)]:
        held(world, world.agent, days_ago=days_ago, score=score)
    held(world, world.colleague, days_ago=1)
    assert reasons(world)[0] == {}


def test_it_lists_an_upcoming_work_anniversary(world, no_home):
    held(world, world.agent, days_ago=1)
    held(world, world.colleague, days_ago=1)
    Employee.objects.filter(pk=world.agent.pk).update(employment_start=date(2021, 12, 5))
    Employee.objects.filter(pk=world.colleague.pk).update(employment_start=date(2021, 12, 20))
    found, _ = reasons(world)
    assert found == {"Alice": ["5 years with us on 5 Dec 2026."]}


def test_it_lists_a_birthday_only_when_opted_in(world, no_home):
    held(world, world.agent, days_ago=1)
    held(world, world.colleague, days_ago=1)
    Employee.objects.filter(pk=world.agent.pk).update(birthday=date(1990, 12, 1))
    Employee.objects.filter(pk=world.colleague.pk).update(birthday=date(1990, 12, 1))
    assert reasons(world)[0] == {}
    Employee.objects.filter(pk=world.agent.pk).update(celebrate_birthday=True)
    assert reasons(world)[0] == {"Alice": ["Birthday on 1 Dec 2026."]}


def test_it_adds_the_reasons_of_the_home_workplace_module(world, monkeypatch):
    held(world, world.agent, days_ago=1)
    held(world, world.colleague, days_ago=1)
    seen = {}

    def fake(employees, *, viewer=None, now=None):
        seen["viewer"] = viewer
        return {
            e.pk: (["Lives alone; no team contact this week."] if e.first_name == "Bob" else [])
            for e in employees
        }

    import veerkracht.wellbeing.home as home

    monkeypatch.setattr(home, "attention_reasons", fake)
    found, _ = reasons(world)
    assert found == {"Bob": ["Lives alone; no team contact this week."]}
    assert seen["viewer"] == world.lead.user


def test_it_shows_every_reason_of_one_person_most_reasons_first(world, no_home):
    held(world, world.agent, days_ago=10, score=1)
    Employee.objects.filter(pk=world.agent.pk).update(employment_start=date(2020, 12, 1))
    found, response = reasons(world)
    assert [item.employee.first_name for item in response.context["items"]] == ["Alice", "Bob"]
    assert len(found["Alice"]) == 3


def test_it_accepts_extra_reason_providers(world, no_home, monkeypatch):
    held(world, world.agent, days_ago=1)
    held(world, world.colleague, days_ago=1)
    monkeypatch.setitem(
        attention._PROVIDERS,
        "absence",
        lambda members, today, viewer: {world.colleague.pk: ["Absent twice this quarter."]},
    )
    assert reasons(world)[0] == {"Bob": ["Absent twice this quarter."]}


def test_it_shows_only_the_leads_own_teams(world, no_home):
    found, _ = reasons(world, "lead_b")
    assert set(found) == {"Carol"}


@pytest.mark.parametrize("persona", ["agent", "site_manager", "planner", "admin"])
def test_it_is_for_team_leads_only(world, persona):
    assert world.client_for(getattr(world, persona)).get(URL).status_code == 403
