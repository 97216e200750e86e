"""Fixtures for the planner's pages: a short generated history (the demo generator, 10 weeks)
stored for the world's organisation, and a finished forecast computed from it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from django.test import Client
from django.utils import translation

from tests.conftest import World
from veerkracht.people import services as people_services
from veerkracht.people.models import Employee
from veerkracht.scheduling import services
from veerkracht.scheduling.demo import generate_history
from veerkracht.scheduling.models import Forecast

# A Monday; ten weeks back covers the spring DST change (30 March 2025), Easter and King's Day.
TODAY = date(2025, 6, 2)
HISTORY_DAYS = 70


def store_history(world: World, channels: tuple[str, ...] = ("phone", "email")) -> None:
    for s in generate_history(seed=3, today=TODAY, days=HISTORY_DAYS):
        if s.channel in channels:
            services.insert_volumes(
                organisation_id=world.org.pk,
                channel=s.channel,
                start_utc_s=s.start_utc_s.tolist(),
                contacts=s.contacts.astype(float).tolist(),
                aht_s=s.aht_s.tolist(),
                replace=False,
            )


@pytest.fixture
def history(world: World) -> World:
    store_history(world)
    return world


@pytest.fixture
def forecast(history: World) -> Forecast:
    return services.run_forecast_now(
        organisation=history.org,
        by=history.planner.user,
        horizon_days=14,
        channels=["phone", "email"],
    )


def token_client(employee: Employee) -> Client:
    _token, key = people_services.issue_api_token(user=employee.user, name="test")
    return Client(headers={"Authorization": f"Bearer {key}", "Accept-Language": "en"})


@pytest.fixture
def english(world: World) -> Iterator[World]:
    """English: the personas speak Dutch, and texts asserted here are the English msgids. Pages
    follow the employee's language; services called directly follow the active language."""
    Employee.objects.update(language="en")
    with translation.override("en"):
        yield world
