"""The personal wellbeing check: health items stay on the device; only a request is shared."""

from __future__ import annotations

import re

from veerkracht.people.models import AuditEvent
from veerkracht.pulses.models import ConversationRequest, ConversationWith

from ..conftest import World


def test_it_shows_the_health_questions_without_a_way_to_send_them(world: World) -> None:
    response = world.client_for(world.agent).get("/pulse/wellbeing-check/")
    assert response.status_code == 200
    body = response.content.decode()
    for key in ("health_energy", "health_exhaustion", "health_stress", "health_sleep"):
        assert f'data-health="{key}"' in body
    # The only form on the page posts the conversation request; the health inputs are outside it.
    forms = re.findall(r"<form.*?</form>", body, flags=re.S)
    assert forms and all("data-health" not in f for f in forms)
    check = body[body.index('id="health-check"') : body.index("</table>")]
    assert "<form" not in check  # no form owner: nothing in the check can ever be submitted
    assert "pulses/pulses.js" in body
    assert "<script>" not in body


def test_it_sends_only_the_request_to_the_team_lead(world: World) -> None:
    client = world.client_for(world.agent)
    response = client.post(
        "/pulse/wellbeing-check/conversation/",
        {"with_whom": "team_lead", "health-health_stress": "5", "score": "1"},
    )
    assert response.status_code == 302
    request = ConversationRequest.objects.get()
    assert (request.employee, request.recipient, request.with_whom) == (
        world.agent,
        world.lead,
        ConversationWith.TEAM_LEAD,
    )
    # The model has room for who, with whom and when: nothing else.
    assert {f.name for f in ConversationRequest._meta.concrete_fields} == {
        "id",
        "employee",
        "with_whom",
        "recipient",
        "created_at",
    }
    event = AuditEvent.objects.filter(object_type="pulses.ConversationRequest").get()
    assert "5" not in event.summary and event.changes == {}
    lead_page = world.client_for(world.lead).get("/pulse/conversations/")
    assert "Alice Jansen" in lead_page.content.decode()
    other_lead = world.client_for(world.lead_b).get("/pulse/conversations/")
    assert "Alice Jansen" not in other_lead.content.decode()


def test_it_routes_a_company_doctor_request_to_admins(world: World) -> None:
    world.client_for(world.agent).post(
        "/pulse/wellbeing-check/conversation/", {"with_whom": "company_doctor"}
    )
    request = ConversationRequest.objects.get()
    assert request.recipient is None
    assert (
        "Alice Jansen"
        in world.client_for(world.admin).get("/pulse/conversations/").content.decode()
    )
    assert (
        "Alice Jansen"
        not in world.client_for(world.lead).get("/pulse/conversations/").content.decode()
    )
    assert (
        "Alice Jansen"
        not in world.client_for(world.outsider).get("/pulse/conversations/").content.decode()
    )


def test_it_lists_participation_but_no_answers_in_my_data(world: World) -> None:
    from veerkracht.people.mydata import collect_my_data

    from .conftest import answer_all, open_pulse

    pulse = open_pulse(world, team=world.team_a, title="Week 47")
    answer_all(pulse, [world.agent], value=5, text="Heel geheim")
    data = collect_my_data(world.agent)
    assert "Week 47" in str(data)
    assert "Heel geheim" not in str(data)
