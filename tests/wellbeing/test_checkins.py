"""One 1:1: planning, the agenda, notes, actions, the score, private notes, ICS, my data."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from veerkracht.people import mydata
from veerkracht.people.models import AuditAction, AuditEvent, Employee
from veerkracht.wellbeing import checkins as services
from veerkracht.wellbeing.models_checkins import (
    ActionItem,
    AgendaItem,
    CheckIn,
    CheckInSeries,
    CheckInStatus,
)

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 11, 25, 10, 7, tzinfo=AMS)  # a Wednesday, ISO week 48


@pytest.fixture(autouse=True)
def frozen(world, time_machine):
    Employee.objects.update(language="en")
    time_machine.move_to(NOW, tick=False)


def plan(world, *, agent=None, start=None, **kwargs):
    return services.plan_checkin(
        by=world.lead.user,
        agent=agent or world.agent,
        start=start or NOW + timedelta(days=1),
        kind=kwargs.pop("kind", "phone"),
        **kwargs,
    )


def detail(checkin):
    return reverse("wellbeing:checkin_detail", args=[checkin.pk])


def test_it_plans_a_weekly_checkin_with_the_standing_agenda(world):
    response = world.client_for(world.lead).post(
        reverse("wellbeing:checkin_plan"),
        {
            "agent": world.agent.pk,
            "day": "2026-11-26",
            "start_time": "14:00",
            "kind": "video",
            "video_link": "https://meet.example.nl/abc",
            "duration_minutes": 30,
            "recurrence": "weekly",
        },
    )
    checkin = CheckIn.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(checkin)
    assert checkin.lead == world.lead and checkin.agent == world.agent
    assert checkin.planned_start == datetime(2026, 11, 26, 14, 0, tzinfo=AMS)
    assert checkin.series.weekday == 3 and checkin.series.time.hour == 14
    assert checkin.agenda_items.count() == 5
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, subject=world.agent).exists()


def test_it_requires_a_link_for_a_video_call(world):
    response = world.client_for(world.lead).post(
        reverse("wellbeing:checkin_plan"),
        {
            "agent": world.agent.pk,
            "day": "2026-11-26",
            "start_time": "14:00",
            "kind": "video",
            "duration_minutes": 30,
            "recurrence": "once",
        },
    )
    assert response.status_code == 400
    assert "A video call needs a link." in response.content.decode()
    assert not CheckIn.objects.exists()


def test_it_refuses_to_plan_for_someone_outside_the_team(world):
    client = world.client_for(world.lead)
    response = client.post(
        reverse("wellbeing:checkin_plan"),
        {
            "agent": world.agent_b.pk,
            "day": "2026-11-26",
            "start_time": "14:00",
            "kind": "phone",
            "duration_minutes": 30,
            "recurrence": "once",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["agent"]
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("agent", 200),
        ("lead", 200),
        ("colleague", 404),
        ("lead_b", 404),
        ("site_manager", 404),
        ("planner", 404),
        ("admin", 404),
        ("outsider", 404),
    ],
)
def test_it_shows_a_checkin_to_the_agent_and_their_lead_only(world, persona, status):
    checkin = plan(world)
    response = world.client_for(getattr(world, persona)).get(detail(checkin))
    assert response.status_code == status


def test_it_never_shows_private_notes_to_the_agent(world):
    checkin = plan(world)
    services.update_notes(checkin=checkin, by=world.lead.user, private_notes="Vraag naar cursus")
    agent = world.client_for(world.agent)

    page = agent.get(detail(checkin) + "?private=1")
    assert page.status_code == 200
    assert "Vraag naar cursus" not in page.content.decode()
    assert "Private notes" not in page.content.decode()

    response = agent.post(detail(checkin), {"action": "private_notes", "private_notes": "mine"})
    assert response.status_code == 403
    checkin.refresh_from_db()
    assert checkin.private_notes == "Vraag naar cursus"


def test_it_audits_every_read_of_private_notes(world):
    checkin = plan(world)
    services.update_notes(
        checkin=checkin, by=world.lead.user, private_notes="Wil teamleider worden"
    )
    lead = world.client_for(world.lead)
    reads = AuditEvent.objects.filter(action=AuditAction.READ, object_id=str(checkin.pk))

    assert "Wil teamleider worden" not in lead.get(detail(checkin)).content.decode()
    assert reads.count() == 0
    for _ in range(2):
        response = lead.get(detail(checkin) + "?private=1")
        assert "Wil teamleider worden" in response.content.decode()
    assert reads.count() == 2
    event = reads.first()
    assert event.subject == world.agent and event.actor == world.lead.user


def test_it_lets_the_lead_save_private_notes(world):
    checkin = plan(world)
    response = world.client_for(world.lead).post(
        detail(checkin), {"action": "private_notes", "private_notes": "Talent voor coaching"}
    )
    assert response.status_code == 302
    checkin.refresh_from_db()
    assert checkin.private_notes == "Talent voor coaching"
    # The audit log names the field, never the text (admins read the audit log).
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(checkin.pk)).get()
    assert "Talent" not in str(event.changes) + event.summary


@pytest.mark.parametrize(
    "text",
    [
        "Ze was vorige week ziek",
        "Heeft een diagnose gekregen",
        "Possible burn-out",
        "Started new medication",
        "Gaat naar therapie",
        "Symptoms are getting better",
    ],
)
def test_it_refuses_health_words_in_shared_notes(world, text):
    checkin = plan(world)
    response = world.client_for(world.agent).post(
        detail(checkin), {"action": "notes", "shared_notes": text}
    )
    assert response.status_code == 400
    assert "Do not record health information" in response.content.decode()
    checkin.refresh_from_db()
    assert checkin.shared_notes == ""


def test_it_refuses_health_words_in_agenda_items_and_actions(world):
    checkin = plan(world)
    client = world.client_for(world.lead)
    assert (
        client.post(detail(checkin), {"action": "agenda", "text": "Depressie"}).status_code == 400
    )
    response = client.post(
        detail(checkin), {"action": "action_item", "text": "Bel de therapeut", "owner": "agent"}
    )
    assert response.status_code == 400
    assert not AgendaItem.objects.filter(text__icontains="depressie").exists()
    assert not ActionItem.objects.exists()


def test_it_lets_agent_and_lead_add_agenda_items_notes_and_actions(world):
    checkin = plan(world)
    agent, lead = world.client_for(world.agent), world.client_for(world.lead)
    assert (
        agent.post(detail(checkin), {"action": "agenda", "text": "Rooster december"}).status_code
        == 302
    )
    assert (
        lead.post(detail(checkin), {"action": "agenda", "text": "Nieuwe chatmodule"}).status_code
        == 302
    )
    assert (
        agent.post(
            detail(checkin), {"action": "notes", "shared_notes": "Afspraak: vrijdag vrij"}
        ).status_code
        == 302
    )
    assert (
        lead.post(
            detail(checkin),
            {"action": "action_item", "text": "Training aanvragen", "owner": "agent"},
        ).status_code
        == 302
    )
    item = ActionItem.objects.get()
    assert item.owner == world.agent and not item.done
    assert (
        agent.post(
            detail(checkin), {"action": "toggle_action", "item": item.pk, "done": "1"}
        ).status_code
        == 302
    )
    item.refresh_from_db()
    assert item.done
    texts = list(checkin.agenda_items.exclude(text="").values_list("text", "added_by"))
    assert texts == [("Rooster december", world.agent.pk), ("Nieuwe chatmodule", world.lead.pk)]
    checkin.refresh_from_db()
    assert checkin.shared_notes == "Afspraak: vrijdag vrij"
    body = lead.get(detail(checkin)).content.decode()
    assert "Rooster december" in body and "Training aanvragen" in body and "How are you?" in body


def test_it_lets_only_the_agent_score_from_1_to_5(world):
    checkin = plan(world)
    agent = world.client_for(world.agent)
    assert agent.post(detail(checkin), {"action": "score", "score": "6"}).status_code == 400
    assert agent.post(detail(checkin), {"action": "score", "score": "0"}).status_code == 400
    checkin.refresh_from_db()
    assert checkin.score is None

    assert agent.post(detail(checkin), {"action": "score", "score": "4"}).status_code == 302
    checkin.refresh_from_db()
    assert checkin.score == 4 and checkin.score_at is not None

    lead = world.client_for(world.lead)
    assert lead.post(detail(checkin), {"action": "score", "score": "5"}).status_code == 403
    checkin.refresh_from_db()
    assert checkin.score == 4
    assert "<strong>4</strong> / 5" in lead.get(detail(checkin)).content.decode()


def test_it_lets_only_the_lead_mark_held_and_plans_the_next_of_the_series(world):
    checkin = plan(world, recurrence="weekly")
    agent = world.client_for(world.agent)
    assert agent.post(detail(checkin), {"action": "status", "status": "held"}).status_code == 403

    response = world.client_for(world.lead).post(
        detail(checkin), {"action": "status", "status": "held"}
    )
    assert response.status_code == 302
    checkin.refresh_from_db()
    assert checkin.status == CheckInStatus.HELD and checkin.held_at is not None
    following = CheckIn.objects.filter(series=checkin.series, status=CheckInStatus.PLANNED).get()
    assert following.planned_start == checkin.planned_start + timedelta(days=7)
    assert following.agenda_items.count() == 5


def test_it_plans_no_next_one_for_a_single_checkin(world):
    checkin = plan(world, recurrence="once")
    services.set_status(checkin=checkin, by=world.lead.user, status=CheckInStatus.CANCELLED)
    assert CheckIn.objects.count() == 1 and not CheckInSeries.objects.exists()


def test_it_serves_an_ics_invitation_to_lead_and_agent(world):
    checkin = plan(world, kind="video", video_link="https://meet.example.nl/abc")
    url = reverse("wellbeing:checkin_ics", args=[checkin.pk])
    for persona in ("agent", "lead"):
        response = world.client_for(getattr(world, persona)).get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        body = response.content.decode().replace("\r\n ", "")
        assert "BEGIN:VCALENDAR" in body and "BEGIN:VEVENT" in body
        assert "DTSTART:20261126T090700Z" in body
        assert "DTEND:20261126T093700Z" in body
        assert "SUMMARY:1:1 Lisa Visser and Alice Jansen" in body
        assert "mailto:lisa@example.nl" in body and "mailto:alice@example.nl" in body
        assert "LOCATION:https://meet.example.nl/abc" in body
        assert f"UID:checkin-{checkin.pk}@" in body
    assert world.client_for(world.lead_b).get(url).status_code == 404
    services.set_status(checkin=checkin, by=world.lead.user, status=CheckInStatus.HELD)
    assert world.client_for(world.agent).get(url).status_code == 404


def test_it_shows_the_agent_their_upcoming_checkin_history_and_trend(world):
    upcoming = plan(world, start=NOW + timedelta(days=1))
    services.add_agenda_item(checkin=upcoming, by=world.agent.user, text="Thuiswerkplek")
    past = plan(world, start=NOW - timedelta(days=7), recurrence="once")
    services.set_status(checkin=past, by=world.lead.user, status=CheckInStatus.HELD)
    services.set_score(checkin=past, by=world.agent.user, score=3)
    response = world.client_for(world.agent).get(reverse("wellbeing:my_checkins"))
    assert response.status_code == 200
    assert response.context["upcoming"] == [upcoming]
    assert past in response.context["history"]
    assert response.context["trend"] == [past]
    body = response.content.decode()
    assert "Thuiswerkplek" in body and "3 / 5" in body
    # A colleague sees none of it.
    other = world.client_for(world.colleague).get(reverse("wellbeing:my_checkins"))
    assert other.context["upcoming"] == [] and other.context["history"] == []


def test_it_exports_the_checkins_with_the_leads_private_notes_to_the_agent(world):
    checkin = plan(world)
    services.update_notes(
        checkin=checkin, by=world.lead.user, shared_notes="Gedeeld", private_notes="Prive"
    )
    services.set_score(checkin=checkin, by=world.agent.user, score=5)
    section = mydata.collect_my_data(world.agent)["sections"]["checkins"]
    assert section[0]["shared_notes"] == "Gedeeld"
    assert section[0]["private_notes_of_lead"] == "Prive"  # GDPR art. 15
    assert section[0]["score"] == 5 and section[0]["lead"] == "Lisa Visser"
    led = mydata.collect_my_data(world.lead)["sections"]["checkins_led"]
    assert led[0]["employee"] == "Alice Jansen" and "private_notes_of_lead" not in led[0]
    assert mydata.collect_my_data(world.colleague)["sections"]["checkins"] == []


def test_it_removes_checkins_older_than_a_year(world):
    old = plan(world, start=NOW - timedelta(days=400), recurrence="once")
    services.set_status(checkin=old, by=world.lead.user, status=CheckInStatus.HELD)
    recent = plan(world, start=NOW - timedelta(days=30), recurrence="once")
    assert services.purge_expired() == 1
    assert list(CheckIn.objects.all()) == [recent]
