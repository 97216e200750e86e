"""Staffing per 15 minutes and per day: the page's figures are the planning core's."""

from __future__ import annotations

import math

import numpy as np
import pytest
from django.urls import reverse

from tests.conftest import World
from veerkracht.planning import erlang, staffing
from veerkracht.scheduling import selectors
from veerkracht.scheduling.models import Forecast
from veerkracht.scheduling.staffing_plan import TargetParams, outcome_with_agents

pytestmark = pytest.mark.usefixtures("english")

URL = reverse("scheduling:staffing")


def test_it_matches_erlang_c_for_every_phone_interval(forecast: Forecast, world: World) -> None:
    response = world.client_for(world.planner).get(
        URL, {"forecast": forecast.pk, "channel": "phone", "day": "2025-06-03"}
    )
    assert response.status_code == 200
    rows = response.context["intervals"]
    assert len(rows) == 48  # 08:00–20:00
    for row in rows:
        # Default phone target: 80% within 20 s, AHT 300 s, shrinkage 30% (Erlang C).
        raw = erlang.required_agents(row["contacts"], 300, 20, 0.8)
        assert row["raw"] == raw
        assert row["scheduled"] == math.ceil(raw / 0.7 - 1e-9)
        assert row["service_level"] == pytest.approx(
            erlang.service_level(row["contacts"], 300, raw, 20)
        )
        assert row["service_level"] >= 0.8
    busiest = max(rows, key=lambda r: r["contacts"])
    html = response.content.decode()
    assert f'<td data-label="Time">{busiest["time"]}</td>' in html


def test_it_adds_up_hours_and_fte_per_day(forecast: Forecast, world: World) -> None:
    response = world.client_for(world.planner).get(
        URL, {"forecast": forecast.pk, "channel": "phone", "day": "2025-06-03"}
    )
    day = next(d for d in response.context["per_day"] if d.day.isoformat() == "2025-06-03")
    rows = response.context["intervals"]
    assert day.scheduled_hours == pytest.approx(sum(r["scheduled"] for r in rows) / 4)
    assert day.required_hours == pytest.approx(sum(r["raw"] for r in rows) / 4)
    assert day.fte == pytest.approx(day.scheduled_hours / 7.2)  # a 36-hour week over 5 days
    sunday = next(d for d in response.context["per_day"] if d.day.isoformat() == "2025-06-08")
    assert sunday.scheduled_hours == 0 and sunday.contacts == 0


def test_it_plans_email_from_a_backlog(forecast: Forecast, world: World) -> None:
    response = world.client_for(world.planner).get(
        URL, {"forecast": forecast.pk, "channel": "email", "day": "2025-06-03"}
    )
    assert response.status_code == 200
    assert response.context["deferred"] is True
    rows = response.context["intervals"]
    assert all(r["backlog"] is not None and r["backlog"] >= 0 for r in rows)
    # Nobody works the backlog at night (handling hours 08:00–20:00).
    assert all(r["raw"] == 0 for r in rows if r["time"] < "08:00" or r["time"] >= "20:00")
    plan = selectors.staffing_plans(forecast)["email"]
    assert plan.response_share is not None and plan.response_share >= 0.95
    assert "Backlog" in response.content.decode()


def test_it_repeats_the_cores_backlog_model_for_the_what_if(forecast: Forecast) -> None:
    params = selectors.target_params(forecast.organisation)["email"]
    plan = selectors.staffing_plans(forecast)["email"]
    share, backlog = outcome_with_agents(params, plan, plan.raw_agents)
    assert np.allclose(share, plan.service_level, equal_nan=True)
    assert backlog is not None and np.allclose(backlog, plan.backlog)


def test_it_matches_the_core_for_chat_with_concurrency() -> None:
    params = TargetParams(
        channel="chat",
        sl_target=0.8,
        target_s=60,
        aht_s=420,
        shrinkage=0.3,
        concurrency=2,
        concurrency_slowdown=0.15,
    )
    contacts = np.array([5.0, 40.0, 120.0])
    from veerkracht.scheduling.staffing_plan import plan_channel

    plan = plan_channel(params, np.array([0, 900, 1800]) + 1_750_000_000 // 900 * 900, contacts)
    expected = staffing.chat_required_agents(contacts, 420, 60, 0.8, 2, 0.15)
    assert plan.raw_agents.tolist() == expected.tolist()


def test_it_exports_staffing_csv(forecast: Forecast, world: World) -> None:
    response = world.client_for(world.planner).get(
        reverse("scheduling:staffing_csv"), {"forecast": forecast.pk}
    )
    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert (
        lines[0] == "start,channel,contacts,required_agents,scheduled_agents,service_level,backlog"
    )
    phone = [line.split(",") for line in lines[1:] if ",phone," in line]
    start, _channel, contacts, raw, scheduled, sl, backlog = phone[0]
    assert start == "2025-06-02T08:00+02:00"
    assert int(raw) == erlang.required_agents(float(contacts), 300, 20, 0.8)
    assert backlog == ""
    assert any(",email," in line and line.split(",")[6] != "" for line in lines[1:])


def test_it_uses_the_latest_finished_forecast_by_default(forecast: Forecast, world: World) -> None:
    Forecast.objects.create(organisation=world.org, channels=["phone"], horizon_days=7)  # queued
    response = world.client_for(world.planner).get(URL)
    assert response.context["forecast"] == forecast


def test_it_explains_that_a_forecast_is_needed(world: World) -> None:
    response = world.client_for(world.planner).get(URL)
    assert response.status_code == 200
    assert "There is no finished forecast yet." in response.content.decode()


def test_it_refuses_staffing_to_people_without_planning_access(
    forecast: Forecast, world: World
) -> None:
    for persona in (world.agent, world.lead):
        assert world.client_for(persona).get(URL).status_code == 403
        assert world.client_for(persona).get(reverse("scheduling:staffing_csv")).status_code == 403


def test_it_hides_another_organisations_forecast_from_staffing(
    forecast: Forecast, world: World
) -> None:
    client = world.client_for(world.outsider)
    assert client.get(URL, {"forecast": forecast.pk}).status_code == 404
    assert (
        client.get(reverse("scheduling:staffing_csv"), {"forecast": forecast.pk}).status_code == 404
    )
