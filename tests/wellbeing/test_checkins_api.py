"""The 1:1 API: /api/v1/checkins and /api/v1/attention, scoped like the pages."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from veerkracht.people import services as people_services
from veerkracht.people.models import AuditAction, AuditEvent, Employee
from veerkracht.wellbeing import checkins as services
from veerkracht.wellbeing.models_checkins import CheckIn, CheckInStatus

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=AMS)
API = "/api/v1"


@pytest.fixture(autouse=True)
def frozen(world, time_machine):
    Employee.objects.update(language="en")
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def as_(world):
    def client(persona):
        _token, key = people_services.issue_api_token(user=getattr(world, persona).user, name="t")
        return Client(HTTP_AUTHORIZATION=f"Bearer {key}")

    return client


@pytest.fixture
def checkin(world):
    checkin = services.plan_checkin(
        by=world.lead.user, agent=world.agent, start=NOW + timedelta(days=1), kind="phone"
    )
    services.update_notes(checkin=checkin, by=world.lead.user, private_notes="Alleen voor mij")
    return checkin


def send(client, method, url, body):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("agent", True),
        ("lead", True),
        ("colleague", False),
        ("lead_b", False),
        ("site_manager", False),
        ("planner", False),
        ("admin", False),
        ("outsider", False),
    ],
)
def test_it_scopes_the_list_and_detail(world, as_, checkin, persona, visible):
    client = as_(persona)
    listed = client.get(f"{API}/checkins")
    assert listed.status_code == 200
    assert [c["id"] for c in listed.json()["results"]] == ([checkin.pk] if visible else [])
    assert client.get(f"{API}/checkins/{checkin.pk}").status_code == (200 if visible else 404)


def test_it_returns_private_notes_to_the_lead_only_and_audits_the_read(world, as_, checkin):
    reads = AuditEvent.objects.filter(action=AuditAction.READ, object_id=str(checkin.pk))
    agent = as_("agent").get(f"{API}/checkins/{checkin.pk}").json()
    assert agent["private_notes"] is None and reads.count() == 0
    assert "Alleen voor mij" not in json.dumps(agent)
    listed = as_("lead").get(f"{API}/checkins").json()["results"][0]
    assert listed["private_notes"] is None and reads.count() == 0
    lead = as_("lead").get(f"{API}/checkins/{checkin.pk}").json()
    assert lead["private_notes"] == "Alleen voor mij" and reads.count() == 1
    assert len(lead["agenda"]) == 5 and lead["agenda"][0]["standing_item"] == "how_are_you"


def test_it_lets_the_lead_plan_for_their_team_only(world, as_):
    body = {
        "agent": world.agent.pk,
        "planned_start": "2026-11-26T14:00:00+01:00",
        "kind": "video",
        "video_link": "https://meet.example.nl/x",
    }
    response = send(as_("lead"), "post", f"{API}/checkins", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["agent"]["id"] == world.agent.pk and data["recurring"] is True
    assert CheckIn.objects.get().planned_start == datetime(2026, 11, 26, 14, tzinfo=AMS)

    assert (
        send(
            as_("lead"), "post", f"{API}/checkins", {**body, "agent": world.agent_b.pk}
        ).status_code
        == 404
    )
    assert send(as_("agent"), "post", f"{API}/checkins", body).status_code == 403
    assert CheckIn.objects.count() == 1


def test_it_refuses_bad_input_with_422(world, as_):
    lead = as_("lead")
    no_link = send(
        lead,
        "post",
        f"{API}/checkins",
        {"agent": world.agent.pk, "planned_start": "2026-11-26T14:00:00+01:00", "kind": "video"},
    )
    assert no_link.status_code == 422
    assert no_link.json()["detail"][0]["loc"] == ["body", "video_link"]
    bad_kind = send(
        lead,
        "post",
        f"{API}/checkins",
        {"agent": world.agent.pk, "planned_start": "2026-11-26T14:00:00+01:00", "kind": "fax"},
    )
    assert bad_kind.status_code == 422 and bad_kind.json()["detail"][0]["loc"] == ["body", "kind"]
    assert not CheckIn.objects.exists()


def test_it_lets_the_agent_score_from_1_to_5_only(world, as_, checkin):
    url = f"{API}/checkins/{checkin.pk}"
    too_high = send(as_("agent"), "patch", url, {"score": 6})
    assert too_high.status_code == 422 and too_high.json()["detail"][0]["loc"] == ["body", "score"]
    assert send(as_("agent"), "patch", url, {"score": 0}).status_code == 422
    assert send(as_("lead"), "patch", url, {"score": 3}).status_code == 403
    ok = send(as_("agent"), "patch", url, {"score": 4})
    assert ok.status_code == 200 and ok.json()["score"] == 4
    checkin.refresh_from_db()
    assert checkin.score == 4


def test_it_lets_only_the_lead_change_private_notes_and_status(world, as_, checkin):
    url = f"{API}/checkins/{checkin.pk}"
    assert send(as_("agent"), "patch", url, {"private_notes": "x"}).status_code == 403
    assert send(as_("agent"), "patch", url, {"status": "held"}).status_code == 403
    shared = send(as_("agent"), "patch", url, {"shared_notes": "Afspraak: minder chat"})
    assert shared.status_code == 200 and shared.json()["private_notes"] is None
    held = send(as_("lead"), "patch", url, {"status": "held", "private_notes": "Goed gesprek"})
    assert held.status_code == 200 and held.json()["status"] == "held"
    checkin.refresh_from_db()
    assert checkin.status == CheckInStatus.HELD and checkin.private_notes == "Goed gesprek"
    assert checkin.shared_notes == "Afspraak: minder chat"
    assert send(as_("lead_b"), "patch", url, {"shared_notes": "x"}).status_code == 404


def test_it_refuses_health_words_with_422(world, as_, checkin):
    response = send(
        as_("lead"), "patch", f"{API}/checkins/{checkin.pk}", {"shared_notes": "Is ziek"}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "shared_notes"]
    assert response.json()["detail"][0]["type"] == "health_information"


def test_it_adds_agenda_items_for_agent_and_lead(world, as_, checkin):
    url = f"{API}/checkins/{checkin.pk}/agenda"
    response = send(as_("agent"), "post", url, {"text": "Rooster"})
    assert response.status_code == 201 and response.json()["text"] == "Rooster"
    assert response.json()["added_by"]["id"] == world.agent.pk
    assert send(as_("colleague"), "post", url, {"text": "x"}).status_code == 404
    assert send(as_("agent"), "post", url, {"text": ""}).status_code == 422
    assert checkin.agenda_items.count() == 6


def test_it_lists_attention_for_leads_only(world, as_):
    response = as_("lead").get(f"{API}/attention")
    assert response.status_code == 200
    names = {item["employee"]["name"]: item["reasons"] for item in response.json()}
    assert set(names) >= {"Alice Jansen", "Bob de Vries"} and "Carol Bakker" not in names
    assert "No 1:1 held yet." in names["Alice Jansen"]
    assert as_("agent").get(f"{API}/attention").status_code == 403
    assert as_("outsider").get(f"{API}/attention").json() == []
