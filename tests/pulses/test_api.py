"""The pulse API: same rules as the pages (once, within the scale, while open, thresholds)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from veerkracht.pulses.models import Answer, ConversationRequest, Participation, Scale

from ..conftest import World
from .conftest import answer_all, full_answers, open_pulse


def _body(pulse, value: int = 4) -> dict:  # type: ignore[no-untyped-def]
    return {
        "answers": [
            {"question": k, "value": v} if not isinstance(v, str) else {"question": k, "text": v}
            for k, v in full_answers(pulse, value).items()
        ]
    }


def test_it_lists_my_open_pulses_with_their_questions(world: World) -> None:
    pulse = open_pulse(world, team=world.team_a)
    open_pulse(world, team=world.team_b)
    response = world.client_for(world.agent).get("/api/v1/pulses")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    item = data["results"][0]
    assert item["id"] == pulse.pk and item["answered"] is False
    enps = next(q for q in item["questions"] if q["scale"] == "zero_ten")
    assert (enps["min"], enps["max"]) == (0, 10)
    assert all(q["category"] != "health" for q in item["questions"])
    assert world.client_for(world.outsider).get("/api/v1/pulses").json()["count"] == 0


def test_it_answers_once_through_the_api(world: World) -> None:
    pulse = open_pulse(world, team=world.team_a)
    client = world.client_for(world.agent)
    url = f"/api/v1/pulses/{pulse.pk}/answers"
    response = client.post(url, _body(pulse), content_type="application/json")
    assert response.status_code == 201, response.content
    assert (
        Answer.objects.filter(pulse=pulse).count()
        == pulse.questions.exclude(scale=Scale.TEXT).count()
    )
    again = client.post(url, _body(pulse, 2), content_type="application/json")
    assert again.status_code == 409
    assert "already answered" in again.json()["detail"]
    assert Participation.objects.filter(pulse=pulse).count() == 1
    assert client.get("/api/v1/pulses").json()["results"][0]["answered"] is True


def test_it_rejects_out_of_scale_answers_with_422(world: World) -> None:
    pulse = open_pulse(world, team=world.team_a)
    body = _body(pulse)
    enps = pulse.questions.get(scale=Scale.ZERO_TEN)
    for item in body["answers"]:
        if item["question"] == enps.pk:
            item["value"] = 11
    response = world.client_for(world.agent).post(
        f"/api/v1/pulses/{pulse.pk}/answers", body, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", f"q{enps.pk}"]
    assert not Answer.objects.exists() and not Participation.objects.exists()


def test_it_refuses_answers_to_a_closed_pulse_with_409(world: World) -> None:
    now = timezone.now()
    pulse = open_pulse(
        world,
        team=world.team_a,
        opens_at=now - timedelta(days=2),
        closes_at=now - timedelta(minutes=1),
    )
    response = world.client_for(world.agent).post(
        f"/api/v1/pulses/{pulse.pk}/answers", _body(pulse), content_type="application/json"
    )
    assert response.status_code == 409
    assert not Answer.objects.exists()


def test_it_hides_another_teams_pulse_in_the_api(world: World) -> None:
    pulse = open_pulse(world, team=world.team_b)
    for persona in (world.agent, world.outsider):
        response = world.client_for(persona).post(
            f"/api/v1/pulses/{pulse.pk}/answers", _body(pulse), content_type="application/json"
        )
        assert response.status_code == 404
    assert not Answer.objects.exists()


def test_it_returns_hidden_groups_as_hidden_with_a_reason(world: World, add_agents) -> None:  # type: ignore[no-untyped-def]
    pulse = open_pulse(world, team=world.team_a)
    answer_all(pulse, add_agents(world.team_a, 4))
    client = world.client_for(world.lead)
    data = client.get(f"/api/v1/pulses/results?pulse={pulse.pk}").json()
    assert data["threshold"] == 5
    assert data["groups"] == [
        {
            "group": "team",
            "id": world.team_a.pk,
            "label": world.team_a.name,
            "hidden": True,
            "reason": data["groups"][0]["reason"],
        }
    ]
    answer_all(pulse, add_agents(world.team_a, 1))
    group = client.get(f"/api/v1/pulses/results?pulse={pulse.pk}").json()["groups"][0]
    assert group["hidden"] is False and group["respondents"] == 5
    assert group["enps"] == 0.0  # everyone gave 8: all passives, so 0 % − 0 %
    assert world.client_for(world.agent).get("/api/v1/pulses/results").status_code == 403
    assert (
        world.client_for(world.lead_b).get(f"/api/v1/pulses/results?pulse={pulse.pk}").status_code
        == 404
    )


def test_it_sends_and_lists_conversation_requests(world: World) -> None:
    response = world.client_for(world.agent).post(
        "/api/v1/conversation-requests", {"with_whom": "team_lead"}, content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["recipient"] == world.lead.pk
    lead_list = world.client_for(world.lead).get("/api/v1/conversation-requests").json()
    assert [r["employee"]["id"] for r in lead_list["results"]] == [world.agent.pk]
    assert world.client_for(world.lead_b).get("/api/v1/conversation-requests").json()["count"] == 0
    assert (
        world.client_for(world.outsider).get("/api/v1/conversation-requests").json()["count"] == 0
    )
    bad = world.client_for(world.agent).post(
        "/api/v1/conversation-requests",
        {"with_whom": "team_lead", "stress": 5},
        content_type="application/json",
    )
    assert bad.status_code == 422  # nothing but the request itself is accepted
    assert ConversationRequest.objects.count() == 1
