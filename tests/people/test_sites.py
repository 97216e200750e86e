"""Sites: admins list, create and edit them; nobody else, and never another organisation's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from veerkracht.people.models import AuditEvent, Employee, EmployeeRole, Role, Site


@pytest.fixture(autouse=True)
def english(world):
    Employee.objects.update(language="en")


def test_it_lists_the_organisations_sites_for_an_admin(world):
    response = world.client_for(world.admin).get(reverse("people:site_list"))
    assert response.status_code == 200
    assert b"Utrecht" in response.content and b"Groningen" in response.content
    assert b"Zwolle" not in response.content  # the other organisation's site
    assert b"Sam Meijer" in response.content  # manager of Utrecht


@pytest.mark.parametrize("persona", ["agent", "lead", "site_manager", "planner"])
def test_it_forbids_everyone_but_admins(world, persona):
    client = world.client_for(getattr(world, persona))
    assert client.get(reverse("people:site_list")).status_code == 403
    assert client.get(reverse("people:site_create")).status_code == 403
    assert client.get(reverse("people:site_edit", args=[world.site_a.pk])).status_code == 403
    response = client.post(reverse("people:site_create"), {"name": "Sneek"})
    assert response.status_code == 403
    assert not Site.objects.filter(name="Sneek").exists()


def test_it_sends_anonymous_visitors_to_the_login_page(client, world):
    response = client.get(reverse("people:site_list"))
    assert response.status_code == 302
    assert reverse("login") in response.url


def test_it_creates_a_site_with_managers(world):
    client = world.client_for(world.admin)
    response = client.post(
        reverse("people:site_create"),
        {"name": "Zwolle", "city": "Zwolle", "managers": [world.planner.pk]},
    )
    assert response.status_code == 302
    site = Site.objects.get(organisation=world.org, name="Zwolle")
    assert list(site.managers.all()) == [world.planner]
    assert EmployeeRole.objects.filter(employee=world.planner, role=Role.SITE_MANAGER).exists()
    assert AuditEvent.objects.filter(
        action="create", object_type="people.Site", object_id=str(site.pk)
    ).exists()


def test_it_rejects_a_duplicate_name_in_any_case(world):
    client = world.client_for(world.admin)
    response = client.post(reverse("people:site_create"), {"name": "utrecht", "city": ""})
    assert response.status_code == 400
    assert "There is already a site with this name." in response.content.decode()
    assert Site.objects.filter(organisation=world.org).count() == 2


def test_it_requires_a_name(world):
    response = world.client_for(world.admin).post(reverse("people:site_create"), {"name": " "})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_it_edits_a_site(world):
    client = world.client_for(world.admin)
    url = reverse("people:site_edit", args=[world.site_b.pk])
    form = client.get(url)
    assert form.status_code == 200 and b'value="Groningen"' in form.content
    assert form.context["form"]["managers"].value() == []
    response = client.post(url, {"name": "Groningen-Zuid", "city": "Groningen", "managers": []})
    assert response.status_code == 302
    world.site_b.refresh_from_db()
    assert world.site_b.name == "Groningen-Zuid"


def test_it_does_not_offer_another_organisations_people_as_managers(world):
    response = world.client_for(world.admin).post(
        reverse("people:site_edit", args=[world.site_a.pk]),
        {"name": "Utrecht", "managers": [world.outsider.pk]},
    )
    assert response.status_code == 400
    assert not world.site_a.managers.filter(pk=world.outsider.pk).exists()
    assert b"Otto" not in response.content


def test_it_hides_our_sites_from_another_organisations_admin(world):
    client = world.client_for(world.outsider)
    url = reverse("people:site_edit", args=[world.site_a.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Overgenomen"}).status_code == 404
    world.site_a.refresh_from_db()
    assert world.site_a.name == "Utrecht"
    listing = client.get(reverse("people:site_list"))
    assert b"Utrecht" not in listing.content and b"Zwolle" in listing.content
