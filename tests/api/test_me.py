"""GET /me and GET /me/data."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from tests.conftest import World
from veerkracht.people.models import AuditAction, AuditEvent

from .conftest import API


def test_it_shows_the_agent_themselves_with_roles_and_capabilities(
    world: World, as_: Callable[[str], Client]
) -> None:
    body = as_("agent").get(f"{API}/me").json()
    assert body["employee"]["id"] == world.agent.pk
    assert body["employee"]["email"] == "alice@example.nl"
    assert body["employee"]["address"] == {
        "address_line": "Keizersgracht 1",
        "postcode": "1015 AA",
        "city": "Amsterdam",
    }
    assert body["employee"]["birthday"] == "1990-06-15"
    assert body["employee"]["team"] == {
        "id": world.team_a.pk,
        "name": "Team Zeilen",
        "site": {"id": world.site_a.pk, "name": "Utrecht"},
    }
    assert body["organisation"] == {"id": world.org.pk, "name": "Klantcontact BV"}
    assert body["roles"] == ["agent"]
    assert body["capabilities"] == ["use_api"]


def test_it_lists_the_admins_capabilities(world: World, as_: Callable[[str], Client]) -> None:
    body = as_("admin").get(f"{API}/me").json()
    assert body["roles"] == ["admin"]
    assert "manage_organisation" in body["capabilities"]
    assert "lead_teams" not in body["capabilities"]


def test_it_shows_the_planner_their_own_address(world: World, as_: Callable[[str], Client]) -> None:
    body = as_("planner").get(f"{API}/me").json()
    assert body["employee"]["address"] is not None


def test_it_shows_the_outsider_only_their_own_organisation(
    world: World, as_: Callable[[str], Client]
) -> None:
    body = as_("outsider").get(f"{API}/me").json()
    assert body["organisation"]["name"] == "Andere BV"


def test_it_exports_all_data_held_about_the_caller(
    world: World, as_: Callable[[str], Client]
) -> None:
    response = as_("agent").get(f"{API}/me/data")
    assert response.status_code == 200, response.content
    body = response.json()
    assert isinstance(body, dict)
    assert "alice@example.nl" in response.content.decode()
    assert "bob@example.nl" not in response.content.decode()
    assert body["employee_id"] == world.agent.pk
    assert response["Cache-Control"] == "no-store"
    assert AuditEvent.objects.filter(
        action=AuditAction.EXPORT, subject=world.agent, actor=world.agent.user
    ).exists()


def test_it_exports_nothing_for_a_caller_without_credentials(world: World) -> None:
    assert Client().get(f"{API}/me/data").status_code == 401
