"""The intraday API: the day, suggestions, actuals with row errors, actions, the agent's own."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import World
from tests.scheduling.conftest import token_client
from veerkracht.people.models import Employee
from veerkracht.scheduling import intraday
from veerkracht.scheduling.models import ContactVolume
from veerkracht.scheduling.models_roster import ExtraHoursOffer, QuickTask, Shift

from .intraday_world import NOW, agent, at, available, make_forecast, published_shift, store_actuals


@pytest.fixture
def frozen(time_machine):  # type: ignore[no-untyped-def]
    time_machine.move_to(NOW, tick=False)


def _get(employee: Employee, url: str) -> Any:
    return token_client(employee).get(url)


def _post(employee: Employee, url: str, body: Any) -> Any:
    return token_client(employee).post(url, json.dumps(body), content_type="application/json")


def test_it_returns_the_day_per_channel(world: World, frozen: None) -> None:
    make_forecast(world, phone=40.0, email=10.0)
    store_actuals(world, "phone", 52.0)
    response = _get(world.planner, "/api/v1/intraday")
    assert response.status_code == 200
    data = response.json()
    phone = next(c for c in data["channels"] if c["channel"] == "phone")
    assert phone["ratio"]["applied"] and phone["ratio"]["value"] == pytest.approx(1.3)
    assert len(phone["forecast"]) == len(data["starts"]) == 96
    i = data["elapsed"]
    assert phone["reforecast"][i] == pytest.approx(52.0)


def test_it_refuses_other_days(world: World, frozen: None) -> None:
    response = _get(world.planner, "/api/v1/intraday?day=2025-05-01")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "day"]


def test_it_lists_suggestions_with_their_action(world: World, frozen: None) -> None:
    make_forecast(world)
    ok = agent(world, "Anouk", ("phone",))
    available(ok)
    suggestions = _get(world.planner, "/api/v1/intraday/suggestions").json()
    offer = next(s for s in suggestions if s["kind"] == "extra_hours")
    assert offer["employee_id"] == ok.pk and offer["action"] == "/api/v1/intraday/offers"
    response = _post(world.planner, offer["action"], offer["body"])
    assert response.status_code == 201, response.content
    assert ExtraHoursOffer.objects.get().employee == ok


def test_it_stores_actuals_or_names_the_bad_row(world: World, frozen: None) -> None:
    good = {"start": "2025-06-03T09:00", "channel": "phone", "contacts": 12}
    bad = {"start": "2025-06-03T18:00", "channel": "phone", "contacts": 3}
    response = _post(world.planner, "/api/v1/intraday/actuals", {"rows": [good, bad]})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "rows[1].start"]
    assert not ContactVolume.objects.exists()
    negative = _post(
        world.planner, "/api/v1/intraday/actuals", {"rows": [{**good, "contacts": -1}]}
    )
    assert negative.status_code == 422
    assert negative.json()["detail"][0]["loc"] == ["body", "rows", 0, "contacts"]
    ok = _post(world.planner, "/api/v1/intraday/actuals", {"rows": [good]})
    assert ok.status_code == 200 and ok.json() == {"stored": 1}
    assert ContactVolume.objects.get().start == at(9)


def test_it_lets_only_planners_act(world: World, frozen: None) -> None:
    body = {"rows": [{"start": "2025-06-03T09:00", "channel": "phone", "contacts": 12}]}
    assert _post(world.site_manager, "/api/v1/intraday/actuals", body).status_code == 403
    assert _post(world.agent, "/api/v1/intraday/actuals", body).status_code == 403
    assert _get(world.site_manager, "/api/v1/intraday").status_code == 200
    assert _get(world.agent, "/api/v1/intraday").status_code == 403


def test_it_moves_an_agent(world: World, frozen: None) -> None:
    dual = agent(world, "Dirk", ("phone", "email"))
    shift = published_shift(dual, at(12), at(17), "email")
    body = {
        "shift_id": shift.pk,
        "start": "2025-06-03T13:00:00+02:00",
        "end": "2025-06-03T14:00:00+02:00",
        "channel": "phone",
    }
    response = _post(world.planner, "/api/v1/intraday/moves", body)
    assert response.status_code == 200, response.content
    assert [a["channel"] for a in response.json()["assignments"]] == ["email", "phone", "email"]
    outsider_shift = published_shift(world.outsider, at(12), at(17), "phone")
    other = _post(world.planner, "/api/v1/intraday/moves", {**body, "shift_id": outsider_shift.pk})
    assert other.status_code == 404
    assert Shift.objects.get(pk=outsider_shift.pk).assignments == outsider_shift.assignments


def test_it_lets_the_agent_answer_own_offers_only(world: World, frozen: None) -> None:
    ok = agent(world, "Anouk", ("phone",))
    available(ok)
    offer = intraday.offer_extra_hours(
        organisation=world.org, employee=ok, start=at(14), end=at(17), channel="phone", by=None
    )
    assert _get(ok, "/api/v1/me/extra-hours").json()[0]["id"] == offer.pk
    assert _post(world.agent, f"/api/v1/me/extra-hours/{offer.pk}/accept", {}).status_code == 404
    accepted = _post(ok, f"/api/v1/me/extra-hours/{offer.pk}/accept", {})
    assert accepted.status_code == 200 and accepted.json()["shift_id"] is not None
    again = _post(ok, f"/api/v1/me/extra-hours/{offer.pk}/decline", {})
    assert again.status_code == 422


def test_it_assigns_and_completes_a_quick_task(world: World, frozen: None) -> None:
    created = _post(
        world.planner,
        "/api/v1/intraday/quick-tasks",
        {"title": "Kennisartikel: storing internet", "kind": "knowledge", "minutes": 30},
    )
    assert created.status_code == 201
    task = QuickTask.objects.get()
    worker = agent(world, "Ilse", ("phone",))
    published_shift(worker, at(12), at(16), "phone")
    assigned = _post(
        world.planner,
        "/api/v1/intraday/quick-task-assignments",
        {"task_id": task.pk, "employee_id": worker.pk, "start": "2025-06-03T13:00"},
    )
    assert assigned.status_code == 201, assigned.content
    mine = _get(worker, "/api/v1/me/quick-tasks").json()
    assert mine[0]["task"]["title"] == "Kennisartikel: storing internet"
    done = _post(worker, f"/api/v1/me/quick-tasks/{mine[0]['id']}/done", {})
    assert done.status_code == 200 and done.json()["done_at"] is not None
