"""The intraday pages: the planner's day, actuals, one-click actions, quick tasks, extra hours."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import World
from veerkracht.people.models import Employee
from veerkracht.scheduling import intraday
from veerkracht.scheduling.models import ContactVolume
from veerkracht.scheduling.models_roster import (
    ExtraHoursOffer,
    QuickTask,
    QuickTaskAssignment,
    Shift,
)

from .intraday_world import (
    DAY,
    NOW,
    agent,
    at,
    available,
    make_forecast,
    published_shift,
    store_actuals,
)

URL = reverse("scheduling:intraday")


@pytest.fixture
def frozen(time_machine):  # type: ignore[no-untyped-def]
    time_machine.move_to(NOW, tick=False)


def test_it_shows_actual_forecast_and_ratio(world: World, frozen: None, english: World) -> None:
    make_forecast(world, phone=40.0, email=10.0)
    store_actuals(world, "phone", 52.0)
    response = world.client_for(world.planner).get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert "×1.3" in text and "Ratio applied to the rest of the day." in text
    assert 'data-chart="intraday-day"' in text and "Suggestions" in text


def test_it_works_without_forecast_or_shifts(world: World, frozen: None, english: World) -> None:
    response = world.client_for(world.planner).get(URL)
    assert response.status_code == 200
    assert "No finished forecast covers this day" in response.content.decode()


def test_it_shows_suggestions_to_site_managers_without_buttons(
    world: World, frozen: None, english: World
) -> None:
    make_forecast(world)
    ok = agent(world, "Anouk", ("phone",))
    available(ok)
    planner_page = world.client_for(world.planner).get(URL).content.decode()
    manager_page = world.client_for(world.site_manager).get(URL).content.decode()
    assert "Offer Anouk Test extra hours" in planner_page
    assert "Offer Anouk Test extra hours" in manager_page
    assert reverse("scheduling:intraday_offer") in planner_page
    assert reverse("scheduling:intraday_offer") not in manager_page


def test_it_refreshes_the_live_part_with_htmx(world: World, frozen: None) -> None:
    make_forecast(world)
    response = world.client_for(world.planner).get(
        URL, {"day": DAY.isoformat(), "partial": "live"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert text.lstrip().startswith('<div id="live"') and "<html" not in text


def test_it_stores_an_uploaded_file(world: World, frozen: None) -> None:
    content = b"start;kanaal;contacten\n03-06-2025 09:00;telefoon;12\n"
    response = world.client_for(world.planner).post(
        reverse("scheduling:intraday_upload"),
        {"day": DAY.isoformat(), "file": SimpleUploadedFile("vandaag.csv", content)},
    )
    assert response.status_code == 302
    assert ContactVolume.objects.get().contacts == 12


def test_it_shows_row_errors_and_stores_nothing(world: World, frozen: None, english: World) -> None:
    content = b"start,channel,contacts\n2025-06-03T09:00,phone,12\n2025-06-03T09:15,fax,3\n"
    response = world.client_for(world.planner).post(
        reverse("scheduling:intraday_upload"),
        {"day": DAY.isoformat(), "file": SimpleUploadedFile("x.csv", content)},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "1 problem: nothing was stored." in text and "fax" in text
    assert not ContactVolume.objects.exists()


def test_it_stores_one_entered_interval(world: World, frozen: None) -> None:
    make_forecast(world)
    client = world.client_for(world.planner)
    data = {"day": DAY.isoformat(), "time": "11:45", "contacts_phone": "7", "contacts_email": ""}
    assert client.post(reverse("scheduling:intraday_actuals"), data).status_code == 302
    assert ContactVolume.objects.get(channel="phone", start=at(11, 45)).contacts == 7
    data["contacts_phone"] = "9"
    client.post(reverse("scheduling:intraday_actuals"), data)
    assert ContactVolume.objects.get(channel="phone", start=at(11, 45)).contacts == 9


def test_it_refuses_an_interval_in_the_future(world: World, frozen: None, english: World) -> None:
    make_forecast(world)
    data = {"day": DAY.isoformat(), "time": "15:00", "contacts_phone": "7"}
    response = world.client_for(world.planner).post(reverse("scheduling:intraday_actuals"), data)
    assert response.status_code == 400
    assert "This interval has not started yet." in response.content.decode()
    assert not ContactVolume.objects.exists()


def test_it_offers_extra_hours_with_one_click(world: World, frozen: None) -> None:
    make_forecast(world)
    ok = agent(world, "Anouk", ("phone",))
    available(ok)
    view = intraday.day_view(world.org, DAY)
    suggestion = next(s for s in intraday.suggestions(view) if s.kind == "extra_hours")
    response = world.client_for(world.planner).post(
        reverse("scheduling:intraday_offer"), {"day": DAY.isoformat(), **suggestion.params()}
    )
    assert response.status_code == 302
    offer = ExtraHoursOffer.objects.get()
    assert offer.employee == ok and offer.status == "offered"


def test_it_moves_an_agent_with_one_click(world: World, frozen: None) -> None:
    make_forecast(world)
    dual = agent(world, "Dirk", ("phone", "email"))
    shift = published_shift(dual, at(12), at(17), "email")
    response = world.client_for(world.planner).post(
        reverse("scheduling:intraday_move"),
        {
            "day": DAY.isoformat(),
            "shift_id": shift.pk,
            "start": "2025-06-03T12:15",
            "end": "2025-06-03T13:00",
            "channel": "phone",
        },
    )
    assert response.status_code == 302
    shift.refresh_from_db()
    assert [a["channel"] for a in shift.assignments] == ["email", "phone", "email"]


def test_it_refuses_a_move_of_another_organisations_shift(world: World, frozen: None) -> None:
    shift = published_shift(world.outsider, at(12), at(17), "phone")
    response = world.client_for(world.planner).post(
        reverse("scheduling:intraday_move"),
        {
            "shift_id": shift.pk,
            "start": "2025-06-03T13:00",
            "end": "2025-06-03T14:00",
            "channel": "phone",
        },
    )
    assert response.status_code == 404
    assert Shift.objects.get(pk=shift.pk).assignments == shift.assignments


def test_it_manages_quick_tasks(world: World, english: World) -> None:
    client = world.client_for(world.planner)
    url = reverse("scheduling:quick_tasks")
    response = client.post(
        url,
        {
            "title": "Kennisartikel: storing internet",
            "kind": "knowledge",
            "minutes": 20,
            "channel": "",
        },
    )
    assert response.status_code == 302
    task = QuickTask.objects.get()
    assert task.organisation == world.org and task.active
    client.post(reverse("scheduling:quick_task_toggle", args=[task.pk]))
    assert not QuickTask.objects.get().active
    bad = client.post(url, {"title": "", "kind": "knowledge", "minutes": 1})
    assert bad.status_code == 400 and QuickTask.objects.count() == 1


def test_it_lets_the_agent_accept_an_offer_on_the_phone_page(world: World, frozen: None) -> None:
    ok = agent(world, "Anouk", ("phone",))
    available(ok)
    offer = intraday.offer_extra_hours(
        organisation=world.org, employee=ok, start=at(14), end=at(17), channel="phone", by=None
    )
    client = world.client_for(ok)
    page = client.get(reverse("scheduling:extra_hours"))
    assert page.status_code == 200 and f'id="offer-{offer.pk}"' in page.content.decode()
    response = client.post(
        reverse("scheduling:extra_hours_answer", args=[offer.pk]), {"answer": "accept"}
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.status == "accepted" and offer.shift is not None


def test_it_answers_a_second_answer_with_an_error(
    world: World, frozen: None, english: World
) -> None:
    ok = agent(world, "Anouk", ("phone",))
    Employee.objects.filter(pk=ok.pk).update(language="en")  # made after the english fixture ran
    available(ok)
    offer = intraday.offer_extra_hours(
        organisation=world.org, employee=ok, start=at(14), end=at(17), channel="phone", by=None
    )
    client = world.client_for(ok)
    client.post(reverse("scheduling:extra_hours_answer", args=[offer.pk]), {"answer": "decline"})
    again = client.post(
        reverse("scheduling:extra_hours_answer", args=[offer.pk]), {"answer": "accept"}
    )
    assert again.status_code == 400 and "already answered" in again.content.decode()
    assert ExtraHoursOffer.objects.get().status == "declined"


def test_it_hides_other_peoples_offers(world: World, frozen: None) -> None:
    ok = agent(world, "Anouk", ("phone",))
    available(ok)
    offer = intraday.offer_extra_hours(
        organisation=world.org, employee=ok, start=at(14), end=at(17), channel="phone", by=None
    )
    response = world.client_for(world.agent).post(
        reverse("scheduling:extra_hours_answer", args=[offer.pk]), {"answer": "accept"}
    )
    assert response.status_code == 404
    assert ExtraHoursOffer.objects.get().status == "offered"


def test_it_lets_the_agent_mark_a_quick_task_done(world: World, frozen: None) -> None:
    task = QuickTask.objects.create(organisation=world.org, title="Terugbelverzoeken", minutes=30)
    worker = agent(world, "Ilse", ("phone",))
    published_shift(worker, at(12), at(16), "phone")
    assignment = intraday.assign_quick_task(
        organisation=world.org, task=task, employee=worker, start=at(13), by=None
    )
    client = world.client_for(worker)
    assert "Terugbelverzoeken" in client.get(reverse("scheduling:extra_hours")).content.decode()
    client.post(reverse("scheduling:quick_task_done", args=[assignment.pk]))
    assert QuickTaskAssignment.objects.get().done_at is not None
