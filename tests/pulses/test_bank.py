"""The question bank, managers' own questions, and the rule that health never enters a pulse."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from veerkracht.pulses import services
from veerkracht.pulses.models import Category, PulseQuestion, Question

from ..conftest import World
from .conftest import open_pulse, question


def test_it_seeds_every_category_in_dutch_and_english(db: None) -> None:
    bank = Question.objects.filter(organisation=None)
    assert {q.category for q in bank} == set(Category.values)
    assert all(q.text_en and q.text_nl and q.text_en != q.text_nl for q in bank)
    health = {q.key for q in bank.filter(category=Category.HEALTH)}
    assert health == {"health_energy", "health_exhaustion", "health_stress", "health_sleep"}
    assert bank.get(key="enps").scale == "zero_ten"


def test_it_never_puts_a_health_question_in_a_pulse(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        open_pulse(
            world,
            team=world.team_a,
            questions=[question("workload_manageable"), question("health_stress")],
        )
    assert "health" in str(exc.value).lower()
    pulse = open_pulse(world, team=world.team_a)
    # Not through the ORM either: the through model refuses it whoever calls it.
    with pytest.raises(ValidationError):
        PulseQuestion.objects.create(pulse=pulse, question=question("health_sleep"))
    assert not pulse.questions.filter(category=Category.HEALTH).exists()
    assert not services.default_questions() or all(
        not q.is_health for q in services.bank_for(world.org)
    )


def test_it_refuses_a_managers_health_question(world: World) -> None:
    with pytest.raises(ValidationError):
        services.add_question(
            organisation=world.org,
            category=Category.HEALTH,
            scale="agree_5",
            text_en="I sleep badly",
            text_nl="Ik slaap slecht",
            by=world.lead.user,
        )
    # And the database itself refuses an organisation's health item.
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.create(
            organisation=world.org,
            category=Category.HEALTH,
            scale="agree_5",
            text_en="x",
            text_nl="y",
        )


def test_it_lets_a_lead_add_a_question_on_the_page(world: World) -> None:
    client = world.client_for(world.lead)
    response = client.post(
        "/pulse/manage/questions/new/",
        {
            "category": "workload",
            "scale": "agree_5",
            "text_en": "Breaks are long enough.",
            "text_nl": "Pauzes zijn lang genoeg.",
        },
    )
    assert response.status_code == 302
    own = Question.objects.get(organisation=world.org)
    assert own.created_by == world.lead.user
    response = client.post(
        "/pulse/manage/questions/new/",
        {"category": "health", "scale": "agree_5", "text_en": "Tired?", "text_nl": "Moe?"},
    )
    assert response.status_code == 200
    assert Question.objects.filter(organisation=world.org).count() == 1


def test_it_lets_a_lead_open_a_pulse_for_their_team_only(world: World) -> None:
    client = world.client_for(world.lead)
    workload = question("workload_manageable")
    response = client.post(
        "/pulse/manage/new/",
        {
            "title": "Week",
            "audience": f"team:{world.team_a.pk}",
            "questions": [workload.pk],
            "days_open": 5,
        },
    )
    assert response.status_code == 302
    pulse = world.team_a.pulses.get()
    assert list(pulse.questions.all()) == [workload]
    response = client.post(
        "/pulse/manage/new/",
        {
            "title": "Other",
            "audience": f"team:{world.team_b.pk}",
            "questions": [workload.pk],
            "days_open": 5,
        },
    )
    assert response.status_code == 200  # not a choice for this lead
    assert not world.team_b.pulses.exists()
    health = question("health_energy")
    response = client.post(
        "/pulse/manage/new/",
        {
            "title": "H",
            "audience": f"team:{world.team_a.pk}",
            "questions": [health.pk],
            "days_open": 5,
        },
    )
    assert response.status_code == 200
    assert world.team_a.pulses.count() == 1
