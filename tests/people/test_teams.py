"""Teams: admins list, create and edit them within their own organisation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from veerkracht.people.models import AuditEvent, Employee, EmployeeRole, Role, Team


@pytest.fixture(autouse=True)
def english(world):
    Employee.objects.update(language="en")


def test_it_lists_teams_with_leads_and_member_counts(world):
    response = world.client_for(world.admin).get(reverse("people:team_list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Team Zeilen" in body and "Team Wadden" in body and "Lisa Visser" in body
    assert "Team Elders" not in body
    assert response.context["teams"].get(pk=world.team_a.pk).size == 3  # Alice, Bob, Lisa


@pytest.mark.parametrize("persona", ["agent", "lead", "site_manager", "planner"])
def test_it_forbids_everyone_but_admins(world, persona):
    client = world.client_for(getattr(world, persona))
    assert client.get(reverse("people:team_list")).status_code == 403
    assert client.get(reverse("people:team_edit", args=[world.team_a.pk])).status_code == 403
    response = client.post(
        reverse("people:team_create"), {"site": world.site_a.pk, "name": "Team X"}
    )
    assert response.status_code == 403
    assert not Team.objects.filter(name="Team X").exists()


def test_it_creates_a_team_with_a_lead(world):
    client = world.client_for(world.admin)
    response = client.post(
        reverse("people:team_create"),
        {"site": world.site_a.pk, "name": "Team Kanaal", "leads": [world.colleague.pk]},
    )
    assert response.status_code == 302
    team = Team.objects.get(site=world.site_a, name="Team Kanaal")
    assert list(team.leads.all()) == [world.colleague]
    assert EmployeeRole.objects.filter(employee=world.colleague, role=Role.TEAM_LEAD).exists()
    assert AuditEvent.objects.filter(
        action="create", object_type="people.Team", object_id=str(team.pk)
    ).exists()


def test_it_allows_the_same_team_name_at_another_site_but_not_twice_at_one(world):
    client = world.client_for(world.admin)
    ok = client.post(
        reverse("people:team_create"), {"site": world.site_b.pk, "name": "Team Zeilen"}
    )
    assert ok.status_code == 302
    clash = client.post(
        reverse("people:team_create"), {"site": world.site_a.pk, "name": "team zeilen"}
    )
    assert clash.status_code == 400
    assert "This site already has a team with this name." in clash.content.decode()
    assert Team.objects.filter(name__iexact="team zeilen").count() == 2


def test_it_edits_a_team_and_replaces_its_leads(world):
    client = world.client_for(world.admin)
    url = reverse("people:team_edit", args=[world.team_a.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert form.context["form"]["name"].value() == "Team Zeilen"
    assert form.context["form"]["site"].value() == world.site_a.pk
    assert form.context["form"]["leads"].value() == [world.lead.pk]
    response = client.post(
        url, {"site": world.site_a.pk, "name": "Team Zeilen", "leads": [world.agent.pk]}
    )
    assert response.status_code == 302
    assert list(world.team_a.leads.all()) == [world.agent]


def test_it_does_not_accept_another_organisations_site(world):
    other_site = world.outsider.organisation.sites.get()
    response = world.client_for(world.admin).post(
        reverse("people:team_create"), {"site": other_site.pk, "name": "Team Binnen"}
    )
    assert response.status_code == 400
    assert not Team.objects.filter(name="Team Binnen").exists()


def test_it_hides_our_teams_from_another_organisations_admin(world):
    client = world.client_for(world.outsider)
    url = reverse("people:team_edit", args=[world.team_a.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"site": world.site_a.pk, "name": "Weg"}).status_code == 404
    world.team_a.refresh_from_db()
    assert world.team_a.name == "Team Zeilen"
    assert b"Team Zeilen" not in client.get(reverse("people:team_list")).content
