"""The API for circumstances, the checklist and home-workplace requests: same rules as the pages."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from veerkracht.people import services
from veerkracht.people.models import AuditAction, AuditEvent, Employee
from veerkracht.wellbeing.models_home import (
    Circumstances,
    HomeChecklist,
    HomeRequestStatus,
    HomeWorkplaceRequest,
)

from ..conftest import World


@pytest.fixture(autouse=True)
def english(world: World) -> None:
    Employee.objects.update(language="en")


class Api:
    def __init__(self, employee: Employee) -> None:
        _, key = services.issue_api_token(user=employee.user, name="test")
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        self.client = Client()

    def get(self, path: str) -> Any:
        return self.client.get(f"/api/v1{path}", **self.headers)

    def send(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        return getattr(self.client, method)(
            f"/api/v1{path}",
            data=json.dumps(body or {}),
            content_type="application/json",
            **self.headers,
        )


def test_it_puts_gets_and_deletes_my_circumstances(world: World) -> None:
    api = Api(world.agent)
    assert api.get("/me/circumstances").status_code == 404
    response = api.send(
        "put",
        "/me/circumstances",
        {"living_alone": True, "quiet_workplace": False, "preferred_contact_moments": "Mornings"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["living_alone"] is True
    assert Circumstances.objects.get(employee=world.agent).preferred_contact_moments == "Mornings"
    assert api.get("/me/circumstances").json()["quiet_workplace"] is False
    assert api.send("delete", "/me/circumstances").status_code == 204
    assert not Circumstances.objects.exists()
    assert api.send("delete", "/me/circumstances").status_code == 404


def test_it_rejects_unknown_and_too_long_fields(world: World) -> None:
    api = Api(world.agent)
    response = api.send("put", "/me/circumstances", {"diagnosis": "x"})
    assert response.status_code == 422
    response = api.send("put", "/me/circumstances", {"preferred_contact_moments": "x" * 201})
    assert response.status_code == 422
    assert not Circumstances.objects.exists()


def test_it_shows_the_lead_an_agents_circumstances_and_audits_it(world: World) -> None:
    Circumstances.objects.create(employee=world.agent, cares_for_children=True)
    response = Api(world.lead).get(f"/employees/{world.agent.pk}/circumstances")
    assert response.status_code == 200
    assert response.json()["cares_for_children"] is True
    assert AuditEvent.objects.filter(
        action=AuditAction.READ, subject=world.agent, actor=world.lead.user
    ).exists()


@pytest.mark.parametrize("persona", ["site_manager", "planner", "admin", "lead_b", "outsider"])
def test_it_hides_an_agents_circumstances_from_others(world: World, persona: str) -> None:
    Circumstances.objects.create(employee=world.agent, cares_for_children=True)
    response = Api(getattr(world, persona)).get(f"/employees/{world.agent.pk}/circumstances")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found"}


def test_it_stores_the_checklist(world: World) -> None:
    api = Api(world.agent)
    response = api.send("put", "/me/home-checklist", {"items": ["quiet", "breaks"]})
    assert response.status_code == 200
    checked = [i["key"] for i in response.json()["items"] if i["checked"]]
    assert checked == ["quiet", "breaks"]
    assert HomeChecklist.objects.get(employee=world.agent).items == ["quiet", "breaks"]
    assert api.send("put", "/me/home-checklist", {"items": ["sauna"]}).status_code == 422
    assert len(api.get("/me/home-checklist").json()["items"]) == 8


def test_it_runs_the_request_workflow(world: World) -> None:
    agent, lead = Api(world.agent), Api(world.lead)
    created = agent.send("post", "/home-requests", {"item": "headset", "reason": "Old one broke"})
    assert created.status_code == 201, created.content
    rid = created.json()["id"]
    assert created.json()["status"] == "requested"
    assert created.json()["allowed_transitions"] == ["cancelled"]

    assert lead.get(f"/home-requests/{rid}").json()["allowed_transitions"] == [
        "approved",
        "rejected",
        "cancelled",
    ]
    approved = lead.send("post", f"/home-requests/{rid}/transition", {"to": "approved"})
    assert approved.status_code == 200
    assert approved.json()["ship_to"]["address_line"] == "Keizersgracht 1"
    shipped = lead.send(
        "post", f"/home-requests/{rid}/transition", {"to": "shipped", "reference": "PostNL 3S1"}
    )
    assert shipped.json()["reference"] == "PostNL 3S1"
    delivered = lead.send("post", f"/home-requests/{rid}/transition", {"to": "delivered"})
    assert delivered.json()["status"] == "delivered"
    assert [h["to_status"] for h in delivered.json()["history"]] == [
        "requested",
        "approved",
        "shipped",
        "delivered",
    ]
    assert HomeWorkplaceRequest.objects.get(pk=rid).status == HomeRequestStatus.DELIVERED


def test_it_answers_409_for_a_wrong_transition(world: World) -> None:
    rid = (
        Api(world.agent)
        .send("post", "/home-requests", {"item": "desk", "reason": "Kitchen table"})
        .json()["id"]
    )
    response = Api(world.lead).send("post", f"/home-requests/{rid}/transition", {"to": "shipped"})
    assert response.status_code == 409
    assert response.json() == {"detail": "A request that is requested cannot become shipped."}
    assert HomeWorkplaceRequest.objects.get(pk=rid).status == HomeRequestStatus.REQUESTED


def test_it_answers_422_for_an_unknown_status_and_a_rejection_without_note(world: World) -> None:
    rid = (
        Api(world.agent)
        .send("post", "/home-requests", {"item": "desk", "reason": "Kitchen table"})
        .json()["id"]
    )
    lead = Api(world.lead)
    assert lead.send("post", f"/home-requests/{rid}/transition", {"to": "lost"}).status_code == 422
    response = lead.send("post", f"/home-requests/{rid}/transition", {"to": "rejected"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "note"]


def test_it_forbids_the_agent_to_approve(world: World) -> None:
    agent = Api(world.agent)
    rid = agent.send("post", "/home-requests", {"item": "desk", "reason": "x"}).json()["id"]
    response = agent.send("post", f"/home-requests/{rid}/transition", {"to": "approved"})
    assert response.status_code == 403


def test_it_scopes_the_request_list(world: World) -> None:
    Api(world.agent).send("post", "/home-requests", {"item": "desk", "reason": "x"})
    Api(world.agent_b).send("post", "/home-requests", {"item": "chair", "reason": "y"})

    def names(employee: Employee) -> list[str]:
        body = Api(employee).get("/home-requests").json()
        return sorted(r["employee"]["name"] for r in body["results"])

    assert names(world.agent) == ["Alice Jansen"]
    assert names(world.lead) == ["Alice Jansen"]
    assert names(world.lead_b) == ["Carol Bakker"]
    assert names(world.admin) == ["Alice Jansen", "Carol Bakker"]
    assert names(world.site_manager) == []
    assert names(world.planner) == []
    assert names(world.outsider) == []
    assert (
        Api(world.lead_b)
        .get(f"/home-requests/{HomeWorkplaceRequest.objects.get(item='desk').pk}")
        .status_code
        == 404
    )
