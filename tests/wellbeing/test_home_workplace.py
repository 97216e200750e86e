"""Home-workplace requests and the checklist, over HTTP: the agent asks, the lead decides and
ships, the history is kept, and every list is scoped."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from veerkracht.people.models import AuditAction, AuditEvent, Employee
from veerkracht.wellbeing import home
from veerkracht.wellbeing.models_home import (
    HomeChecklist,
    HomeRequestEvent,
    HomeRequestStatus,
    HomeWorkplaceRequest,
)

from ..conftest import World


@pytest.fixture(autouse=True)
def english(world: World) -> None:
    Employee.objects.update(language="en")


def _ask(world: World, employee=None, item: str = "chair") -> HomeWorkplaceRequest:  # type: ignore[no-untyped-def]
    employee = employee or world.agent
    return home.create_home_request(
        employee=employee, by=employee.user, item=item, reason="Back pain from kitchen chair"
    )


def _move(world: World, r: HomeWorkplaceRequest, to: str, client=None, **data: str):  # type: ignore[no-untyped-def]
    return (client or world.client_for(world.lead)).post(
        reverse("wellbeing:home_request_transition", args=[r.pk]), {"to": to, **data}
    )


def test_it_shows_the_agent_the_checklist_and_the_request_form(world: World) -> None:
    response = world.client_for(world.agent).get(reverse("wellbeing:home_workplace"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Screen at eye height" in page
    assert "at least 10 Mbit/s upload" in page
    assert 'name="item"' in page


def test_it_stores_the_ticked_checklist(world: World) -> None:
    response = world.client_for(world.agent).post(
        reverse("wellbeing:home_checklist"), {"items": ["headset", "chair"]}
    )
    assert response.status_code == 302
    assert HomeChecklist.objects.get(employee=world.agent).items == ["chair", "headset"]
    assert AuditEvent.objects.filter(object_type="wellbeing.HomeChecklist").exists()


def test_it_refuses_an_unknown_checklist_item(world: World) -> None:
    world.client_for(world.agent).post(reverse("wellbeing:home_checklist"), {"items": ["jacuzzi"]})
    assert not HomeChecklist.objects.exists()


def test_it_shows_the_checklist_to_the_lead(world: World) -> None:
    HomeChecklist.objects.create(employee=world.agent, items=["chair", "headset", "daylight"])
    response = world.client_for(world.lead).get(reverse("wellbeing:home_requests"))
    assert "3 of 8" in response.content.decode()
    detail = world.client_for(world.lead).get(
        reverse("wellbeing:circumstances_detail", args=[world.agent.pk])
    )
    assert "3 of 8 in place" in detail.content.decode()


def test_it_lets_the_agent_ask_for_an_item(world: World) -> None:
    response = world.client_for(world.agent).post(
        reverse("wellbeing:home_request_create"), {"item": "monitor", "reason": "Laptop only"}
    )
    assert response.status_code == 302
    r = HomeWorkplaceRequest.objects.get()
    assert (r.employee, r.item, r.status) == (world.agent, "monitor", HomeRequestStatus.REQUESTED)
    assert list(r.events.values_list("from_status", "to_status")) == [("", "requested")]
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, subject=world.agent).exists()


def test_it_needs_a_reason(world: World) -> None:
    response = world.client_for(world.agent).post(
        reverse("wellbeing:home_request_create"), {"item": "monitor", "reason": ""}
    )
    assert response.status_code == 422
    assert not HomeWorkplaceRequest.objects.exists()


def test_it_refuses_a_second_open_request_for_the_same_item(world: World) -> None:
    _ask(world)
    response = world.client_for(world.agent).post(
        reverse("wellbeing:home_request_create"), {"item": "chair", "reason": "Again"}
    )
    assert response.status_code == 422
    assert "already have an open request" in response.content.decode()
    assert HomeWorkplaceRequest.objects.count() == 1


def test_it_walks_a_request_from_requested_to_delivered(world: World) -> None:
    r = _ask(world)
    assert _move(world, r, "approved", note="Go ahead").status_code == 302
    assert _move(world, r, "shipped", reference="PostNL 3SABC123").status_code == 302
    assert _move(world, r, "delivered").status_code == 302
    r.refresh_from_db()
    assert r.status == HomeRequestStatus.DELIVERED
    assert r.decision_note == "Go ahead" and r.decided_by == world.lead.user
    assert r.reference == "PostNL 3SABC123"
    assert r.shipped_on is not None and r.delivered_on is not None
    assert list(r.events.values_list("to_status", flat=True)) == [
        "requested",
        "approved",
        "shipped",
        "delivered",
    ]
    assert AuditEvent.objects.filter(action=AuditAction.UPDATE, subject=world.agent).count() == 3


def test_it_refuses_a_wrong_transition_with_a_message(world: World) -> None:
    r = _ask(world)
    lead = world.client_for(world.lead)
    response = _move(world, r, "delivered", client=lead)
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.status == HomeRequestStatus.REQUESTED
    assert r.events.count() == 1
    page = lead.get(response["Location"]).content.decode()
    assert "cannot become delivered" in page


def test_it_needs_a_note_to_reject(world: World) -> None:
    r = _ask(world)
    _move(world, r, "rejected")
    r.refresh_from_db()
    assert r.status == HomeRequestStatus.REQUESTED
    _move(world, r, "rejected", note="We have spare chairs at the office")
    r.refresh_from_db()
    assert r.status == HomeRequestStatus.REJECTED


def test_it_does_not_let_the_agent_approve_their_own_request(world: World) -> None:
    r = _ask(world)
    response = world.client_for(world.agent).post(
        reverse("wellbeing:home_request_transition", args=[r.pk]), {"to": "approved"}
    )
    assert response.status_code == 403
    r.refresh_from_db()
    assert r.status == HomeRequestStatus.REQUESTED


def test_it_lets_the_agent_cancel(world: World) -> None:
    r = _ask(world)
    world.client_for(world.agent).post(
        reverse("wellbeing:home_request_transition", args=[r.pk]),
        {"to": "cancelled", "back": "home"},
    )
    r.refresh_from_db()
    assert r.status == HomeRequestStatus.CANCELLED


def test_it_lets_an_admin_ship_but_not_approve(world: World) -> None:
    r = _ask(world)
    admin = world.client_for(world.admin)
    url = reverse("wellbeing:home_request_transition", args=[r.pk])
    assert admin.post(url, {"to": "approved"}).status_code == 403
    _move(world, r, "approved")
    assert admin.post(url, {"to": "shipped", "reference": "DHL 1"}).status_code == 302
    r.refresh_from_db()
    assert r.status == HomeRequestStatus.SHIPPED


def test_it_scopes_the_request_lists(world: World) -> None:
    mine = _ask(world)
    other_team = _ask(world, world.agent_b, item="desk")
    lead_page = world.client_for(world.lead).get(reverse("wellbeing:home_requests"))
    assert lead_page.status_code == 200
    assert list(lead_page.context["open_requests"]) == [mine]
    lead_b_page = world.client_for(world.lead_b).get(reverse("wellbeing:home_requests"))
    assert list(lead_b_page.context["open_requests"]) == [other_team]
    admin_page = world.client_for(world.admin).get(reverse("wellbeing:home_requests"))
    assert {r.pk for r in admin_page.context["open_requests"]} == {mine.pk, other_team.pk}
    outsider_page = world.client_for(world.outsider).get(reverse("wellbeing:home_requests"))
    assert list(outsider_page.context["open_requests"]) == []
    for persona in (world.agent, world.site_manager, world.planner):
        assert world.client_for(persona).get(reverse("wellbeing:home_requests")).status_code == 403


def test_it_hides_a_request_outside_the_scope(world: World) -> None:
    r = _ask(world)
    url = reverse("wellbeing:home_request_detail", args=[r.pk])
    for persona in (world.lead_b, world.colleague, world.site_manager, world.planner):
        assert world.client_for(persona).get(url).status_code == 404
    assert world.client_for(world.agent).get(url).status_code == 200


def test_it_shows_the_lead_the_address_to_ship_to_and_audits_it(world: World) -> None:
    r = _ask(world)
    url = reverse("wellbeing:home_request_detail", args=[r.pk])
    assert "Keizersgracht 1" not in world.client_for(world.lead).get(url).content.decode()
    _move(world, r, "approved")
    page = world.client_for(world.lead).get(url).content.decode()
    assert "Keizersgracht 1" in page
    event = AuditEvent.objects.get(action=AuditAction.READ)
    assert event.subject == world.agent and event.actor == world.lead.user


def test_it_keeps_the_history_in_my_data(world: World) -> None:
    from veerkracht.people.mydata import collect_my_data

    r = _ask(world)
    _move(world, r, "approved")
    rows = collect_my_data(world.agent)["sections"]["home_workplace_requests"]
    assert rows[0]["status"] == "approved"
    assert [h["to"] for h in rows[0]["history"]] == ["requested", "approved"]
    assert HomeRequestEvent.objects.count() == 2


def test_it_erases_what_it_holds_about_a_person(world: World) -> None:
    from veerkracht.wellbeing.models_home import Circumstances

    r = _ask(world)
    _move(world, r, "approved", note="Fine")
    Circumstances.objects.create(employee=world.agent, living_alone=True)
    HomeChecklist.objects.create(employee=world.agent, items=["chair"])
    # Erasing the employee (the admin's action) runs this module's erasure hook.
    from veerkracht.people.services import erase_employee

    erase_employee(employee=world.agent, by=world.admin.user)
    assert not Circumstances.objects.exists()
    assert not HomeChecklist.objects.exists()
    r.refresh_from_db()
    assert (r.reason, r.decision_note, r.status) == ("", "", "approved")
    assert set(r.events.values_list("note", flat=True)) == {""}


def test_it_lists_requests_in_a_constant_number_of_queries(world: World) -> None:
    client = world.client_for(world.lead)
    _ask(world)
    client.get(reverse("wellbeing:home_requests"))  # warm up sessions and caches
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("wellbeing:home_requests"))
    for item in ("desk", "monitor", "headset"):
        _ask(world, item=item)
    _ask(world, world.colleague, item="laptop")
    with CaptureQueriesContext(connection) as five:
        response = client.get(reverse("wellbeing:home_requests"))
    assert len(response.context["open_requests"]) == 5
    assert len(five) == len(one)
