"""The surge what-if: base plan, surge, and surge with agents moved, side by side."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.conftest import World
from veerkracht.scheduling.models import Forecast

pytestmark = pytest.mark.usefixtures("english")

URL = reverse("scheduling:scenario")


def channels(response: Any) -> dict[str, Any]:
    return {c.channel: c for c in response.context["result"].channels}


def test_it_shows_the_base_plan_with_agents_from_people(forecast: Forecast, world: World) -> None:
    response = world.client_for(world.planner).get(URL)
    assert response.status_code == 200
    result = response.context["result"]
    assert [d.isoformat() for d in result.days] == [f"2025-06-0{i}" for i in range(2, 9)]
    # world: Alice (phone, chat; 32 h), Bob (phone; 32 h), Carol (email; 32 h) are the agents.
    capacity = response.context["capacity"]
    assert capacity.trained == {"phone": 2, "chat": 1, "email": 1, "social": 0}
    assert sum(capacity.heads.values()) == pytest.approx(3)
    assert capacity.hours_per_week == 32
    phone = channels(response)["phone"]
    assert phone.total.contacts_base == phone.total.contacts_surge  # no surge yet
    assert phone.total.hours_base > 0


def test_it_multiplies_contacts_from_x_to_y_per_day(forecast: Forecast, world: World) -> None:
    response = world.client_for(world.planner).get(
        URL,
        {"start": "2025-06-02", "contacts_from": 3000, "contacts_to": 12000, "affected": ["phone"]},
    )
    assert response.status_code == 200
    by_channel = channels(response)
    phone, email = by_channel["phone"], by_channel["email"]
    assert phone.total.contacts_surge == pytest.approx(4 * phone.total.contacts_base, rel=1e-6)
    assert phone.total.hours_surge > 3 * phone.total.hours_base
    assert email.total.contacts_surge == pytest.approx(email.total.contacts_base)
    monday = phone.rows[0]
    assert monday.gap_hours == pytest.approx(monday.hours_available_moved - monday.hours_surge)


def test_it_moves_agents_from_phone_to_email(forecast: Forecast, world: World) -> None:
    params = {
        "start": "2025-06-02",
        "factor": "1",
        "agents_phone": 60,
        "agents_email": 3,
        "hours_per_week": 36,
    }
    client = world.client_for(world.planner)
    before = channels(client.get(URL, params))
    after_response = client.get(
        URL, {**params, "move_agents": 10, "move_from": "phone", "move_to": "email"}
    )
    after = channels(after_response)
    assert after["phone"].agents_moved == 50 and after["email"].agents_moved == 13
    # Fewer phone agents: lower service level; more e-mail agents: more answered in time.
    assert after["phone"].total.sl_moved < before["phone"].total.sl_moved
    assert after["email"].total.sl_moved > before["email"].total.sl_moved
    assert after["phone"].total.hours_available_moved == pytest.approx(50 * 36 * 7 / 7)
    html = after_response.content.decode()
    assert "Surge, agents moved" in html and "How this is calculated" in html


def test_it_refuses_moving_agents_to_the_same_channel(forecast: Forecast, world: World) -> None:
    response = world.client_for(world.planner).get(
        URL, {"move_agents": 3, "move_from": "phone", "move_to": "phone"}
    )
    assert response.status_code == 400
    assert "move_to" in response.context["form"].errors
    assert response.context["result"] is None


def test_it_refuses_a_week_outside_the_forecast(forecast: Forecast, world: World) -> None:
    response = world.client_for(world.planner).get(URL, {"start": "2025-01-01"})
    assert response.status_code == 400
    assert "start" in response.context["form"].errors


def test_it_explains_that_a_forecast_is_needed(world: World) -> None:
    response = world.client_for(world.planner).get(URL)
    assert response.status_code == 200
    assert response.context["result"] is None
    assert "There is no finished forecast yet." in response.content.decode()


def test_it_refuses_the_what_if_to_people_without_planning_access(
    forecast: Forecast, world: World
) -> None:
    for persona in (world.agent, world.lead, world.admin):
        assert world.client_for(persona).get(URL).status_code == 403


def test_it_lets_site_managers_use_the_what_if_with_the_whole_organisations_capacity(
    forecast: Forecast, world: World
) -> None:
    response = world.client_for(world.site_manager).get(URL)
    assert response.status_code == 200
    # Carol works at site B, which this site manager does not manage: still counted (totals only).
    assert response.context["capacity"].trained["email"] == 1
    assert "Carol" not in response.content.decode()


def test_it_hides_another_organisations_forecast(forecast: Forecast, world: World) -> None:
    assert world.client_for(world.outsider).get(URL, {"forecast": forecast.pk}).status_code == 404
