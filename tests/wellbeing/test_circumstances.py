"""Personal circumstances: the agent's own opt-in profile, seen by their team lead(s) only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from veerkracht.people.models import AuditAction, AuditEvent, Employee
from veerkracht.wellbeing.models_home import Circumstances

from ..conftest import World


@pytest.fixture(autouse=True)
def english(world: World) -> None:
    Employee.objects.update(language="en")


def _fill(world: World, **fields: object) -> Circumstances:
    values = {
        "living_alone": True,
        "cares_for_children": False,
        "cares_for_others": True,
        "quiet_workplace": False,
        "preferred_contact_moments": "Mornings before 10",
    }
    values.update(fields)
    return Circumstances.objects.create(employee=world.agent, **values)


def test_it_lets_the_agent_fill_in_their_circumstances(world: World) -> None:
    client = world.client_for(world.agent)
    response = client.post(
        reverse("wellbeing:circumstances"),
        {
            "living_alone": "on",
            "cares_for_children": "on",
            "quiet_workplace": "False",
            "preferred_contact_moments": "Not on Wednesday afternoons",
        },
    )
    assert response.status_code == 302
    saved = Circumstances.objects.get(employee=world.agent)
    assert saved.living_alone and saved.cares_for_children and not saved.cares_for_others
    assert saved.quiet_workplace is False
    assert saved.preferred_contact_moments == "Not on Wednesday afternoons"
    event = AuditEvent.objects.get(object_type="wellbeing.Circumstances")
    assert event.action == AuditAction.CREATE
    assert event.subject == world.agent
    # Field names only: admins read the audit log and may not learn the values.
    assert "Wednesday" not in str(event.changes)


def test_it_shows_the_form_with_a_health_warning(world: World) -> None:
    response = world.client_for(world.agent).get(reverse("wellbeing:circumstances"))
    assert response.status_code == 200
    assert "Do not write down anything about your health" in response.content.decode()


def test_it_audits_a_change_with_the_changed_fields(world: World) -> None:
    _fill(world)
    client = world.client_for(world.agent)
    client.post(
        reverse("wellbeing:circumstances"),
        {"living_alone": "on", "cares_for_others": "on", "quiet_workplace": "True"},
    )
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE).get()
    assert event.changes["fields"] == ["preferred_contact_moments", "quiet_workplace"]
    assert Circumstances.objects.get(employee=world.agent).quiet_workplace is True


def test_it_rejects_a_too_long_contact_moment(world: World) -> None:
    response = world.client_for(world.agent).post(
        reverse("wellbeing:circumstances"),
        {"quiet_workplace": "True", "preferred_contact_moments": "x" * 201},
    )
    assert response.status_code == 200
    assert not Circumstances.objects.exists()


def test_it_really_deletes_the_circumstances(world: World) -> None:
    _fill(world)
    response = world.client_for(world.agent).post(reverse("wellbeing:circumstances_delete"))
    assert response.status_code == 302
    assert not Circumstances.objects.filter(employee=world.agent).exists()
    event = AuditEvent.objects.get(action=AuditAction.DELETE)
    assert event.subject == world.agent


def test_it_shows_the_lead_the_circumstances_and_audits_the_read(world: World) -> None:
    _fill(world)
    response = world.client_for(world.lead).get(
        reverse("wellbeing:circumstances_detail", args=[world.agent.pk])
    )
    assert response.status_code == 200
    assert "Mornings before 10" in response.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.READ, object_type="wellbeing.Circumstances")
    assert event.actor == world.lead.user
    assert event.subject == world.agent


def test_it_does_not_audit_the_agent_reading_their_own(world: World) -> None:
    _fill(world)
    client = world.client_for(world.agent)
    assert client.get(reverse("wellbeing:circumstances")).status_code == 200
    assert (
        client.get(reverse("wellbeing:circumstances_detail", args=[world.agent.pk])).status_code
        == 200
    )
    assert not AuditEvent.objects.filter(action=AuditAction.READ).exists()


@pytest.mark.parametrize(
    "persona", ["site_manager", "planner", "admin", "lead_b", "colleague", "outsider"]
)
def test_it_hides_the_circumstances_from_everyone_else(world: World, persona: str) -> None:
    _fill(world)
    response = world.client_for(getattr(world, persona)).get(
        reverse("wellbeing:circumstances_detail", args=[world.agent.pk])
    )
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.READ).exists()


def test_it_says_nothing_is_shared_when_the_agent_did_not_opt_in(world: World) -> None:
    response = world.client_for(world.lead).get(
        reverse("wellbeing:circumstances_detail", args=[world.agent.pk])
    )
    assert response.status_code == 200
    assert "Nothing shared" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.READ).exists()


def test_it_puts_the_circumstances_in_my_data(world: World) -> None:
    from veerkracht.people.mydata import collect_my_data

    _fill(world)
    data = collect_my_data(world.agent)["sections"]
    assert data["personal_circumstances"]["living_alone"] is True
    assert data["personal_circumstances"]["preferred_contact_moments"] == "Mornings before 10"
