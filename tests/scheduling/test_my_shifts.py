"""The agent's "My shifts" page: today's shift at the top, the coming weeks by ISO week with
hours against the contract, change notices shown once, and the home card."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.conftest import World
from veerkracht.people.models import Employee
from veerkracht.scheduling import shifts
from veerkracht.scheduling.models_roster import ShiftChangeKind, ShiftState

from .shift_helpers import added_notice, published_shift

NOW = "2026-10-21 08:00 +02:00"  # Wednesday of ISO week 43
TODAY = date(2026, 10, 21)
URL = "/planning/shifts/"


@pytest.fixture(autouse=True)
def _english(world: World) -> None:
    Employee.objects.update(language="en")


def test_it_is_the_named_url() -> None:
    assert reverse("scheduling:my_shifts") == URL


def test_it_sends_anonymous_visitors_to_the_login() -> None:
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@time_machine.travel(NOW, tick=False)
def test_it_shows_todays_shift_with_break_channels_and_reason(world: World) -> None:
    shift = published_shift(
        world.agent,
        TODAY,
        (9, 0),
        (17, 30),
        channels=("phone", "chat"),
        explanation="You asked for early shifts on Wednesdays.",
    )
    page = world.client_for(world.agent).get(URL).content.decode()
    today = page[page.index('id="today"') : page.index('id="weeks"')]
    assert f'id="today-shift-{shift.pk}"' in today
    assert "09:00–17:30" in today
    assert "09:00–13:00" in today and "Phone" in today
    assert "13:00–13:30" in today and "Break" in today
    assert "13:30–17:30" in today and "Chat" in today
    assert "You asked for early shifts on Wednesdays." in today


@time_machine.travel(NOW, tick=False)
def test_it_says_so_when_there_is_no_shift_today(world: World) -> None:
    published_shift(world.agent, date(2026, 10, 22))
    page = world.client_for(world.agent).get(URL).content.decode()
    assert 'id="no-shift-today"' in page


@time_machine.travel(NOW, tick=False)
def test_it_lists_the_weeks_with_hours_against_the_contract(world: World) -> None:
    published_shift(world.agent, date(2026, 10, 19))  # Monday week 43: 8 h work
    published_shift(world.agent, date(2026, 10, 22))  # Thursday week 43: 8 h work
    published_shift(world.agent, date(2026, 10, 27))  # Tuesday week 44 (after the DST change)
    page = world.client_for(world.agent).get(URL).content.decode()
    week43 = page[page.index('id="week-2026-W43"') : page.index('id="week-2026-W44"')]
    week44 = page[page.index('id="week-2026-W44"') : page.index('id="week-2026-W45"')]
    assert "Week 43" in week43
    assert "16 of 32 contract hours" in week43
    assert week43.count('id="shift-') == 2
    assert "8 of 32 contract hours" in week44
    assert "Tue 27 Oct · 09:00–17:30" in week44
    assert 'id="week-2026-W46"' in page


@time_machine.travel(NOW, tick=False)
def test_it_shows_no_drafts_and_no_shifts_of_others(world: World) -> None:
    draft = published_shift(world.agent, date(2026, 10, 22), state=ShiftState.DRAFT)
    bobs = published_shift(world.colleague, date(2026, 10, 22))
    page = world.client_for(world.agent).get(URL).content.decode()
    assert f'id="shift-{draft.pk}"' not in page
    assert f'id="shift-{bobs.pk}"' not in page


@time_machine.travel(NOW, tick=False)
def test_it_shows_unseen_changes_once_and_marks_them_seen(world: World) -> None:
    shift = published_shift(world.agent, date(2026, 10, 23), (10, 0), (18, 0))
    before = {"start": "2026-10-23T09:00+02:00", "end": "2026-10-23T17:00+02:00"}
    change = shifts.record_change(
        employee=world.agent,
        shift=shift,
        kind=ShiftChangeKind.CHANGED,
        before=before,
        after=shifts.shift_snapshot(shift),
        by=world.planner.user,
    )
    client = world.client_for(world.agent)
    page = client.get(URL).content.decode()
    notices = page[page.index('id="notices"') : page.index('id="today"')]
    assert "Changed on Wed 21 Oct 08:00 by Piet Mulder" in notices
    assert "09:00–17:00" in notices and "10:00–18:00" in notices
    change.refresh_from_db()
    assert change.seen_at is not None
    assert 'id="notices"' not in client.get(URL).content.decode()


@time_machine.travel(NOW, tick=False)
def test_it_does_not_mark_others_changes_seen(world: World) -> None:
    shift = published_shift(world.colleague, date(2026, 10, 23))
    change = added_notice(world.colleague, shift, by=world.planner)
    page = world.client_for(world.agent).get(URL).content.decode()
    assert 'id="notices"' not in page
    change.refresh_from_db()
    assert change.seen_at is None


@time_machine.travel(NOW, tick=False)
def test_it_links_future_shifts_to_the_swap_offer(world: World) -> None:
    shift = published_shift(world.agent, date(2026, 10, 23))
    page = world.client_for(world.agent).get(URL).content.decode()
    url = reverse("scheduling:swap_offer", kwargs={"pk": shift.pk})
    assert f'href="{url}"' in page


@time_machine.travel(NOW, tick=False)
def test_it_refuses_an_unknown_action(world: World) -> None:
    response = world.client_for(world.agent).post(URL, {"action": "explode"})
    assert response.status_code == 400
    assert "Unknown action" in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_it_shows_todays_shift_on_the_home_page(world: World) -> None:
    published_shift(world.agent, TODAY, (9, 0), (17, 30))
    page = world.client_for(world.agent).get("/").content.decode()
    card = page[page.index('id="home-shift-today"') :]
    assert "09:00–17:30" in card
    assert reverse("scheduling:my_shifts") in card


@time_machine.travel(NOW, tick=False)
def test_it_needs_few_queries(world: World, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for day in (19, 20, 21, 22, 23, 26, 27, 28):
        published_shift(world.agent, date(2026, 10, day))
    client = world.client_for(world.agent)
    with django_assert_max_num_queries(20):
        assert client.get(URL).status_code == 200
