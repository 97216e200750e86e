"""attention_reasons(): one test per reason from circumstances and the home workplace."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.utils import timezone, translation

from veerkracht.wellbeing import home
from veerkracht.wellbeing.models_home import (
    Circumstances,
    HomeRequestStatus,
    HomeWorkplaceRequest,
)

from ..conftest import World

# Thursday 19 November 2026, 14:00 in Amsterdam: ISO week 47 runs Monday 16 to Sunday 22.
NOW = datetime.datetime(2026, 11, 19, 14, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=1)))
LIVES_ALONE = "Lives alone and had no team contact this week"


@pytest.fixture(autouse=True)
def english() -> object:
    with translation.override("en"):
        yield


def _reasons(world: World, **kwargs: object) -> list[str]:
    return home.attention_reasons([world.agent, world.colleague], now=NOW, **kwargs)[world.agent.pk]


def _checkin(world: World, start: datetime.datetime, status: str = "held") -> None:
    from veerkracht.wellbeing.models_checkins import CheckIn

    CheckIn.objects.create(
        lead=world.lead, agent=world.agent, kind="phone", planned_start=start, status=status
    )


def test_it_gives_every_employee_a_key(world: World) -> None:
    result = home.attention_reasons([world.agent, world.colleague], now=NOW)
    assert result == {world.agent.pk: [], world.colleague.pk: []}
    assert home.attention_reasons([]) == {}


def test_it_flags_living_alone_without_a_held_one_to_one_this_week(world: World) -> None:
    Circumstances.objects.create(employee=world.agent, living_alone=True)
    # Held last week (Friday 13 November) and planned, not held, this week: no contact this week.
    _checkin(world, NOW - datetime.timedelta(days=6))
    _checkin(world, NOW - datetime.timedelta(days=1), status="planned")
    assert _reasons(world) == [LIVES_ALONE]


def test_it_does_not_flag_living_alone_after_a_held_one_to_one_this_week(world: World) -> None:
    Circumstances.objects.create(employee=world.agent, living_alone=True)
    _checkin(world, NOW - datetime.timedelta(days=3))  # Monday 16 November
    assert _reasons(world) == []


def test_it_does_not_flag_living_alone_when_one_to_ones_cannot_be_checked(world: World) -> None:
    Circumstances.objects.create(employee=world.agent, living_alone=True)
    with mock.patch.object(home, "_held_checkins_this_week", return_value=None):
        assert _reasons(world) == []
    with mock.patch.dict("sys.modules", {"veerkracht.wellbeing.models_checkins": None}):
        assert home._held_checkins_this_week([world.agent.pk], NOW) is None


def test_it_flags_a_request_open_for_more_than_seven_days(world: World) -> None:
    HomeWorkplaceRequest.objects.create(
        employee=world.agent,
        item="chair",
        reason="r",
        status=HomeRequestStatus.APPROVED,
        requested_at=NOW - datetime.timedelta(days=9),
    )
    HomeWorkplaceRequest.objects.create(
        employee=world.agent, item="desk", reason="r", requested_at=NOW - datetime.timedelta(days=3)
    )
    HomeWorkplaceRequest.objects.create(
        employee=world.agent,
        item="monitor",
        reason="r",
        status=HomeRequestStatus.DELIVERED,
        requested_at=NOW - datetime.timedelta(days=20),
    )
    assert _reasons(world) == ["Open home-workplace problem: office chair requested 9 days ago"]


def test_it_flags_a_rejection_without_a_follow_up(world: World) -> None:
    HomeWorkplaceRequest.objects.create(
        employee=world.agent,
        item="headset",
        reason="r",
        status=HomeRequestStatus.REJECTED,
        requested_at=NOW - datetime.timedelta(days=2),
        decided_at=NOW - datetime.timedelta(days=1),
    )
    assert _reasons(world) == ["Open home-workplace problem: headset requested 2 days ago"]


def test_it_does_not_flag_a_rejection_that_was_followed_up(world: World) -> None:
    HomeWorkplaceRequest.objects.create(
        employee=world.agent,
        item="headset",
        reason="r",
        status=HomeRequestStatus.REJECTED,
        requested_at=NOW - datetime.timedelta(days=4),
        decided_at=NOW - datetime.timedelta(days=3),
    )
    HomeWorkplaceRequest.objects.create(
        employee=world.agent,
        item="headset",
        reason="another model",
        requested_at=NOW - datetime.timedelta(days=1),
    )
    assert _reasons(world) == []


def test_it_flags_no_quiet_workplace(world: World) -> None:
    Circumstances.objects.create(employee=world.agent, quiet_workplace=False)
    assert _reasons(world) == ["No quiet workplace at home"]


def test_it_gives_circumstance_reasons_only_to_who_may_see_them(world: World) -> None:
    Circumstances.objects.create(employee=world.agent, quiet_workplace=False)
    assert _reasons(world, viewer=world.lead.user) == ["No quiet workplace at home"]
    assert _reasons(world, viewer=world.lead_b.user) == []
    assert _reasons(world, viewer=world.admin.user) == []


def test_it_uses_a_constant_number_of_queries(world: World, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    Circumstances.objects.create(employee=world.agent, living_alone=True, quiet_workplace=False)
    with django_assert_max_num_queries(5):
        home.attention_reasons([world.agent, world.colleague, world.agent_b], now=timezone.now())
