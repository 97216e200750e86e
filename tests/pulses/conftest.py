"""Helpers for the pulse tests: extra agents to make groups of a chosen size, and pulses."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone, translation

from veerkracht.people.models import Employee, Team
from veerkracht.pulses import services
from veerkracht.pulses.models import Pulse, Question, Scale

from ..conftest import World, make_employee

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def english(world: World) -> Iterator[None]:
    """Messages are asserted in English (the source language), whatever the .po files say."""
    Employee.objects.update(language="en")
    with translation.override("en"):
        yield


@pytest.fixture
def add_agents(world: World) -> Callable[[Team, int], list[Employee]]:
    def add(team: Team, n: int) -> list[Employee]:
        made = []
        for _ in range(n):
            i = next(_counter)
            made.append(
                make_employee(
                    world.org, f"extra{i}@example.nl", first="Extra", last=str(i), team=team
                )
            )
        return made

    return add


def open_pulse(world: World, *, team: Team | None = None, site: Any = None, **kw: Any) -> Pulse:
    now = timezone.now()
    return services.create_pulse(
        organisation=world.org,
        title=kw.pop("title", "Pulse"),
        team=team,
        site=site,
        opens_at=kw.pop("opens_at", now - timedelta(hours=1)),
        closes_at=kw.pop("closes_at", now + timedelta(days=3)),
        **kw,
    )


def full_answers(pulse: Pulse, value: int = 4, text: str = "") -> dict[int, Any]:
    answers: dict[int, Any] = {}
    for q in pulse.questions.all():
        if q.scale == Scale.TEXT:
            answers[q.pk] = text
        elif q.scale == Scale.ZERO_TEN:
            answers[q.pk] = min(10, value * 2)
        else:
            answers[q.pk] = value
    return answers


def answer_all(pulse: Pulse, people: list[Employee], value: int = 4, text: str = "") -> None:
    for person in people:
        services.submit_answers(
            pulse=pulse, employee=person, answers=full_answers(pulse, value, text)
        )


def question(key: str) -> Question:
    return Question.objects.get(organisation=None, key=key)
