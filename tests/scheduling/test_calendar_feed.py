"""The private ICS feed: made on "My shifts", shown once, only its hash stored, revocable, and
an iCalendar that calendars read with the right local times across the autumn DST change."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from tests.conftest import World
from veerkracht.people.models import AuditEvent, Employee
from veerkracht.scheduling import feeds
from veerkracht.scheduling.models_roster import CalendarFeed, ShiftState

from .shift_helpers import published_shift

NOW = "2026-10-20 10:00 +02:00"
FEED_RE = re.compile(r"/calendar/([A-Za-z0-9_\-]+)\.ics")


def _make_feed(client: Client) -> str:
    response = client.post(reverse("scheduling:my_shifts"), {"action": "create_feed"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    match = FEED_RE.search(response.content.decode())
    assert match, "the new feed URL is on the page"
    return match.group(1)


def _events(body: bytes) -> list:  # type: ignore[type-arg]
    return [c for c in Calendar.from_ical(body).walk("VEVENT")]


@time_machine.travel(NOW, tick=False)
def test_it_serves_the_feed_without_login_for_a_valid_token(world: World) -> None:
    published_shift(world.agent, date(2026, 10, 22))
    token = _make_feed(world.client_for(world.agent))
    response = Client().get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Cache-Control"].startswith("private")
    assert len(_events(response.content)) == 1


@time_machine.travel(NOW, tick=False)
def test_it_stores_only_the_hash_and_a_hint(world: World) -> None:
    token = _make_feed(world.client_for(world.agent))
    feed = CalendarFeed.objects.get(employee=world.agent)
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert feed.token_hint == token[-4:]
    values = CalendarFeed.objects.filter(pk=feed.pk).values().get()
    assert not any(token in str(v) for v in values.values())


@time_machine.travel(NOW, tick=False)
def test_it_shows_the_url_only_once(world: World) -> None:
    client = world.client_for(world.agent)
    token = _make_feed(client)
    page = client.get(reverse("scheduling:my_shifts")).content.decode()
    assert token not in page
    assert f"…{token[-4:]}" in page


@time_machine.travel(NOW, tick=False)
def test_it_answers_404_for_a_revoked_token(world: World) -> None:
    client = world.client_for(world.agent)
    token = _make_feed(client)
    response = client.post(reverse("scheduling:my_shifts"), {"action": "revoke_feed"})
    assert response.status_code == 302
    assert Client().get(f"/calendar/{token}.ics").status_code == 404
    assert CalendarFeed.objects.get(employee=world.agent).revoked_at is not None


@time_machine.travel(NOW, tick=False)
def test_it_stops_the_old_url_when_a_new_one_is_made(world: World) -> None:
    client = world.client_for(world.agent)
    old = _make_feed(client)
    new = _make_feed(client)
    assert Client().get(f"/calendar/{old}.ics").status_code == 404
    assert Client().get(f"/calendar/{new}.ics").status_code == 200


@pytest.mark.parametrize("token", ["unknown", "x" * 300, "a%2Fb"])
def test_it_answers_404_for_unknown_tokens(world: World, token: str) -> None:
    assert Client().get(f"/calendar/{token}.ics").status_code == 404


@time_machine.travel(NOW, tick=False)
def test_it_audits_creation_and_revocation(world: World) -> None:
    client = world.client_for(world.agent)
    _make_feed(client)
    client.post(reverse("scheduling:my_shifts"), {"action": "revoke_feed"})
    events = AuditEvent.objects.filter(
        object_type="scheduling.CalendarFeed", subject=world.agent
    ).order_by("pk")
    assert [e.action for e in events] == ["create", "delete"]
    assert events[0].actor == world.agent.user


@time_machine.travel(NOW, tick=False)
def test_it_has_the_right_local_times_across_the_dst_change(world: World) -> None:
    # Summer time ends on Sunday 25 October 2026 at 03:00 (CEST +02:00 → CET +01:00).
    saturday = published_shift(world.agent, date(2026, 10, 24), (9, 0), (17, 30))
    sunday = published_shift(
        world.agent, date(2026, 10, 25), (9, 0), (17, 30), channels=("phone", "email")
    )
    events = {str(e["UID"]).split("@")[0]: e for e in _events(feeds.shifts_ics(world.agent))}
    sat = events[f"shift-{saturday.pk}"]
    sun = events[f"shift-{sunday.pk}"]
    for event, offset in ((sat, 2), (sun, 1)):
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert (start.hour, start.minute, end.hour, end.minute) == (9, 0, 17, 30)
        assert start.utcoffset() == timedelta(hours=offset)
        assert str(event["DTSTART"].params["TZID"]) == "Europe/Amsterdam"
    # The statutory 30-minute pause of an 8.5-hour shift is in the description.
    assert "13:00–13:30" in str(sun["DESCRIPTION"])
    # "Dienst: telefoon/e-mail" once the msgid "Shift: %(channels)s" is translated.
    assert str(sun["SUMMARY"]).endswith(": telefoon/e-mail")
    calendar = Calendar.from_ical(feeds.shifts_ics(world.agent))
    assert calendar.walk("VTIMEZONE"), "a VTIMEZONE for Europe/Amsterdam is included"
    assert "Alice Jansen" in str(calendar["X-WR-CALNAME"])


@time_machine.travel(NOW, tick=False)
def test_it_writes_the_summary_in_the_employees_language(world: World) -> None:
    Employee.objects.filter(pk=world.agent.pk).update(language="en")
    world.agent.refresh_from_db()
    published_shift(world.agent, date(2026, 10, 22), channels=("phone", "email"))
    (event,) = _events(feeds.shifts_ics(world.agent))
    assert str(event["SUMMARY"]) == "Shift: phone/e-mail"
    assert "Break: 13:00–13:30" in str(event["DESCRIPTION"])


@time_machine.travel(NOW, tick=False)
def test_it_holds_only_own_published_shifts_within_the_window(world: World) -> None:
    mine = published_shift(world.agent, date(2026, 10, 22))
    published_shift(world.agent, date(2026, 10, 23), state=ShiftState.DRAFT)
    published_shift(world.colleague, date(2026, 10, 22))
    published_shift(world.agent, date(2026, 8, 1))  # more than 30 days back
    published_shift(world.agent, date(2027, 2, 1))  # more than 90 days ahead
    token = _make_feed(world.client_for(world.agent))
    events = _events(Client().get(f"/calendar/{token}.ics").content)
    assert [str(e["UID"]).split("@")[0] for e in events] == [f"shift-{mine.pk}"]


@time_machine.travel(NOW, tick=False)
def test_it_answers_304_when_nothing_changed(world: World) -> None:
    published_shift(world.agent, date(2026, 10, 22))
    token = _make_feed(world.client_for(world.agent))
    first = Client().get(f"/calendar/{token}.ics")
    again = Client().get(f"/calendar/{token}.ics", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_it_records_last_use_at_most_every_few_minutes(world: World) -> None:
    with time_machine.travel(NOW, tick=False):
        feed, token = feeds.create_feed(employee=world.agent)
        Client().get(f"/calendar/{token}.ics")
        first = CalendarFeed.objects.get(pk=feed.pk).last_used_at
        assert first is not None
    with time_machine.travel("2026-10-20 10:03 +02:00", tick=False):
        Client().get(f"/calendar/{token}.ics")
        assert CalendarFeed.objects.get(pk=feed.pk).last_used_at == first
    with time_machine.travel("2026-10-20 10:30 +02:00", tick=False):
        Client().get(f"/calendar/{token}.ics")
        assert CalendarFeed.objects.get(pk=feed.pk).last_used_at > first


def test_it_stops_the_feed_of_a_deactivated_employee(world: World) -> None:
    _feed, token = feeds.create_feed(employee=world.agent)
    Employee.objects.filter(pk=world.agent.pk).update(is_active=False)
    assert Client().get(f"/calendar/{token}.ics").status_code == 404
