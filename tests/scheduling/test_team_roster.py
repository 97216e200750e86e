"""The team roster: a week per ISO week, rows of team members and columns of days. Agents see
their own team with names and times; leads their teams, site managers their site's teams and
planners every team, with channel letters; outsiders nothing."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import Client

from tests.conftest import World
from veerkracht.people.models import Employee
from veerkracht.scheduling.models_roster import ShiftState

from .shift_helpers import published_shift

NOW = "2026-10-21 08:00 +02:00"  # Wednesday of ISO week 43
URL = "/planning/team-roster/"


@pytest.fixture(autouse=True)
def _english(world: World) -> None:
    Employee.objects.update(language="en")


def _row(page: str, employee: Employee) -> str:
    start = page.index(f'id="roster-row-{employee.pk}"')
    return page[start : page.index("</tr>", start)]


@time_machine.travel(NOW, tick=False)
def test_it_shows_the_agents_own_team_with_times_only(world: World) -> None:
    published_shift(world.colleague, date(2026, 10, 22), (9, 0), (17, 30), channels=("phone",))
    page = world.client_for(world.agent).get(URL).content.decode()
    assert "Team Zeilen" in page and "week 43" in page
    bob = _row(page, world.colleague)
    assert "09:00–17:30" in bob
    assert 'class="letters"' not in page, "colleagues see no channels"
    assert f'id="roster-row-{world.agent_b.pk}"' not in page, "no one from another team"


@time_machine.travel(NOW, tick=False)
def test_it_shows_channel_letters_to_the_team_lead(world: World) -> None:
    published_shift(world.agent, date(2026, 10, 22), channels=("phone", "chat"))
    page = world.client_for(world.lead).get(URL).content.decode()
    alice = _row(page, world.agent)
    assert "09:00–17:30" in alice
    assert '<span class="letters">TC</span>' in alice
    assert "T</strong> = Phone" in page


@time_machine.travel(NOW, tick=False)
def test_it_puts_the_shift_in_the_column_of_its_day(world: World) -> None:
    published_shift(world.agent, date(2026, 10, 23))  # Friday: the fifth day column
    page = world.client_for(world.lead).get(URL).content.decode()
    cells = _row(page, world.agent).split("<td")[1:]
    assert "09:00–17:30" in cells[4]
    assert all("09:00" not in c for i, c in enumerate(cells[:7]) if i != 4)
    assert "8" in cells[7]  # hours of work that week


@time_machine.travel(NOW, tick=False)
def test_it_shows_only_published_shifts(world: World) -> None:
    published_shift(world.agent, date(2026, 10, 22), state=ShiftState.DRAFT)
    page = world.client_for(world.lead).get(URL).content.decode()
    assert "09:00–17:30" not in _row(page, world.agent)


@time_machine.travel(NOW, tick=False)
def test_it_navigates_between_weeks(world: World) -> None:
    published_shift(world.agent, date(2026, 10, 27))  # Tuesday of week 44
    client = world.client_for(world.lead)
    page = client.get(URL).content.decode()
    assert "week=2026-W42" in page and "week=2026-W44" in page
    page = client.get(URL, {"week": "2026-W44"}).content.decode()
    assert "week 44" in page
    assert "09:00–17:30" in _row(page, world.agent)


@time_machine.travel(NOW, tick=False)
def test_it_refuses_a_week_that_is_not_one(world: World) -> None:
    response = world.client_for(world.lead).get(URL, {"week": "2026-W77"})
    assert response.status_code == 400
    assert "Week: “2026-W77” is not a week like 2026-W43." in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_it_lets_the_site_manager_choose_a_team_of_the_site(world: World) -> None:
    client = world.client_for(world.site_manager)
    page = client.get(URL, {"team": world.team_a.pk}).content.decode()
    assert f'id="roster-row-{world.agent.pk}"' in page
    assert client.get(URL, {"team": world.team_b.pk}).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_it_lets_the_planner_see_every_team(world: World) -> None:
    published_shift(world.agent_b, date(2026, 10, 22), channels=("email",))
    page = world.client_for(world.planner).get(URL, {"team": world.team_b.pk}).content.decode()
    assert '<span class="letters">E</span>' in _row(page, world.agent_b)


def test_it_hides_other_teams_from_agents_and_leads(world: World) -> None:
    assert world.client_for(world.agent).get(URL, {"team": world.team_b.pk}).status_code == 404
    assert world.client_for(world.lead).get(URL, {"team": world.team_b.pk}).status_code == 404


def test_it_shows_the_outsider_nothing_of_ours(world: World) -> None:
    client = world.client_for(world.outsider)
    assert client.get(URL, {"team": world.team_a.pk}).status_code == 404
    page = client.get(URL).content.decode()
    assert "Team Zeilen" not in page and "Alice" not in page


def test_it_refuses_someone_without_a_team(world: World) -> None:
    assert world.client_for(world.admin).get(URL).status_code == 403
    assert Client().get(URL).status_code == 302


@time_machine.travel(NOW, tick=False)
def test_it_needs_few_queries(world: World, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for day in (19, 20, 21, 22, 23):
        published_shift(world.agent, date(2026, 10, day))
        published_shift(world.colleague, date(2026, 10, day))
    client = world.client_for(world.lead)
    with django_assert_max_num_queries(15):
        assert client.get(URL).status_code == 200
