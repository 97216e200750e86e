"""GET/POST /teams, GET/PATCH /teams/{id}: scoped by access.teams_for, writes for admins."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.conftest import World
from veerkracht.people.models import Team

from .conftest import API, ids

TEAMS_SEEN = {
    "agent": {"team_a"},
    "colleague": {"team_a"},
    "agent_b": {"team_b"},
    "lead": {"team_a"},
    "lead_b": {"team_b"},
    "site_manager": {"team_a"},
    "planner": {"team_a", "team_b"},
    "admin": {"team_a", "team_b"},
    "outsider": set(),
}


@pytest.mark.parametrize(("persona", "expected"), TEAMS_SEEN.items())
def test_it_lists_only_the_teams_in_scope(
    world: World, as_: Callable[[str], Client], persona: str, expected: set[str]
) -> None:
    seen = ids(as_(persona).get(f"{API}/teams"))
    assert seen & {world.team_a.pk, world.team_b.pk} == {
        getattr(world, name).pk for name in expected
    }


@pytest.mark.parametrize(("persona", "expected"), TEAMS_SEEN.items())
def test_it_answers_404_for_a_team_out_of_scope(
    world: World, as_: Callable[[str], Client], persona: str, expected: set[str]
) -> None:
    client = as_(persona)
    for name in ("team_a", "team_b"):
        response = client.get(f"{API}/teams/{getattr(world, name).pk}")
        assert response.status_code == (200 if name in expected else 404)


def test_it_filters_teams_by_site(world: World, as_: Callable[[str], Client]) -> None:
    assert ids(as_("planner").get(f"{API}/teams?site={world.site_b.pk}")) == {world.team_b.pk}


def test_it_shows_a_team_with_its_site_and_leads(
    world: World, as_: Callable[[str], Client]
) -> None:
    body = as_("agent").get(f"{API}/teams/{world.team_a.pk}").json()
    assert body == {
        "id": world.team_a.pk,
        "name": "Team Zeilen",
        "site": {"id": world.site_a.pk, "name": "Utrecht"},
        "leads": [{"id": world.lead.pk, "name": "Lisa Visser"}],
    }


def test_it_lets_an_admin_create_a_team(world: World, as_: Callable[[str], Client]) -> None:
    response = as_("admin").post(
        f"{API}/teams",
        {"name": "Team Branding", "site": world.site_b.pk, "leads": [world.agent_b.pk]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    team = Team.objects.get(pk=response.json()["id"])
    assert team.site == world.site_b
    assert list(team.leads.all()) == [world.agent_b]


def test_it_refuses_a_team_on_another_organisations_site(
    world: World, as_: Callable[[str], Client]
) -> None:
    other_site = world.outsider.organisation.sites.get()
    response = as_("admin").post(
        f"{API}/teams",
        {"name": "Team Elders 2", "site": other_site.pk},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "site"]


@pytest.mark.parametrize("persona", ["agent", "lead", "site_manager", "planner"])
def test_it_refuses_team_writes_to_non_admins(
    world: World, as_: Callable[[str], Client], persona: str
) -> None:
    client = as_(persona)
    created = client.post(
        f"{API}/teams", {"name": "Team X", "site": world.site_a.pk}, content_type="application/json"
    )
    changed = client.patch(
        f"{API}/teams/{world.team_a.pk}", {"name": "Hacked"}, content_type="application/json"
    )
    assert (created.status_code, changed.status_code) == (403, 403)
    assert not Team.objects.filter(name__in=["Team X", "Hacked"]).exists()


def test_it_lets_an_admin_move_a_team_and_replace_its_leads(
    world: World, as_: Callable[[str], Client]
) -> None:
    response = as_("admin").patch(
        f"{API}/teams/{world.team_a.pk}",
        {"site": world.site_b.pk, "leads": [world.lead.pk, world.colleague.pk]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    world.team_a.refresh_from_db()
    assert world.team_a.site == world.site_b
    assert world.team_a.name == "Team Zeilen"
    assert {lead.pk for lead in world.team_a.leads.all()} == {world.lead.pk, world.colleague.pk}


def test_it_hides_another_organisations_team_from_an_admin(
    world: World, as_: Callable[[str], Client]
) -> None:
    response = as_("outsider").patch(
        f"{API}/teams/{world.team_a.pk}", {"name": "Overgenomen"}, content_type="application/json"
    )
    assert response.status_code == 404
