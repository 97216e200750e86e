"""GET/POST /sites, GET/PATCH /sites/{id}: scoped by access.sites_for, writes for admins."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from tests.conftest import World
from veerkracht.people.models import AuditEvent, Role, Site

from .conftest import API, ids

SITES_SEEN = {
    "agent": {"site_a"},
    "lead": {"site_a"},
    "site_manager": {"site_a"},
    "planner": {"site_a", "site_b"},
    "admin": {"site_a", "site_b"},
    "outsider": set(),
}


@pytest.mark.parametrize(("persona", "expected"), SITES_SEEN.items())
def test_it_lists_only_the_sites_in_scope(
    world: World, as_: Callable[[str], Client], persona: str, expected: set[str]
) -> None:
    seen = ids(as_(persona).get(f"{API}/sites"))
    mine = {world.site_a.pk, world.site_b.pk}
    assert seen & mine == {getattr(world, name).pk for name in expected}
    if persona == "outsider":
        assert len(seen) == 1  # their own site elsewhere, none of ours


@pytest.mark.parametrize(("persona", "expected"), SITES_SEEN.items())
def test_it_answers_404_for_a_site_out_of_scope(
    world: World, as_: Callable[[str], Client], persona: str, expected: set[str]
) -> None:
    client = as_(persona)
    for name in ("site_a", "site_b"):
        response = client.get(f"{API}/sites/{getattr(world, name).pk}")
        assert response.status_code == (200 if name in expected else 404)


def test_it_shows_a_site_with_its_managers(world: World, as_: Callable[[str], Client]) -> None:
    body = as_("agent").get(f"{API}/sites/{world.site_a.pk}").json()
    assert body == {
        "id": world.site_a.pk,
        "name": "Utrecht",
        "city": "Utrecht",
        "managers": [{"id": world.site_manager.pk, "name": "Sam Meijer"}],
    }


def test_it_lets_an_admin_create_a_site(world: World, as_: Callable[[str], Client]) -> None:
    response = as_("admin").post(
        f"{API}/sites",
        {"name": "Almere", "city": "Almere", "managers": [world.lead.pk]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    site = Site.objects.get(pk=response.json()["id"])
    assert site.organisation == world.org
    assert list(site.managers.all()) == [world.lead]
    assert world.lead.roles.filter(role=Role.SITE_MANAGER).exists()
    assert AuditEvent.objects.filter(
        object_type="people.Site", object_id=str(site.pk), action="create"
    ).exists()


@pytest.mark.parametrize("persona", ["agent", "lead", "site_manager", "planner"])
def test_it_refuses_site_writes_to_non_admins(
    world: World, as_: Callable[[str], Client], persona: str
) -> None:
    client = as_(persona)
    created = client.post(f"{API}/sites", {"name": "Almere"}, content_type="application/json")
    changed = client.patch(
        f"{API}/sites/{world.site_a.pk}", {"name": "Hacked"}, content_type="application/json"
    )
    assert (created.status_code, changed.status_code) == (403, 403)
    assert not Site.objects.filter(name__in=["Almere", "Hacked"]).exists()


def test_it_refuses_a_manager_from_another_organisation(
    world: World, as_: Callable[[str], Client]
) -> None:
    response = as_("admin").post(
        f"{API}/sites",
        {"name": "Almere", "managers": [world.outsider.pk]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "managers"]


def test_it_refuses_a_duplicate_site_name(world: World, as_: Callable[[str], Client]) -> None:
    response = as_("admin").post(
        f"{API}/sites", {"name": "Utrecht"}, content_type="application/json"
    )
    assert response.status_code == 422


def test_it_lets_an_admin_rename_a_site_and_keeps_the_rest(
    world: World, as_: Callable[[str], Client]
) -> None:
    response = as_("admin").patch(
        f"{API}/sites/{world.site_a.pk}",
        {"name": "Utrecht Centraal"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    world.site_a.refresh_from_db()
    assert (world.site_a.name, world.site_a.city) == ("Utrecht Centraal", "Utrecht")
    assert list(world.site_a.managers.all()) == [world.site_manager]


def test_it_lets_an_admin_replace_the_managers(world: World, as_: Callable[[str], Client]) -> None:
    response = as_("admin").patch(
        f"{API}/sites/{world.site_a.pk}", {"managers": []}, content_type="application/json"
    )
    assert response.json()["managers"] == []


def test_it_hides_another_organisations_site_from_an_admin(
    world: World, as_: Callable[[str], Client]
) -> None:
    response = as_("outsider").patch(
        f"{API}/sites/{world.site_a.pk}", {"name": "Overgenomen"}, content_type="application/json"
    )
    assert response.status_code == 404
    world.site_a.refresh_from_db()
    assert world.site_a.name == "Utrecht"
